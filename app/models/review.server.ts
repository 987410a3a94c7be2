import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { BadQueryError, ForbiddenError, NotFoundError, StateConflictError } from './errors.ts'
import { rolesOn } from './order-transition.server.ts'
import type { ReviewInput } from './review.schema.ts'
import type { AccountView } from './user.server.ts'
import { syncWorkshop } from './workshop.server.ts'

// Reviews (评价, issue 7, DESIGN §5 "completed … review"): once an order is completed its
// design firm rates the workshop (quality, communication, on-time, 1–5; overall = their mean)
// and the workshop rates the buyer (one score, its overall). One review per side and order.
// The subject's standing follows in the same transaction: a workshop's `rating` (shown in
// search, a matching term) and a design firm's `buyer_rating` are the mean overall of the
// reviews about them, one decimal — docs/decisions/008-reviews-and-ratings.md.

export type ReviewDirection = 'buyer_to_workshop' | 'workshop_to_buyer'
export type ReviewSide = 'buyer' | 'workshop'

const directionOf: Record<ReviewSide, ReviewDirection> = {
  buyer: 'buyer_to_workshop',
  workshop: 'workshop_to_buyer',
}

/** What a review says: its scores, its comment and when. */
const reviewContent = [
  'reviews.quality',
  'reviews.communication',
  'reviews.on_time',
  'reviews.overall',
  'reviews.comment',
  'reviews.created_at',
] as const

const reviewColumns = [
  'reviews.id',
  'reviews.order_id',
  'reviews.direction',
  'reviews.author_organization_id',
  'reviews.subject_organization_id',
  ...reviewContent,
] as const

/**
 * A party of a completed order reviews the other: the buyer with quality, communication and
 * on_time, the workshop with overall. Errors: 404 not a party; 403 an operator; 409
 * `order_not_completed`, `review_exists` (this side already reviewed); 400 the other side's
 * fields. Recomputes the subject's rating and, for a workshop, queues its search re-index.
 */
