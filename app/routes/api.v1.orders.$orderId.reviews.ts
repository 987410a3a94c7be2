import { requireOrderForViewer } from '../models/order.server.ts'
import { BuyerReviewApiSchema, WorkshopReviewApiSchema } from '../models/review.schema.ts'
import { listReviews, submitReview } from '../models/review.server.ts'
import { api, apiJson, iso, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

interface ReviewRow {
  id: string
  order_id: string
  direction: 'buyer_to_workshop' | 'workshop_to_buyer'
  author_organization_id: string
  subject_organization_id: string
  quality: number | null
  communication: number | null
  on_time: number | null
  overall: number
  comment: string
  created_at: Date
}

function reviewBody(r: ReviewRow, authorName: string) {
  return {
    id: r.id,
    order_id: r.order_id,
    direction: r.direction,
    author_id: r.author_organization_id,
    author_name: authorName,
    subject_id: r.subject_organization_id,
    quality: r.quality,
    communication: r.communication,
    on_time: r.on_time,
    overall: r.overall,
    comment: r.comment,
    created_at: iso(r.created_at),
  }
}

const handler = api({
  /** Both sides' reviews of an order the caller is party to (or any, for operators). */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const { order } = await requireOrderForViewer(context.db, uuidParam(params, 'orderId'), account)
    const reviews = await listReviews(context.db, order.id)
    return apiJson({ reviews: reviews.map((r) => reviewBody(r, r.author_name)) })
  },
  /** A party of a completed order reviews the other, once: the buyer's three scores, the workshop's one. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'orderId')
    const schema =
      account.organization.kind === 'workshop' ? WorkshopReviewApiSchema : BuyerReviewApiSchema
    const input = await parseJson(request, schema)
    const review = await context.db
      .transaction()
      .execute((tx) => submitReview(tx, account, id, input))
    return apiJson({ review: reviewBody(review, account.organization.name) }, { status: 201 })
  },
})

export const loader = handler
export const action = handler
