import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { Locale, OrderStatus } from '../../db/schema.ts'
import { shanghaiToday } from './capacity.server.ts'
import { queueEmail } from './email.server.ts'
import { NotFoundError, StateConflictError } from './errors.ts'
import { formatFen } from './money.ts'
import { ownersOf } from './organization.server.ts'
import {
  declineOpenQuotes,
  lockQuoteForBuyer,
  platformFeeIn,
  requirePendingQuote,
} from './quote.server.ts'
import { syncResource } from './resource.server.ts'
import { redeemVoucher } from './voucher.server.ts'
import type { AccountView } from './user.server.ts'

// Orders (订单, DESIGN §5): an accepted quote. This module creates them; the lifecycle after
// `awaiting_payment` (payment, sample rounds, delivery, inspection) is issue 7's transition
// table, which writes order_events the same way.

export type Order = Awaited<ReturnType<typeof getOrder>>

function getOrder(db: Db | Tx, where: { id: string } | { jobId: string }) {
  let query = db.selectFrom('orders').selectAll()
  query = 'id' in where ? query.where('id', '=', where.id) : query.where('job_id', '=', where.jobId)
  return query.executeTakeFirstOrThrow()
}

/**
 * The design firm accepts a confirmed, pending, unexpired quote on its open job: one
 * transaction creates the order in `awaiting_payment` with its amounts (batch total, sample
 * price when the job needs a sample, the platform fee inside them), records the first order
 * event, declines the job's other quotes, closes the job, books the machine's hours up to the
 * deadline, re-indexes the machine (its idle hours changed) and emails the workshops.
 *
 * The job row is locked first, so concurrent accepts on one job run one after another: the
 * first makes the order, the others find it (409; the same quote again: that order, created
 * false — a double click). The unique job_id on orders backs this up.
 */
export async function acceptQuote(
  tx: Tx,
  actor: AccountView,
  quoteId: string,
  options: { publicUrl: string; today?: string; expectedTotalFen?: number },
): Promise<{ order: Order; created: boolean }> {
  const { job_id: jobId } = await lockQuoteForBuyer(tx, actor, quoteId)
  const job = await tx
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', jobId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const existing = await tx
    .selectFrom('orders')
    .select(['id', 'quote_id'])
    .where('job_id', '=', jobId)
    .executeTakeFirst()
  if (existing) {
    if (existing.quote_id === quoteId) {
      return { order: await getOrder(tx, { id: existing.id }), created: false }
    }
    throw new StateConflictError('job_already_ordered', 'Another quote on this job was accepted', {
      details: { order_id: existing.id },
    })
  }
  const quote = await tx
    .selectFrom('quotes')
    .selectAll()
    .select(sql<boolean>`valid_until <= now()`.as('lapsed'))
    .where('id', '=', quoteId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  requirePendingQuote(quote)
  if (!quote.confirmed_at) {
    throw new StateConflictError(
      'quote_not_confirmed',
      'The workshop has not confirmed this estimate yet',
    )
  }
  // Shared lock: a suspension (which locks the row for update) waits, or is waited for.
  const workshop = await tx
    .selectFrom('organizations')
    .select('suspended_at')
    .where('id', '=', quote.organization_id)
    .forShare()
    .executeTakeFirstOrThrow()
  if (workshop.suspended_at) {
    throw new StateConflictError('workshop_suspended', 'The platform has suspended this workshop')
  }
  if (job.status !== 'open') {
    throw new StateConflictError('job_not_open', 'This job no longer takes quotes', {
      details: { status: job.status },
    })
  }
  // The workshop revised the quote after the designer looked at it: look again first.
  if (options.expectedTotalFen !== undefined && options.expectedTotalFen !== quote.total_fen) {
    throw new StateConflictError('quote_changed', 'The workshop revised this quote; review it', {
      details: { total_fen: quote.total_fen },
    })
  }

  const today = options.today ?? shanghaiToday()
  const sampleFen = job.needs_sample ? quote.sample_price_fen : 0
  const subtotal = quote.total_fen + sampleFen
  // What the console counts the order under: the machine's process, the workshop's town,
  // its first industry cluster (decision 012).
  const where = await sql<{ process: string; town: string; cluster: string }>`
    select coalesce((select process from resources where id = ${quote.resource_id}),
        ${job.process}::text, '') as process,
      coalesce(w.town, '') as town, coalesce(w.clusters[1], '') as cluster
    from organizations w where w.id = ${quote.organization_id}`
    .execute(tx)
    .then((r) => r.rows[0]!)
  const { seq } = await sql<{ seq: string }>`select nextval('order_number_seq') as seq`
    .execute(tx)
    .then((r) => r.rows[0]!)
  const order = await tx
    .insertInto('orders')
    .values({
      number: `SF${today.replaceAll('-', '')}${String(seq).padStart(5, '0')}`,
      job_id: jobId,
      quote_id: quoteId,
      buyer_organization_id: job.organization_id,
      workshop_organization_id: quote.organization_id,
      resource_id: quote.resource_id,
      status: 'awaiting_payment',
      needs_sample: job.needs_sample,
      // The lot: shipments must add up to it and the inspection samples from it.
      quantity: quote.quantity,
      aql: job.aql,
      batch_fen: quote.total_fen,
      sample_fen: sampleFen,
      subtotal_fen: subtotal,
      platform_fee_fen: platformFeeIn(subtotal, quote.platform_fee_bps),
      total_fen: subtotal,
      sample_lead_days: quote.sample_lead_days,
      batch_lead_days: quote.batch_lead_days,
      deadline: job.deadline,
      accepted_by: actor.user.id,
      process: where.process,
      town: where.town,
      cluster: where.cluster,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  // 服务券: an approved grant pays its share; the buyer pays the rest.
  const voucherFen = await redeemVoucher(tx, order, job, today)
  await recordOrderEvent(tx, order.id, actor, null, 'awaiting_payment', {
    quote_id: quoteId,
    ...(voucherFen ? { voucher_fen: voucherFen } : {}),
  })
  await tx
    .updateTable('quotes')
    .set({ status: 'accepted', decided_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', quoteId)
    .execute()
  const lost = await declineOpenQuotes(tx, jobId, 'another_quote_accepted', quoteId)
  await tx
    .updateTable('jobs')
    .set({ status: 'closed', updated_at: sql<Date>`now()` })
    .where('id', '=', jobId)
    .execute()
  if (quote.resource_id && quote.machine_hours > 0) {
    await tx
      .insertInto('capacity_bookings')
      .values({
        resource_id: quote.resource_id,
        order_id: order.id,
        starts_on: today,
        ends_on: job.deadline < today ? today : job.deadline,
        hours: Math.max(0.1, Math.round(quote.machine_hours * 10) / 10),
      })
      .execute()
    await syncResource(tx, quote.resource_id)
  }

  const firm = actor.organization.name
  const url = (path: string) => `${options.publicUrl}${path}`
  for (const owner of await ownersOf(tx, [quote.organization_id])) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template: 'quote-accepted',
      props: {
        name: owner.name,
        firm,
        job: job.title,
        order: order.number,
        url: url(`/orders/${order.id}`),
      },
    })
  }
  for (const owner of await ownersOf(
    tx,
    lost.map((q) => q.organization_id),
  )) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template: 'quote-declined',
      props: { name: owner.name, firm, job: job.title, url: url('/workshop/job-board') },
    })
  }
  return { order: voucherFen ? await getOrder(tx, { id: order.id }) : order, created: true }
}

