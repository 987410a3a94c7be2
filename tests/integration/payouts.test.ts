// Payouts (issue 8): the workshop's payout statement (page, monthly CSV, API) for orders taken
// through sample approval and completion, with a 服务券 voucher and a partial refund; the
// operators' money console marking bank payouts paid and bank refunds sent, once, audited;
// the operator API (ledger balance, reported transfers to confirm, payouts, refunds) and its
// refusals for everyone else. Real server, worker and PostgreSQL.
import { sql } from 'kysely'
import { beforeAll, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import {
  apiPost,
  apiSession,
  browserSession,
  startTestServer,
  type Session,
  type TestClient,
} from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { readPage } from '../support/html.ts'
import {
  QUANTITY,
  acceptedOrder,
  inspect,
  move,
  moveTo,
  shipBatch,
  type Order,
} from '../support/orders.ts'
import {
  grantVoucher,
  orderRow as orderRowOf,
  payoutsOf as payoutsOfOrder,
} from '../support/money.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { shanghaiToday } from '../../app/models/capacity.server.ts'
import { escrowFigures } from '../../app/models/escrow.server.ts'
import { checkLedger } from '../../app/models/ledger-check.server.ts'
import { fenToYuanString, formatFen } from '../../app/models/money.ts'
import { currentMonth, payoutStatement } from '../../app/models/payout.server.ts'
import { formatDate, translate } from '../../app/locales/index.ts'
import { createStripeGateway } from '../../app/models/stripe.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const t = useTestDatabase()
const app = useTestApp(t)
let operatorAccount: AccountView
let opsApi: Session
let ops: TestClient
beforeAll(async () => {
  operatorAccount = await createOperatorAccount(t.db)
  opsApi = await apiSession(app.url, operatorAccount)
  ops = await browserSession(app.url, operatorAccount)
})

/** A design firm granted a 50 % 服务券 this year (a programme of its own, ample cap). */
async function voucherDesigner() {
  const designer = await createAccount(t.db, { kind: 'design_firm' })
  await grantVoucher(t.db, designer.organization.id)
  return apiSession(app.url, designer)
}

const orderRow = (o: Order) => orderRowOf(t.db, o)
const payoutsOf = (o: Order) => payoutsOfOrder(t.db, o)

/** Paid, sample shipped and approved (the sample milestone), batch shipped, delivered, accepted. */
async function completeWithSample(o: Order) {
  await move(opsApi, o, { to: 'sampling', bank_reference: 'ICBC-PAY-1', amount_fen: o.total })
  await move(o.workshop, o, { action: 'ship_sample', carrier: '顺丰', tracking_number: 'SF-S1' })
  await move(o.designer, o, { action: 'approve_sample', feedback: '' })
  expect((await payoutsOf(o)).map((p) => p.milestone)).toEqual(['sample'])
  await shipBatch(o, QUANTITY)
  await move(o.designer, o, { to: 'delivered' })
  expect((await inspect(o, 0)).status).toBe('completed')
}

async function ledgerIsClean() {
  const check = await checkLedger(t.db)
  expect(check.problems).toEqual([])
  const f = await escrowFigures(t.db)
  expect(f.paid_fen - f.released_fen - f.refunded_fen).toBe(f.escrow_fen)
  expect(check.figures).toEqual(check.expected)
}

/** Parses the CSV (BOM, CRLF, quoted cells) into rows of cells. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true)
  const body = text.slice(1)
  expect(body.endsWith('\r\n')).toBe(true)
  expect(body.replace(/\r\n/g, '')).not.toMatch(/\n/)
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  return rows
}

const yuanToFenExact = (yuan: string) => Math.round(Number(yuan) * 100)

describe('the workshop payout statement', () => {
  let o: Order
  let workshopPage: TestClient
  beforeAll(async () => {
    o = await acceptedOrder(app, { designer: await voucherDesigner(), job: { needs_sample: true } })
    await completeWithSample(o)
    workshopPage = await browserSession(app.url, o.workshop.account)
  })

  test('an order through sample approval and completion shows gross, fee, voucher share, refunds and net, with both payout lines', async () => {
    const order = await orderRow(o)
    expect(order.voucher_fen).toBeGreaterThan(0)
    expect(order.voucher_fen).toBe(Math.floor(order.subtotal_fen / 2))
    const payouts = await payoutsOf(o)
    expect(payouts.map((p) => [p.milestone, p.gross_fen])).toEqual([
      ['sample', order.sample_fen],
      ['final', order.subtotal_fen - order.sample_fen],
    ])

    const res = await o.workshop.client.api('GET', '/api/v1/payouts')
    expect(res.status).toBe(200)
    expect(schemas.PayoutStatement.parse(res.body)).toEqual(res.body)
    expect(res.body.month).toBeNull()
    const line = res.body.orders.find((x: { order_id: string }) => x.order_id === o.id)
    expect(line).toMatchObject({
      number: o.number,
      buyer: o.designer.account.organization.name,
      status: 'completed',
      gross_fen: order.subtotal_fen,
      fee_fen: order.platform_fee_fen,
      fee_to_come_fen: 0,
      voucher_fen: order.voucher_fen,
      refunds_fen: 0,
      net_fen: order.subtotal_fen - order.platform_fee_fen,
      held_fen: 0,
    })
    expect(
      line.lines.map((l: { milestone: string; status: string }) => [l.milestone, l.status]),
    ).toEqual([
      ['sample', 'pending'],
      ['final', 'pending'],
    ])
    expect(line.lines[0].amount_fen + line.lines[1].amount_fen).toBe(line.net_fen)
    expect(line.lines[0].fee_fen + line.lines[1].fee_fen).toBe(line.fee_fen)

    // The page shows the same, with the bank-mode note (no Stripe here).
    const page = await readPage(workshopPage.get('/workshop/payouts?month=all'))
    expect(page.status).toBe(200)
    expect(page.text).toContain('货款由平台通过银行转账支付')
    const row = /<tr[^>]*id="order-([^"]+)"[^>]*>([\s\S]*?)<\/tr>/.exec(page.html)
    expect(row?.[1]).toBe(o.number)
    const money = (fen: number) => formatFen(fen, 'zh-CN')
    const text = page.text
    expect(text).toContain(
      `${o.number} 铝块 40×30×20 ${o.designer.account.organization.name} ${money(order.subtotal_fen)} ${money(order.platform_fee_fen)} ${money(order.voucher_fen)} ${money(0)} ${money(order.subtotal_fen - order.platform_fee_fen)} ${money(0)}`,
    )
    expect(text).toContain(`样品款 ${money(payouts[0]!.amount_fen)}`)
    expect(text).toContain(`尾款 ${money(payouts[1]!.amount_fen)}`)
  })

  test('another workshop sees none of it, and only workshops have a payout statement', async () => {
    const other = await createAccount(t.db, { kind: 'workshop' })
    const otherApi = await apiSession(app.url, other)
    const res = await otherApi.client.api('GET', '/api/v1/payouts')
    expect(res.status).toBe(200)
    expect(res.body.orders).toEqual([])
    expect(res.body.totals).toEqual({ paid_fen: 0, pending_fen: 0, fee_fen: 0 })
    const page = await readPage((await browserSession(app.url, other)).get('/workshop/payouts'))
    expect(page.status).toBe(200)
    expect(page.text).not.toContain(o.number)
    expect(page.text).toContain('这段时间没有结算记录')

    expectError(await o.designer.client.api('GET', '/api/v1/payouts'), 403, 'forbidden')
    expectError(await opsApi.client.api('GET', '/api/v1/payouts'), 403, 'forbidden')
    const designerPage = await browserSession(app.url, o.designer.account)
    expect((await designerPage.get('/workshop/payouts')).status).toBe(403)
    expect((await designerPage.get('/workshop/payouts.csv')).status).toBe(403)
  })

  test('the month’s CSV has a row per payout line and adds up to the totals on the page', async () => {
    const month = currentMonth()
    const page = await readPage(workshopPage.get(`/workshop/payouts?month=${month}`))
    expect(page.status).toBe(200)
    const statement = await payoutStatement(t.db, o.workshopId, month)
    const { paid_fen, pending_fen, fee_fen } = statement.totals
    expect(pending_fen).toBeGreaterThan(0)
    const totals = /<div[^>]*id="totals"[^>]*>([\s\S]*?)<\/div>/.exec(page.html)![1]!
    expect(totals).toContain(formatFen(paid_fen, 'zh-CN'))
    expect(totals).toContain(formatFen(pending_fen, 'zh-CN'))
    expect(totals).toContain(formatFen(fee_fen, 'zh-CN'))
    expect(page.html).toContain(`href="/workshop/payouts.csv?month=${month}"`)

    const csv = await workshopPage.get(`/workshop/payouts.csv?month=${month}`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="payouts-${month}.csv"`,
    )
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const [head, ...rows] = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes))
    expect(head).toContain('本笔金额（元）')
    const col = (name: string) => head!.indexOf(name)
    expect(rows).toHaveLength(statement.orders.flatMap((x) => x.lines).length)
    expect(rows.map((r) => r[col('订单号')])).toEqual([o.number, o.number])
    expect(rows.map((r) => r[col('结算节点')])).toEqual(['样品款', '尾款'])
    const sum = (status: string | null, column: string) =>
      rows
        .filter((r) => status === null || r[col('状态')] === status)
        .reduce((s, r) => s + yuanToFenExact(r[col(column)]!), 0)
    expect(sum('已付款', '本笔金额（元）')).toBe(paid_fen)
    expect(sum('待付款', '本笔金额（元）')).toBe(pending_fen)
    expect(sum(null, '本笔服务费（元）')).toBe(fee_fen)
    expect(rows[0]![col('服务券支付（元）')]).toBe(fenToYuanString((await orderRow(o)).voucher_fen))

    // The API's CSV is the same file; a month that is not one is refused.
    const apiCsv = await o.workshop.client.fetch(`/api/v1/payouts?month=${month}`, {
      headers: { accept: 'text/csv' },
    })
    expect(apiCsv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(new Uint8Array(await apiCsv.arrayBuffer())).toEqual(bytes)
    expectError(
      await o.workshop.client.api('GET', '/api/v1/payouts?month=2026-13'),
      400,
      'invalid_input',
    )
    const bad = await readPage(workshopPage.get('/workshop/payouts?month=last-month'))
    expect(bad.status).toBe(200)
    expect(bad.text).toContain('月份格式不对')
    expect(bad.text).toContain(`${month} 的结算`)

    // Another month holds none of these lines.
    const empty = await o.workshop.client.api('GET', '/api/v1/payouts?month=2001-01')
    expect(empty.body).toEqual({
      month: '2001-01',
      totals: { paid_fen: 0, pending_fen: 0, fee_fen: 0 },
      orders: [],
    })
  })

  test('an operator marks a bank payout paid: the statement shows the date and reference, the ledger one payout line; a second submit changes nothing', async () => {
    const [sample] = await payoutsOf(o)
    const queue = await readPage(ops.get('/console/money'))
    expect(queue.status).toBe(200)
    expect(queue.html).toContain(`id="payout-${sample!.id}"`)

    const paid = await ops.postForm('/console/money', {
      intent: 'mark_paid',
      id: sample!.id,
      bankReference: '  ICBC-OUT-0001 ',
    })
    expect(paid.status).toBe(302)
    const after = await readPage(ops.get(paid.headers.get('location')!))
    expect(after.text).toContain(`订单 ${o.number} 的样品款已标记为已付款（流水号 ICBC-OUT-0001）`)
    expect(after.html).not.toContain(`id="payout-${sample!.id}"`)

    const row = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('id', '=', sample!.id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      status: 'paid',
      provider: 'bank_transfer',
      bank_reference: 'ICBC-OUT-0001',
      paid_by: operatorAccount.user.id,
    })
    const payoutLines = () =>
      t.db
        .selectFrom('ledger_entries')
        .select(['from_account', 'to_account', 'amount_fen'])
        .where('payout_id', '=', sample!.id)
        .where('kind', '=', 'payout')
        .execute()
    expect(await payoutLines()).toEqual([
      { from_account: 'workshop_payable', to_account: 'workshop', amount_fen: row.amount_fen },
    ])
    const audits = () =>
      t.db
        .selectFrom('audit_log')
        .select(['actor_user_id', 'action', 'after'])
        .where('subject', '=', sample!.id)
        .execute()
    expect(await audits()).toEqual([
      {
        actor_user_id: operatorAccount.user.id,
        action: 'payout.mark_paid',
        after: { status: 'paid', provider: 'bank_transfer', bank_reference: 'ICBC-OUT-0001' },
      },
    ])

    const statement = await readPage(workshopPage.get('/workshop/payouts?month=all'))
    expect(statement.text).toContain(
      `已付款 ${formatDate('zh-CN', row.paid_at!)} 付款 流水号 ICBC-OUT-0001`,
    )
    const api = await o.workshop.client.api('GET', '/api/v1/payouts')
    const line = api.body.orders[0].lines[0]
    expect(line).toMatchObject({
      status: 'paid',
      reference: 'ICBC-OUT-0001',
      paid_on: shanghaiToday(row.paid_at!),
    })
    expect(api.body.totals.paid_fen).toBe(row.amount_fen)

    // The stale page's button again, and the API: refused, nothing changed.
    const again = await readPage(
      ops.postForm('/console/money', {
        intent: 'mark_paid',
        id: sample!.id,
        bankReference: 'ICBC-OUT-0002',
      }),
    )
    expect(again.status).toBe(409)
    expect(again.text).toContain('这笔结算已经付款，没有重复记录')
    const viaApi = await apiPost(opsApi, `/api/v1/ops/payouts/${sample!.id}/paid`, {
      bank_reference: 'ICBC-OUT-0003',
    })
    expectError(viaApi, 409, 'payout_already_paid')
    expect(await payoutLines()).toHaveLength(1)
    expect(await audits()).toHaveLength(1)
    expect(
      (
        await t.db
          .selectFrom('payouts')
          .select('bank_reference')
          .where('id', '=', sample!.id)
          .executeTakeFirstOrThrow()
      ).bank_reference,
    ).toBe('ICBC-OUT-0001')

    // A blank reference is refused beside the field, and marks nothing.
    const [, final] = await payoutsOf(o)
    const blank = await readPage(
      ops.postForm('/console/money', { intent: 'mark_paid', id: final!.id, bankReference: '  ' }),
    )
    expect(blank.status).toBe(400)
    expect(blank.text).toContain('请填写银行流水号')
    expect((await payoutsOf(o))[1]!.status).toBe('pending')
    await ledgerIsClean()
  })
})

describe('refunds', () => {
  test('a partial refund reduces the final payout; the operator sends the refund once', async () => {
    const o = await acceptedOrder(app)
    await moveTo(o, 'disputed', opsApi)
    const before = await orderRow(o)
    const refund = 3_000
    await move(opsApi, o, {
      action: 'resolve_dispute',
      resolution: 'partial_refund',
      refund_fen: refund,
      note: '一件不合格，部分退款',
    })
    const order = await orderRow(o)
    expect(order.status).toBe('completed')
    const [final] = await payoutsOf(o)
    expect(final).toMatchObject({ milestone: 'final', gross_fen: before.subtotal_fen - refund })
    const fee = Math.round(
      (order.platform_fee_fen * (order.subtotal_fen - refund)) / order.subtotal_fen,
    )
    expect(final!.fee_fen).toBe(fee)

    const statement = await payoutStatement(t.db, o.workshopId, null)
    expect(statement.orders.find((x) => x.order_id === o.id)).toMatchObject({
      gross_fen: order.subtotal_fen,
      refunds_fen: refund,
      fee_fen: fee,
      net_fen: order.subtotal_fen - refund - fee,
      held_fen: 0,
    })

    // The refund waits in the console (a bank refund: by transfer) and in the API.
    const pending = await opsApi.client.api('GET', '/api/v1/ops/refunds?status=pending')
    expect(pending.status).toBe(200)
    expect(schemas.OpsRefundList.parse(pending.body)).toEqual(pending.body)
    const listed = pending.body.refunds.find((r: { order_id: string }) => r.order_id === o.id)
    expect(listed).toMatchObject({
      order_number: o.number,
      reason: 'partial_refund',
      amount_fen: refund,
      voucher_fen: 0,
      status: 'pending',
      sendable_by_bank: true,
    })
    const page = await readPage(ops.get('/console/money'))
    expect(page.html).toContain(`id="refund-${listed.id}"`)

    const sent = await ops.postForm('/console/money', {
      intent: 'mark_sent',
      id: listed.id,
      bankReference: 'ICBC-REFUND-77',
    })
    expect(sent.status).toBe(302)
    expect((await readPage(ops.get(sent.headers.get('location')!))).text).toContain(
      `订单 ${o.number} 的退款已标记为已退出（流水号 ICBC-REFUND-77）`,
    )
    const sentLines = () =>
      t.db
        .selectFrom('ledger_entries')
        .select(['from_account', 'to_account', 'amount_fen'])
        .where('refund_id', '=', listed.id)
        .where('kind', '=', 'refund_sent')
        .execute()
    expect(await sentLines()).toEqual([
      { from_account: 'refund_payable', to_account: 'buyer', amount_fen: refund },
    ])
    const again = await apiPost(opsApi, `/api/v1/ops/refunds/${listed.id}/sent`, {
      bank_reference: 'ICBC-REFUND-78',
    })
    expectError(again, 409, 'refund_already_sent')
    const twice = await readPage(
      ops.postForm('/console/money', {
        intent: 'mark_sent',
        id: listed.id,
        bankReference: 'ICBC-REFUND-79',
      }),
    )
    expect(twice.status).toBe(409)
    expect(twice.text).toContain('这笔退款已经退出，没有重复记录')
    expect(await sentLines()).toHaveLength(1)
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject', '=', listed.id)
        .execute(),
    ).toEqual([{ action: 'refund.mark_sent' }])
    await ledgerIsClean()
  })

  test('a cancellation after payment is refunded through the API, and bank payouts are paid through it', async () => {
    const o = await acceptedOrder(app)
    await moveTo(o, 'in_production', opsApi)
    await move(opsApi, o, { action: 'cancel', reason: '设计方撤单' })
    const [refund] = await t.db
      .selectFrom('refunds')
      .select(['id', 'amount_fen'])
      .where('order_id', '=', o.id)
      .execute()
    expect(refund!.amount_fen).toBe(o.total)
    const res = await apiPost(opsApi, `/api/v1/ops/refunds/${refund!.id}/sent`, {
      bank_reference: 'ABC-CANCEL-1',
    })
    expect(res.status).toBe(200)
    expect(schemas.OpsRefund.parse(res.body)).toEqual(res.body)
    expect(res.body).toMatchObject({
      status: 'succeeded',
      bank_reference: 'ABC-CANCEL-1',
      sendable_by_bank: false,
    })
    expectError(
      await apiPost(opsApi, `/api/v1/ops/refunds/${refund!.id}/sent`, { bank_reference: '' }),
      400,
      'invalid_input',
    )

    const done = await acceptedOrder(app)
    await moveTo(done, 'completed', opsApi)
    const list = await opsApi.client.api('GET', '/api/v1/ops/payouts?status=pending')
    expect(schemas.OpsPayoutList.parse(list.body)).toEqual(list.body)
    const payout = list.body.payouts.find((p: { order_id: string }) => p.order_id === done.id)
    expect(payout).toMatchObject({ milestone: 'final', status: 'pending', paid_at: null })
    const paid = await apiPost(opsApi, `/api/v1/ops/payouts/${payout.id}/paid`, {
      bank_reference: 'BOC-OUT-9',
    })
    expect(paid.status).toBe(200)
    expect(paid.body).toMatchObject({ id: payout.id, status: 'paid', bank_reference: 'BOC-OUT-9' })
    const after = await opsApi.client.api('GET', '/api/v1/ops/payouts?status=pending')
    expect(after.body.payouts.map((p: { id: string }) => p.id)).not.toContain(payout.id)
    expectError(
      await opsApi.client.api('GET', '/api/v1/ops/payouts?status=sent'),
      400,
      'invalid_input',
    )
    expectError(
      await apiPost(opsApi, `/api/v1/ops/payouts/${crypto.randomUUID()}/paid`, {
        bank_reference: 'X',
      }),
      404,
      'not_found',
    )
    await ledgerIsClean()
  })
})

describe('Stripe', () => {
  test('with Stripe configured the payout page shows the payout account and its form instead of the bank note', async () => {
    // Nothing here calls Stripe: the page reads the account Stripe's webhook last stored.
    const server = await startTestServer(
      t.db,
      {},
      {
        stripe: createStripeGateway({
          secretKey: 'sk_test_payouts',
          webhookSecret: 'whsec_payouts',
          publishableKey: 'pk_test_payouts',
          apiUrl: 'http://127.0.0.1:9',
        }),
      },
    )
    try {
      const ws = await createAccount(t.db, { kind: 'workshop' })
      const client = await browserSession(server.url, ws)
      const page = await readPage(client.get('/workshop/payouts'))
      expect(page.status).toBe(200)
      expect(page.html).toMatch(/<form[^>]*action="\/workshop\/payouts\/connect"/)
      expect(page.text).toContain(translate('zh-CN', 'payments.connect.none'))
      expect(page.text).not.toContain('货款由平台通过银行转账支付')
      await t.db
        .insertInto('connected_accounts')
        .values({
          organization_id: ws.organization.id,
          account_id: `acct_${ws.organization.id.slice(0, 8)}`,
          details_submitted: true,
          payouts_enabled: true,
        })
        .execute()
      const ready = await readPage(client.get('/workshop/payouts'))
      expect(ready.text).toContain(translate('zh-CN', 'payments.connect.enabled'))
    } finally {
      await server.close()
    }
  })

  test('a failed card refund is retried from the console, and once Stripe cannot take it, sent by bank', async () => {
    const o = await acceptedOrder(app)
    await moveTo(o, 'in_production', opsApi)
    await move(opsApi, o, { action: 'cancel', reason: '设计方撤单' })
    const refund = await t.db
      .selectFrom('refunds')
      .select('id')
      .where('order_id', '=', o.id)
      .executeTakeFirstOrThrow()
    // As if it had been a card payment Stripe refused to refund.
    await t.db
      .updateTable('refunds')
      .set({ provider: 'stripe', status: 'failed', failure_message: 'charge_disputed' })
      .where('id', '=', refund.id)
      .execute()
    const page = await readPage(ops.get('/console/money'))
    const row = new RegExp(`<tr[^>]*id="refund-${refund.id}"[^>]*>([\\s\\S]*?)</tr>`).exec(
      page.html,
    )![1]!
    expect(row).toContain('退款失败：charge_disputed')
    expect(row).toContain('name="intent" value="retry"')
    expect(row).toContain('name="intent" value="mark_sent"')

    const retried = await ops.postForm('/console/money', { intent: 'retry', id: refund.id })
    expect(retried.status).toBe(302)
    expect((await readPage(ops.get(retried.headers.get('location')!))).text).toContain(
      `订单 ${o.number} 的退款已重新提交给 Stripe`,
    )
    // The task finds no Stripe here and leaves the refund to an operator.
    await vi.waitFor(
      async () => {
        const r = await t.db
          .selectFrom('refunds')
          .select(['status', 'failure_message'])
          .where('id', '=', refund.id)
          .executeTakeFirstOrThrow()
        expect(r).toEqual({ status: 'pending', failure_message: 'stripe_not_configured' })
      },
      { timeout: 10_000, interval: 100 },
    )
    const after = await readPage(ops.get('/console/money'))
    expect(after.text).toContain('未能提交 Stripe：stripe_not_configured')
    const sent = await apiPost(opsApi, `/api/v1/ops/refunds/${refund.id}/sent`, {
      bank_reference: 'ICBC-RF-STRIPE',
    })
    expect(sent.status).toBe(200)
    expect(
      await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject', '=', refund.id)
        .orderBy('created_at')
        .execute(),
    ).toEqual([{ action: 'refund.retry' }, { action: 'refund.mark_sent' }])
    await ledgerIsClean()
  })
})

describe('the operator API', () => {
  test('a reported bank transfer is confirmed by its payment id, once', async () => {
    const o = await acceptedOrder(app)
    await move(o.designer, o, {
      action: 'report_transfer',
      payer_name: '古镇灯饰设计有限公司',
      transferred_on: shanghaiToday(),
      note: '',
    })
    const payment = await t.db
      .selectFrom('payments')
      .select('id')
      .where('order_id', '=', o.id)
      .executeTakeFirstOrThrow()
    const url = `/api/v1/ops/payments/${payment.id}/confirm`
    expectError(
      await apiPost(opsApi, url, { bank_reference: 'ICBC-9', amount_fen: o.total - 1 }),
      409,
      'payment_amount_mismatch',
    )
    const res = await apiPost(opsApi, url, { bank_reference: 'ICBC-9', amount_fen: o.total })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(schemas.OpsPaymentConfirmation.parse(res.body)).toEqual(res.body)
    expect(res.body).toMatchObject({
      payment: {
        id: payment.id,
        status: 'confirmed',
        amount_fen: o.total,
        bank_reference: 'ICBC-9',
      },
      order: { id: o.id, status: 'in_production', version: o.version + 1 },
    })
    expect(await escrowFigures(t.db, o.id)).toEqual({
      paid_fen: o.total,
      released_fen: 0,
      refunded_fen: 0,
      escrow_fen: o.total,
    })
    expectError(
      await apiPost(opsApi, url, { bank_reference: 'ICBC-9', amount_fen: o.total }),
      409,
      'payment_already_confirmed',
    )
    expect(await escrowFigures(t.db, o.id)).toMatchObject({ paid_fen: o.total })
    await ledgerIsClean()
  })

  test('designers and workshops get 403 from every /ops money endpoint', async () => {
    const designer = await apiSession(app.url, await createAccount(t.db, { kind: 'design_firm' }))
    const workshop = await apiSession(app.url, await createAccount(t.db, { kind: 'workshop' }))
    const id = crypto.randomUUID()
    for (const s of [designer, workshop]) {
      for (const path of [
        '/api/v1/ops/ledger/balance',
        '/api/v1/ops/payouts?status=pending',
        '/api/v1/ops/refunds?status=pending',
      ]) {
        expectError(await s.client.api('GET', path), 403, 'forbidden')
      }
      expectError(
        await apiPost(s, `/api/v1/ops/payments/${id}/confirm`, {
          bank_reference: 'X',
          amount_fen: 1,
        }),
        403,
        'forbidden',
      )
      expectError(
        await apiPost(s, `/api/v1/ops/payouts/${id}/paid`, { bank_reference: 'X' }),
        403,
        'forbidden',
      )
      expectError(
        await apiPost(s, `/api/v1/ops/refunds/${id}/sent`, { bank_reference: 'X' }),
        403,
        'forbidden',
      )
      const page = await browserSession(app.url, s.account)
      expect((await page.get('/console/money')).status).toBe(403)
      expect(
        (await page.postForm('/console/money', { intent: 'mark_paid', id, bankReference: 'X' }))
          .status,
      ).toBe(403)
    }
  })

  test('GET /ops/ledger/balance answers exactly the four escrow figures, and they reconcile', async () => {
    const o = await acceptedOrder(app)
    await moveTo(o, 'in_production', opsApi)
    const res = await opsApi.client.api('GET', '/api/v1/ops/ledger/balance')
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual([
      'escrow_fen',
      'paid_fen',
      'refunded_fen',
      'released_fen',
    ])
    expect(schemas.LedgerBalance.parse(res.body)).toEqual(res.body)
    const figures = await escrowFigures(t.db)
    expect(res.body).toEqual(figures)
    expect(res.body.paid_fen - res.body.released_fen - res.body.refunded_fen).toBe(
      res.body.escrow_fen,
    )
    // From the domain side: what was paid in, released as payouts and refunded.
    const domain = await t.db
      .selectFrom('orders')
      .select([
        sql<number>`(select coalesce(sum(amount_fen), 0) from payments
          where status in ('confirmed', 'refunded'))::bigint`.as('payments'),
        sql<number>`(select coalesce(sum(voucher_fen), 0) from orders
          where paid_at is not null)::bigint`.as('vouchers'),
        sql<number>`(select coalesce(sum(gross_fen), 0) from payouts)::bigint`.as('released'),
        sql<number>`(select coalesce(sum(amount_fen + voucher_fen), 0) from refunds)::bigint`.as(
          'refunded',
        ),
      ])
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(res.body.paid_fen).toBe(domain.payments + domain.vouchers)
    expect(res.body.released_fen).toBe(domain.released)
    expect(res.body.refunded_fen).toBe(domain.refunded)
    expect(res.body.escrow_fen).toBeGreaterThanOrEqual(o.total)

    // The console shows the same four and that they reconcile.
    const page = await readPage(ops.get('/console/money'))
    const escrow = /<section[^>]*id="escrow"[^>]*>([\s\S]*?)<\/section>/.exec(page.html)![1]!
    for (const fen of Object.values(figures)) expect(escrow).toContain(formatFen(fen, 'zh-CN'))
    expect(page.text).toContain('对账一致')
  })
})
