import { z } from 'zod'
import type { OrderStatus } from '../../db/schema.ts'
import { aqlValues, inspectionLevels } from './aql.ts'

// The order lifecycle as data (DESIGN §5, issue 7): every action names the states it leaves,
// the parties allowed to take it, the payload it needs and where it leads. This module is
// pure and client-safe: the order page shows the actions `allowedActions` returns, the API
// lists them as `allowed_transitions`, and order-transition.server.ts runs them (locks, the
// version check, the event row, side effects and emails) — the same for people and for the
// scheduled transitions (auto-confirmed delivery, auto-accepted inspection).

export const orderStatuses = [
  'awaiting_payment',
  'cancelled',
  'sampling',
  'sample_shipped',
  'in_production',
  'shipped',
  'delivered',
  'inspecting',
  'disputed',
  'completed',
  'refunded',
] as const satisfies readonly OrderStatus[]

/** Rows of the order page's measurement table (the API takes up to 100). */
export const MEASUREMENT_ROWS = 8

export const terminalStatuses: readonly OrderStatus[] = ['cancelled', 'completed', 'refunded']

/** Who is acting: the order's two parties, an operator, the assigned inspector, the clock. */
export type OrderActor = 'buyer' | 'workshop' | 'operator' | 'inspector' | 'system'

/** What an action's target may depend on. */
export interface OrderFacts {
  status: OrderStatus
  needs_sample: boolean
  sample_round: number
  max_sample_rounds: number
  quantity: number
  /** Parts shipped in the current batch round. */
  shipped_quantity: number
  cancel_requested_by: 'buyer' | 'workshop' | null
  total_fen: number
  /** What the escrow holds for the order now (contract money: the buyer's and the voucher's). */
  held_fen: number
}

const text = (max: number) => z.string().trim().max(max)
const required = (max: number) => z.string().trim().min(1).max(max)
const attachments = z.array(z.uuid()).max(20).default([])

export const MeasurementSchema = z
  .object({
    feature: required(120),
    nominal: z.number().finite(),
    tol_minus: z.number().finite().min(0),
    tol_plus: z.number().finite().min(0),
    measured: z.array(z.number().finite()).min(1).max(2000),
  })
  .strict()

/** Payloads per action (API snake_case; the order page's forms are parsed into these). */
export const payloadSchemas = {
  report_transfer: z
    .object({
      payer_name: required(120),
      transferred_on: z.iso.date(),
      note: text(500).default(''),
    })
    .strict(),
  confirm_payment: z
    .object({ bank_reference: required(120), amount_fen: z.number().int().positive() })
    .strict(),
  confirm_card_payment: z.object({ payment_id: z.uuid() }).strict(),
  cancel: z.object({ reason: required(500) }).strict(),
  request_cancellation: z.object({ reason: required(500) }).strict(),
  ship_sample: z
    .object({
      carrier: required(60),
      tracking_number: required(60),
      quantity: z.number().int().min(1).max(1000).default(1),
      note: text(1000).default(''),
      attachment_ids: attachments,
    })
    .strict(),
  approve_sample: z.object({ feedback: text(2000).default('') }).strict(),
  reject_sample: z.object({ feedback: required(2000), attachment_ids: attachments }).strict(),
  ship_batch: z
    .object({
      carrier: required(60),
      tracking_number: required(60),
      quantity: z.number().int().min(1).max(10_000_000),
      note: text(1000).default(''),
      attachment_ids: attachments,
    })
    .strict(),
  confirm_delivery: z.object({}).strict(),
  auto_confirm_delivery: z.object({}).strict(),
  start_inspection: z.object({}).strict(),
  record_inspection: z
    .object({
      aql: z
        .number()
        .refine((v) => (aqlValues as readonly number[]).includes(v), 'Not an AQL of the standard')
        .optional(),
      level: z.enum(inspectionLevels).optional(),
      defects_found: z.number().int().min(0).max(10_000_000),
      measurements: z.array(MeasurementSchema).max(100).default([]),
      notes: text(5000).default(''),
      attachment_ids: attachments,
    })
    .strict(),
  auto_accept: z.object({}).strict(),
  assign_inspector: z.object({ user_id: z.uuid() }).strict(),
  add_evidence: z.object({ note: required(5000), attachment_ids: attachments }).strict(),
  resolve_dispute: z
    .object({
      resolution: z.enum(['rework', 'partial_refund', 'full_refund']),
      refund_fen: z.number().int().min(0).optional(),
      note: required(5000),
    })
    .strict(),
} as const

