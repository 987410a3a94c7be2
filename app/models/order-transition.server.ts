import { sql, type UpdateObject } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { Database, Measurement, OrderStatus } from '../../db/schema.ts'
import { samplingPlan, verdict, type InspectionLevel } from './aql.ts'
import {
  heldFor,
  receivePayment,
  refundFromEscrow,
  releaseMilestone,
  reverseRedemption,
} from './escrow.server.ts'
import {
  BadQueryError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StateConflictError,
} from './errors.ts'
import {
  allowedActions,
  canLeadTo,
  payloadSchemas,
  step,
  transitions,
  type OrderAction,
  type OrderActor,
  type OrderFacts,
} from './order-lifecycle.ts'
import { emailOrderUpdate, recordOrderEvent } from './order.server.ts'
import { ownersOf } from './organization.server.ts'
import { syncResource } from './resource.server.ts'
import type { AccountView } from './user.server.ts'

// Runs the lifecycle's actions (order-lifecycle.ts): one transaction locks the order, checks
// the version the caller saw, asks the table whether this actor may take this action now,
// applies the action's effects (payments, shipments, sample reviews, inspections, disputes,
// bookings, workshop statistics), bumps the version, appends the order event and queues the
// emails — so a change and its follow-ups commit together or not at all. People and the
// scheduled tasks (auto-confirm, auto-accept) go through `transitionOrder` alike.

export type OrderRow = NonNullable<Awaited<ReturnType<typeof lockOrder>>>

function lockOrder(tx: Tx, orderId: string) {
  return tx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst()
}

/** The roles `viewer` has on an order (an operator may also be its assigned inspector). */
export function rolesOn(
  order: {
    buyer_organization_id: string
    workshop_organization_id: string
    inspector_user_id: string | null
  },
  viewer: AccountView,
): OrderActor[] {
  const roles: OrderActor[] = []
  if (viewer.organization.id === order.buyer_organization_id) roles.push('buyer')
  if (viewer.organization.id === order.workshop_organization_id) roles.push('workshop')
  if (viewer.organization.kind === 'platform') roles.push('operator')
  if (order.inspector_user_id === viewer.user.id) roles.push('inspector')
  return roles
}

async function shippedQuantity(db: Db | Tx, order: { id: string; batch_round: number }) {
  const row = await db
    .selectFrom('shipments')
    .select(sql<number>`coalesce(sum(quantity), 0)::int`.as('n'))
    .where('order_id', '=', order.id)
    .where('kind', '=', 'batch')
    .where('round', '=', order.batch_round)
    .executeTakeFirstOrThrow()
  return row.n
}

export async function orderFacts(db: Db | Tx, order: OrderRow): Promise<OrderFacts> {
  return {
    status: order.status,
    needs_sample: order.needs_sample,
    sample_round: order.sample_round,
    max_sample_rounds: order.max_sample_rounds,
    quantity: order.quantity,
    shipped_quantity: await shippedQuantity(db, order),
    cancel_requested_by: order.cancel_requested_by,
    total_fen: order.total_fen,
    held_fen: order.paid_at ? await heldFor(db, order.id) : 0,
  }
}

/** The actions the viewer may take on the order now, with where each can lead. */
export async function actionsFor(db: Db | Tx, order: OrderRow, viewer: AccountView) {
  const facts = await orderFacts(db, order)
  return { facts, actions: actionsOf(facts, rolesOn(order, viewer)) }
}

/** The actions any of `roles` may take on an order with these facts, with their targets. */
export function actionsOf(facts: OrderFacts, roles: OrderActor[]) {
  const seen = new Set(roles.flatMap((role) => allowedActions(facts, role)))
  return [...seen].map((action) => ({ action, targets: [...transitions[action].targets] }))
}

export interface TransitionRequest {
  action?: OrderAction
  to?: OrderStatus
  /** The version the caller saw; required of people, not of scheduled tasks. */
  version?: number
  payload?: Record<string, unknown>
}

