// The ledger (issue 8): after every step of randomised sequences of orders — bank payments
// confirmed, samples approved (the sample milestone), disputes resolved by partial or full
// refund or rework, cancellations after payment, completions, payouts marked paid and refunds
// marked sent, with and without a 服务券 voucher, interleaved across orders — the escrow
// reconciles and `checkLedger` finds nothing; and a tampered ledger is caught, by the model
// and by `npm run ledger:check`. Orders move only through transitionOrder.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { apiSession, type Session } from '../support/http.ts'
import {
  QUANTITY,
  acceptedOrder,
  quotingWorkshop,
  type Order,
  type Workshop,
} from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { escrowFigures, heldFor } from '../../app/models/escrow.server.ts'
import { checkLedger } from '../../app/models/ledger-check.server.ts'
import {
  markBankPayoutPaid,
  markBankRefundSent,
  moneyReport,
} from '../../app/models/money-ops.server.ts'
import { transitionOrder } from '../../app/models/order-transition.server.ts'
import type { OrderAction } from '../../app/models/order-lifecycle.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { grantVoucher } from '../support/money.ts'

const NOTIFY = { publicUrl: 'http://localhost' }

const run = promisify(execFile)

const t = useTestDatabase()
const app = useTestApp(t)

type Kind = 'plain' | 'sample' | 'voucher' | 'voucherSample'
const kinds: Kind[] = ['plain', 'sample', 'voucher', 'voucherSample']

let operator: AccountView
let designers: { plain: Session; voucher: Session }
/** The one workshop every order goes to (its estimate from matching, confirmed). */
let workshop: Workshop

/** A new order awaiting payment, of the kind's design firm (with or without its voucher). */
async function newOrder(kind: Kind) {
  const o = await acceptedOrder(app, {
    designer: kind.startsWith('voucher') ? designers.voucher : designers.plain,
    workshop,
    job: { needs_sample: kind === 'sample' || kind === 'voucherSample' },
  })
  const { voucher_fen, subtotal_fen } = await t.db
    .selectFrom('orders')
    .select(['voucher_fen', 'subtotal_fen'])
    .where('id', '=', o.id)
    .executeTakeFirstOrThrow()
  expect(voucher_fen).toBe(
    kind.startsWith('voucher') ? Math.floor((subtotal_fen * 4000) / 10_000) : 0,
  )
  return o
}

beforeAll(async () => {
  operator = await createOperatorAccount(t.db)
  workshop = await quotingWorkshop(app, { hours: 24 })
  const voucherFirm = await createAccount(t.db, { kind: 'design_firm' })
  await grantVoucher(t.db, voucherFirm.organization.id, { shareBps: 4000, capFen: 100_000_000 })
  designers = {
    plain: await apiSession(app.url, await createAccount(t.db, { kind: 'design_firm' })),
    voucher: await apiSession(app.url, voucherFirm),
  }
})

/** One action on the order by `actor`, at the version it has now (as a page would send it). */
async function act(
  o: Order,
  actor: AccountView,
  action: OrderAction,
  payload: Record<string, unknown> = {},
) {
  await t.db.transaction().execute(async (tx) => {
    const { version } = await tx
      .selectFrom('orders')
      .select('version')
      .where('id', '=', o.id)
      .executeTakeFirstOrThrow()
    await transitionOrder(
      tx,
      { kind: 'person', account: actor },
      o.id,
      { action, version, payload },
      { publicUrl: app.publicUrl },
    )
  })
}

type Ending = 'complete' | 'partial' | 'full' | 'rework' | 'cancel'

interface Plan {
  kind: Kind
  ending: Ending
  /** With a sample, cancel before it ships (false) or after its approval (true). */
  cancelLate: boolean
  /** A partial refund's share of what the escrow holds, in percent. */
  refundPercent: number
}

