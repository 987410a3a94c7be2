import type { reviewsZh } from './reviews.zh-CN.ts'

export const reviewsEn: Record<keyof typeof reviewsZh, string> = {
  'reviews.title': 'Reviews',
  'reviews.leadBuyer':
    "The order is complete. Rate the workshop's quality, communication and on-time delivery (1–5 stars); reviews show on its public page.",
  'reviews.leadWorkshop':
    'The order is complete. Rate this buyer (1–5 stars); the buyer and the platform see your review.',
  'reviews.quality': 'Quality',
  'reviews.communication': 'Communication',
  'reviews.on_time': 'On-time delivery',
  'reviews.overall': 'Overall',
  'reviews.stars': '{n} stars',
  'reviews.comment': 'Comment (optional)',
  'reviews.submit': 'Submit review',
  'reviews.failed': 'The review was not submitted; check the marked fields.',
  'reviews.notice.reviewed': 'Review submitted, thank you!',
  'reviews.none': 'Neither side has reviewed yet.',
  'reviews.ofWorkshop': "{name}'s review of the workshop",
  'reviews.ofBuyer': "{name}'s review of the buyer",
  'reviews.score': '{score} / 5',
  'reviews.summary': 'Average {average} / 5 · {count} reviews',
  'reviews.publicNone': 'No reviews yet.',
  'error.order_not_completed': 'An order can be reviewed once it is completed',
  'error.review_exists': 'You have already reviewed this order',
  'error.review_score': 'Choose 1–5 stars',
  'error.review_comment': 'At most 2000 characters',
}
