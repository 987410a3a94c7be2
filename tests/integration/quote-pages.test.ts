// The quote pages of issue 6 without JavaScript: the workshop's job board (接单大厅) and the job
// page take plain form posts with the CSRF field, refuse bad input with a message while keeping
// what was typed, and redirect (302) on success; accepting leads to an order page only its
// parties and operators can open. The JSON API of the same features: quotes.test.ts.
import { describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { TestClient, apiSession } from '../support/http.ts'
import { readPage } from '../support/html.ts'
import { openJob, quoteOf, quotingWorkshop, type WorkshopOptions } from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const t = useTestDatabase()
const app = useTestApp(t)

const session = (account: AccountView) => apiSession(app.url, account)

// Matching keeps the best 8 machines per job and every workshop in this file with capacity
// competes for every later job: keep the workshops with `hours` > 0 across the file to 8.

/** A quoting workshop (verified unless told) at Guzhen's coordinates. */
const workshop = (label: string, options: WorkshopOptions = {}) =>
  quotingWorkshop(app, { label, located: true, ...options })

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** What the input with this id shows (its `value`), as the server rendered it. */
function inputValue(html: string, id: string) {
  const tag = html.match(new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`))?.[0]
  expect(tag, `input #${id}`).toBeDefined()
  const value = tag!.match(/\bvalue="([^"]*)"/)?.[1]
  return value === undefined ? undefined : unescape(value)
}

/** What the textarea with this id shows. */
function textareaText(html: string, id: string) {
  const text = html.match(new RegExp(`<textarea[^>]*\\bid="${id}"[^>]*>([^<]*)</textarea>`))?.[1]
  expect(text, `textarea #${id}`).toBeDefined()
  return unescape(text!)
}

/** The total the accept button of this quote carries (the figure the designer saw). */
function acceptTotal(html: string, quoteId: string) {
  const form = html.match(
    new RegExp(
      `name="quoteId" value="${quoteId}"/>\\s*<input type="hidden" name="expectedTotal" value="(\\d+)"`,
    ),
  )
  return form ? Number(form[1]) : undefined
}

const MONEY = '请输入金额，例如 180 或 180.50'
const FORM_REFUSED = '报价没有保存，请检查标出的内容。'
const REQUIRED = '此项必填'

describe('the job board', () => {
  test('lists the estimate matched to the workshop and public jobs it has not quoted; workshops only', async () => {
    const w = await workshop('大厅')
    const matched = await openJob(app, { title: '匹配到的铝块' })
    const unmatched = await openJob(app, { title: '精密销轴', tolerance_mm: 0.005 })
    const q = await quoteOf(app, w, matched.jobId)
    expect(q).toMatchObject({ source: 'auto', status: 'pending', confirmed_at: null })

    const board = await readPage(w.session.client.get('/workshop/job-board'))
    expect(board.status).toBe(200)
    expect(board.html).toContain(`id="quote-${q.id}"`)
    expect(board.text).toContain('匹配到的铝块')
    expect(board.text).toContain('待工厂确认')
    expect(board.text).toContain('平台估价')
    // The public job nobody matched it to: offered to quote on from the job page.
    expect(board.html).toContain(`href="/jobs/${unmatched.jobId}#quote"`)
    expect(board.text).toContain('精密销轴')
    expect(board.html).not.toContain(`href="/jobs/${matched.jobId}#quote"`)

    // A design firm is refused; someone not logged in is sent to log in first.
    expect((await matched.designer.client.get('/workshop/job-board')).status).toBe(403)
    const anonymous = await new TestClient(app.url).get('/workshop/job-board')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toBe(
      `/login?redirectTo=${encodeURIComponent('/workshop/job-board')}`,
    )
    // Nor may either post to it.
    const posted = await new TestClient(app.url).postForm('/workshop/job-board', {
      intent: 'confirm-quote',
      quoteId: q.id,
    })
    expect(posted.status).toBe(302)
    expect(posted.headers.get('location')).toMatch(/^\/login\?/)
    const byDesigner = await matched.designer.client.postForm('/workshop/job-board', {
      intent: 'confirm-quote',
      quoteId: q.id,
    })
    expect(byDesigner.status).toBe(403)
    expect((await quoteOf(app, w, matched.jobId)).confirmed_at).toBeNull()
  })
})

describe('confirming on the job board', () => {
  test('a bad price is refused with the typed values kept; a good one is saved; not by others', async () => {
    const w = await workshop('确认')
    const other = await workshop('旁人', { hours: 0 })
    const { jobId } = await openJob(app)
    const q = await quoteOf(app, w, jobId)
    const comment = '可以做，需要多一天阳极氧化'

    const refused = await readPage(
      w.session.client.postForm('/workshop/job-board', {
        intent: 'confirm-quote',
        quoteId: q.id,
        unitPrice: 'abc',
        batchLeadDays: '12',
        comment,
      }),
    )
    expect(refused.status).toBe(400)
    expect(refused.text).toContain(FORM_REFUSED)
    expect(refused.text).toContain(MONEY)
    expect(refused.html).toMatch(new RegExp(`id="unit-${q.id}-error"[^>]*>${MONEY}<`))
    expect(inputValue(refused.html, `unit-${q.id}`)).toBe('abc')
    expect(inputValue(refused.html, `lead-${q.id}`)).toBe('12')
    expect(textareaText(refused.html, `comment-${q.id}`)).toBe(comment)
    const unchanged = await quoteOf(app, w, jobId)
    expect(unchanged).toMatchObject({ confirmed_at: null, unit_price_fen: q.unit_price_fen })

    const confirmed = await w.session.client.postForm('/workshop/job-board', {
      intent: 'confirm-quote',
      quoteId: q.id,
      unitPrice: '12.50',
      batchLeadDays: '12',
      comment,
    })
    expect(confirmed.status).toBe(302)
    expect(confirmed.headers.get('location')).toBe(`/workshop/job-board?confirmed=1#quote-${q.id}`)
    const row = await quoteOf(app, w, jobId)
    expect(row).toMatchObject({
      status: 'pending',
      unit_price_fen: 1250,
      total_fen: 1250 * 10 + q.setup_fen,
      batch_lead_days: 12,
      comment,
    })
    expect(row.confirmed_at).toBeInstanceOf(Date)
    expect(row.confirmed_by).toBe(w.account.user.id)

    // Following the redirect: the notice, the quote now the workshop's own at 12.50 a part.
    const after = await readPage(w.session.client.get(confirmed.headers.get('location')!))
    expect(after.status).toBe(200)
    expect(after.text).toContain('报价已确认，设计方会收到通知。')
    expect(after.text).toContain('你的报价')
    expect(inputValue(after.html, `unit-${q.id}`)).toBe('12.50')

    // Another workshop cannot touch it: 404, as if the quote did not exist.
    const intrusions: Record<string, string>[] = [
      { intent: 'confirm-quote', quoteId: q.id, unitPrice: '1.00' },
      { intent: 'decline-quote', quoteId: q.id, reason: '抢单' },
    ]
    for (const fields of intrusions) {
      const res = await other.session.client.postForm('/workshop/job-board', fields)
      expect(res.status).toBe(404)
    }
    expect(await quoteOf(app, w, jobId)).toMatchObject({ status: 'pending', unit_price_fen: 1250 })
  })
})

describe('declining on the job board', () => {
  test('a reason is required; an estimate is declined, a confirmed quote withdrawn', async () => {
    const d = await workshop('拒绝')
    const c = await workshop('撤回')
    const { jobId, title } = await openJob(app, { title: '需要拒绝的铝块' })
    const qd = await quoteOf(app, d, jobId)
    const qc = await quoteOf(app, c, jobId)

    // Spaces only: the browser's `required` lets it through, the server does not.
    const refused = await readPage(
      d.session.client.postForm('/workshop/job-board', {
        intent: 'decline-quote',
        quoteId: qd.id,
        reason: '   ',
      }),
    )
    expect(refused.status).toBe(400)
    expect(refused.text).toContain(FORM_REFUSED)
    expect(refused.html).toMatch(
      new RegExp(`id="reason-${qd.id}"[^>]*aria-invalid="true"[^>]*/>\\s*<span[^>]*>${REQUIRED}<`),
    )
    expect((await quoteOf(app, d, jobId)).status).toBe('pending')

    const declined = await d.session.client.postForm('/workshop/job-board', {
      intent: 'decline-quote',
      quoteId: qd.id,
      reason: '排期已满',
    })
    expect(declined.status).toBe(302)
    expect(declined.headers.get('location')).toBe(`/workshop/job-board?declined=1#quote-${qd.id}`)
    expect(await quoteOf(app, d, jobId)).toMatchObject({
      status: 'declined',
      decline_reason: '排期已满',
    })
    const board = await readPage(d.session.client.get('/workshop/job-board?declined=1'))
    expect(board.text).toContain('已答复：不接这个需求。')
    expect(board.html).not.toContain(`id="quote-${qd.id}"`)
    expect(board.text).toMatch(new RegExp(`${title} .*已拒绝 排期已满`))

    // C confirms, then thinks better of it: the confirmed quote is withdrawn.
    const confirmed = await c.session.client.postForm('/workshop/job-board', {
      intent: 'confirm-quote',
      quoteId: qc.id,
      unitPrice: '20',
    })
    expect(confirmed.status).toBe(302)
    const withdrawn = await c.session.client.postForm('/workshop/job-board', {
      intent: 'decline-quote',
      quoteId: qc.id,
      reason: '材料涨价',
    })
    expect(withdrawn.status).toBe(302)
    expect(await quoteOf(app, c, jobId)).toMatchObject({
      status: 'withdrawn',
      decline_reason: '材料涨价',
      unit_price_fen: 2000,
    })
    expect((await readPage(c.session.client.get('/workshop/job-board'))).text).toContain('已撤回')

    // Declining again (a second tab, a double click) changes nothing.
    const again = await c.session.client.postForm('/workshop/job-board', {
      intent: 'decline-quote',
      quoteId: qc.id,
      reason: '改主意了',
    })
    expect(again.status).toBe(409)
    expect(await quoteOf(app, c, jobId)).toMatchObject({
      status: 'withdrawn',
      decline_reason: '材料涨价',
    })
  })

  // A stale click on a quote that has left the list of open ones: the refusal shows at the top.
  test('a stale click on a quote no longer awaiting an answer says why', async () => {
    const w = await workshop('过时', { hours: 0 })
    const { jobId, fileId } = await openJob(app, { title: '过时点击的铝块' })
    const sent = await w.session.client.postForm(`/jobs/${jobId}`, {
      intent: 'manual-quote',
      resourceId: w.resourceId,
      [`unitPrice.${fileId}`]: '9',
      batchLeadDays: '10',
      machineHours: '4',
    })
    expect(sent.status).toBe(302)
    const q = await quoteOf(app, w, jobId)
    const withdraw = () =>
      readPage(
        w.session.client.postForm('/workshop/job-board', {
          intent: 'decline-quote',
          quoteId: q.id,
          reason: '排期已满',
        }),
      )
    expect((await withdraw()).status).toBe(302)
    const again = await withdraw()
    expect(again.status).toBe(409)
    expect(again.text).toContain('这个报价已被工厂撤回')
  })
})

describe('a manual quote on the job page', () => {
  test('a verified workshop nobody matched quotes once, a price per part', async () => {
    const { designer, jobId, fileId } = await openJob(app, {
      title: '手动报价的铝块',
      needs_sample: false,
    })
    const m = await workshop('手动', { hours: 0 })
    const unverified = await workshop('未核验', { hours: 0, verified: false })
    // No idle hours: matching passed M by (the workshops of earlier tests may have quotes).
    const quotesOfM = () =>
      t.db
        .selectFrom('quotes')
        .select(['id', 'unit_price_fen'])
        .where('job_id', '=', jobId)
        .where('organization_id', 'in', [
          m.account.organization.id,
          unverified.account.organization.id,
        ])
        .execute()
    expect(await quotesOfM()).toEqual([])
    const here = `/jobs/${jobId}`
    const form = (fields: Record<string, string> = {}) => ({
      intent: 'manual-quote',
      resourceId: m.resourceId,
      [`unitPrice.${fileId}`]: '8.50',
      setup: '300',
      samplePrice: '0',
      sampleLeadDays: '',
      batchLeadDays: '10',
      machineHours: '6',
      comment: '含去毛刺',
      ...fields,
    })

    const page = await readPage(m.session.client.get(here))
    expect(page.status).toBe(200)
    expect(page.text).toContain('主动报价')
    expect(page.html).toContain(`name="unitPrice.${fileId}"`)

    // The part's price left empty: refused at that field, the rest as typed.
    const blank = await readPage(
      m.session.client.postForm(here, form({ [`unitPrice.${fileId}`]: '' })),
    )
    expect(blank.status).toBe(400)
    expect(blank.text).toContain(FORM_REFUSED)
    expect(blank.html).toMatch(new RegExp(`id="mq-unitPrice\\.${fileId}-error"[^>]*>${MONEY}<`))
    expect(inputValue(blank.html, 'mq-setup')).toBe('300')
    expect(inputValue(blank.html, 'mq-batchLeadDays')).toBe('10')
    expect(inputValue(blank.html, 'mq-machineHours')).toBe('6')
    expect(textareaText(blank.html, 'mq-comment')).toBe('含去毛刺')
    // No price field at all (a stale form): the whole quote is refused for want of prices.
    const withoutPrice = form()
    delete withoutPrice[`unitPrice.${fileId}`]
    const missing = await readPage(m.session.client.postForm(here, withoutPrice))
    expect(missing.status).toBe(400)
    expect(missing.text).toContain('请为每个零件填写单价')
    // Other bad fields name themselves.
    const bad = await readPage(m.session.client.postForm(here, form({ batchLeadDays: '0' })))
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('交期须为 1–365 天')
    expect(inputValue(bad.html, `mq-unitPrice.${fileId}`)).toBe('8.50')

    // An unverified workshop may look but not quote.
    const notVerified = await readPage(
      unverified.session.client.postForm(here, form({ resourceId: unverified.resourceId })),
    )
    expect(notVerified.status).toBe(422)
    expect(notVerified.text).toContain('工厂通过平台核验后才能报价')
    expect(await quotesOfM()).toEqual([])

    const sent = await m.session.client.postForm(here, form())
    expect(sent.status).toBe(302)
    expect(sent.headers.get('location')).toBe(`${here}?quoted=1#quotes`)
    const q = await quoteOf(app, m, jobId)
    expect(q).toMatchObject({
      source: 'manual',
      status: 'pending',
      resource_id: m.resourceId,
      quantity: 10,
      unit_price_fen: 850,
      setup_fen: 30_000,
      sample_price_fen: 0,
      sample_lead_days: 0,
      batch_lead_days: 10,
      machine_hours: 6,
      total_fen: 850 * 10 + 30_000,
      comment: '含去毛刺',
      lines: [
        {
          file_id: fileId,
          quantity: 10,
          unit_price_fen: 850,
          setup_fen: 30_000,
          total_fen: 850 * 10 + 30_000,
          sample_price_fen: 0,
        },
      ],
    })
    expect(q.confirmed_at).toBeInstanceOf(Date)
    const after = await readPage(m.session.client.get(`${here}?quoted=1`))
    expect(after.text).toContain('报价已更新，设计方会收到通知。')
    expect(after.html).not.toContain('id="manual-quote-title"')
    // The designer sees it among the quotes, ready to accept.
    const designerPage = await readPage(designer.client.get(here))
    expect(designerPage.text).toContain('手动 精密加工')
    expect(acceptTotal(designerPage.html, q.id)).toBe(q.total_fen)

    // A second one (a double submit, or a second tab): 409, the first one stands.
    const second = await readPage(
      m.session.client.postForm(here, form({ [`unitPrice.${fileId}`]: '7.00' })),
    )
    expect(second.status).toBe(409)
    expect(second.text).toContain('你在这个需求上已经有报价')
    expect(await quotesOfM()).toEqual([{ id: q.id, unit_price_fen: 850 }])
  })
})

describe('accepting on the job page', () => {
  test('only a confirmed quote at the price shown becomes an order its parties can open', async () => {
    const winner = await workshop('中标')
    const loser = await workshop('落选')
    const { designer, jobId, title } = await openJob(app, { title: '要下单的铝块' })
    const here = `/jobs/${jobId}`
    const qw = await quoteOf(app, winner, jobId)
    const ql = await quoteOf(app, loser, jobId)
    const accept = (quoteId: string, expectedTotal: number) =>
      readPage(
        designer.client.postForm(here, {
          intent: 'accept-quote',
          quoteId,
          expectedTotal: String(expectedTotal),
        }),
      )

    // An estimate the workshop has not confirmed: no button, and a forged post is refused.
    const before = await readPage(designer.client.get(here))
    expect(before.text).toContain('平台估价，等待工厂确认')
    expect(acceptTotal(before.html, ql.id)).toBeUndefined()
    const unconfirmed = await accept(ql.id, ql.total_fen)
    expect(unconfirmed.status).toBe(409)
    expect(unconfirmed.text).toContain('工厂还没有确认这个估价')

    // The winner confirms at 15 yuan a part; the designer's page offers that total…
    const confirm = (unitPrice: string) =>
      winner.session.client.postForm('/workshop/job-board', {
        intent: 'confirm-quote',
        quoteId: qw.id,
        unitPrice,
      })
    expect((await confirm('15.00')).status).toBe(302)
    const seen = acceptTotal((await readPage(designer.client.get(here))).html, qw.id)
    expect(seen).toBe(1500 * 10 + qw.setup_fen)
    // …but the workshop revises it before the designer clicks: refused, the new figure shown.
    expect((await confirm('16.00')).status).toBe(302)
    const stale = await accept(qw.id, seen!)
    expect(stale.status).toBe(409)
    expect(stale.text).toContain('工厂刚刚修改了这个报价，请查看新的价格后再接受')
    const current = acceptTotal(stale.html, qw.id)
    expect(current).toBe(1600 * 10 + qw.setup_fen)
    expect(
      await t.db.selectFrom('orders').select('id').where('job_id', '=', jobId).execute(),
    ).toEqual([])

    const accepted = await accept(qw.id, current!)
    expect(accepted.status).toBe(302)
    const order = await t.db
      .selectFrom('orders')
      .select(['id', 'number', 'status', 'batch_fen'])
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow()
    expect(order).toMatchObject({ status: 'awaiting_payment', batch_fen: current })
    expect(accepted.location).toBe(`/orders/${order.id}?accepted=1`)
    expect((await quoteOf(app, winner, jobId)).status).toBe('accepted')
    expect(await quoteOf(app, loser, jobId)).toMatchObject({
      status: 'declined',
      decline_reason: 'another_quote_accepted',
    })

    const landing = await readPage(designer.client.get(accepted.location!))
    expect(landing.status).toBe(200)
    expect(landing.text).toContain('已接受报价并生成订单。')
    expect(landing.text).toContain(`订单 ${order.number}`)
    expect(landing.text).toContain('待付款')

    // The order page: its design firm, the winning workshop and operators; nobody else.
    const operator = await session(await createOperatorAccount(t.db))
    const stranger = await session(await createAccount(t.db, { kind: 'design_firm' }))
    for (const [who, s] of [
      ['designer', designer],
      ['winner', winner.session],
      ['operator', operator],
    ] as const) {
      const res = await readPage(s.client.get(`/orders/${order.id}`))
      expect(res.status, who).toBe(200)
      expect(res.text, who).toContain(order.number)
      expect(res.text, who).toContain('待付款')
      expect(res.text, who).toContain(title)
    }
    expect((await readPage(winner.session.client.get(`/orders/${order.id}`))).text).toContain(
      '设计方已下单，等待付款。',
    )
    for (const [who, s] of [
      ['loser', loser.session],
      ['stranger', stranger],
    ] as const) {
      expect((await s.client.get(`/orders/${order.id}`)).status, who).toBe(404)
    }
    expect((await new TestClient(app.url).get(`/orders/${order.id}`)).status).toBe(302)

    // The orders list: the designer's purchase, the winner's sale; not the loser's.
    for (const s of [designer, winner.session]) {
      const list = await readPage(s.client.get('/orders'))
      expect(list.status).toBe(200)
      expect(list.html).toContain(`href="/orders/${order.id}"`)
      expect(list.text).toContain(order.number)
    }
    const losers = await readPage(loser.session.client.get('/orders'))
    expect(losers.status).toBe(200)
    expect(losers.text).not.toContain(order.number)

    // A second click after the order exists lands on the same order.
    const again = await accept(qw.id, current!)
    expect(again.status).toBe(302)
    expect(again.location).toBe(`/orders/${order.id}?accepted=1`)
  })
})
