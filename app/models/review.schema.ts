import { z } from 'zod'

// Review input (issue 7): the API's JSON and the order page's form. The design firm rates the
// workshop on quality, communication and on-time delivery; the workshop gives the buyer one
// score. Scores are whole stars 1–5; the comment is optional, at most 2000 characters.

export const MAX_REVIEW_COMMENT = 2000
export const reviewScoreFields = ['quality', 'communication', 'on_time'] as const

const score = z.number().int().min(1).max(5)
const comment = z.string().trim().max(MAX_REVIEW_COMMENT)

export const BuyerReviewApiSchema = z
  .object({ quality: score, communication: score, on_time: score, comment: comment.default('') })
  .strict()

export const WorkshopReviewApiSchema = z
  .object({ overall: score, comment: comment.default('') })
  .strict()

export type BuyerReviewInput = z.output<typeof BuyerReviewApiSchema>
export type WorkshopReviewInput = z.output<typeof WorkshopReviewApiSchema>
export type ReviewInput = BuyerReviewInput | WorkshopReviewInput

// Forms: radio values arrive as strings; messages are i18n keys (their codes are the
// `reviewError` the no-JS redirect carries).
const formScore = z.coerce
  .number({ error: 'error.review_score' })
  .int('error.review_score')
  .min(1, 'error.review_score')
  .max(5, 'error.review_score')
const formComment = z.string().trim().max(MAX_REVIEW_COMMENT, 'error.review_comment').default('')

export const BuyerReviewFormSchema = z.object({
  quality: formScore,
  communication: formScore,
  on_time: formScore,
  comment: formComment,
})

export const WorkshopReviewFormSchema = z.object({ overall: formScore, comment: formComment })