export type OrderAction = keyof typeof payloadSchemas
export const orderActions = Object.keys(payloadSchemas) as OrderAction[]
export type ActionPayload<A extends OrderAction> = z.output<(typeof payloadSchemas)[A]>

interface ActionDef {
  from: readonly OrderStatus[]
  by: readonly OrderActor[]
  /** Every status it can lead to (for the docs, the API and the property test). */
  targets: readonly OrderStatus[]
  /** Where it leads from this order with this payload. */
  to: (order: OrderFacts, payload: Record<string, unknown>, actor: OrderActor) => OrderStatus
  /** Why this actor may not take it on this order now (an error code), else undefined. */
  guard?: (
    order: OrderFacts,
    payload: Record<string, unknown>,
    actor: OrderActor,
  ) => string | undefined
  /** Who must act next, to be emailed (besides what the action itself sends). */
  notify: readonly ('buyer' | 'workshop' | 'operators' | 'inspector')[]
}

const paidBeforeShipping = ['sampling', 'sample_shipped', 'in_production'] as const

export const transitions: Record<OrderAction, ActionDef> = {
  report_transfer: {
    from: ['awaiting_payment'],
    by: ['buyer'],
    targets: ['awaiting_payment'],
    to: (o) => o.status,
    notify: ['operators'],
  },
  confirm_payment: {
    from: ['awaiting_payment'],
    by: ['operator'],
    targets: ['sampling', 'in_production'],
    to: (o) => (o.needs_sample ? 'sampling' : 'in_production'),
    guard: (o, p) => (p.amount_fen !== o.total_fen ? 'payment_amount_mismatch' : undefined),
    notify: ['workshop', 'buyer'],
  },
  // The verified Stripe webhook says the card payment succeeded.
  confirm_card_payment: {
    from: ['awaiting_payment'],
    by: ['system'],
    targets: ['sampling', 'in_production'],
    to: (o) => (o.needs_sample ? 'sampling' : 'in_production'),
    notify: ['workshop', 'buyer'],
  },
  cancel: {
    from: ['awaiting_payment', ...paidBeforeShipping],
    by: ['buyer', 'operator'],
    targets: ['cancelled'],
    to: () => 'cancelled',
    // After payment a party cannot cancel alone: by agreement (request_cancellation) or an operator.
    guard: (o, _p, actor) =>
      o.status !== 'awaiting_payment' && actor !== 'operator'
        ? 'cancel_needs_agreement'
        : undefined,
    notify: ['workshop', 'buyer'],
  },
  request_cancellation: {
    from: paidBeforeShipping,
    by: ['buyer', 'workshop'],
    targets: ['cancelled', ...paidBeforeShipping],
    // The second party's request is the agreement.
    to: (o, _p, actor) =>
      o.cancel_requested_by && o.cancel_requested_by !== actor ? 'cancelled' : o.status,
    guard: (o, _p, actor) =>
      o.cancel_requested_by === actor ? 'cancellation_already_requested' : undefined,
    notify: ['buyer', 'workshop'],
  },
  ship_sample: {
    from: ['sampling'],
    by: ['workshop'],
    targets: ['sample_shipped'],
    to: () => 'sample_shipped',
    notify: ['buyer'],
  },
  approve_sample: {
    from: ['sample_shipped'],
    by: ['buyer'],
    targets: ['in_production'],
    to: () => 'in_production',
    notify: ['workshop'],
  },
  reject_sample: {
    from: ['sample_shipped'],
    by: ['buyer'],
    targets: ['sampling', 'disputed'],
    // After the last round a rejection is a dispute for an operator.
    to: (o) => (o.sample_round >= o.max_sample_rounds ? 'disputed' : 'sampling'),
    notify: ['workshop'],
  },
  ship_batch: {
    from: ['in_production'],
    by: ['workshop'],
    targets: ['shipped', 'in_production'],
    // One or more shipments; the order is shipped when their quantities reach the order's.
    to: (o, p) =>
      o.shipped_quantity + Number(p.quantity) >= o.quantity ? 'shipped' : 'in_production',
    guard: (o, p) =>
      o.shipped_quantity + Number(p.quantity) > o.quantity ? 'shipment_exceeds_order' : undefined,
    notify: ['buyer'],
  },
  confirm_delivery: {
    from: ['shipped'],
    by: ['buyer'],
    targets: ['delivered'],
    to: () => 'delivered',
    notify: ['workshop', 'inspector'],
  },
  auto_confirm_delivery: {
    from: ['shipped'],
    by: ['system'],
    targets: ['delivered'],
    to: () => 'delivered',
    notify: ['buyer', 'workshop', 'inspector'],
  },
  start_inspection: {
    from: ['delivered'],
    by: ['buyer', 'inspector'],
    targets: ['inspecting'],
    to: () => 'inspecting',
    notify: [],
  },
  record_inspection: {
    from: ['delivered', 'inspecting'],
    by: ['buyer', 'inspector'],
    targets: ['completed', 'disputed'],
    // The verdict is computed from the sampling plan by the runner and passed as `result`.
    to: (_o, p) => (p.result === 'reject' ? 'disputed' : 'completed'),
    notify: ['workshop', 'buyer'],
  },
  auto_accept: {
    from: ['delivered', 'inspecting'],
    by: ['system'],
    targets: ['completed'],
    to: () => 'completed',
    notify: ['buyer', 'workshop'],
  },
  assign_inspector: {
    from: ['awaiting_payment', ...paidBeforeShipping, 'shipped', 'delivered', 'inspecting'],
    by: ['operator'],
    targets: ['awaiting_payment', ...paidBeforeShipping, 'shipped', 'delivered', 'inspecting'],
    to: (o) => o.status,
    notify: ['inspector'],
  },
  add_evidence: {
    from: ['disputed'],
    by: ['buyer', 'workshop'],
    targets: ['disputed'],
    to: () => 'disputed',
    notify: ['operators'],
  },
  resolve_dispute: {
    from: ['disputed'],
    by: ['operator'],
    targets: ['in_production', 'completed', 'refunded'],
    to: (_o, p) =>
      p.resolution === 'rework'
        ? 'in_production'
        : p.resolution === 'full_refund'
          ? 'refunded'
          : 'completed',
    guard: (o, p) => {
      if (p.resolution !== 'partial_refund') return undefined
      const refund = Number(p.refund_fen ?? 0)
      // Partial: less than the escrow still holds (a released sample milestone stays paid).
      return refund <= 0 || refund >= o.held_fen ? 'refund_out_of_range' : undefined
    },
    notify: ['buyer', 'workshop'],
  },
}