/**
 * The order-update email (emails/order-update.tsx) to each of `people` once, in their
 * language: what happened (`action`), where the order stands, the link to it; with the days
 * left (reminders) or the money sent (payouts, refunds) when given. Queued in `tx`.
 */
export async function emailOrderUpdate(
  tx: Tx,
  people: { email: string; name: string; locale: Locale }[],
  order: { id: string; number: string; status: OrderStatus },
  what: { job: string; action: string; publicUrl: string; days?: number; amountFen?: number },
) {
  const told = new Set<string>()
  for (const person of people) {
    if (told.has(person.email)) continue
    told.add(person.email)
    await queueEmail(tx, {
      to: person.email,
      locale: person.locale,
      template: 'order-update',
      props: {
        name: person.name,
        order: order.number,
        job: what.job,
        action: what.action,
        status: order.status,
        url: `${what.publicUrl}/orders/${order.id}`,
        ...(what.days === undefined ? {} : { days: what.days }),
        ...(what.amountFen === undefined
          ? {}
          : { amount: formatFen(what.amountFen, person.locale) }),
      },
    })
  }
}

/** Appends to an order's audit trail (who moved it from what to what, with details). */
export function recordOrderEvent(
  tx: Tx,
  orderId: string,
  actor: AccountView | null,
  from: OrderStatus | null,
  to: OrderStatus,
  payload: Record<string, unknown> = {},
) {
  return tx
    .insertInto('order_events')
    .values({
      order_id: orderId,
      actor_user_id: actor?.user.id ?? null,
      from_status: from,
      to_status: to,
      payload,
    })
    .execute()
}

export type OrderRole = 'buyer' | 'workshop' | 'operator'

