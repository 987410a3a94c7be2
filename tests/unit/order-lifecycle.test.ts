// The order lifecycle's transition table (issue 7) as data: every action leads between known
// statuses, terminal statuses are absorbing, and random sequences of (actor, action, payload)
// stepped like the runner steps them never reach a status outside the table, while every
// step the table does not allow is refused with the right code.
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { OrderStatus } from '../../db/schema.ts'
import {
  actionTo,
  allowedActions,
  canLeadTo,
  orderActions,
  orderStatuses,
  payloadSchemas,
  step,
  terminalStatuses,
  transitions,
  type OrderAction,
  type OrderActor,
  type OrderFacts,
} from '../../app/models/order-lifecycle.ts'

const actors: OrderActor[] = ['buyer', 'workshop', 'operator', 'inspector', 'system']
const RUNS = 2000

function fresh(overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    status: 'awaiting_payment',
    needs_sample: true,
    sample_round: 0,
    max_sample_rounds: 3,
    quantity: 10,
    shipped_quantity: 0,
    cancel_requested_by: null,
    total_fen: 100_000,
    held_fen: 100_000,
    ...overrides,
  }
}

describe('the transition table', () => {
  test('every action starts from and leads to statuses of the table, and has a payload schema', () => {
    expect(Object.keys(transitions).sort()).toEqual(Object.keys(payloadSchemas).sort())
    for (const action of orderActions) {
      const def = transitions[action]
      expect(def.targets.length, action).toBeGreaterThan(0)
      for (const s of [...def.from, ...def.targets]) expect(orderStatuses, action).toContain(s)
      expect(def.by.length, action).toBeGreaterThan(0)
      for (const a of def.by) expect(actors, action).toContain(a)
    }
  })

  test('terminal statuses have no actions, for anyone', () => {
    for (const status of terminalStatuses) {
      for (const action of orderActions) expect(transitions[action].from).not.toContain(status)
      for (const actor of actors) expect(allowedActions(fresh({ status }), actor)).toEqual([])
    }
  })

  test('every other status has a way out, and every status but the first can be reached', () => {
    for (const status of orderStatuses) {
      if (terminalStatuses.includes(status)) continue
      const ways = actors.flatMap((actor) => allowedActions(fresh({ status }), actor))
      expect(ways.length, status).toBeGreaterThan(0)
    }
    const reachable = new Set(orderActions.flatMap((a) => transitions[a].targets))
    for (const status of orderStatuses) {
      if (status !== 'awaiting_payment') expect(reachable, status).toContain(status)
    }
  })

  test('the system (the clock, the payment provider) acts only through its own actions, and people never through those', () => {
    const automatic = orderActions.filter((a) => transitions[a].by.includes('system'))
    expect(automatic.sort()).toEqual([
      'auto_accept',
      'auto_confirm_delivery',
      'confirm_card_payment',
    ])
    for (const a of automatic) expect(transitions[a].by).toEqual(['system'])
  })

  test('after payment the designer cannot cancel alone; both asking cancels', () => {
    const paid = fresh({ status: 'sampling', sample_round: 1 })
    expect(step(paid, 'buyer', 'cancel', { reason: 'x' })).toEqual({
      ok: false,
      code: 'cancel_needs_agreement',
    })
    expect(step(paid, 'operator', 'cancel', { reason: 'x' })).toEqual({ ok: true, to: 'cancelled' })
    expect(step(paid, 'buyer', 'request_cancellation', {})).toEqual({ ok: true, to: 'sampling' })
    const asked = { ...paid, cancel_requested_by: 'buyer' as const }
    expect(step(asked, 'buyer', 'request_cancellation', {})).toEqual({
      ok: false,
      code: 'cancellation_already_requested',
    })
    expect(step(asked, 'workshop', 'request_cancellation', {})).toEqual({
      ok: true,
      to: 'cancelled',
    })
    expect(step(fresh(), 'buyer', 'cancel', {})).toEqual({ ok: true, to: 'cancelled' })
  })

  test('a rejected sample is a new round until the last, then a dispute', () => {
    const shipped = fresh({ status: 'sample_shipped', sample_round: 1 })
    expect(step(shipped, 'buyer', 'reject_sample', {})).toEqual({ ok: true, to: 'sampling' })
    expect(step({ ...shipped, sample_round: 3 }, 'buyer', 'reject_sample', {})).toEqual({
      ok: true,
      to: 'disputed',
    })
    expect(step(shipped, 'workshop', 'approve_sample', {})).toEqual({
      ok: false,
      code: 'forbidden',
    })
  })

  test('shipments add up to the quantity and never beyond it', () => {
    const making = fresh({ status: 'in_production', quantity: 10 })
    expect(step(making, 'workshop', 'ship_batch', { quantity: 4 })).toEqual({
      ok: true,
      to: 'in_production',
    })
    expect(
      step({ ...making, shipped_quantity: 4 }, 'workshop', 'ship_batch', { quantity: 6 }),
    ).toEqual({ ok: true, to: 'shipped' })
    expect(
      step({ ...making, shipped_quantity: 4 }, 'workshop', 'ship_batch', { quantity: 7 }),
    ).toEqual({ ok: false, code: 'shipment_exceeds_order' })
  })

  test('a partial refund is above 0 and below what the escrow holds', () => {
    const disputed = fresh({ status: 'disputed', total_fen: 1200, held_fen: 1000 })
    const resolve = (refund_fen: number) =>
      step(disputed, 'operator', 'resolve_dispute', { resolution: 'partial_refund', refund_fen })
    expect(resolve(999)).toEqual({ ok: true, to: 'completed' })
    expect(resolve(1000)).toEqual({ ok: false, code: 'refund_out_of_range' })
    expect(resolve(0)).toEqual({ ok: false, code: 'refund_out_of_range' })
  })

  test('`to` names an action only when exactly one of the actor’s leads there', () => {
    expect(actionTo(fresh({ status: 'sample_shipped' }), 'buyer', 'in_production')).toBe(
      'approve_sample',
    )
    // Someone else's move: none of the workshop's (a cancellation request stays in its status).
    expect(actionTo(fresh({ status: 'sample_shipped' }), 'workshop', 'in_production')).toBe(
      undefined,
    )
    expect(actionTo(fresh({ status: 'shipped' }), 'buyer', 'delivered')).toBe('confirm_delivery')
    expect(actionTo(fresh(), 'workshop', 'cancelled')).toBeUndefined()
    // A partial shipment and a cancellation request both stay in production.
    expect(
      actionTo(fresh({ status: 'in_production' }), 'workshop', 'in_production'),
    ).toBeUndefined()
    expect(actionTo(fresh({ status: 'in_production' }), 'workshop', 'shipped')).toBe('ship_batch')
  })
})

