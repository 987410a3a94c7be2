// A workshop's insights (issue 9): utilisation, revenue, on-time rate, rating trend and quote
// win rate over the last 30, 90 and 365 days, on a small hand-built dataset — orders made and
// moved through the API at known prices, then dated into the past, and capacity written by
// hand — through GET /api/v1/workshop/insights and the workshop's dashboard; a designer, an
// operator and another workshop see none of it; a bad period is a 400. Real server, worker and
// PostgreSQL.
import { sql } from 'kysely'
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { TestClient, apiPost, apiSession, browserSession, type Session } from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { readPage } from '../support/html.ts'
import {
  addMachine,
  manualQuote,
  move,
  moveTo,
  openJob,
  quotingWorkshop,
  type Order,
  type Workshop,
} from '../support/orders.ts'
import { orderRow } from '../support/money.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { formatFen } from '../../app/models/money.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const t = useTestDatabase()
const app = useTestApp(t)

const DAY_MS = 86_400_000
const today = shanghaiToday()
/** The Shanghai month of `days` ago. */
const monthOf = (daysAgo: number) =>
  shanghaiToday(new Date(Date.now() - daysAgo * DAY_MS)).slice(0, 7)

let ws: Workshop
let rival: Workshop
let turningLathe: string
let designer: Session
let operator: Session

/** An order of `ws`'s from its manual quote at `unitPriceFen` a part: 10 parts + ¥200 set-up. */
async function orderAt(unitPriceFen: number): Promise<Order> {
  const { jobId, fileId } = await openJob(app, { designer, needs_sample: false })
  const quote = await manualQuote(app, ws, jobId, fileId, unitPriceFen)
  const accepted = await apiPost(designer, `/api/v1/quotes/${quote.id}/accept`)
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
  const order = accepted.body.order
  expect(order.total_fen).toBe(unitPriceFen * 10 + 20_000)
  return {
    id: order.id,
    number: order.number,
    version: order.version,
    total: order.total_fen,
    jobId,
    designer,
    workshop: ws.session,
    workshopId: ws.account.organization.id,
  }
}

