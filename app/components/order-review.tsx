import { getZodConstraint } from '@conform-to/zod/v4'
import { Form, useSearchParams } from '@remix-run/react'
import { BuyerReviewFormSchema, WorkshopReviewFormSchema } from '../models/review.schema.ts'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { CsrfInput } from './forms.tsx'

// Reviews (issue 7) on a completed order's page: the form for the party that has not reviewed
// yet, then both sides' reviews; and the latest reviews on a workshop's public page. The form
// posts to orders.$orderId_.review, which redirects back here — with `reviewError` (an error
// code), `reviewField` (the fields it concerns) and what was typed when it refused — so it
// works without JavaScript.

export interface ReviewView {
  id: string
  direction: 'buyer_to_workshop' | 'workshop_to_buyer'
  author_name: string
  quality: number | null
  communication: number | null
  on_time: number | null
  overall: number
  comment: string
  created_at: Date | string
}

const buyerScores = ['quality', 'communication', 'on_time'] as const
const constraints = {
  buyer: getZodConstraint(BuyerReviewFormSchema),
  workshop: getZodConstraint(WorkshopReviewFormSchema),
}

export function OrderReviews({
  orderId,
  reviews,
  pending,
}: {
  orderId: string
  reviews: ReviewView[]
  /** The side the viewer may still review, else null. */
  pending: 'buyer' | 'workshop' | null
}) {
  const t = useT()
  const [searchParams] = useSearchParams()
  const code = searchParams.get('reviewError')
  // A refusal of the whole review (already reviewed, not completed) shows even without a form.
  const refusal = code && !searchParams.has('reviewField') ? t(`error.${code}` as MessageKey) : null
  return (
    <section className="card" id="review" aria-labelledby="review-title">
      <h2 id="review-title">{t('reviews.title')}</h2>
      {searchParams.has('reviewed') ? (
        <p className="notice" role="status">
          {t('reviews.notice.reviewed')}
        </p>
      ) : null}
      {refusal ? (
        <p className="alert" role="alert">
          {refusal}
        </p>
      ) : null}
      {pending ? <ReviewForm orderId={orderId} side={pending} /> : null}
      {reviews.length === 0 ? (
        <p className="empty">{t('reviews.none')}</p>
      ) : (
        <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {reviews.map((r) => (
            <li key={r.id}>
              <ReviewItem
                review={r}
                heading={t(
                  r.direction === 'buyer_to_workshop' ? 'reviews.ofWorkshop' : 'reviews.ofBuyer',
                  { name: r.author_name },
                )}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function ReviewForm({ orderId, side }: { orderId: string; side: 'buyer' | 'workshop' }) {
  const t = useT()
  const [searchParams] = useSearchParams()
  const code = searchParams.get('reviewError')
  const fields = new Set(searchParams.getAll('reviewField'))
  const constraint: Record<string, { required?: boolean; maxLength?: number } | undefined> =
    constraints[side]
  const errorOf = (name: string) =>
    code && fields.has(name) ? t(`error.${code}` as MessageKey) : undefined
  const scores = side === 'buyer' ? buyerScores : (['overall'] as const)
  const commentError = errorOf('comment')
  return (
    <Form
      method="post"
      action={`/orders/${orderId}/review`}
      className="stack"
      aria-labelledby="review-title"
    >
      <CsrfInput />
      <p className="hint">{t(side === 'buyer' ? 'reviews.leadBuyer' : 'reviews.leadWorkshop')}</p>
      {code && fields.size > 0 ? (
        <p className="alert" role="alert">
          {t('reviews.failed')}
        </p>
      ) : null}
      {scores.map((name) => {
        const error = errorOf(name)
        const errorId = `review-${name}-error`
        const kept = searchParams.get(name)
        return (
          <div key={name}>
            <fieldset
              className="radio-cards"
              style={{ gridTemplateColumns: 'repeat(5, minmax(0, 1fr))' }}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
            >
              <legend>{t(`reviews.${name}` as MessageKey)}</legend>
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n}>
                  <input
                    type="radio"
                    name={name}
                    value={n}
                    required={constraint[name]?.required}
                    defaultChecked={kept === String(n)}
                  />
                  {t('reviews.stars', { n })}
                </label>
              ))}
            </fieldset>
            {error ? (
              <p id={errorId} className="field-errors" role="alert">
                {error}
              </p>
            ) : null}
          </div>
        )
      })}
      <div className="field">
        <label htmlFor="review-comment">{t('reviews.comment')}</label>
        <textarea
          id="review-comment"
          name="comment"
          rows={4}
          maxLength={constraint.comment?.maxLength}
          defaultValue={searchParams.get('comment') ?? ''}
          aria-invalid={commentError ? true : undefined}
          aria-describedby={commentError ? 'review-comment-error' : undefined}
        />
        {commentError ? (
          <p id="review-comment-error" className="field-errors" role="alert">
            {commentError}
          </p>
        ) : null}
      </div>
      <p>
        <button type="submit" className="primary">
          {t('reviews.submit')}
        </button>
      </p>
    </Form>
  )
}

function ReviewItem({
  review: r,
  heading,
  dateOnly = false,
}: {
  review: Omit<ReviewView, 'direction' | 'author_name'>
  heading: string
  dateOnly?: boolean
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <article>
      <h3>
        {heading} · {t('reviews.score', { score: r.overall.toFixed(1) })}
      </h3>
      {r.quality !== null && r.communication !== null && r.on_time !== null ? (
        <p className="muted">
          {buyerScores.map((s) => `${t(`reviews.${s}` as MessageKey)} ${r[s]} / 5`).join(' · ')}
        </p>
      ) : null}
      {r.comment ? <p style={{ whiteSpace: 'pre-wrap' }}>{r.comment}</p> : null}
      <p className="muted">
        <time dateTime={new Date(r.created_at).toISOString()}>
          {dateOnly ? formatDate(locale, r.created_at) : formatDateTime(locale, r.created_at)}
        </time>
      </p>
    </article>
  )
}

/** A workshop's public reviews: the average, how many, the latest with the firm's name. */
export function WorkshopReviewList({
  count,
  average,
  reviews,
}: {
  count: number
  average: number | null
  reviews: (Omit<ReviewView, 'direction' | 'author_name'> & { buyer_name: string })[]
}) {
  const t = useT()
  return (
    <section aria-labelledby="reviews">
      <h2 id="reviews">{t('reviews.title')}</h2>
      {count === 0 || average === null ? (
        <p className="empty">{t('reviews.publicNone')}</p>
      ) : (
        <>
          <p>{t('reviews.summary', { average: average.toFixed(1), count })}</p>
          <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
            {reviews.map((r) => (
              <li key={r.id} className="card">
                <ReviewItem review={r} heading={r.buyer_name} dateOnly />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