export type Actor = { kind: 'person'; account: AccountView } | { kind: 'system'; reason: string }

/**
 * Takes one action on an order (see the module comment). Errors: 404 not a party; 409
 * `stale_version` (someone changed it first) or `illegal_transition` (not from this status);
 * 403 a party that may not take it; 400 a payload the action refuses; 409/422 a guard's code.
 */
export async function transitionOrder(
  tx: Tx,
  actor: Actor,
  orderId: string,
  request: TransitionRequest,
  options: { publicUrl: string },
) {
  const order = await lockOrder(tx, orderId)
  if (!order) throw new NotFoundError('No such order')
  const roles: OrderActor[] = actor.kind === 'system' ? ['system'] : rolesOn(order, actor.account)
  if (!roles.length) throw new NotFoundError('No such order')
  if (actor.kind === 'person') {
    if (request.version === undefined) {
      throw new BadQueryError('Send the version of the order you saw (`version`)')
    }
    if (request.version !== order.version) {
      throw new StateConflictError('stale_version', 'The order changed since you loaded it', {
        details: { version: order.version, status: order.status },
      })
    }
  }
  const facts = await orderFacts(tx, order)

  // Which action: named, or the one that leads to `to` for one of the actor's roles.
  let action = request.action
  if (!action && request.to) action = actionLeadingTo(facts, roles, request.to)
  if (!action) {
    throw new StateConflictError(
      'illegal_transition',
      `No action leads from ${order.status} there`,
      {
        details: { status: order.status, to: request.to ?? null },
      },
    )
  }
  // Status and party first: a move from the wrong status is 409 and someone else's move 403
  // whatever its payload; the payload and the guards only matter for a move that could be made.
  if (!transitions[action].from.includes(order.status)) {
    throw new StateConflictError(
      'illegal_transition',
      `Cannot ${action} an order that is ${order.status}`,
      { details: { status: order.status, action } },
    )
  }
  if (!roles.some((r) => transitions[action!].by.includes(r))) {
    throw new ForbiddenError(`Not yours to ${action}`)
  }
  const parsed = payloadSchemas[action].safeParse(request.payload ?? {})
  if (!parsed.success) throw parsed.error
  const payload: Record<string, unknown> = { ...parsed.data }

  await checkAttachments(tx, order.id, payload)
  if (action === 'record_inspection') Object.assign(payload, inspectionOf(order, payload))

  // The first of the actor's roles the table lets through.
  let outcome = step(facts, roles[0]!, action, payload)
  let role = roles[0]!
  for (const r of roles.slice(1)) {
    if (outcome.ok) break
    const next = step(facts, r, action, payload)
    if (next.ok || outcome.code === 'forbidden') {
      outcome = next
      role = r
    }
  }
  if (!outcome.ok) {
    if (outcome.code === 'illegal_transition') {
      throw new StateConflictError(
        'illegal_transition',
        `Cannot ${action} an order that is ${order.status}`,
        {
          details: { status: order.status, action },
        },
      )
    }
    if (outcome.code === 'forbidden') throw new ForbiddenError(`Not yours to ${action}`)
    throw new StateConflictError(outcome.code, `Refused: ${outcome.code}`, {
      details: { status: order.status },
    })
  }
  const to = outcome.to
  const account = actor.kind === 'person' ? actor.account : null
  const changes = await applyEffects(tx, order, action, payload, to, role, account)

  const updated = await tx
    .updateTable('orders')
    .set({
      ...changes,
      status: to,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', order.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (to === 'completed') {
    await releaseMilestone(tx, updated, 'final')
    await refreshWorkshopRecord(tx, order.workshop_organization_id)
  }
  await recordOrderEvent(tx, order.id, account, order.status, to, {
    action,
    ...(actor.kind === 'system' ? { automatic: true, reason: actor.reason } : {}),
    ...eventPayload(payload),
  })
  await notify(tx, updated, action, to, account, options.publicUrl)
  return updated
}

/**
 * The one action of the actor's roles that leads to `to`. None of theirs but someone else's
 * (the workshop "approving" its own sample): 403. Several (a partial shipment and a
 * cancellation request both stay in production): 409, name the action.
 */
function actionLeadingTo(facts: OrderFacts, roles: OrderActor[], to: OrderStatus) {
  const leadingTo = (role: OrderActor) =>
    allowedActions(facts, role).filter((a) => canLeadTo(a, facts.status, to))
  const mine = [...new Set(roles.flatMap(leadingTo))]
  if (mine.length > 1) {
    throw new StateConflictError('illegal_transition', `Several actions lead to ${to}: name one`, {
      details: { status: facts.status, to, actions: mine },
    })
  }
  if (!mine.length && people.some((role) => leadingTo(role).length)) {
    throw new ForbiddenError(`Not yours to move this order to ${to}`)
  }
  return mine[0]
}

const people: readonly OrderActor[] = ['buyer', 'workshop', 'operator', 'inspector']

/** What the event keeps of a payload (attachments by id; long text as is). */
function eventPayload(payload: Record<string, unknown>) {
  const { measurements, ...rest } = payload
  return measurements ? { ...rest, measurements: (measurements as unknown[]).length } : rest
}

async function checkAttachments(tx: Tx, orderId: string, payload: Record<string, unknown>) {
  const ids = (payload.attachment_ids as string[] | undefined) ?? []
  if (!ids.length) return
  const found = await tx
    .selectFrom('files')
    .select('id')
    .where('id', 'in', ids)
    .where('order_id', '=', orderId)
    .execute()
  if (found.length !== new Set(ids).size) {
    throw new RuleViolationError('invalid_attachment', 'Attach files uploaded to this order', {
      field: 'attachment_ids',
    })
  }
}

/** The sampling plan, pass/fail per measurement and the verdict of an inspection payload. */
function inspectionOf(order: OrderRow, payload: Record<string, unknown>) {
  const aql = (payload.aql as number | undefined) ?? order.aql
  // The form's level, else the order's (general level II unless agreed otherwise).
  const level =
    (payload.level as InspectionLevel | undefined) ?? (order.inspection_level as InspectionLevel)
  const lot = Math.max(2, order.quantity)
  const plan = samplingPlan(lot, aql, level)
  const measurements: Measurement[] = (payload.measurements as Omit<Measurement, 'pass'>[]).map(
    (m) => ({
      ...m,
      pass: m.measured.every((v) => v >= m.nominal - m.tol_minus && v <= m.nominal + m.tol_plus),
    }),
  )
  const defects = payload.defects_found as number
  // A value out of tolerance is a defective part: at least as many defects as the worst feature.
  const failing = Math.max(
    0,
    ...measurements.map(
      (m) =>
        m.measured.filter((v) => v < m.nominal - m.tol_minus || v > m.nominal + m.tol_plus).length,
    ),
  )
  if (defects < failing) {
    throw new RuleViolationError(
      'defects_below_measurements',
      `The measurements show at least ${failing} defective parts`,
      { field: 'defects_found', details: { at_least: failing } },
    )
  }
  if (defects > plan.sampleSize) {
    throw new RuleViolationError('defects_above_sample', 'More defects than parts inspected', {
      field: 'defects_found',
      details: { sample_size: plan.sampleSize },
    })
  }
  return { aql, level, plan, measurements, result: verdict(plan, defects) }
}

type OrderChanges = Partial<{
  paid_at: ReturnType<typeof sql<Date>>
  sample_round: number
  batch_round: number
  shipped_at: ReturnType<typeof sql<Date>> | null
  delivered_at: ReturnType<typeof sql<Date>> | null
  completed_at: ReturnType<typeof sql<Date>>
  cancelled_at: ReturnType<typeof sql<Date>>
  cancel_requested_by: 'buyer' | 'workshop' | null
  inspector_user_id: string
  refunded_fen: number
  reminders: Record<string, string>
}>

const now = () => sql<Date>`now()`

/**
 * Sets `values` on the order's reported bank transfer, or records the transfer with them when
 * none was reported (an operator may confirm money that arrived unannounced).
 */
async function writeReportedTransfer(
  tx: Tx,
  order: OrderRow,
  values: Omit<UpdateObject<Database, 'payments'>, 'id' | 'order_id' | 'provider' | 'amount_fen'>,
) {
  const updated = await tx
    .updateTable('payments')
    .set(values)
    .where('order_id', '=', order.id)
    .where('provider', '=', 'bank_transfer')
    .where('status', '=', 'reported')
    .executeTakeFirst()
  if (updated.numUpdatedRows) {
    return await tx
      .selectFrom('payments')
      .select('id')
      .where('order_id', '=', order.id)
      .where('provider', '=', 'bank_transfer')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
  }
  return tx
    .insertInto('payments')
    .values({
      order_id: order.id,
      provider: 'bank_transfer',
      amount_fen: order.total_fen,
      status: 'reported',
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

async function applyEffects(
  tx: Tx,
  order: OrderRow,
  action: OrderAction,
  payload: Record<string, unknown>,
  to: OrderStatus,
  role: OrderActor,
  account: AccountView | null,
): Promise<OrderChanges> {
  const userId = account?.user.id ?? null
  const changes: OrderChanges = {}
  switch (action) {
    case 'report_transfer': {
      await writeReportedTransfer(tx, order, {
        payer_name: payload.payer_name as string,
        transferred_on: payload.transferred_on as string,
        note: payload.note as string,
        reported_by: userId,
        reported_at: now(),
      })
      break
    }
    case 'confirm_payment': {
      const payment = await writeReportedTransfer(tx, order, {
        status: 'confirmed',
        bank_reference: payload.bank_reference as string,
        confirmed_by: userId,
        confirmed_at: now(),
      })
      await receivePayment(tx, order, payment.id)
      changes.paid_at = now()
      if (to === 'sampling') changes.sample_round = 1
      break
    }
    case 'confirm_card_payment': {
      const payment = await tx
        .selectFrom('payments')
        .select('id')
        .where('id', '=', payload.payment_id as string)
        .where('order_id', '=', order.id)
        .where('provider', '=', 'stripe')
        .where('status', '=', 'confirmed')
        .executeTakeFirst()
      if (!payment) {
        throw new StateConflictError('payment_not_confirmed', 'No confirmed card payment')
      }
      await receivePayment(tx, order, payment.id)
      changes.paid_at = now()
      if (to === 'sampling') changes.sample_round = 1
      break
    }
    case 'cancel':
    case 'request_cancellation': {
      if (to === 'cancelled') {
        changes.cancelled_at = now()
        changes.cancel_requested_by = null
        await releaseCapacity(tx, order)
        // Paid: the escrow goes back (the buyer's part and the voucher's); unpaid: the
        // voucher goes back to its programme.
        if (order.paid_at) {
          const refunded = await refundFromEscrow(tx, order, 'all', 'cancelled', userId)
          changes.refunded_fen = order.refunded_fen + refunded
        } else {
          await reverseRedemption(tx, order.id, 'all')
        }
      } else {
        changes.cancel_requested_by = role as 'buyer' | 'workshop'
      }
      break
    }
    case 'ship_sample':
    case 'ship_batch': {
      await tx
        .insertInto('shipments')
        .values({
          order_id: order.id,
          kind: action === 'ship_sample' ? 'sample' : 'batch',
          round: action === 'ship_sample' ? order.sample_round : order.batch_round,
          quantity: payload.quantity as number,
          carrier: payload.carrier as string,
          tracking_number: payload.tracking_number as string,
          note: payload.note as string,
          attachment_ids: payload.attachment_ids as string[],
          shipped_by: userId,
        })
        .execute()
      if (to === 'shipped') changes.shipped_at = now()
      break
    }
    case 'approve_sample':
    case 'reject_sample': {
      await tx
        .insertInto('sample_reviews')
        .values({
          order_id: order.id,
          round: order.sample_round,
          decision: action === 'approve_sample' ? 'approved' : 'rejected',
          feedback: payload.feedback as string,
          attachment_ids: (payload.attachment_ids as string[] | undefined) ?? [],
          reviewed_by: userId,
        })
        .execute()
      if (to === 'sampling') changes.sample_round = order.sample_round + 1
      if (to === 'disputed') await openDispute(tx, order, 'sample_rounds_exhausted', userId)
      // The sample milestone: the sample price goes to the workshop once it is approved.
      if (action === 'approve_sample') await releaseMilestone(tx, order, 'sample')
      break
    }
    case 'confirm_delivery':
    case 'auto_confirm_delivery':
      changes.delivered_at = now()
      break
    case 'record_inspection': {
      const { plan, measurements, result, aql } = payload as {
        plan: ReturnType<typeof samplingPlan>
        measurements: Measurement[]
        result: 'accept' | 'reject'
        aql: number
      }
      await tx
        .insertInto('inspections')
        .values({
          order_id: order.id,
          inspector_user_id: userId,
          lot_size: order.quantity,
          aql,
          level: payload.level as string,
          code_letter: plan.codeLetter,
          sample_size: plan.sampleSize,
          accept_number: plan.accept,
          reject_number: plan.reject,
          defects_found: payload.defects_found as number,
          measurements,
          result,
          notes: payload.notes as string,
          attachment_ids: payload.attachment_ids as string[],
        })
        .execute()
      if (to === 'disputed') await openDispute(tx, order, 'inspection_rejected', userId)
      break
    }
    case 'assign_inspector': {
      const inspector = await tx
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
        .select('memberships.user_id')
        .where('memberships.user_id', '=', payload.user_id as string)
        .where('organizations.kind', '=', 'platform')
        .executeTakeFirst()
      if (!inspector) {
        throw new RuleViolationError('inspector_not_staff', 'Inspectors are platform staff', {
          field: 'user_id',
        })
      }
      changes.inspector_user_id = inspector.user_id
      break
    }
    case 'add_evidence': {
      const dispute = await openDisputeOf(tx, order.id)
      await tx
        .insertInto('dispute_evidence')
        .values({
          dispute_id: dispute.id,
          organization_id: account!.organization.id,
          author_user_id: userId,
          note: payload.note as string,
          attachment_ids: payload.attachment_ids as string[],
        })
        .execute()
      break
    }
    case 'resolve_dispute': {
      const dispute = await openDisputeOf(tx, order.id)
      const resolution = payload.resolution as 'rework' | 'partial_refund' | 'full_refund'
      // A full refund gives back all the escrow holds (an approved sample stays paid).
      const refund =
        resolution === 'rework'
          ? 0
          : await refundFromEscrow(
              tx,
              order,
              resolution === 'full_refund' ? 'all' : (payload.refund_fen as number),
              resolution,
              userId,
            )
      await tx
        .updateTable('disputes')
        .set({
          status: 'resolved',
          resolution,
          refund_fen: refund,
          note: payload.note as string,
          resolved_by: userId,
          resolved_at: now(),
        })
        .where('id', '=', dispute.id)
        .execute()
      payload.refund_fen = refund
      if (resolution === 'rework') {
        changes.batch_round = order.batch_round + 1
        changes.shipped_at = null
        changes.delivered_at = null
        // The new round's delivery and inspection windows get their reminders again.
        changes.reminders = {}
      } else {
        changes.refunded_fen = order.refunded_fen + refund
      }
      if (resolution === 'full_refund') await releaseCapacity(tx, order)
      break
    }
    case 'start_inspection':
    case 'auto_accept':
      break
  }
  if (to === 'completed') changes.completed_at = now()
  return changes
}

async function openDispute(
  tx: Tx,
  order: OrderRow,
  reason: 'inspection_rejected' | 'sample_rounds_exhausted',
  userId: string | null,
) {
  await tx
    .insertInto('disputes')
    .values({ order_id: order.id, reason, status: 'open', opened_by: userId })
    .execute()
}

async function openDisputeOf(tx: Tx, orderId: string) {
  const dispute = await tx
    .selectFrom('disputes')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', '=', 'open')
    .executeTakeFirst()
  if (!dispute) throw new StateConflictError('no_open_dispute', 'This order has no open dispute')
  return dispute
}

/** A cancelled or refunded order gives its machine hours back. */
async function releaseCapacity(tx: Tx, order: OrderRow) {
  const released = await tx
    .deleteFrom('capacity_bookings')
    .where('order_id', '=', order.id)
    .returning('resource_id')
    .execute()
  for (const resourceId of new Set(released.map((r) => r.resource_id))) {
    await syncResource(tx, resourceId)
  }
}

/**
 * A workshop's record from its completed orders: how many, and the share shipped by the
 * deadline (the last batch shipment's Shanghai day ≤ the order's deadline). Matching reads it.
 */
export async function refreshWorkshopRecord(tx: Tx | Db, workshopId: string) {
  await sql`update organizations set
      completed_orders = s.completed,
      on_time_rate = case when s.completed > 0 then s.on_time::float8 / s.completed end
    from (
      select count(*)::int as completed,
        (count(*) filter (where (shipped_at at time zone 'Asia/Shanghai')::date <= deadline))::int
          as on_time
      from orders
      where workshop_organization_id = ${workshopId} and status = 'completed'
        and shipped_at is not null
    ) s
    where organizations.id = ${workshopId}`.execute(tx)
}

/** Emails the party (or operators) who must act next, in their language, in this transaction. */
async function notify(
  tx: Tx,
  order: OrderRow,
  action: OrderAction,
  to: OrderStatus,
  actor: AccountView | null,
  publicUrl: string,
) {
  const targets = transitions[action].notify
  const orgIds: string[] = []
  for (const target of targets) {
    if (target === 'buyer') orgIds.push(order.buyer_organization_id)
    if (target === 'workshop') orgIds.push(order.workshop_organization_id)
  }
  // Nobody is told about what they just did themselves.
  const recipients = await ownersOf(
    tx,
    [...new Set(orgIds)].filter((id) => id !== actor?.organization.id),
  )
  // Operators are members, not owners, of the platform: every one of them is told.
  if (targets.includes('operators') && actor?.organization.kind !== 'platform') {
    recipients.push(
      ...(await tx
        .selectFrom('memberships')
        .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .select(['users.email', 'users.name', 'users.locale', 'memberships.organization_id'])
        .where('organizations.kind', '=', 'platform')
        .execute()),
    )
  }
  // The assigned inspector inspects once the goods arrive.
  if (
    targets.includes('inspector') &&
    order.inspector_user_id &&
    order.inspector_user_id !== actor?.user.id
  ) {
    const inspector = await tx
      .selectFrom('users')
      .select(['email', 'name', 'locale'])
      .where('id', '=', order.inspector_user_id)
      .executeTakeFirst()
    if (inspector) recipients.push({ ...inspector, organization_id: '' })
  }
  if (!recipients.length) return
  const job = await tx
    .selectFrom('jobs')
    .select('title')
    .where('id', '=', order.job_id)
    .executeTakeFirstOrThrow()
  await emailOrderUpdate(
    tx,
    recipients,
    { ...order, status: to },
    { job: job.title, action, publicUrl },
  )
}