export async function submitReview(
  tx: Tx,
  actor: AccountView,
  orderId: string,
  input: ReviewInput,
) {
  // The order row is the lock both sides' reviews of it queue on.
  const order = await tx
    .selectFrom('orders')
    .select([
      'id',
      'status',
      'buyer_organization_id',
      'workshop_organization_id',
      'inspector_user_id',
    ])
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst()
  if (!order) throw new NotFoundError('No such order')
  const roles = rolesOn(order, actor)
  const side: ReviewSide | undefined = roles.includes('buyer')
    ? 'buyer'
    : roles.includes('workshop')
      ? 'workshop'
      : undefined
  if (!side) {
    if (roles.length) throw new ForbiddenError('Only the buyer and the workshop review an order')
    throw new NotFoundError('No such order')
  }
  if (order.status !== 'completed') {
    throw new StateConflictError('order_not_completed', 'Orders are reviewed once completed', {
      details: { status: order.status },
    })
  }
  const scores = scoresOf(side, input)
  const direction = directionOf[side]
  const existing = await tx
    .selectFrom('reviews')
    .select('id')
    .where('order_id', '=', order.id)
    .where('direction', '=', direction)
    .executeTakeFirst()
  if (existing) {
    throw new StateConflictError('review_exists', 'You have reviewed this order already')
  }
  const subject = side === 'buyer' ? order.workshop_organization_id : order.buyer_organization_id
  // Reviews of one subject on different orders recompute its rating one after another, each
  // seeing the others' committed reviews.
  await tx
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', subject)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const review = await tx
    .insertInto('reviews')
    .values({
      order_id: order.id,
      direction,
      author_organization_id: actor.organization.id,
      subject_organization_id: subject,
      author_user_id: actor.user.id,
      ...scores,
      comment: input.comment,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await refreshRating(tx, subject, direction)
  if (direction === 'buyer_to_workshop') await syncWorkshop(tx, subject)
  return review
}

function scoresOf(side: ReviewSide, input: ReviewInput) {
  if (side === 'buyer') {
    if (!('quality' in input)) {
      throw new BadQueryError('A design firm rates quality, communication and on_time (1–5)', {
        field: 'quality',
      })
    }
    const { quality, communication, on_time } = input
    return { quality, communication, on_time, overall: (quality + communication + on_time) / 3 }
  }
  if (!('overall' in input)) {
    throw new BadQueryError('A workshop rates the buyer with one overall score (1–5)', {
      field: 'overall',
    })
  }
  return { quality: null, communication: null, on_time: null, overall: input.overall }
}

/**
 * The subject's rating from the reviews about it: the mean overall, rounded half-up to one
 * decimal. Without reviews the column keeps what it holds, so a workshop's seeded (demo or
 * migrated) rating stands until its first review and is replaced by the reviews' mean then.
 */
export async function refreshRating(tx: Tx | Db, subjectId: string, direction: ReviewDirection) {
  const mean = sql<number | null>`(select round(avg(overall)::numeric, 1)::float8 from reviews
    where subject_organization_id = ${subjectId} and direction = ${direction})`
  await tx
    .updateTable('organizations')
    .set(
      direction === 'buyer_to_workshop'
        ? { rating: sql<number | null>`coalesce(${mean}, rating)` }
        : { buyer_rating: sql<number | null>`coalesce(${mean}, buyer_rating)` },
    )
    .where('id', '=', subjectId)
    .execute()
}

/** Both sides' reviews of an order, oldest first, with the author's firm (for its parties). */
export function listReviews(db: Db | Tx, orderId: string) {
  return db
    .selectFrom('reviews')
    .innerJoin('organizations as author', 'author.id', 'reviews.author_organization_id')
    .select(reviewColumns)
    .select('author.name as author_name')
    .where('reviews.order_id', '=', orderId)
    .orderBy('reviews.created_at')
    .orderBy('reviews.id')
    .execute()
}
export type OrderReview = Awaited<ReturnType<typeof listReviews>>[number]

/**
 * The order page's review section: the reviews, and the side the viewer may still review
 * (null: not a party, not completed, or done).
 */
export async function reviewsForViewer(
  db: Db | Tx,
  order: {
    id: string
    status: string
    buyer_organization_id: string
    workshop_organization_id: string
  },
  viewer: AccountView,
) {
  const reviews = await listReviews(db, order.id)
  const side: ReviewSide | null =
    viewer.organization.id === order.buyer_organization_id
      ? 'buyer'
      : viewer.organization.id === order.workshop_organization_id
        ? 'workshop'
        : null
  const pending =
    side && order.status === 'completed' && !reviews.some((r) => r.direction === directionOf[side])
      ? side
      : null
  return { reviews, pending }
}

/**
 * What anyone may read of a workshop's reviews: how many, their mean overall (one decimal)
 * and the latest `limit`, each with the reviewing firm's name only (no people).
 */
export async function workshopReviews(db: Db, workshopId: string, limit = 10) {
  const [summary, latest] = await Promise.all([
    db
      .selectFrom('reviews')
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<number | null>`round(avg(overall)::numeric, 1)::float8`.as('average'),
      ])
      .where('subject_organization_id', '=', workshopId)
      .where('direction', '=', 'buyer_to_workshop')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('reviews')
      .innerJoin('organizations as buyer', 'buyer.id', 'reviews.author_organization_id')
      .select(['reviews.id', ...reviewContent, 'buyer.name as buyer_name'])
      .where('reviews.subject_organization_id', '=', workshopId)
      .where('reviews.direction', '=', 'buyer_to_workshop')
      .orderBy('reviews.created_at', 'desc')
      .orderBy('reviews.id', 'desc')
      .limit(limit)
      .execute(),
  ])
  return { count: summary.count, average: summary.average, reviews: latest }
}
