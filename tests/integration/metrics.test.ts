// The operator console's figures (issue 9) on a small hand-built dataset: orders taken along
// their lifecycle through the API by the real server and worker, the rollups kept by the
// metrics__refresh jobs the triggers enqueue, and the figures read back by the API, its CSV and
// the dashboard page — equal to what the orders say.
import { sql } from 'kysely'
import { beforeAll, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { expectError } from '../support/api-errors.ts'
import { apiSession, browserSession, type Session } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import {
  acceptedOrder,
  move,
  moveTo,
  quotingWorkshop,
  type Order,
  type Workshop,
} from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { refresh } from '../../app/models/metrics-rollup.server.ts'
import { metrics, topParties } from '../../app/models/metrics.server.ts'
import { heldFor } from '../../app/models/escrow.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const t = useTestDatabase()
const app = useTestApp(t)

let operatorAccount: AccountView
let operator: Session
let guzhen: Workshop
let xiaolan: Workshop
const orders: Record<'done' | 'refunded' | 'cancelled' | 'producing', Order> = {} as never
let refundFen = 0
const today = shanghaiToday()

beforeAll(async () => {
  operatorAccount = await createOperatorAccount(t.db)
  operator = await apiSession(app.url, operatorAccount)
  guzhen = await quotingWorkshop(app, { label: '古镇灯饰', town: 'guzhen' })
  xiaolan = await quotingWorkshop(app, { label: '小榄五金', town: 'xiaolan' })
  for (const [ws, clusters] of [
    [guzhen, ['lighting', 'hardware']],
    [xiaolan, ['hardware']],
  ] as const) {
    await t.db
      .updateTable('organizations')
      .set({ clusters: [...clusters] })
      .where('id', '=', ws.account.organization.id)
      .execute()
  }
  // Completed on time; disputed and settled with a partial refund; cancelled before payment;
  // paid and in production.
  orders.done = await acceptedOrder(app, { workshop: guzhen })
  await moveTo(orders.done, 'completed', operator)
  orders.refunded = await acceptedOrder(app, { workshop: guzhen })
  await moveTo(orders.refunded, 'disputed', operator)
  refundFen = Math.floor((await heldFor(t.db, orders.refunded.id)) / 4)
  await move(operator, orders.refunded, {
    action: 'resolve_dispute',
    resolution: 'partial_refund',
    refund_fen: refundFen,
    note: '两件尺寸超差，退还四分之一',
  })
  orders.cancelled = await acceptedOrder(app, { workshop: xiaolan })
  await move(orders.cancelled.designer, orders.cancelled, { action: 'cancel', reason: '需求取消' })
  orders.producing = await acceptedOrder(app, { workshop: xiaolan })
  await moveTo(orders.producing, 'in_production', operator)
}, 120_000)

const api = (s: Session, query: string) => s.client.api('GET', `/api/v1/ops/metrics?${query}`)

/** What the calendars say for `day`, per town: offered and booked hours (bookings spread evenly). */
async function hoursOn(day: string) {
  const rows = await sql<{ town: string; offered: number; booked: number }>`
    select w.town,
      coalesce(sum(c.hours_per_day) filter (where ${day}::date between c.starts_on and c.ends_on), 0)::float8
        as offered,
      (select coalesce(sum(b.hours::float8 / (b.ends_on - b.starts_on + 1)), 0)
        from capacity_bookings b join resources rb on rb.id = b.resource_id
        where rb.organization_id = w.id and ${day}::date between b.starts_on and b.ends_on)::float8
        as booked
    from organizations w join resources r on r.organization_id = w.id and r.active
      left join capacity_windows c on c.resource_id = r.id
    where w.id in (${guzhen.account.organization.id}, ${xiaolan.account.organization.id})
    group by w.id, w.town`.execute(t.db)
  return Object.fromEntries(rows.rows.map((r) => [r.town, r]))
}

describe('figures from the rollups', () => {
  test('orders, GMV less refunds, completions, disputes and utilisation by town equal the orders’ own figures', async () => {
    const gmvGuzhen = orders.done.total + orders.refunded.total - refundFen
    const expected = {
      orders: 3,
      gmv_fen: gmvGuzhen + orders.producing.total,
      completed: 2,
      disputed: 1,
      cancelled: 1,
      refund_fen: refundFen,
    }
    // The worker keeps the rollups: the triggers' refresh jobs run a moment after each change.
    await vi.waitFor(
      async () => {
        const res = await api(operator, `from=${today}&to=${today}&group_by=town`)
        expect(res.status).toBe(200)
        expect(res.body.totals).toMatchObject(expected)
        // …and the capacity months the orders' bookings moved.
        expect(res.body.series.every((s: { booked_hours: number }) => s.booked_hours > 0)).toBe(
          true,
        )
      },
      { timeout: 20_000, interval: 500 },
    )
    const res = await api(operator, `from=${today}&to=${today}&group_by=town`)
    const hours = await hoursOn(today)
    const byTown = Object.fromEntries(res.body.series.map((s: { key: string }) => [s.key, s]))
    expect(byTown.guzhen).toMatchObject({
      orders: 2,
      gmv_fen: gmvGuzhen,
      completed: 2,
      disputed: 1,
    })
    expect(byTown.xiaolan).toMatchObject({ orders: 1, gmv_fen: orders.producing.total })
    for (const town of ['guzhen', 'xiaolan']) {
      const { offered, booked } = hours[town]!
      expect(offered).toBeGreaterThan(0)
      expect(booked).toBeGreaterThan(0)
      expect(byTown[town].offered_hours).toBeCloseTo(offered, 1)
      expect(byTown[town].booked_hours).toBeCloseTo(booked, 1)
      expect(byTown[town].utilisation).toBeCloseTo(booked / offered, 2)
    }
    // Completed on time (shipped today, due in 30 days): all of them; 1 dispute in 3 orders.
    expect(res.body.totals.on_time_rate).toBe(1)
    expect(res.body.totals.dispute_rate).toBeCloseTo(1 / 3, 5)
    expect(res.body.totals.medians.inspection).not.toBeNull()
    expect(res.body.totals.stage_counts).toMatchObject({ quote_to_paid: 3, inspection: 2 })

    // By cluster: each workshop's first; by process: the machine's.
    const clusters = await api(operator, `from=${today}&to=${today}&group_by=cluster`)
    expect(
      Object.fromEntries(
        clusters.body.series.map((s: { key: string; orders: number }) => [s.key, s.orders]),
      ),
    ).toMatchObject({ lighting: 2, hardware: 1 })
    const filtered = await api(operator, `from=${today}&to=${today}&town=guzhen&cluster=lighting`)
    expect(filtered.body.totals).toMatchObject({ orders: 2, gmv_fen: gmvGuzhen })
    const none = await api(operator, `from=${today}&to=${today}&town=guzhen&cluster=hardware`)
    expect(none.body.totals).toMatchObject({ orders: 0, gmv_fen: 0 })
    // A grouping under another dimension's filter reads that level's rows: lighting is 古镇's.
    const lightingTowns = await api(
      operator,
      `from=${today}&to=${today}&cluster=lighting&group_by=town`,
    )
    expect(
      lightingTowns.body.series.map((s: { key: string; orders: number }) => [s.key, s.orders]),
    ).toEqual([['guzhen', 2]])

    // The top lists: without a filter from the party rollup, under one from the orders.
    const f = { from: today, to: today, group_by: 'day' as const }
    const all = await topParties(t.db, f)
    expect(all.workshops.map((w) => [w.organization_id, w.orders])).toEqual(
      expect.arrayContaining([
        [guzhen.account.organization.id, 2],
        [xiaolan.account.organization.id, 1],
      ]),
    )
    const inGuzhen = await topParties(t.db, { ...f, town: 'guzhen' })
    expect(inGuzhen.workshops).toEqual([
      expect.objectContaining({
        organization_id: guzhen.account.organization.id,
        orders: 2,
        gmv_fen: gmvGuzhen,
        completed: 2,
      }),
    ])
    expect(inGuzhen.firms.reduce((n, firm) => n + firm.orders, 0)).toBe(2)
    expect(inGuzhen.firms.reduce((n, firm) => n + firm.gmv_fen, 0)).toBe(gmvGuzhen)

    // A workshop's figures, from its own orders, agree with the rollups.
    const own = await api(
      operator,
      `from=${today}&to=${today}&workshop=${guzhen.account.organization.id}`,
    )
    expect(own.body.totals).toMatchObject({
      orders: 2,
      gmv_fen: gmvGuzhen,
      completed: 2,
      disputed: 1,
    })
    expect(own.body.totals.offered_hours).toBeCloseTo(hours.guzhen!.offered, 1)
  })

  test('the funnel counts today’s jobs stage by stage', async () => {
    const res = await operator.client.api('GET', `/api/v1/ops/funnel?from=${today}&to=${today}`)
    expect(res.status).toBe(200)
    const counts = Object.fromEntries(
      res.body.stages.map((s: { stage: string; count: number }) => [s.stage, s.count]),
    )
    // Four jobs, all matched and quoted, all ordered (one cancelled later); three paid without a
    // sample to make; two completed.
    expect(counts).toEqual({
      opened: 4,
      matched: 4,
      quoted: 4,
      ordered: 4,
      sample_ok: 3,
      completed: 2,
    })
    expect(res.body.stages[5]).toMatchObject({ from_previous: 2 / 3, from_opened: 0.5 })
  })

  test('an order of 45 days ago counts on its day and in its month; months come from the month rows', async () => {
    const past = addDays(today, -45)
    await sql`update orders set created_at = (${past}::date + time '10:00') at time zone 'Asia/Shanghai'
      where id = ${orders.producing.id}`.execute(t.db)
    await refresh(t.db, 'day', past)
    await refresh(t.db, 'day', today)
    const from = addDays(today, -89)
    const byDay = await api(operator, `from=${from}&to=${today}&group_by=day`)
    expect(byDay.body.series).toHaveLength(90)
    const dayRow = byDay.body.series.find((s: { key: string }) => s.key === past)
    expect(dayRow).toMatchObject({ orders: 1, gmv_fen: orders.producing.total })
    const byMonth = await api(operator, `from=${from}&to=${today}&group_by=month`)
    expect(
      byMonth.body.series.find((s: { key: string }) => s.key === past.slice(0, 7)),
    ).toMatchObject({
      orders: expect.any(Number),
    })
    expect(byMonth.body.totals.orders).toBe(3)
    expect(byMonth.body.totals.gmv_fen).toBe(byDay.body.totals.gmv_fen)
    // The model reads the same whole months from the month rows as from the day rows.
    const monthStart = `${past.slice(0, 7)}-01`
    const nextMonth = addDays(`${addDays(monthStart, 31).slice(0, 7)}-01`, -1)
    const whole = await metrics(t.db, { from: monthStart, to: nextMonth, group_by: 'town' })
    const days = await metrics(t.db, { from: monthStart, to: nextMonth, group_by: 'day' })
    expect(whole.totals).toEqual(days.totals)
    await sql`update orders set created_at = now() where id = ${orders.producing.id}`.execute(t.db)
    await refresh(t.db, 'day', past)
    await refresh(t.db, 'day', today)
  })
})

describe('the API’s edges', () => {
  test('CSV by .csv and by Accept: a line per key and a total line that matches the JSON', async () => {
    const json = await api(operator, `from=${today}&to=${today}&group_by=town`)
    for (const res of [
      await operator.client.get(`/api/v1/ops/metrics.csv?from=${today}&to=${today}&group_by=town`),
      await operator.client.get(`/api/v1/ops/metrics?from=${today}&to=${today}&group_by=town`, {
        headers: { Accept: 'text/csv' },
      }),
    ]) {
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
      // Response.text() would drop the byte-order mark: read the bytes.
      const bytes = Buffer.from(await res.arrayBuffer())
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const text = bytes.subarray(3).toString('utf8')
      expect(text.startsWith('key,')).toBe(true)
      const lines = text.trimEnd().split('\r\n')
      const total = lines.at(-1)!.split(',')
      expect(total[0]).toBe('total')
      expect(total[1]).toBe('合计')
      expect(Number(total[2])).toBe(json.body.totals.orders)
      expect(total[3]).toBe((json.body.totals.gmv_fen / 100).toFixed(2))
      expect(lines.some((l) => l.startsWith('guzhen,古镇,2,'))).toBe(true)
    }
    const funnel = await operator.client.get(`/api/v1/ops/funnel.csv?from=${today}&to=${today}`)
    expect((await funnel.text()).split('\r\n')[1]).toBe('opened,需求发布,4,,100')
  })

  test('bad ranges and unknown filters are refused with the reason', async () => {
    expectError(await api(operator, `from=${today}&to=${addDays(today, -1)}`), 400, 'invalid_query')
    const long = await api(operator, `from=2020-01-01&to=2024-01-01`)
    expectError(long, 400, 'invalid_query')
    expect(long.body.error.message).toMatch(/three years/)
    const town = await api(operator, 'town=atlantis')
    expectError(town, 400, 'invalid_query')
    expect(town.body.error.message).toContain('atlantis')
    expectError(await api(operator, 'process=welding_by_hand'), 400, 'invalid_query')
    expectError(await api(operator, 'from=2026-02-30'), 400, 'invalid_query')
    expectError(await api(operator, 'group_by=year'), 400, 'invalid_query')
    expectError(await api(operator, 'limit=5'), 400, 'invalid_query')
  })

  test('designers and workshops get 403 on the metrics, the funnel and the dashboard; nobody anonymous', async () => {
    const designer = await apiSession(app.url, await createAccount(t.db, { kind: 'design_firm' }))
    for (const s of [designer, guzhen.session]) {
      expectError(await api(s, ''), 403, 'forbidden')
      expectError(await s.client.api('GET', '/api/v1/ops/funnel'), 403, 'forbidden')
      expect((await s.client.get('/api/v1/ops/metrics.csv')).status).toBe(403)
    }
    const page = await browserSession(app.url, await createAccount(t.db, { kind: 'design_firm' }))
    expect((await page.get('/console/dashboard')).status).toBe(403)
    expect((await fetch(`${app.url}/api/v1/ops/metrics`)).status).toBe(401)
  })
})

describe('the dashboard page', () => {
  test('shows the figures, a chart drawn on the server and its table, with CSV links', async () => {
    const browser = await browserSession(app.url, operatorAccount)
    const res = await browser.get(`/console/dashboard?from=${today}&to=${today}&town=guzhen`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/<figure class="chart">[\s\S]*?<svg/)
    const text = visibleText(html)
    expect(text).toContain('数据看板')
    expect(text).toMatch(/\b2 订单数/)
    expect(html).toContain(`/api/v1/ops/metrics.csv?from=${today}&amp;to=${today}&amp;town=guzhen`)
    const bad = await browser.get(`/console/dashboard?from=${today}&to=2020-01-01`)
    expect(bad.status).toBe(400)
    expect(visibleText(await bad.text())).toContain('is after to')
  })
})
