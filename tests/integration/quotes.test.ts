// Quotes and orders through the JSON API (issue 6): matching writes auto quotes the workshops
// confirm, adjust or decline; workshops send manual quotes on public jobs; the design firm
// accepts one and gets exactly one order — also when 50 accepts race — with the job closed,
// the other quotes declined, the machine booked and everyone emailed, in one transaction.
import { describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { apiPost, apiSession, type Session } from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { addMachine, manualQuote, openJob, quotingWorkshop } from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { matchJob } from '../../app/models/matching.server.ts'
import { expireQuotes, platformFeeIn } from '../../app/models/quote.server.ts'
import { getPlatformSettings } from '../../app/models/settings.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
// A pool wide enough that racing accepts really run side by side.
const app = useTestApp(t, { publicUrl: PUBLIC_URL, serverPool: 20 })

const session = (account: AccountView) => apiSession(app.url, account)
const today = shanghaiToday()

async function quotesOf(s: Session, jobId: string) {
  const res = await s.client.api('GET', `/api/v1/jobs/${jobId}/quotes`)
  expect(res.status).toBe(200)
  expect(schemas.QuoteList.parse(res.body)).toEqual(res.body)
  return res.body.quotes as any[]
}

const emailsTo = (template: string, to: string) =>
  t.db
    .selectFrom('emails')
    .select(['id', 'props'])
    .where('template', '=', template)
    .where('to_address', '=', to)
    .execute()

const sum = (lines: { amount_fen: number }[]) => lines.reduce((s, l) => s + l.amount_fen, 0)

describe('auto quotes from matching', () => {
  test('matched workshops get unconfirmed auto quotes: confirmed, adjusted, declined, then one accepted', async () => {
    const a = await quotingWorkshop(app, { label: '甲', located: true })
    const b = await quotingWorkshop(app, { label: '乙', town: 'tanzhou', locale: 'en' })
    const c = await quotingWorkshop(app, { label: '丙', town: 'xiaolan' })
    const { designer, jobId, fileId } = await openJob(app)
    const settings = await getPlatformSettings(t.db)

    // Matching wrote one pending, unconfirmed auto quote per matched workshop.
    const quotes = await quotesOf(designer, jobId)
    const byWorkshop = new Map(quotes.map((q) => [q.workshop.id, q]))
    for (const ws of [a, b, c]) expect(byWorkshop.has(ws.account.organization.id)).toBe(true)
    const qa = byWorkshop.get(a.account.organization.id)
    const qb = byWorkshop.get(b.account.organization.id)
    const qc = byWorkshop.get(c.account.organization.id)
    for (const q of quotes) {
      expect(q).toMatchObject({
        source: 'auto',
        status: 'pending',
        confirmed: false,
        job_id: jobId,
      })
      expect(sum(q.breakdown)).toBe(q.total_fen)
      expect(q.reasons.map((r: { term: string }) => r.term)).toContain('price')
    }
    expect(qa).toMatchObject({
      resource_id: a.resourceId,
      quantity: 10,
      workshop: { name: '甲 精密加工', town: 'guzhen', verified: true, distance_km: 0 },
      lines: [{ file_id: fileId, quantity: 10 }],
    })
    expect(qb.workshop.distance_km).toBeNull()
    expect(qa.total_fen).toBe(qa.unit_price_fen * 10 + qa.setup_fen)
    // Labels in the caller's language (the designer's is zh-CN).
    expect(qa.breakdown[0].label).toMatch(/[\u4e00-\u9fff]/)
    const matches = await t.db
      .selectFrom('matches')
      .select('id')
      .where('job_id', '=', jobId)
      .execute()
    const autoQuotes = await t.db
      .selectFrom('quotes')
      .select('id')
      .where('job_id', '=', jobId)
      .execute()
    expect(autoQuotes).toHaveLength(matches.length)

    // An estimate nobody confirmed cannot be accepted.
    expectError(
      await apiPost(designer, `/api/v1/quotes/${qa.id}/accept`),
      409,
      'quote_not_confirmed',
    )

    // Re-running matching changes nothing: no new matches, quotes or emails.
    const matchedEmails = await t.db
      .selectFrom('emails')
      .select('id')
      .where('template', '=', 'job-matched')
      .execute()
    expect(await matchJob(t.db, jobId, { publicUrl: PUBLIC_URL })).toBeUndefined()
    expect(
      await t.db.selectFrom('matches').select('id').where('job_id', '=', jobId).execute(),
    ).toHaveLength(matches.length)
    expect(
      await t.db.selectFrom('quotes').select('id').where('job_id', '=', jobId).execute(),
    ).toHaveLength(matches.length)
    expect(
      await t.db.selectFrom('emails').select('id').where('template', '=', 'job-matched').execute(),
    ).toHaveLength(matchedEmails.length)

    // A workshop sees only its own quote and cannot touch another's.
    const sa = a.session
    const sb = b.session
    const seenByB = await quotesOf(sb, jobId)
    expect(seenByB.map((q) => q.id)).toEqual([qb.id])
    expect(seenByB[0].breakdown[0].label).toMatch(/^[\x20-\x7e]+$/)
    expectError(await apiPost(sb, `/api/v1/quotes/${qa.id}/confirm`, {}), 404, 'not_found')
    expectError(
      await apiPost(sb, `/api/v1/quotes/${qa.id}/decline`, { reason: 'x' }),
      404,
      'not_found',
    )
    expectError(await apiPost(designer, `/api/v1/quotes/${qa.id}/confirm`, {}), 403, 'forbidden')
    // Someone who cannot see the job at all: 404.
    const stranger = await session(await createAccount(t.db, { kind: 'design_firm' }))
    expectError(await stranger.client.api('GET', `/api/v1/jobs/${jobId}/quotes`), 404, 'not_found')

    // Bad input.
    const confirmA = (body: unknown) => apiPost(sa, `/api/v1/quotes/${qa.id}/confirm`, body)
    expectError(await confirmA({ unit_price_fen: -5 }), 400, 'invalid_input')
    expectError(await confirmA({ unit_price_fen: 1e15 }), 400, 'invalid_input')
    expectError(await confirmA({ unit_price_fen: 12.5 }), 400, 'invalid_input')
    expectError(await confirmA({ price: 100 }), 400, 'invalid_input')
    expectError(await apiPost(sa, '/api/v1/quotes/not-a-uuid/confirm', {}), 404, 'not_found')
    expectError(
      await apiPost(sa, '/api/v1/quotes/00000000-0000-4000-8000-000000000000/confirm', {}),
      404,
      'not_found',
    )

    // A confirms with its own unit price: the totals follow, the breakdown still adds up.
    const unit = qa.unit_price_fen + 1_234
    const confirmed = await confirmA({
      unit_price_fen: unit,
      batch_lead_days: 12,
      comment: '可以做，需要多一天阳极氧化',
    })
    expect(confirmed.status).toBe(200)
    expect(schemas.QuoteResponse.parse(confirmed.body)).toEqual(confirmed.body)
    const q = confirmed.body.quote
    expect(q).toMatchObject({
      id: qa.id,
      status: 'pending',
      confirmed: true,
      unit_price_fen: unit,
      setup_fen: qa.setup_fen,
      total_fen: unit * 10 + qa.setup_fen,
      batch_lead_days: 12,
      comment: '可以做，需要多一天阳极氧化',
      lines: [
        {
          file_id: fileId,
          quantity: 10,
          unit_price_fen: unit,
          total_fen: unit * 10 + qa.setup_fen,
        },
      ],
    })
    expect(sum(q.breakdown)).toBe(q.total_fen)
    expect(q.breakdown.map((l: { key: string }) => l.key)).toContain('workshop_adjustment')
    expect(await emailsTo('quote-received', designer.account.user.email)).toHaveLength(1)

    // B declines with a reason; a second decline is a conflict.
    expectError(
      await apiPost(sb, `/api/v1/quotes/${qb.id}/decline`, { reason: '' }),
      400,
      'invalid_input',
    )
    const declined = await apiPost(sb, `/api/v1/quotes/${qb.id}/decline`, { reason: '排期已满' })
    expect(declined.status).toBe(200)
    expect(declined.body.quote).toMatchObject({ status: 'declined', decline_reason: '排期已满' })
    expectError(
      await apiPost(sb, `/api/v1/quotes/${qb.id}/decline`, { reason: '排期已满' }),
      409,
      'quote_declined',
    )

    // Only the job's design firm accepts.
    expectError(await apiPost(sa, `/api/v1/quotes/${qa.id}/accept`), 403, 'forbidden')
    const operator = await session(await createOperatorAccount(t.db))
    expectError(await apiPost(operator, `/api/v1/quotes/${qa.id}/accept`), 403, 'forbidden')
    expectError(await apiPost(stranger, `/api/v1/quotes/${qa.id}/accept`), 404, 'not_found')

    // The designer accepts A's quote: one order awaiting payment with the amounts stored.
    const accepted = await apiPost(designer, `/api/v1/quotes/${qa.id}/accept`)
    expect(accepted.status).toBe(201)
    expect(schemas.OrderResponse.parse(accepted.body)).toEqual(accepted.body)
    const order = accepted.body.order
    const subtotal = q.total_fen + q.sample_price_fen
    expect(q.sample_price_fen).toBeGreaterThan(0)
    expect(order).toMatchObject({
      status: 'awaiting_payment',
      version: 1,
      job_id: jobId,
      quote_id: qa.id,
      workshop_id: a.account.organization.id,
      buyer_id: designer.account.organization.id,
      batch_fen: q.total_fen,
      sample_fen: q.sample_price_fen,
      subtotal_fen: subtotal,
      platform_fee_fen: platformFeeIn(subtotal, settings.pricingTables.platformFeeBps),
      voucher_fen: 0,
      total_fen: subtotal,
      sample_lead_days: q.sample_lead_days,
      batch_lead_days: 12,
      deadline: addDays(today, 30),
    })
    expect(order.platform_fee_fen).toBeGreaterThan(0)
    expect(order.number).toMatch(/^SF\d{8}\d{5}$/)
    expect(accepted.headers.get('location')).toBe(`/api/v1/orders/${order.id}`)

    // A double click: the same order, 200.
    const again = await apiPost(designer, `/api/v1/quotes/${qa.id}/accept`)
    expect(again.status).toBe(200)
    expect(again.body.order.id).toBe(order.id)
    // Another quote on the ordered job: 409.
    expectError(
      await apiPost(designer, `/api/v1/quotes/${qc.id}/accept`),
      409,
      'job_already_ordered',
    )

    // The job closed; the others were declined; the machine is booked; everyone was told.
    const job = await designer.client.api('GET', `/api/v1/jobs/${jobId}`)
    expect(job.body.status).toBe('closed')
    const after = new Map((await quotesOf(designer, jobId)).map((x) => [x.id, x]))
    expect(after.get(qa.id).status).toBe('accepted')
    expect(after.get(qb.id)).toMatchObject({ status: 'declined', decline_reason: '排期已满' })
    expect(after.get(qc.id)).toMatchObject({
      status: 'declined',
      decline_reason: 'another_quote_accepted',
    })
    const bookings = await t.db
      .selectFrom('capacity_bookings')
      .innerJoin('quotes', 'quotes.resource_id', 'capacity_bookings.resource_id')
      .select(['capacity_bookings.resource_id', 'capacity_bookings.hours', 'quotes.machine_hours'])
      .where('capacity_bookings.order_id', '=', order.id)
      .where('quotes.id', '=', qa.id)
      .execute()
    expect(bookings).toHaveLength(1)
    expect(bookings[0]!.resource_id).toBe(a.resourceId)
    expect(bookings[0]!.hours).toBeCloseTo(Math.max(0.1, bookings[0]!.machine_hours), 1)
    expect(await emailsTo('quote-accepted', a.account.user.email)).toHaveLength(1)
    expect(await emailsTo('quote-declined', c.account.user.email)).toHaveLength(1)
    expect(await emailsTo('quote-declined', b.account.user.email)).toHaveLength(0)
    const events = await t.db
      .selectFrom('order_events')
      .select(['from_status', 'to_status', 'actor_user_id'])
      .where('order_id', '=', order.id)
      .execute()
    expect(events).toEqual([
      { from_status: null, to_status: 'awaiting_payment', actor_user_id: designer.account.user.id },
    ])

    // The order, for its parties (and operators) only.
    const mine = await designer.client.api('GET', '/api/v1/orders')
    expect(schemas.OrderList.parse(mine.body)).toEqual(mine.body)
    expect(mine.body.orders.map((o: { id: string }) => o.id)).toEqual([order.id])
    const theirs = await sa.client.api('GET', '/api/v1/orders')
    expect(theirs.body.orders.map((o: { id: string }) => o.id)).toEqual([order.id])
    expect((await sb.client.api('GET', '/api/v1/orders')).body.orders).toEqual([])
    expect(
      (await operator.client.api('GET', '/api/v1/orders')).body.orders.map(
        (o: { id: string }) => o.id,
      ),
    ).toContain(order.id)
    const detail = await sa.client.api('GET', `/api/v1/orders/${order.id}`)
    expect(detail.status).toBe(200)
    expect(schemas.OrderDetailResponse.parse(detail.body)).toEqual(detail.body)
    expect(detail.body.order).toMatchObject({
      ...order,
      role: 'workshop',
      events: [{ from: null, to: 'awaiting_payment', actor: designer.account.user.name }],
      parts: [{ file_id: fileId, quantity: 10, format: 'stl' }],
      lines: q.lines,
    })
    expect(sum(detail.body.order.breakdown)).toBe(order.batch_fen)
    expect((await operator.client.api('GET', `/api/v1/orders/${order.id}`)).body.order.role).toBe(
      'operator',
    )
    expectError(await sb.client.api('GET', `/api/v1/orders/${order.id}`), 404, 'not_found')
    expectError(await sb.client.api('GET', '/api/v1/orders/nope'), 404, 'not_found')
  })
})

describe('manual quotes', () => {
  test('a verified workshop quotes a public job on a machine in its process, once', async () => {
    const { designer, jobId, fileId } = await openJob(app, { needs_sample: false })
    const m = await quotingWorkshop(app, { label: '手动', hours: 0 })
    const printer = await addMachine(app, m.account, { process: 'fdm', name: '手动 FDM 打印机' })
    const unverified = await quotingWorkshop(app, { label: '未核验', hours: 0, verified: false })
    const other = await quotingWorkshop(app, { label: '旁观', hours: 0 })
    const sm = m.session
    const quote = (body: Record<string, unknown>, s: Session = sm) =>
      apiPost(s, `/api/v1/jobs/${jobId}/quotes`, {
        resource_id: m.resourceId,
        sample_lead_days: 3,
        batch_lead_days: 10,
        machine_hours: 6,
        ...body,
      })

    expectError(await quote({ unit_price_fen: 800 }, designer), 403, 'forbidden')
    expectError(
      await quote({ unit_price_fen: 800, resource_id: unverified.resourceId }, unverified.session),
      422,
      'workshop_not_verified',
    )
    expectError(
      await quote({ unit_price_fen: 800, resource_id: printer }),
      422,
      'quote_wrong_process',
    )
    expectError(
      await quote({ unit_price_fen: 800, resource_id: other.resourceId }),
      422,
      'invalidChoice',
    )
    expectError(await quote({ unit_price_fen: -1 }), 400, 'invalid_input')
    expectError(await quote({ unit_price_fen: 2_000_000_000 }), 400, 'invalid_input')
    expectError(await quote({ unit_price_fen: 800, discount: 5 }), 400, 'invalid_input')
    expectError(
      await quote({ unit_price_fen: 800, parts: [{ file_id: fileId, unit_price_fen: 800 }] }),
      400,
      'invalid_input',
    )
    expectError(
      await quote({ parts: [{ file_id: m.resourceId, unit_price_fen: 800 }] }),
      422,
      'quote_parts',
    )
    expectError(
      await apiPost(sm, '/api/v1/jobs/00000000-0000-4000-8000-000000000000/quotes', {
        resource_id: m.resourceId,
        unit_price_fen: 800,
        sample_lead_days: 3,
        batch_lead_days: 10,
        machine_hours: 6,
      }),
      404,
      'not_found',
    )

    const created = await quote({
      parts: [{ file_id: fileId, unit_price_fen: 850 }],
      setup_fen: 30_000,
      sample_price_fen: 4_000,
      comment: '含去毛刺',
    })
    expect(created.status).toBe(201)
    expect(schemas.QuoteResponse.parse(created.body)).toEqual(created.body)
    const q = created.body.quote
    expect(q).toMatchObject({
      source: 'manual',
      status: 'pending',
      confirmed: true,
      resource_id: m.resourceId,
      quantity: 10,
      unit_price_fen: 850,
      setup_fen: 30_000,
      sample_price_fen: 4_000,
      total_fen: 850 * 10 + 30_000,
      comment: '含去毛刺',
      reasons: null,
    })
    expect(sum(q.breakdown)).toBe(q.total_fen)
    expect(q.breakdown.map((l: { key: string }) => l.key)).toEqual([
      'parts',
      'setup',
      'platform_fee',
    ])
    expect(await emailsTo('quote-received', designer.account.user.email)).toHaveLength(1)
    expectError(await quote({ unit_price_fen: 800 }), 409, 'quote_exists')

    // The job board: M's quote with its job; the job is open for the others.
    const board = await sm.client.api('GET', '/api/v1/job-board')
    expect(board.status).toBe(200)
    expect(schemas.JobBoard.parse(board.body)).toEqual(board.body)
    const mine = board.body.quoted.find((x: { id: string }) => x.id === q.id)
    expect(mine).toMatchObject({
      total_fen: q.total_fen,
      workshop: { id: m.account.organization.id, verified: true },
      job: {
        id: jobId,
        status: 'open',
        process: 'cnc_milling_3axis',
        needs_sample: false,
        delivery_town: 'guzhen',
        firm: designer.account.organization.name,
      },
    })
    expect(board.body.open.map((j: { id: string }) => j.id)).not.toContain(jobId)
    const otherBoard = await other.session.client.api('GET', '/api/v1/job-board')
    expect(otherBoard.body.open.find((j: { id: string }) => j.id === jobId)).toMatchObject({
      firm: designer.account.organization.name,
      quantity: 10,
      status: 'open',
    })
    expectError(await designer.client.api('GET', '/api/v1/job-board'), 403, 'forbidden')

    // The designer sees it and accepts it: no sample on this job, so the order is the batch.
    const listed = await quotesOf(designer, jobId)
    expect(listed.find((x) => x.id === q.id)).toEqual(q)
    const accepted = await apiPost(designer, `/api/v1/quotes/${q.id}/accept`)
    expect(accepted.status).toBe(201)
    expect(accepted.body.order).toMatchObject({
      batch_fen: q.total_fen,
      sample_fen: 0,
      subtotal_fen: q.total_fen,
      total_fen: q.total_fen,
    })
  })
})

describe('accepting', () => {
  test('50 concurrent accepts of 50 different quotes on one job make exactly one order', async () => {
    const { designer, jobId, fileId } = await openJob(app)
    // Set-up ten at a time (password hashing dominates); the accepts below all at once.
    const workshops = []
    for (let i = 0; i < 50; i += 10) {
      workshops.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, k) =>
            quotingWorkshop(app, { label: `并发${i + k}`, hours: 0 }),
          ),
        )),
      )
    }
    const quotes = await Promise.all(
      workshops.map((ws, i) => manualQuote(app, ws, jobId, fileId, 1_000 + i)),
    )
    const results = await Promise.all(
      quotes.map((q) => apiPost(designer, `/api/v1/quotes/${q.id}/accept`)),
    )
    const created = results.filter((r) => r.status === 201)
    expect(created).toHaveLength(1)
    for (const r of results.filter((x) => x.status !== 201)) {
      expectError(r, 409, 'job_already_ordered')
    }
    const orders = await t.db
      .selectFrom('orders')
      .select(['id', 'quote_id'])
      .where('job_id', '=', jobId)
      .execute()
    expect(orders).toEqual([
      { id: created[0]!.body.order.id, quote_id: created[0]!.body.order.quote_id },
    ])
    const statuses = await t.db
      .selectFrom('quotes')
      .select(['status'])
      .where('job_id', '=', jobId)
      .execute()
    expect(statuses.filter((s) => s.status === 'accepted')).toHaveLength(1)
    expect(statuses.filter((s) => s.status === 'pending')).toHaveLength(0)
    expect(
      await t.db
        .selectFrom('order_events')
        .select('id')
        .where('order_id', '=', orders[0]!.id)
        .execute(),
    ).toHaveLength(1)
    expect(
      await t.db
        .selectFrom('capacity_bookings')
        .select('id')
        .where('order_id', '=', orders[0]!.id)
        .execute(),
    ).toHaveLength(1)
  }, 120_000)

  test('the only quote on a job is accepted: nobody else to tell, the booking still made', async () => {
    // Tighter than any machine holds: matching finds nobody, so this is the one quote.
    const { designer, jobId, fileId } = await openJob(app, { tolerance_mm: 0.005 })
    const ws = await quotingWorkshop(app, { label: '独家', hours: 0 })
    const q = await manualQuote(app, ws, jobId, fileId, 900)
    expect(
      await t.db.selectFrom('quotes').select('id').where('job_id', '=', jobId).execute(),
    ).toEqual([{ id: q.id }])
    const before = await t.db
      .selectFrom('emails')
      .select('id')
      .where('template', '=', 'quote-declined')
      .execute()
    const accepted = await apiPost(designer, `/api/v1/quotes/${q.id}/accept`)
    expect(accepted.status).toBe(201)
    expect(await emailsTo('quote-accepted', ws.account.user.email)).toHaveLength(1)
    expect(
      await t.db
        .selectFrom('emails')
        .select('id')
        .where('template', '=', 'quote-declined')
        .execute(),
    ).toHaveLength(before.length)
    const booking = await t.db
      .selectFrom('capacity_bookings')
      .select(['resource_id', 'hours', 'ends_on'])
      .where('order_id', '=', accepted.body.order.id)
      .executeTakeFirstOrThrow()
    expect(booking).toEqual({ resource_id: ws.resourceId, hours: 4, ends_on: addDays(today, 30) })
  })

  test('an expired quote cannot be accepted and the hourly task marks it expired', async () => {
    const { designer, jobId, fileId } = await openJob(app)
    const ws = await quotingWorkshop(app, { label: '过期', hours: 0 })
    const q = await manualQuote(app, ws, jobId, fileId, 900)
    await t.db
      .updateTable('quotes')
      .set({ valid_until: new Date(Date.now() - 60_000) })
      .where('id', '=', q.id)
      .execute()
    const listed = await quotesOf(designer, jobId)
    expect(listed.find((x) => x.id === q.id)?.status).toBe('expired')
    expectError(await apiPost(designer, `/api/v1/quotes/${q.id}/accept`), 409, 'quote_expired')
    const sw = ws.session
    expectError(await apiPost(sw, `/api/v1/quotes/${q.id}/confirm`, {}), 409, 'quote_expired')
    expect(await expireQuotes(t.db)).toBeGreaterThanOrEqual(1)
    const row = await t.db
      .selectFrom('quotes')
      .select('status')
      .where('id', '=', q.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('expired')
    expectError(await apiPost(designer, `/api/v1/quotes/${q.id}/accept`), 409, 'quote_expired')
    const job = await t.db
      .selectFrom('jobs')
      .select('status')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow()
    expect(job.status).toBe('open')
  })

  test('cancelling a job declines its pending quotes, which can then not be accepted', async () => {
    const { designer, jobId, fileId } = await openJob(app)
    const ws = await quotingWorkshop(app, { label: '取消', hours: 0 })
    const q = await manualQuote(app, ws, jobId, fileId, 900)
    const cancelled = await apiPost(designer, `/api/v1/jobs/${jobId}/cancel`)
    expect(cancelled.status).toBe(200)
    const listed = await quotesOf(designer, jobId)
    expect(listed.length).toBeGreaterThan(0)
    for (const x of listed)
      expect(x).toMatchObject({ status: 'declined', decline_reason: 'job_cancelled' })
    expectError(await apiPost(designer, `/api/v1/quotes/${q.id}/accept`), 409, 'quote_declined')
    expect(
      await t.db.selectFrom('orders').select('id').where('job_id', '=', jobId).execute(),
    ).toEqual([])
  })
})
