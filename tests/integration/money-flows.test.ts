// The escrow through an order's life (issue 8): what the platform receives when a transfer is
// confirmed, the sample milestone released when the sample is approved, the rest at
// completion, refunds from disputes and cancellations split between the buyer and the 服务券
// programme, and the ledger lines behind each — with the real server, worker and PostgreSQL.
import { sql } from 'kysely'
import { beforeAll, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { apiPost, apiSession, type Session } from '../support/http.ts'
import {
  acceptedOrder,
  manualQuote,
  move,
  moveTo,
  openJob,
  pay,
  quotingWorkshop,
  type Order,
} from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import {
  grantVoucher,
  orderRow as orderRowOf,
  payoutsOf as payoutsOfOrder,
  refundsOf as refundsOfOrder,
} from '../support/money.ts'
import { escrowFigures } from '../../app/models/escrow.server.ts'

const t = useTestDatabase()
const app = useTestApp(t)
let operator: Session
beforeAll(async () => {
  operator = await apiSession(app.url, await createOperatorAccount(t.db))
})

const orderRow = (o: Order) => orderRowOf(t.db, o)
const payoutsOf = (o: Order) => payoutsOfOrder(t.db, o)
const refundsOf = (o: Order) => refundsOfOrder(t.db, o)
const linesOf = (o: Order) =>
  t.db
    .selectFrom('ledger_entries')
    .select(['from_account', 'to_account', 'amount_fen', 'kind'])
    .where('order_id', '=', o.id)
    .orderBy('id')
    .execute()
const feeOn = (row: { platform_fee_fen: number; subtotal_fen: number }, fen: number) =>
  Math.round((row.platform_fee_fen * fen) / row.subtotal_fen)

async function designerWithVoucher(capFen: number) {
  const account = await createAccount(t.db, { kind: 'design_firm' })
  await grantVoucher(t.db, account.organization.id, { name: '古镇灯饰设计服务券', capFen })
  return apiSession(app.url, account)
}

describe('escrow milestones', () => {
  test('a confirmed transfer is held; the sample price is released on approval, the rest at completion, fees in proportion', async () => {
    const o = await acceptedOrder(app, { job: { needs_sample: true } })
    const row = await orderRow(o)
    expect(await escrowFigures(t.db, o.id)).toEqual({
      paid_fen: 0,
      released_fen: 0,
      refunded_fen: 0,
      escrow_fen: 0,
    })

    await pay(operator, o, 'sampling')
    expect(await linesOf(o)).toEqual([
      { from_account: 'buyer', to_account: 'escrow', amount_fen: row.total_fen, kind: 'payment' },
    ])
    expect((await escrowFigures(t.db, o.id)).escrow_fen).toBe(row.subtotal_fen)

    await move(o.workshop, o, { to: 'sample_shipped', carrier: '顺丰', tracking_number: 'SF1' })
    await move(o.designer, o, { action: 'approve_sample' })
    const sampleFee = feeOn(row, row.sample_fen)
    expect(await payoutsOf(o)).toMatchObject([
      {
        milestone: 'sample',
        gross_fen: row.sample_fen,
        fee_fen: sampleFee,
        amount_fen: row.sample_fen - sampleFee,
        status: 'pending',
      },
    ])
    // Without Stripe the worker hands the payout to an operator's bank transfer.
    await vi.waitFor(async () => expect((await payoutsOf(o))[0]!.provider).toBe('bank_transfer'))
    expect((await escrowFigures(t.db, o.id)).escrow_fen).toBe(row.subtotal_fen - row.sample_fen)

    // The order page shows both parties what is held and what was released.
    const page = await o.workshop.client.get(`/orders/${o.id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('资金托管')
    expect(html).toContain('样品款')

    await move(o.workshop, o, {
      action: 'ship_batch',
      carrier: '顺丰',
      tracking_number: 'SF2',
      quantity: row.quantity,
    })
    await move(o.designer, o, { to: 'delivered' })
    const inspected = await apiPost(o.designer, `/api/v1/orders/${o.id}/inspections`, {
      version: o.version,
      defects_found: 0,
      measurements: [],
    })
    expect(inspected.status).toBe(201)
    expect(inspected.body.order.status).toBe('completed')

    const payouts = await payoutsOf(o)
    expect(payouts.map((p) => p.milestone)).toEqual(['sample', 'final'])
    const final = payouts[1]!
    expect(final.gross_fen).toBe(row.subtotal_fen - row.sample_fen)
    // The fees add up to the order's platform fee.
    expect(payouts[0]!.fee_fen + final.fee_fen).toBe(row.platform_fee_fen)
    expect(await escrowFigures(t.db, o.id)).toEqual({
      paid_fen: row.subtotal_fen,
      released_fen: row.subtotal_fen,
      refunded_fen: 0,
      escrow_fen: 0,
    })

    // The operator pays the balance by bank: the workshop is told the amount, in Chinese.
    const paid = await apiPost(operator, `/api/v1/ops/payouts/${final.id}/paid`, {
      bank_reference: 'ICBC-OUT-7788',
    })
    expect(paid.status, JSON.stringify(paid.body)).toBe(200)
    const workshopEmail = o.workshop.account.user.email
    await vi.waitFor(async () => {
      const sent = await t.db
        .selectFrom('emails')
        .select(['text', 'status'])
        .where('to_address', '=', workshopEmail)
        .where(sql<boolean>`props->>'action' = 'payout_paid'`)
        .execute()
      expect(sent).toHaveLength(1)
      expect(sent[0]!.status).toBe('sent')
      expect(sent[0]!.text).toContain(`¥${(final.amount_fen / 100).toFixed(2)}`)
      expect(sent[0]!.text).toContain('已付给贵厂')
    })
  })

  test('a partial refund leaves the order with less to release; a full refund after the sample gives back what is held', async () => {
    const partial = await acceptedOrder(app)
    await moveTo(partial, 'disputed', operator)
    const row = await orderRow(partial)
    const refund = 1_000
    const done = await move(operator, partial, {
      action: 'resolve_dispute',
      resolution: 'partial_refund',
      refund_fen: refund,
      note: '一件划伤',
    })
    expect(done.status).toBe('completed')
    expect(await refundsOf(partial)).toMatchObject([
      { reason: 'partial_refund', amount_fen: refund, voucher_fen: 0, status: 'pending' },
    ])
    const [final] = await payoutsOf(partial)
    expect(final).toMatchObject({
      milestone: 'final',
      gross_fen: row.subtotal_fen - refund,
      fee_fen: feeOn(row, row.subtotal_fen - refund),
    })
    expect(await escrowFigures(t.db, partial.id)).toMatchObject({
      refunded_fen: refund,
      escrow_fen: 0,
    })

    // A partial refund at or above what is held is refused and changes nothing.
    const full = await acceptedOrder(app, { job: { needs_sample: true } })
    await pay(operator, full, 'sampling')
    await move(full.workshop, full, { to: 'sample_shipped', carrier: '顺丰', tracking_number: 'S' })
    await move(full.designer, full, { action: 'approve_sample' })
    const fullRow = await orderRow(full)
    await move(full.workshop, full, {
      action: 'ship_batch',
      carrier: '顺丰',
      tracking_number: 'SF9',
      quantity: fullRow.quantity,
    })
    await move(full.designer, full, { to: 'delivered' })
    const rejected = await apiPost(full.designer, `/api/v1/orders/${full.id}/inspections`, {
      version: full.version,
      defects_found: 2,
      measurements: [],
    })
    expect(rejected.body.order.status).toBe('disputed')
    full.version = rejected.body.order.version
    const held = fullRow.subtotal_fen - fullRow.sample_fen
    const tooMuch = await apiPost(operator, `/api/v1/orders/${full.id}/transitions`, {
      version: full.version,
      action: 'resolve_dispute',
      resolution: 'partial_refund',
      refund_fen: held,
      note: 'x',
    })
    expect(tooMuch.status).toBe(409)
    expect(tooMuch.body.error.code).toBe('refund_out_of_range')

    const refunded = await move(operator, full, {
      action: 'resolve_dispute',
      resolution: 'full_refund',
      note: '整批不合格',
    })
    expect(refunded.status).toBe('refunded')
    // The approved sample stays paid to the workshop; everything else goes back.
    expect(await refundsOf(full)).toMatchObject([{ reason: 'full_refund', amount_fen: held }])
    expect((await payoutsOf(full)).map((p) => p.milestone)).toEqual(['sample'])
    expect(await escrowFigures(t.db, full.id)).toMatchObject({
      released_fen: fullRow.sample_fen,
      refunded_fen: held,
      escrow_fen: 0,
    })
    expect((await orderRow(full)).refunded_fen).toBe(held)
  })
})

describe('服务券 on the money side', () => {
  test('the voucher pays half: the buyer pays the rest, refunds go back in proportion and the programme gets its share back', async () => {
    const designer = await designerWithVoucher(100_000_000)
    const o = await acceptedOrder(app, { designer })
    const row = await orderRow(o)
    const voucher = Math.floor(row.subtotal_fen / 2)
    expect(row).toMatchObject({ voucher_fen: voucher, total_fen: row.subtotal_fen - voucher })
    expect(o.total).toBe(row.subtotal_fen - voucher)

    await moveTo(o, 'disputed', operator)
    // Paid: the buyer's transfer and the programme's receivable are both in escrow.
    expect(await linesOf(o)).toEqual([
      { from_account: 'buyer', to_account: 'escrow', amount_fen: row.total_fen, kind: 'payment' },
      {
        from_account: 'voucher_fund',
        to_account: 'escrow',
        amount_fen: voucher,
        kind: 'voucher',
      },
    ])
    const refund = 2_000
    await move(operator, o, {
      action: 'resolve_dispute',
      resolution: 'partial_refund',
      refund_fen: refund,
      note: '部分退款',
    })
    const voucherPart = Math.round((refund * voucher) / row.subtotal_fen)
    expect(await refundsOf(o)).toMatchObject([
      { amount_fen: refund - voucherPart, voucher_fen: voucherPart },
    ])
    const redemption = await t.db
      .selectFrom('voucher_redemptions')
      .selectAll()
      .where('order_id', '=', o.id)
      .executeTakeFirstOrThrow()
    expect(redemption).toMatchObject({ amount_fen: voucher, reversed_fen: voucherPart })
    expect(await escrowFigures(t.db, o.id)).toMatchObject({
      paid_fen: row.subtotal_fen,
      refunded_fen: refund,
      released_fen: row.subtotal_fen - refund,
      escrow_fen: 0,
    })
  })

  test('cancelled before payment the voucher goes back whole; cancelled after payment the escrow is refunded', async () => {
    const cap = 100_000_000
    const designer = await designerWithVoucher(cap)
    const unpaid = await acceptedOrder(app, { designer })
    await move(unpaid.designer, unpaid, { action: 'cancel', reason: '项目取消' })
    const reversed = await t.db
      .selectFrom('voucher_redemptions')
      .select(['amount_fen', 'reversed_fen'])
      .where('order_id', '=', unpaid.id)
      .executeTakeFirstOrThrow()
    expect(reversed.reversed_fen).toBe(reversed.amount_fen)
    expect(await refundsOf(unpaid)).toEqual([])

    const paid = await acceptedOrder(app, { designer })
    const row = await orderRow(paid)
    await pay(operator, paid, 'in_production')
    await move(paid.designer, paid, { action: 'request_cancellation', reason: '需求变更' })
    const cancelled = await move(paid.workshop, paid, {
      action: 'request_cancellation',
      reason: '同意',
    })
    expect(cancelled.status).toBe('cancelled')
    expect(await refundsOf(paid)).toMatchObject([
      { reason: 'cancelled', amount_fen: row.total_fen, voucher_fen: row.voucher_fen },
    ])
    expect(await escrowFigures(t.db, paid.id)).toMatchObject({
      refunded_fen: row.subtotal_fen,
      escrow_fen: 0,
    })
    expect((await orderRow(paid)).refunded_fen).toBe(row.subtotal_fen)
  })

  test('related parties get no voucher: one legal owner (registered name) or one address; the order is flagged', async () => {
    const designerAccount = await createAccount(t.db, { kind: 'design_firm' })
    await grantVoucher(t.db, designerAccount.organization.id, { capFen: 100_000_000 })
    const designer = await apiSession(app.url, designerAccount)

    async function orderWith(relate: (workshopId: string) => Promise<unknown>) {
      const { jobId, fileId } = await openJob(app, { designer, needs_sample: false })
      const ws = await quotingWorkshop(app)
      await relate(ws.account.organization.id)
      const quote = await manualQuote(app, ws, jobId, fileId, 1_000)
      const accepted = await apiPost(designer, `/api/v1/quotes/${quote.id}/accept`)
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
      return t.db
        .selectFrom('orders')
        .selectAll()
        .where('id', '=', accepted.body.order.id)
        .executeTakeFirstOrThrow()
    }

    const unrelated = await orderWith(async () => {})
    expect(unrelated).toMatchObject({ related_party: false })
    expect(unrelated.voucher_fen).toBeGreaterThan(0)

    // The registered name: 统一社会信用代码 are unique, so one company registers its second
    // account under the same name without it.
    await t.db
      .updateTable('organizations')
      .set({ legal_name: '中山市明灯照明科技有限公司' })
      .where('id', '=', designerAccount.organization.id)
      .execute()
    const sameOwner = await orderWith((workshopId) =>
      t.db
        .updateTable('organizations')
        .set({ legal_name: '中山市明灯照明科技 有限公司' })
        .where('id', '=', workshopId)
        .execute(),
    )
    expect(sameOwner).toMatchObject({
      related_party: true,
      voucher_fen: 0,
      total_fen: sameOwner.subtotal_fen,
    })

    const address = '中山市古镇镇东兴路 8 号'
    await t.db
      .updateTable('organizations')
      .set({ address })
      .where('id', '=', designerAccount.organization.id)
      .execute()
    const sameAddress = await orderWith((workshopId) =>
      t.db
        .updateTable('organizations')
        .set({ address: ` ${address.replaceAll(' ', '')} ` })
        .where('id', '=', workshopId)
        .execute(),
    )
    expect(sameAddress).toMatchObject({ related_party: true, voucher_fen: 0 })
    expect(
      await t.db
        .selectFrom('voucher_redemptions')
        .select('order_id')
        .where('order_id', 'in', [sameOwner.id, sameAddress.id])
        .execute(),
    ).toEqual([])
  })
})