async function review(o: Order, score: number) {
  const res = await apiPost(designer, `/api/v1/orders/${o.id}/reviews`, {
    quality: score,
    communication: score,
    on_time: score,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
}

/** Moves the order's completion, last shipment, deadline, quote and review into the past. */
async function backdate(o: Order, days: { completed: number; shipped: number; deadline: number }) {
  const ago = (n: number) => sql<Date>`now() - make_interval(days => ${n}::int)`
  await t.db
    .updateTable('orders')
    .set({
      completed_at: ago(days.completed),
      shipped_at: ago(days.shipped),
      deadline: addDays(today, -days.deadline),
    })
    .where('id', '=', o.id)
    .execute()
  const row = await orderRow(t.db, o)
  await t.db
    .updateTable('quotes')
    .set({ confirmed_at: ago(days.completed + 10), created_at: ago(days.completed + 10) })
    .where('id', '=', row.quote_id)
    .execute()
  await t.db
    .updateTable('reviews')
    .set({ created_at: ago(days.completed) })
    .where('order_id', '=', o.id)
    .execute()
}

beforeAll(async () => {
  operator = await apiSession(app.url, await createOperatorAccount(t.db))
  designer = await apiSession(app.url, await createAccount(t.db, { kind: 'design_firm' }))
  // No free hours: matching passes them by, so every quote here is one they sent by hand.
  ws = await quotingWorkshop(app, { label: '洞察', hours: 0 })
  rival = await quotingWorkshop(app, { label: '对手', hours: 0 })
  turningLathe = await addMachine(app, ws.account, {
    name: '洞察 数控车床',
    process: 'cnc_turning',
  })

  // Completed today, shipped on time: ¥300.
  const recent = await orderAt(1_000)
  await moveTo(recent, 'completed', operator)
  await review(recent, 5)
  // Completed 40 days ago, shipped late, ¥50 refunded at the dispute: ¥400 − ¥50.
  const disputed = await orderAt(2_000)
  await moveTo(disputed, 'disputed', operator)
  const resolved = await move(operator, disputed, {
    action: 'resolve_dispute',
    resolution: 'partial_refund',
    refund_fen: 5_000,
    note: '一件尺寸超差，部分退款',
  })
  expect(resolved.status).toBe('completed')
  await review(disputed, 4)
  await backdate(disputed, { completed: 40, shipped: 43, deadline: 45 })
  // Completed 200 days ago, shipped late: ¥500.
  const old = await orderAt(3_000)
  await moveTo(old, 'completed', operator)
  await review(old, 3)
  await backdate(old, { completed: 200, shipped: 205, deadline: 210 })
  // Accepted, in production: a won quote, no revenue yet.
  await moveTo(await orderAt(4_000), 'in_production', operator)

  // A quote still waiting for the design firm.
  const waiting = await openJob(app, { designer, needs_sample: false })
  await manualQuote(app, ws, waiting.jobId, waiting.fileId, 5_000)
  // A quote lost to the rival, and an estimate matching wrote that the workshop never
  // confirmed (declined with the job): not one of its quotes.
  const lost = await openJob(app, { designer, needs_sample: false })
  const lostQuote = await manualQuote(app, ws, lost.jobId, lost.fileId, 6_000)
  const rivalQuote = await manualQuote(app, rival, lost.jobId, lost.fileId, 900)
  expect((await apiPost(designer, `/api/v1/quotes/${rivalQuote.id}/accept`)).status).toBe(201)
  await sql`insert into quotes (job_id, organization_id, resource_id, source, status, quantity,
      unit_price_fen, setup_fen, sample_price_fen, total_fen, platform_fee_bps, machine_hours,
      sample_lead_days, batch_lead_days, lines, breakdown, valid_until, decline_reason, decided_at)
    select job_id, organization_id, resource_id, 'auto', 'declined', quantity, unit_price_fen,
      setup_fen, sample_price_fen, total_fen, platform_fee_bps, machine_hours, sample_lead_days,
      batch_lead_days, lines, breakdown, valid_until, 'another_quote_accepted', now()
    from quotes where id = ${lostQuote.id}`.execute(t.db)

  // Capacity by hand (the orders' own bookings go): the mill offers 8 h a day over the last
  // 30 days (and 10 days ahead, which no past period counts) with 60 h booked in the last 10;
  // the lathe offered 5 h a day from 89 to 30 days ago, with 30 h booked 59 to 50 days ago.
  const machines = [ws.resourceId, turningLathe]
  await t.db.deleteFrom('capacity_bookings').where('resource_id', 'in', machines).execute()
  await t.db.deleteFrom('capacity_windows').where('resource_id', 'in', machines).execute()
  await t.db
    .insertInto('capacity_windows')
    .values([
      {
        resource_id: ws.resourceId,
        starts_on: addDays(today, -29),
        ends_on: today,
        hours_per_day: 8,
      },
      {
        resource_id: ws.resourceId,
        starts_on: addDays(today, 1),
        ends_on: addDays(today, 10),
        hours_per_day: 8,
      },
      {
        resource_id: turningLathe,
        starts_on: addDays(today, -89),
        ends_on: addDays(today, -30),
        hours_per_day: 5,
      },
    ])
    .execute()
  await t.db
    .insertInto('capacity_bookings')
    .values([
      { resource_id: ws.resourceId, starts_on: addDays(today, -9), ends_on: today, hours: 60 },
      {
        resource_id: turningLathe,
        starts_on: addDays(today, -59),
        ends_on: addDays(today, -50),
        hours: 30,
      },
    ])
    .execute()
}, 180_000)

async function insights(s: Session, query = '') {
  const res = await s.client.api('GET', `/api/v1/workshop/insights${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(schemas.WorkshopInsights.parse(res.body)).toEqual(res.body)
  return res.body
}

describe('GET /api/v1/workshop/insights', () => {
  test('the last 90 days (the default): utilisation, revenue less refunds, on-time, ratings, win rate', async () => {
    const body = await insights(ws.session, '?period=90')
    expect(await insights(ws.session)).toEqual(body)
    expect(body.period).toEqual({ days: 90, from: addDays(today, -89), to: today })
    expect(body.utilisation).toEqual({
      offered_hours: 540,
      booked_hours: 90,
      utilisation: 0.1667,
      resources: [
        {
          resource_id: ws.resourceId,
          name: '洞察 三轴加工中心',
          process: 'cnc_milling_3axis',
          active: true,
          offered_hours: 240,
          booked_hours: 60,
          utilisation: 0.25,
        },
        {
          resource_id: turningLathe,
          name: '洞察 数控车床',
          process: 'cnc_turning',
          active: true,
          offered_hours: 300,
          booked_hours: 30,
          utilisation: 0.1,
        },
      ],
    })
    expect(body.revenue).toMatchObject({
      revenue_fen: 65_000,
      contract_fen: 70_000,
      refunded_fen: 5_000,
      orders: 2,
    })
    const months = body.revenue.months as { month: string; revenue_fen: number; orders: number }[]
    expect(months[0]!.month).toBe(addDays(today, -89).slice(0, 7))
    expect(months.at(-1)!.month).toBe(today.slice(0, 7))
    expect(months.filter((m) => m.orders > 0)).toEqual([
      { month: monthOf(40), revenue_fen: 35_000, orders: 1 },
      { month: today.slice(0, 7), revenue_fen: 30_000, orders: 1 },
    ])
    expect(body.on_time).toEqual({ completed: 2, on_time: 1, rate: 0.5 })
    expect(body.ratings.reviews).toBe(2)
    expect(body.ratings.mean).toBe(4.5)
    expect(
      (body.ratings.months as { month: string; mean: number | null }[]).filter((m) => m.mean),
    ).toEqual([
      { month: monthOf(40), reviews: 1, mean: 4 },
      { month: today.slice(0, 7), reviews: 1, mean: 5 },
    ])
    // Sent: four accepted or pending by hand plus the lost one; the unconfirmed estimate and
    // the quote of 210 days ago are not counted.
    expect(body.quotes).toEqual({ sent: 5, accepted: 3, pending: 1, win_rate: 0.6 })
  })

  test('the last 30 and the last 365 days', async () => {
    const month = await insights(ws.session, '?period=30')
    expect(month.period).toEqual({ days: 30, from: addDays(today, -29), to: today })
    expect(month.utilisation).toMatchObject({
      offered_hours: 240,
      booked_hours: 60,
      utilisation: 0.25,
    })
    expect(month.utilisation.resources[1]).toMatchObject({
      resource_id: turningLathe,
      offered_hours: 0,
      booked_hours: 0,
      utilisation: null,
    })
    expect(month.revenue).toMatchObject({ revenue_fen: 30_000, refunded_fen: 0, orders: 1 })
    expect(month.on_time).toEqual({ completed: 1, on_time: 1, rate: 1 })
    expect(month.ratings).toMatchObject({ reviews: 1, mean: 5 })
    expect(month.quotes).toEqual({ sent: 4, accepted: 2, pending: 1, win_rate: 0.5 })

    const year = await insights(ws.session, '?period=365')
    expect(year.period.from).toBe(addDays(today, -364))
    expect(year.utilisation).toMatchObject({ offered_hours: 540, booked_hours: 90 })
    expect(year.revenue).toMatchObject({
      revenue_fen: 115_000,
      contract_fen: 120_000,
      refunded_fen: 5_000,
      orders: 3,
    })
    expect(year.revenue.months.length).toBeGreaterThanOrEqual(12)
    expect(year.on_time).toEqual({ completed: 3, on_time: 1, rate: 0.3333 })
    expect(year.ratings).toMatchObject({ reviews: 3, mean: 4 })
    expect(year.quotes).toEqual({ sent: 6, accepted: 4, pending: 1, win_rate: 0.6667 })
  })

  test('another workshop gets only its own figures', async () => {
    const body = await insights(rival.session, '?period=90')
    expect(body.utilisation.resources.map((r: { resource_id: string }) => r.resource_id)).toEqual([
      rival.resourceId,
    ])
    expect(body.quotes).toEqual({ sent: 1, accepted: 1, pending: 0, win_rate: 1 })
    expect(body.revenue).toMatchObject({ revenue_fen: 0, orders: 0 })
    expect(body.on_time).toEqual({ completed: 0, on_time: 0, rate: null })
    expect(body.ratings).toMatchObject({ reviews: 0, mean: null })
  })

  test('designers and operators get 403, nobody anonymous; a bad period is a 400', async () => {
    expectError(await designer.client.api('GET', '/api/v1/workshop/insights'), 403, 'forbidden')
    expectError(await operator.client.api('GET', '/api/v1/workshop/insights'), 403, 'forbidden')
    expectError(
      await new TestClient(app.url).api('GET', '/api/v1/workshop/insights'),
      401,
      'unauthorized',
    )
    for (const period of ['60', 'abc', '', '90.0']) {
      const res = await ws.session.client.api('GET', `/api/v1/workshop/insights?period=${period}`)
      expectError(res, 400, 'invalid_input')
      expect(res.body.error.details).toMatchObject({ param: 'period' })
    }
  })
})

describe('the dashboard', () => {
  test('shows the figures, the charts as SVG with their tables, and a period picker that works without JS', async () => {
    const browser = await browserSession(app.url, ws.account)
    const page = await readPage(browser.get('/workshop?period=90'))
    expect(page.status).toBe(200)
    expect(page.text).toContain('经营概况')
    const figure = (id: string) => {
      const match = new RegExp(`<p id="${id}">([\\s\\S]*?)</p>`).exec(page.html)
      expect(match, id).not.toBeNull()
      return match![1]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
    }
    expect(figure('insights-utilisation')).toContain('16.7%')
    expect(figure('insights-utilisation')).toContain('已预订 90 小时 / 开放 540 小时')
    expect(figure('insights-revenue')).toContain(formatFen(65_000, 'zh-CN'))
    expect(figure('insights-on-time')).toContain('50%')
    expect(figure('insights-rating')).toContain('4.5')
    expect(figure('insights-win-rate')).toContain('60%')
    // The period picker: a GET form with the three periods, 90 chosen.
    expect(page.html).toMatch(/<form method="get"[^>]*>/)
    expect(page.html).toMatch(/<select id="insights-period" name="period">/)
    expect(page.html).toMatch(/<option value="90" selected="">最近 90 天<\/option>/)
    // Charts: server-drawn SVG with Chinese labels inside a captioned figure, a table beneath.
    expect(page.html).toMatch(
      /<figure class="chart"><figcaption>每月收入<\/figcaption><div[^>]*><svg /,
    )
    expect(page.html).toContain('<figcaption>每月平均评分</figcaption>')
    expect(page.html).toMatch(/<text[^>]*>完成订单数<\/text>/)
    expect(page.text).toContain('洞察 数控车床')
    const revenueTable = /<table[^>]*id="insights-revenue-months"[\s\S]*?<\/table>/.exec(
      page.html,
    )![0]
    expect(revenueTable).toContain(formatFen(35_000, 'zh-CN'))
    expect(revenueTable).toContain(formatFen(30_000, 'zh-CN'))

    const month = await readPage(browser.get('/workshop?period=30'))
    expect(month.text).toContain('25%')
    expect(month.html).toMatch(/<option value="30" selected="">/)
    expect(month.text).not.toContain(formatFen(65_000, 'zh-CN'))

    // A hand-made bad period: the last 90 days, with a notice.
    const bad = await readPage(browser.get('/workshop?period=7'))
    expect(bad.status).toBe(200)
    expect(bad.text).toContain('时间段只能选 30、90 或 365 天')
    expect(bad.text).toContain('16.7%')
  })

  test('another workshop’s dashboard shows its own figures; a designer may not open it', async () => {
    const page = await readPage((await browserSession(app.url, rival.account)).get('/workshop'))
    expect(page.status).toBe(200)
    expect(page.text).toContain('经营概况')
    expect(page.text).not.toContain('洞察 数控车床')
    expect(page.text).toContain('100%')
    const designerPage = await readPage(
      (await browserSession(app.url, designer.account)).get('/workshop'),
    )
    expect(designerPage.status).toBe(403)
  })
})