// One random step: who acts, what they try, and numbers to build a plausible payload from.
interface Move {
  legal: boolean
  pick: number
  actor: OrderActor
  action: OrderAction
  n: number
  flag: boolean
  choice: number
}

const moveArb: fc.Arbitrary<Move> = fc.record({
  // Mostly something someone may do now, so sequences get deep; sometimes anything at all.
  legal: fc.integer({ min: 0, max: 9 }).map((x) => x < 7),
  pick: fc.nat(),
  actor: fc.constantFrom(...actors),
  action: fc.constantFrom(...orderActions),
  n: fc.integer({ min: 0, max: 1_000_000 }),
  flag: fc.boolean(),
  choice: fc.nat({ max: 2 }),
})

const UUID = '00000000-0000-4000-8000-000000000000'

/** A payload of the kind a person (or the form) would send, valid by the action's schema. */
function plausiblePayload(action: OrderAction, o: OrderFacts, m: Move): Record<string, unknown> {
  switch (action) {
    case 'report_transfer':
      return { payer_name: '某设计公司', transferred_on: '2026-11-30' }
    case 'confirm_payment':
      // Sometimes the wrong amount arrived.
      return { bank_reference: 'ICBC-1', amount_fen: m.flag ? o.total_fen : o.total_fen + 1 }
    case 'confirm_card_payment':
      return { payment_id: UUID }
    case 'cancel':
    case 'request_cancellation':
      return { reason: '项目取消' }
    case 'ship_sample':
      return { carrier: 'SF', tracking_number: 'SF1', quantity: 1 + (m.n % 3) }
    case 'ship_batch': {
      // Up to two more than what is left, so some shipments exceed the order.
      const left = Math.max(0, o.quantity - o.shipped_quantity)
      return { carrier: 'SF', tracking_number: 'SF2', quantity: 1 + (m.n % (left + 2)) }
    }
    case 'approve_sample':
      return {}
    case 'reject_sample':
      return { feedback: '孔位偏了' }
    case 'record_inspection':
      return { defects_found: m.n % 5, measurements: [] }
    case 'assign_inspector':
      return { user_id: UUID }
    case 'add_evidence':
      return { note: '照片' }
    case 'resolve_dispute': {
      const resolution = (['rework', 'partial_refund', 'full_refund'] as const)[m.choice]!
      return {
        resolution,
        note: '裁定',
        // Around what the escrow holds half the time: at or above it is refused.
        ...(resolution === 'partial_refund'
          ? { refund_fen: m.flag ? o.held_fen + 1 - (m.n % 4) : m.n % o.held_fen }
          : {}),
      }
    }
    case 'confirm_delivery':
    case 'auto_confirm_delivery':
    case 'start_inspection':
    case 'auto_accept':
      return {}
  }
}