/** The order's steps for its plan, each a function run when its turn comes. */
function stepsOf(o: Order, plan: Plan): (() => Promise<void>)[] {
  const workshop = o.workshop.account
  const designer = o.designer.account
  const sample = plan.kind === 'sample' || plan.kind === 'voucherSample'
  const steps: (() => Promise<void>)[] = [
    () => act(o, operator, 'confirm_payment', { bank_reference: 'ICBC-P', amount_fen: o.total }),
  ]
  const cancel = () => act(o, operator, 'cancel', { reason: '协商取消' })
  if (sample && plan.ending === 'cancel' && !plan.cancelLate) return [...steps, cancel]
  if (sample) {
    steps.push(
      () => act(o, workshop, 'ship_sample', { carrier: '顺丰', tracking_number: 'SF-S' }),
      () => act(o, designer, 'approve_sample', { feedback: '' }),
    )
  }
  if (plan.ending === 'cancel') return [...steps, cancel]
  const deliver = (defects: number) => [
    () =>
      act(o, workshop, 'ship_batch', {
        carrier: '顺丰',
        tracking_number: 'SF-B',
        quantity: QUANTITY,
      }),
    () => act(o, designer, 'confirm_delivery'),
    () => act(o, designer, 'record_inspection', { defects_found: defects, measurements: [] }),
  ]
  if (plan.ending === 'complete') return [...steps, ...deliver(0)]
  steps.push(...deliver(1))
  const note = '品检拒收，平台裁定'
  if (plan.ending === 'full') {
    steps.push(() => act(o, operator, 'resolve_dispute', { resolution: 'full_refund', note }))
  } else if (plan.ending === 'partial') {
    steps.push(async () => {
      const held = await heldFor(t.db, o.id)
      const refund = Math.min(held - 1, Math.max(1, Math.floor((held * plan.refundPercent) / 100)))
      await act(o, operator, 'resolve_dispute', {
        resolution: 'partial_refund',
        refund_fen: refund,
        note,
      })
    })
  } else {
    steps.push(
      () => act(o, operator, 'resolve_dispute', { resolution: 'rework', note }),
      ...deliver(0),
    )
  }
  return steps
}

/** Pays every pending bank payout of the order, as an operator does from the console. */
async function payPayouts(o: Order) {
  const pending = await t.db
    .selectFrom('payouts')
    .select('id')
    .where('order_id', '=', o.id)
    .where('status', '=', 'pending')
    .execute()
  for (const p of pending) {
    await t.db
      .transaction()
      .execute((tx) => markBankPayoutPaid(tx, operator, p.id, `OUT-${p.id.slice(0, 8)}`, NOTIFY))
  }
}

/** Sends every pending refund of the order, as an operator does from the console. */
async function sendRefunds(o: Order) {
  const pending = await t.db
    .selectFrom('refunds')
    .select('id')
    .where('order_id', '=', o.id)
    .where('status', '=', 'pending')
    .execute()
  for (const r of pending) {
    await t.db
      .transaction()
      .execute((tx) => markBankRefundSent(tx, operator, r.id, `RF-${r.id.slice(0, 8)}`, NOTIFY))
  }
}

/** The escrow reconciles overall and per order, and the check finds nothing. */
async function expectReconciled(orders: Order[], after: string) {
  const report = await moneyReport(t.db)
  expect(report.reconciles, after).toBe(true)
  const f = report.figures
  expect(f.paid_fen - f.released_fen - f.refunded_fen, after).toBe(f.escrow_fen)
  expect(f.escrow_fen, after).toBe(report.escrowAccountFen)
  for (const o of orders) {
    const mine = await escrowFigures(t.db, o.id)
    expect(mine.escrow_fen, after).toBe(await heldFor(t.db, o.id))
    expect(mine.escrow_fen, after).toBeGreaterThanOrEqual(0)
  }
  const check = await checkLedger(t.db)
  expect(check.problems, after).toEqual([])
  expect(check.figures, after).toEqual(check.expected)
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  kind: fc.constantFrom(...kinds),
  ending: fc.constantFrom<Ending>('complete', 'partial', 'full', 'rework', 'cancel'),
  cancelLate: fc.boolean(),
  refundPercent: fc.integer({ min: 1, max: 99 }),
})

const commandArb = fc.record({
  order: fc.nat(),
  op: fc.constantFrom('advance', 'advance', 'advance', 'payouts', 'refunds'),
})

