import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { OrderStatus } from '../../db/schema.ts'
import { DomainError } from './errors.ts'
import type { OrderAction } from './order-lifecycle.ts'
import { transitionOrder } from './order-transition.server.ts'
import { emailOrderUpdate } from './order.server.ts'
import { ownersOf } from './organization.server.ts'

// The lifecycle's clock (issue 7): a shipped order the designer stays silent about is
// delivered after DELIVERY_WINDOW_DAYS, a delivered one accepted after INSPECTION_WINDOW_DAYS,
// each with one reminder before. Every order moves in its own transaction through
// transitionOrder, as a person's action would, so the table, the event and the emails are the
// same; a cron task (orders__schedule) runs this every 15 minutes, and running it twice, or in
// two workers at once, changes nothing more than running it once.

export const DELIVERY_WINDOW_DAYS = 7
/** The delivery reminder goes this many days before the automatic confirmation. */
export const DELIVERY_REMINDER_DAYS_BEFORE = 2
export const INSPECTION_WINDOW_DAYS = 7
/** The inspection reminder goes on this day after delivery. */
export const INSPECTION_REMINDER_DAY = 5

const DAY_MS = 86_400_000
/** Orders handled per kind and run; the next run takes the rest. */
const BATCH = 200

const inspectionStatuses: OrderStatus[] = ['delivered', 'inspecting']

type Clock = 'shipped_at' | 'delivered_at'

interface Rule {
  statuses: OrderStatus[]
  clock: Clock
}
const delivery: Rule = { statuses: ['shipped'], clock: 'shipped_at' }
const inspection: Rule = { statuses: inspectionStatuses, clock: 'delivered_at' }

/** When an order that is shipped / delivered moves on by itself (null: it does not). */
export function automaticDeadline(order: {
  status: OrderStatus
  shipped_at: Date | null
  delivered_at: Date | null
}): { action: 'auto_confirm_delivery' | 'auto_accept'; at: Date } | null {
  if (order.status === 'shipped' && order.shipped_at) {
    const at = new Date(order.shipped_at.getTime() + DELIVERY_WINDOW_DAYS * DAY_MS)
    return { action: 'auto_confirm_delivery', at }
  }
  if (inspectionStatuses.includes(order.status) && order.delivered_at) {
    const at = new Date(order.delivered_at.getTime() + INSPECTION_WINDOW_DAYS * DAY_MS)
    return { action: 'auto_accept', at }
  }
  return null
}

export interface ScheduleResult {
  autoConfirmed: string[]
  autoAccepted: string[]
  reminded: { orderId: string; key: 'delivery' | 'inspection' }[]
  /** Orders that could not be handled this run (they are tried again next run). */
  failed: { orderId: string; error: unknown }[]
}

/** Fires the due automatic transitions and reminders (see the module comment). */
export async function runOrderSchedule(
  db: Db,
  options: { publicUrl: string; now?: Date },
): Promise<ScheduleResult> {
  const now = options.now ?? new Date()
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS)
  const result: ScheduleResult = { autoConfirmed: [], autoAccepted: [], reminded: [], failed: [] }
  const each = async (ids: string[], run: (tx: Tx, id: string) => Promise<boolean>) => {
    const done: string[] = []
    for (const id of ids) {
      try {
        if (await db.transaction().execute((tx) => run(tx, id))) done.push(id)
      } catch (error) {
        result.failed.push({ orderId: id, error })
      }
    }
    return done
  }

  // Due transitions before reminders: an order that moves on needs no reminder any more.
  const deliveryCutoff = before(DELIVERY_WINDOW_DAYS)
  result.autoConfirmed = await each(await dueIds(db, delivery, deliveryCutoff), (tx, id) =>
    fire(tx, id, delivery, deliveryCutoff, 'auto_confirm_delivery', 'delivery_window', options),
  )
  const inspectionCutoff = before(INSPECTION_WINDOW_DAYS)
  result.autoAccepted = await each(await dueIds(db, inspection, inspectionCutoff), (tx, id) =>
    fire(tx, id, inspection, inspectionCutoff, 'auto_accept', 'inspection_window', options),
  )

  const remindDelivery = before(DELIVERY_WINDOW_DAYS - DELIVERY_REMINDER_DAYS_BEFORE)
  const deliveryReminded = await each(
    await dueIds(db, delivery, remindDelivery, 'delivery'),
    (tx, id) =>
      remind(tx, id, delivery, remindDelivery, 'delivery', DELIVERY_WINDOW_DAYS, now, options),
  )
  const remindInspection = before(INSPECTION_REMINDER_DAY)
  const inspectionReminded = await each(
    await dueIds(db, inspection, remindInspection, 'inspection'),
    (tx, id) =>
      remind(tx, id, inspection, remindInspection, 'inspection', INSPECTION_WINDOW_DAYS, now, {
        publicUrl: options.publicUrl,
      }),
  )
  result.reminded = [
    ...deliveryReminded.map((orderId) => ({ orderId, key: 'delivery' as const })),
    ...inspectionReminded.map((orderId) => ({ orderId, key: 'inspection' as const })),
  ]
  return result
}