/** What the runner (order-transition.server.ts) changes besides the status. */
function apply(
  o: OrderFacts,
  actor: OrderActor,
  action: OrderAction,
  to: OrderStatus,
  p: Record<string, unknown>,
): OrderFacts {
  const next = { ...o, status: to }
  if (action === 'confirm_payment' && to === 'sampling') next.sample_round = 1
  if (action === 'reject_sample' && to === 'sampling') next.sample_round = o.sample_round + 1
  if (action === 'ship_batch') next.shipped_quantity = o.shipped_quantity + Number(p.quantity)
  if (action === 'cancel' || action === 'request_cancellation') {
    next.cancel_requested_by = to === 'cancelled' ? null : (actor as 'buyer' | 'workshop')
  }
  // Rework: a new batch round, nothing shipped in it yet.
  if (action === 'resolve_dispute' && to === 'in_production') next.shipped_quantity = 0
  return next
}

/** A failed property with what went wrong (plain throws: expect per step is slow). */
function check(ok: boolean, what: string, facts: OrderFacts, detail: unknown) {
  if (!ok) throw new Error(`${what} at ${JSON.stringify(facts)}: ${JSON.stringify(detail)}`)
}

describe('random sequences of (actor, action, payload)', () => {
  test('never leave the table, refuse every step it does not allow, and stay put once terminal', () => {
    const reached = new Set<OrderStatus>()
    const refusals = new Set<string>()
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        fc.array(moveArb, { minLength: 10, maxLength: 80 }),
        (needsSample, quantity, moves) => {
          let o = fresh({ needs_sample: needsSample, quantity })
          reached.add(o.status)
          for (const m of moves) {
            let { actor, action } = m
            if (m.legal) {
              const all = actors.flatMap((a) =>
                allowedActions(o, a).map((x) => ({ actor: a, action: x })),
              )
              // Two times in three, something that moves the order on (not a note, not a cancel).
              const onwards = all.filter(
                ({ action: x }) =>
                  x !== 'cancel' &&
                  x !== 'request_cancellation' &&
                  transitions[x].targets.some((t) => t !== o.status),
              )
              const options = m.pick % 3 && onwards.length ? onwards : all
              check(options.length > 0 || terminalStatuses.includes(o.status), 'stuck', o, {})
              if (options.length) {
                ;({ actor, action } = options[Math.floor(m.pick / 3) % options.length]!)
              }
            }
            const def = transitions[action]
            const payload: Record<string, unknown> = {
              ...payloadSchemas[action].parse(plausiblePayload(action, o, m)),
            }
            // The runner computes the verdict from the sampling plan; here either may come.
            if (action === 'record_inspection') payload.result = m.flag ? 'accept' : 'reject'
            const snapshot = JSON.stringify(o)
            const result = step(o, actor, action, payload)
            const tried = { actor, action, payload, result }
            check(JSON.stringify(o) === snapshot, 'step changed its input', o, tried)

            if (!def.from.includes(o.status)) {
              check(!result.ok && result.code === 'illegal_transition', 'not illegal', o, tried)
            } else if (!def.by.includes(actor)) {
              check(!result.ok && result.code === 'forbidden', 'not forbidden', o, tried)
            }
            check(!result.ok || !terminalStatuses.includes(o.status), 'left a terminal', o, tried)
            if (!result.ok) {
              refusals.add(result.code)
              continue
            }
            check(allowedActions(o, actor).includes(action), 'not offered', o, tried)
            check(orderStatuses.includes(result.to), 'unknown status', o, tried)
            check(def.targets.includes(result.to), 'not a target', o, tried)
            check(canLeadTo(action, o.status, result.to), 'canLeadTo disagrees', o, tried)
            o = apply(o, actor, action, result.to, payload)
            reached.add(o.status)
            check(o.shipped_quantity <= o.quantity, 'shipped too many', o, tried)
            check(o.sample_round <= o.max_sample_rounds, 'too many rounds', o, tried)
          }
        },
      ),
      { numRuns: RUNS, seed: 20261130 },
    )
    // The sequences really went everywhere, and met every kind of refusal.
    expect([...reached].sort()).toEqual([...orderStatuses].sort())
    for (const code of [
      'illegal_transition',
      'forbidden',
      'payment_amount_mismatch',
      'cancel_needs_agreement',
      'cancellation_already_requested',
      'shipment_exceeds_order',
      'refund_out_of_range',
    ]) {
      expect(refusals, code).toContain(code)
    }
  }, 60_000)
})