describe('the ledger', () => {
  test('reconciles after every step of random order sequences, and the check finds nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(planArb, { minLength: 1, maxLength: 3 }),
        fc.array(commandArb, { minLength: 4, maxLength: 30 }),
        async (plans, commands) => {
          const orders = await Promise.all(plans.map((p) => newOrder(p.kind)))
          const steps = orders.map((o, i) => stepsOf(o, plans[i]!))
          const done = orders.map(() => 0)
          const log: string[] = []
          for (const command of commands) {
            const i = command.order % orders.length
            const o = orders[i]!
            if (command.op === 'advance') {
              const step = steps[i]![done[i]!]
              if (!step) continue
              await step()
              done[i]!++
            } else if (command.op === 'payouts') {
              await payPayouts(o)
            } else {
              await sendRefunds(o)
            }
            log.push(`${command.op} ${o.number} (${plans[i]!.kind}, ${plans[i]!.ending})`)
            await expectReconciled(orders, log.join(' → '))
          }
          // Then every order to its end, and everything owed paid: the escrow of a finished
          // order is empty, and what reached the workshop is the contract less refunds and fee.
          for (const [i, o] of orders.entries()) {
            for (const step of steps[i]!.slice(done[i]!)) await step()
            await payPayouts(o)
            await sendRefunds(o)
            log.push(`finish ${o.number}`)
            await expectReconciled(orders, log.join(' → '))
            const order = await t.db
              .selectFrom('orders')
              .selectAll()
              .where('id', '=', o.id)
              .executeTakeFirstOrThrow()
            expect(['completed', 'refunded', 'cancelled']).toContain(order.status)
            expect(await heldFor(t.db, o.id)).toBe(0)
            const paidOut = await t.db
              .selectFrom('payouts')
              .select(['gross_fen', 'status'])
              .where('order_id', '=', o.id)
              .execute()
            expect(paidOut.every((p) => p.status === 'paid')).toBe(true)
            expect(paidOut.reduce((s, p) => s + p.gross_fen, 0) + order.refunded_fen).toBe(
              order.subtotal_fen,
            )
          }
        },
      ),
      { numRuns: 15 },
    )
  }, 600_000)

  test('a tampered ledger is reported, by the model and by npm run ledger:check (exit 1)', async () => {
    const cli = () =>
      run(process.execPath, ['--import', 'tsx', path.resolve('db/cli/ledger-check.ts')], {
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          SESSION_SECRET: 'ledger-check-test-secret-ledger-check',
          LOG_LEVEL: 'silent',
        },
      })
    const clean = await cli()
    expect(clean.stdout).toContain('The ledger reconciles: no problems.')

    const o = await newOrder('sample')
    for (const step of stepsOf(o, {
      kind: 'sample',
      ending: 'cancel',
      cancelLate: true,
      refundPercent: 50,
    })) {
      await step()
    }
    expect((await checkLedger(t.db)).problems).toEqual([])
    const payout = await t.db
      .selectFrom('payouts')
      .select('id')
      .where('order_id', '=', o.id)
      .executeTakeFirstOrThrow()

    // One extra line into escrow with no payment behind it: unbalanced against the domain.
    const extra = await t.db
      .insertInto('ledger_entries')
      .values({
        order_id: o.id,
        from_account: 'buyer',
        to_account: 'escrow',
        amount_fen: 100,
        kind: 'payment',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    let check = await checkLedger(t.db)
    expect(check.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('payment lines without a payment'),
        expect.stringContaining(`order ${o.number}: cancelled but escrow still holds 100 fen`),
        expect.stringMatching(/^total: ledger paid_fen/),
      ]),
    )
    const failed = await cli().then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    )
    expect(failed?.code).toBe(1)
    expect(failed?.stdout).toContain('payment lines without a payment')
    await t.db.deleteFrom('ledger_entries').where('id', '=', extra.id).execute()

    // The payout's release written twice: more released than the payout says.
    const twice = await t.db
      .insertInto('ledger_entries')
      .values({
        order_id: o.id,
        from_account: 'escrow',
        to_account: 'workshop_payable',
        amount_fen: 1,
        kind: 'release',
        payout_id: payout.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    check = await checkLedger(t.db)
    expect(check.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`payout ${payout.id} (order ${o.number}): ledger releases`),
        expect.stringContaining(`order ${o.number}: escrow holds -1 fen, below 0`),
      ]),
    )
    await t.db.deleteFrom('ledger_entries').where('id', '=', twice.id).execute()

    // Money moved straight from escrow to the buyer: not a flow of the ledger.
    const shortcut = await t.db
      .insertInto('ledger_entries')
      .values({
        order_id: o.id,
        from_account: 'escrow',
        to_account: 'buyer',
        amount_fen: 5,
        kind: 'refund',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    check = await checkLedger(t.db)
    expect(check.problems).toContain(
      `line ${shortcut.id}: escrow → buyer is not a flow of the ledger`,
    )
    expect((await moneyReport(t.db)).reconciles).toBe(false)
    await t.db.deleteFrom('ledger_entries').where('id', '=', shortcut.id).execute()

    expect((await checkLedger(t.db)).problems).toEqual([])
  }, 120_000)
})