/** The order with its parties, job, parts and events, as `viewer` may see it; else undefined. */
export async function getOrderForViewer(db: Db | Tx, orderId: string, viewer: AccountView) {
  const order = await db
    .selectFrom('orders')
    .innerJoin('jobs', 'jobs.id', 'orders.job_id')
    .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
    .innerJoin('organizations as workshop', 'workshop.id', 'orders.workshop_organization_id')
    .innerJoin('quotes', 'quotes.id', 'orders.quote_id')
    .leftJoin('resources', 'resources.id', 'orders.resource_id')
    .selectAll('orders')
    .select([
      'jobs.title as job_title',
      'jobs.process as job_process',
      'jobs.material as job_material',
      'jobs.delivery_town',
      'jobs.delivery_address',
      'buyer.name as buyer_name',
      'workshop.name as workshop_name',
      'workshop.town as workshop_town',
      'resources.name as resource_name',
      'quotes.lines',
      'quotes.breakdown',
      'quotes.comment as quote_comment',
    ])
    .where('orders.id', '=', orderId)
    .executeTakeFirst()
  if (!order) return undefined
  const role: OrderRole | undefined =
    viewer.organization.id === order.buyer_organization_id
      ? 'buyer'
      : viewer.organization.id === order.workshop_organization_id
        ? 'workshop'
        : viewer.organization.kind === 'platform'
          ? 'operator'
          : undefined
  if (!role) return undefined
  const [parts, events] = await Promise.all([
    db
      .selectFrom('job_parts')
      .innerJoin('job_files', 'job_files.id', 'job_parts.file_id')
      .select([
        'job_files.id',
        'job_files.original_name',
        'job_files.format',
        'job_files.thumbnail_key',
        'job_parts.quantity',
      ])
      .where('job_parts.job_id', '=', order.job_id)
      .orderBy('job_parts.position')
      .execute(),
    db
      .selectFrom('order_events')
      .leftJoin('users', 'users.id', 'order_events.actor_user_id')
      .select([
        'order_events.id',
        'order_events.from_status',
        'order_events.to_status',
        'order_events.payload',
        'order_events.created_at',
        'order_events.actor_user_id',
        'users.name as actor_name',
      ])
      .where('order_events.order_id', '=', orderId)
      .orderBy('order_events.id')
      .execute(),
  ])
  return { order, role, parts, events }
}

/** The orders of the viewer's organisation (as buyer or workshop; operators: all), newest first. */
export function listOrders(
  db: Db,
  viewer: AccountView,
  options: { limit?: number; role?: 'buyer' | 'workshop'; status?: OrderStatus } = {},
) {
  let query = db
    .selectFrom('orders')
    .innerJoin('jobs', 'jobs.id', 'orders.job_id')
    .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
    .innerJoin('organizations as workshop', 'workshop.id', 'orders.workshop_organization_id')
    .select([
      'orders.id',
      'orders.number',
      'orders.status',
      'orders.total_fen',
      'orders.version',
      'orders.created_at',
      'orders.deadline',
      'jobs.id as job_id',
      'jobs.title as job_title',
      'buyer.name as buyer_name',
      'workshop.name as workshop_name',
      'orders.needs_sample',
      'orders.sample_round',
      'orders.max_sample_rounds',
      'orders.quantity',
      'orders.subtotal_fen',
      'orders.platform_fee_fen',
      'orders.voucher_fen',
      'orders.refunded_fen',
      'orders.buyer_organization_id',
      'orders.workshop_organization_id',
      'orders.inspector_user_id',
      'orders.cancel_requested_by',
    ])
  const org = viewer.organization
  if (org.kind === 'design_firm') query = query.where('orders.buyer_organization_id', '=', org.id)
  else if (org.kind === 'workshop') {
    query = query.where('orders.workshop_organization_id', '=', org.id)
  }
  // The caller's side of the order (an operator is neither: no orders).
  if (options.role === 'buyer') query = query.where('orders.buyer_organization_id', '=', org.id)
  if (options.role === 'workshop') {
    query = query.where('orders.workshop_organization_id', '=', org.id)
  }
  if (options.status) query = query.where('orders.status', '=', options.status)
  return query
    .orderBy('orders.created_at', 'desc')
    .limit(options.limit ?? 100)
    .execute()
}

/** An order by id for the API's `order` bodies (throws 404 when the viewer may not see it). */
export async function requireOrderForViewer(db: Db | Tx, orderId: string, viewer: AccountView) {
  const viewed = await getOrderForViewer(db, orderId, viewer)
  if (!viewed) throw new NotFoundError('No such order')
  return viewed
}

/**
 * What happened on an order besides its events: payments, shipments, sample reviews,
 * inspections and disputes with their evidence (the order page and the API).
 */
export async function orderRecord(db: Db | Tx, orderId: string) {
  const [payments, shipments, sampleReviews, inspections, disputes, evidence] = await Promise.all([
    db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('shipments')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('sample_reviews')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('round')
      .execute(),
    db
      .selectFrom('inspections')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('disputes')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('dispute_evidence')
      .innerJoin('disputes', 'disputes.id', 'dispute_evidence.dispute_id')
      .innerJoin('organizations', 'organizations.id', 'dispute_evidence.organization_id')
      .selectAll('dispute_evidence')
      .select('organizations.name as organization_name')
      .where('disputes.order_id', '=', orderId)
      .orderBy('dispute_evidence.created_at')
      .execute(),
  ])
  return { payments, shipments, sampleReviews, inspections, disputes, evidence }
}

/** Platform staff an operator can assign as an order's inspector. */
export function platformStaff(db: Db | Tx) {
  return db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name', 'users.email'])
    .where('organizations.kind', '=', 'platform')
    .orderBy('users.name')
    .execute()
}