/** The actions `actor` may take on `order` now (payload guards are checked when taken). */
export function allowedActions(order: OrderFacts, actor: OrderActor): OrderAction[] {
  return orderActions.filter((action) => {
    const def = transitions[action]
    if (!def.from.includes(order.status) || !def.by.includes(actor)) return false
    if (action === 'cancel' && def.guard?.(order, {}, actor)) return false
    if (action === 'request_cancellation' && def.guard?.(order, {}, actor)) return false
    return true
  })
}

export type StepResult =
  { ok: true; to: OrderStatus } | { ok: false; code: 'illegal_transition' | 'forbidden' | string }

/**
 * Whether `actor` may take `action` on `order` with `payload` (already parsed), and where it
 * leads. Illegal from this status: `illegal_transition`; legal but not this actor's:
 * `forbidden`; refused by a guard: the guard's code.
 */
export function step(
  order: OrderFacts,
  actor: OrderActor,
  action: OrderAction,
  payload: Record<string, unknown>,
): StepResult {
  const def = transitions[action]
  if (!def.from.includes(order.status)) return { ok: false, code: 'illegal_transition' }
  if (!def.by.includes(actor)) return { ok: false, code: 'forbidden' }
  const refused = def.guard?.(order, payload, actor)
  if (refused) return { ok: false, code: refused }
  const to = def.to(order, payload, actor)
  if (!def.targets.includes(to)) throw new Error(`${action} led to ${to}, not in its targets`)
  return { ok: true, to }
}

/**
 * Whether `action` taken from `from` can end in `to`. A target the action also starts from is
 * where it stays (a partial shipment, a cancellation request): reachable only from itself.
 */
export function canLeadTo(action: OrderAction, from: OrderStatus, to: OrderStatus): boolean {
  const def = transitions[action]
  return def.targets.includes(to) && (to === from || !def.from.includes(to))
}

/** The action that takes `order` to `to` for `actor`, when exactly one does (API `{"to"}`). */
export function actionTo(
  order: OrderFacts,
  actor: OrderActor,
  to: OrderStatus,
): OrderAction | undefined {
  const candidates = allowedActions(order, actor).filter((a) => canLeadTo(a, order.status, to))
  return candidates.length === 1 ? candidates[0] : undefined
}