/** Orders in the rule's statuses whose clock passed `cutoff` (without reminder `key`, if given). */
async function dueIds(db: Db, rule: Rule, cutoff: Date, key?: string) {
  let query = db
    .selectFrom('orders')
    .select('id')
    .where('status', 'in', rule.statuses)
    .where(rule.clock, '<=', cutoff)
  if (key) query = query.where(sql<boolean>`reminders ->> ${key} is null`)
  const rows = await query.orderBy(rule.clock).limit(BATCH).execute()
  return rows.map((r) => r.id)
}

/**
 * Locks the order and checks again that it is still due (a person may have acted since it
 * was listed); undefined when it no longer is.
 */
function lockDue(tx: Tx, id: string, rule: Rule, cutoff: Date, key?: string) {
  let query = tx
    .selectFrom('orders')
    .select(['id', 'number', 'job_id', 'buyer_organization_id', 'inspector_user_id', 'status'])
    .select(rule.clock)
    .where('id', '=', id)
    .where('status', 'in', rule.statuses)
    .where(rule.clock, '<=', cutoff)
  if (key) query = query.where(sql<boolean>`reminders ->> ${key} is null`)
  return query.forUpdate().executeTakeFirst()
}

async function fire(
  tx: Tx,
  id: string,
  rule: Rule,
  cutoff: Date,
  action: Extract<OrderAction, 'auto_confirm_delivery' | 'auto_accept'>,
  reason: string,
  options: { publicUrl: string },
) {
  if (!(await lockDue(tx, id, rule, cutoff))) return false
  try {
    await transitionOrder(tx, { kind: 'system', reason }, id, { action }, options)
  } catch (error) {
    // Moved on in the meantime (the table refuses it now): nothing to do.
    if (error instanceof DomainError && error.code === 'illegal_transition') return false
    throw error
  }
  return true
}

/** One reminder per key and order, to the people who must act: the buyer (and inspector). */
async function remind(
  tx: Tx,
  id: string,
  rule: Rule,
  cutoff: Date,
  key: 'delivery' | 'inspection',
  windowDays: number,
  now: Date,
  options: { publicUrl: string },
) {
  const order = await lockDue(tx, id, rule, cutoff, key)
  if (!order) return false
  const started = order[rule.clock]!
  const days = Math.max(
    1,
    Math.ceil((started.getTime() + windowDays * DAY_MS - now.getTime()) / DAY_MS),
  )
  await tx
    .updateTable('orders')
    .set({
      reminders: sql`reminders || jsonb_build_object(${key}::text, ${now.toISOString()}::text)`,
    })
    .where('id', '=', id)
    .execute()
  const job = await tx
    .selectFrom('jobs')
    .select('title')
    .where('id', '=', order.job_id)
    .executeTakeFirstOrThrow()
  const people = await ownersOf(tx, [order.buyer_organization_id])
  if (key === 'inspection' && order.inspector_user_id) {
    const inspector = await tx
      .selectFrom('users')
      .select(['email', 'name', 'locale'])
      .where('id', '=', order.inspector_user_id)
      .executeTakeFirst()
    if (inspector) people.push({ ...inspector, organization_id: '' })
  }
  await emailOrderUpdate(tx, people, order, {
    job: job.title,
    action: `reminder_${key}`,
    publicUrl: options.publicUrl,
    days,
  })
  return true
}
