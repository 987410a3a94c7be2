// Orders through 报价 → 打样 → 交货 → 品检 over the JSON API (issue 7), on real PostgreSQL with
// the worker sending through a real SMTP listener: payment, sample rounds, shipments that add
// up, delivery, inspection with measurements, disputes and their resolutions, cancellation,
// the refusals (wrong party, wrong status, stale version, bad payloads) that change nothing,
// 20 racing identical transitions, the schedule's automatic transitions and reminders, and a
// worker killed in the middle of sending an email.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { makeWorkerUtils } from 'graphile-worker'
import { sql } from 'kysely'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { TestClient, apiPost, apiSession, apiUpload, type Session } from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import {
  acceptedOrder,
  move,
  moveTo,
  pay,
  shipBatch,
  transition,
  type Order,
} from '../support/orders.ts'
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { createMailTransport, type MailTransport } from '../../emails/transport.server.ts'
import { shanghaiToday } from '../../app/models/capacity.server.ts'
import { queueEmail } from '../../app/models/email.server.ts'
import { runOrderSchedule } from '../../app/models/order-schedule.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const PUBLIC_URL = 'https://factory.example.test'
const MAIL_FROM = '共享工厂 <noreply@shared-factory.test>'
const DAY_MS = 86_400_000
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
])

const t = useTestDatabase()
let smtp: TestSmtpServer
let mail: MailTransport
beforeAll(async () => {
  smtp = await startSmtpServer()
  mail = createMailTransport(smtp.url)
})
afterAll(async () => {
  mail?.close()
  await smtp?.close()
})
// Wide enough that 20 racing transitions really wait on each other in the database.
const app = useTestApp(t, {
  publicUrl: PUBLIC_URL,
  serverPool: 30,
  taskDeps: () => ({ mail, mailFrom: MAIL_FROM }),
})
let operator: Session
beforeAll(async () => {
  operator = await apiSession(app.url, await createOperatorAccount(t.db))
})

const session = (account: AccountView) => apiSession(app.url, account)
const today = shanghaiToday()

/** An order in awaiting_payment: designer (en by default) and workshop (zh-CN). */
async function newOrder(options: { needsSample?: boolean; designerLocale?: 'zh-CN' | 'en' } = {}) {
  const designer = await session(
    await createAccount(t.db, { kind: 'design_firm', locale: options.designerLocale ?? 'en' }),
  )
  return acceptedOrder(app, { designer, job: { needs_sample: options.needsSample ?? true } })
}

async function getOrder(s: Session, o: Order) {
  const res = await s.client.api('GET', `/api/v1/orders/${o.id}`)
  expect(res.status).toBe(200)
  expect(schemas.OrderDetailResponse.parse(res.body)).toEqual(res.body)
  return res.body.order
}

async function events(s: Session, o: Order) {
  const res = await s.client.api('GET', `/api/v1/orders/${o.id}/events`)
  expect(res.status).toBe(200)
  expect(schemas.OrderEventList.parse(res.body)).toEqual(res.body)
  return res.body.events as any[]
}

/** The order row and how many events and emails it has: to show a refusal changed nothing. */
async function footprint(o: Order) {
  const order = await t.db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', o.id)
    .executeTakeFirstOrThrow()
  const count = (table: 'order_events' | 'shipments' | 'disputes' | 'inspections') =>
    t.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .where('order_id', '=', o.id)
      .executeTakeFirstOrThrow()
      .then((r) => r.n)
  const emails = await t.db
    .selectFrom('emails')
    .select(sql<number>`count(*)::int`.as('n'))
    .where(sql<boolean>`props ->> 'order' = ${o.number}`)
    .executeTakeFirstOrThrow()
  return {
    order,
    events: await count('order_events'),
    shipments: await count('shipments'),
    disputes: await count('disputes'),
    inspections: await count('inspections'),
    emails: emails.n,
  }
}

async function expectUnchanged(o: Order, before: Awaited<ReturnType<typeof footprint>>) {
  expect(await footprint(o)).toEqual(before)
}

/** An order without a sample, paid, shipped whole and delivered. */
async function deliveredOrder(options: { designerLocale?: 'zh-CN' | 'en' } = {}) {
  const o = await newOrder({ needsSample: false, ...options })
  await moveTo(o, 'delivered', operator)
  return o
}

async function disputedOrder() {
  const o = await newOrder({ needsSample: false })
  await moveTo(o, 'disputed', operator)
  return o
}

// ---------------------------------------------------------------------------------------------
// Mail as the SMTP listener received it.

function recipients(m: ParsedMail) {
  const to = m.to === undefined ? [] : Array.isArray(m.to) ? m.to : [m.to]
  return to.flatMap((g) => g.value.map((a) => a.address?.toLowerCase() ?? ''))
}
const mailsTo = (address: string, subjectPart = '', textPart = '') =>
  smtp.messages.filter(
    (m) =>
      recipients(m).includes(address.toLowerCase()) &&
      (m.subject ?? '').includes(subjectPart) &&
      (m.text ?? '').includes(textPart),
  )
/** The message to `address` with `subjectPart` (and `textPart`), once the worker sent it. */
function mailTo(address: string, subjectPart: string, textPart = '') {
  return vi.waitFor(
    () => {
      const found = mailsTo(address, subjectPart, textPart)
      if (!found.length) throw new Error(`no mail to ${address} with "${subjectPart}"`)
      return found[0]!
    },
    { timeout: 20_000, interval: 50 },
  )
}
const email = (s: Session) => s.account.user.email
/** Every email queued for the order so far will have been sent. */
function allSent(o?: Order) {
  return vi.waitFor(
    async () => {
      let query = t.db
        .selectFrom('emails')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('status', '!=', 'sent')
      if (o) query = query.where(sql<boolean>`props ->> 'order' = ${o.number}`)
      const { n } = await query.executeTakeFirstOrThrow()
      if (n) throw new Error(`${n} emails not sent yet`)
    },
    { timeout: 20_000, interval: 100 },
  )
}

// ---------------------------------------------------------------------------------------------

describe('the happy path, with a sample', () => {
  test('transfer → confirmed → sample rejected, then approved → batch in two shipments → delivered → inspected with measurements → completed', async () => {
    const o = await newOrder({ needsSample: true })
    const stranger = await session(await createAccount(t.db, { kind: 'design_firm' }))

    // Payment by bank transfer: the designer reports it, operators are asked to confirm.
    let order = await getOrder(o.designer, o)
    expect(order).toMatchObject({
      status: 'awaiting_payment',
      needs_sample: true,
      sample_round: 0,
      quantity: 10,
      amounts: { total_fen: o.total, refunded_fen: 0, voucher_fen: 0 },
      buyer: { id: o.designer.account.organization.id, name: o.designer.account.organization.name },
      workshop: { id: o.workshopId, name: o.workshop.account.organization.name },
      payments: [],
      dispute: null,
    })
    const actionsOf = (x: { allowed_transitions: { action: string }[] }) =>
      x.allowed_transitions.map((a) => a.action).sort()
    expect(actionsOf(order)).toEqual(['cancel', 'report_transfer'])
    expect(order.allowed_transitions).toContainEqual({ action: 'cancel', to: ['cancelled'] })
    expect(actionsOf(await getOrder(o.workshop, o))).toEqual([])
    expect(actionsOf(await getOrder(operator, o))).toEqual([
      'assign_inspector',
      'cancel',
      'confirm_payment',
    ])

    order = await move(o.designer, o, {
      action: 'report_transfer',
      payer_name: 'Acme Design Ltd',
      transferred_on: today,
      note: '工行转账',
    })
    expect(order.status).toBe('awaiting_payment')
    expect(order.payments).toMatchObject([
      {
        provider: 'bank_transfer',
        status: 'reported',
        amount_fen: o.total,
        payer_name: 'Acme Design Ltd',
      },
    ])
    // The operator is asked to act, in the operator's language (zh-CN).
    const asked = await mailTo(email(operator), o.number)
    expect(asked.subject).toBe(`【共享工厂】订单 ${o.number}：待付款`)
    expect(asked.text).toContain('请核对到账并确认收款')

    order = await pay(operator, o, 'sampling')
    expect(order).toMatchObject({ status: 'sampling', sample_round: 1 })
    expect(order.payments).toMatchObject([{ status: 'confirmed', bank_reference: 'ICBC-20261130' }])
    expect(order.paid_at).toEqual(expect.any(String))
    // The workshop must make the sample now: told in Chinese.
    expect((await mailTo(email(o.workshop), `${o.number}：打样中`)).text).toContain('款项已到账')

    // Round 1: shipped with a photo, rejected with feedback.
    const photo = await apiUpload(
      o.workshop,
      `/api/v1/orders/${o.id}/attachments`,
      {},
      { name: '样品.png', bytes: PNG },
    )
    expect(photo.status).toBe(201)
    expect(schemas.OrderAttachment.parse(photo.body)).toEqual(photo.body)
    expect(photo.body).toMatchObject({
      name: '样品.png',
      content_type: 'image/png',
      size: PNG.length,
    })
    order = await move(o.workshop, o, {
      to: 'sample_shipped',
      carrier: '顺丰',
      tracking_number: 'SF1001',
      note: '第一版样品',
      attachment_ids: [photo.body.id],
    })
    expect(order.shipments).toMatchObject([
      {
        kind: 'sample',
        round: 1,
        quantity: 1,
        tracking_number: 'SF1001',
        attachment_ids: [photo.body.id],
      },
    ])
    // The designer (en) must look at the sample: told in English.
    const shippedMail = await mailTo(email(o.designer), `Order ${o.number}: Sample shipped`)
    expect(shippedMail.subject).toBe(`[Shared Factory] Order ${o.number}: Sample shipped`)
    expect(shippedMail.text).toContain('approve it or send feedback')
    expect(shippedMail.text).toContain(`${PUBLIC_URL}/orders/${o.id}`)

    order = await move(o.designer, o, { action: 'reject_sample', feedback: 'Hole 2 is 0.1 mm off' })
    expect(order).toMatchObject({ status: 'sampling', sample_round: 2 })
    expect(order.sample_reviews).toMatchObject([
      { round: 1, decision: 'rejected', feedback: 'Hole 2 is 0.1 mm off' },
    ])
    expect((await mailTo(email(o.workshop), '打样中')).subject).toContain(o.number)
    await vi.waitFor(() => expect(mailsTo(email(o.workshop), o.number)).toHaveLength(2), {
      timeout: 20_000,
    })

    // Round 2: shipped and approved.
    await move(o.workshop, o, { to: 'sample_shipped', carrier: '顺丰', tracking_number: 'SF1002' })
    order = await move(o.designer, o, { to: 'in_production', feedback: 'Good' })
    expect(order).toMatchObject({ status: 'in_production', sample_round: 2 })
    expect(order.sample_reviews.map((r: any) => [r.round, r.decision])).toEqual([
      [1, 'rejected'],
      [2, 'approved'],
    ])

    // The batch in two shipments whose quantities add up to the order's.
    order = await shipBatch(o, 4)
    expect(order).toMatchObject({ status: 'in_production', shipped_quantity: 4 })
    expect(actionsOf(order)).toContain('ship_batch')
    expect(actionsOf(await getOrder(o.designer, o))).not.toContain('ship_batch')
    order = await move(o.workshop, o, {
      to: 'shipped',
      carrier: '顺丰',
      tracking_number: 'SF2002',
      quantity: 6,
    })
    expect(order).toMatchObject({ status: 'shipped', shipped_quantity: 10 })
    expect(order.automatic).toEqual({
      action: 'auto_confirm_delivery',
      at: new Date(new Date(order.shipped_at).getTime() + 7 * DAY_MS).toISOString(),
    })
    const batches = order.shipments.filter((s: any) => s.kind === 'batch')
    expect(batches.map((s: any) => s.quantity)).toEqual([4, 6])

    order = await move(o.designer, o, { to: 'delivered' })
    expect(order.status).toBe('delivered')
    expect(order.delivered_at).toEqual(expect.any(String))

    // The inspection: lot 10 at AQL 1.0, level II → code B, whole lot (n = 10), Ac 0 / Re 1.
    const inspected = await apiPost(o.designer, `/api/v1/orders/${o.id}/inspections`, {
      version: o.version,
      defects_found: 0,
      measurements: [
        {
          feature: '孔径 Ø10',
          nominal: 10,
          tol_minus: 0.02,
          tol_plus: 0.02,
          measured: [10.01, 9.99, 10],
        },
        { feature: '长度 40', nominal: 40, tol_minus: 0.05, tol_plus: 0.05, measured: [40.02] },
      ],
      notes: '全检',
      attachment_ids: [photo.body.id],
    })
    expect(inspected.status, JSON.stringify(inspected.body)).toBe(201)
    expect(schemas.OrderInspectionResponse.parse(inspected.body)).toEqual(inspected.body)
    expect(inspected.body.inspection).toMatchObject({
      lot_size: 10,
      aql: 1,
      level: 'II',
      code_letter: 'B',
      sample_size: 10,
      accept_number: 0,
      reject_number: 1,
      defects_found: 0,
      result: 'accept',
      automatic: false,
      inspector_user_id: o.designer.account.user.id,
    })
    expect(inspected.body.inspection.measurements.map((m: any) => m.pass)).toEqual([true, true])
    order = inspected.body.order
    o.version = order.version
    expect(order).toMatchObject({ status: 'completed', allowed_transitions: [] })
    expect(order.completed_at).toEqual(expect.any(String))

    // The workshop's record: one completed order, shipped before the deadline.
    const record = await t.db
      .selectFrom('organizations')
      .select(['completed_orders', 'on_time_rate'])
      .where('id', '=', o.workshopId)
      .executeTakeFirstOrThrow()
    expect(record).toEqual({ completed_orders: 1, on_time_rate: 1 })

    // The audit log: every step, who took it, in order.
    const log = await events(o.workshop, o)
    expect(log.map((e) => [e.from, e.to, e.action])).toEqual([
      [null, 'awaiting_payment', null],
      ['awaiting_payment', 'awaiting_payment', 'report_transfer'],
      ['awaiting_payment', 'sampling', 'confirm_payment'],
      ['sampling', 'sample_shipped', 'ship_sample'],
      ['sample_shipped', 'sampling', 'reject_sample'],
      ['sampling', 'sample_shipped', 'ship_sample'],
      ['sample_shipped', 'in_production', 'approve_sample'],
      ['in_production', 'in_production', 'ship_batch'],
      ['in_production', 'shipped', 'ship_batch'],
      ['shipped', 'delivered', 'confirm_delivery'],
      ['delivered', 'completed', 'record_inspection'],
    ])
    expect(log[2].actor).toEqual({
      user_id: operator.account.user.id,
      name: operator.account.user.name,
    })
    expect(log[4]).toMatchObject({
      actor: { user_id: o.designer.account.user.id },
      automatic: false,
      payload: { feedback: 'Hole 2 is 0.1 mm off' },
    })
    expect(log.at(-1).payload).toMatchObject({ result: 'accept', measurements: 2 })
    expect(new Set(log.map((e) => e.id)).size).toBe(log.length)

    // The lists: by role and status; bad filters are 400.
    const mine = await o.designer.client.api('GET', '/api/v1/orders?role=buyer&status=completed')
    expect(mine.status).toBe(200)
    expect(schemas.OrderList.parse(mine.body)).toEqual(mine.body)
    expect(mine.body.orders.map((x: any) => x.id)).toEqual([o.id])
    expect(mine.body.orders[0]).toMatchObject({
      sample_round: 2,
      quantity: 10,
      amounts: { total_fen: o.total },
      workshop: { id: o.workshopId },
      allowed_transitions: [],
    })
    for (const query of ['role=workshop', 'role=buyer&status=shipped']) {
      const none = await o.designer.client.api('GET', `/api/v1/orders?${query}`)
      expect(none.body.orders.filter((x: any) => x.id === o.id)).toEqual([])
    }
    expect(
      (await o.workshop.client.api('GET', '/api/v1/orders?role=workshop')).body.orders.map(
        (x: any) => x.id,
      ),
    ).toContain(o.id)
    expectError(
      await o.designer.client.api('GET', '/api/v1/orders?status=lost'),
      400,
      'invalid_input',
    )
    expectError(
      await o.designer.client.api('GET', '/api/v1/orders?role=boss'),
      400,
      'invalid_input',
    )

    // The attachments: the parties and operators see them; nobody else, not even that it exists.
    const listed = await o.designer.client.api('GET', `/api/v1/orders/${o.id}/attachments`)
    expect(schemas.OrderAttachmentList.parse(listed.body)).toEqual(listed.body)
    expect(listed.body.attachments).toMatchObject([
      {
        id: photo.body.id,
        organization: { id: o.workshopId },
        uploaded_by: { user_id: o.workshop.account.user.id },
      },
    ])
    for (const s of [o.designer, o.workshop, operator]) {
      const file = await s.client.get(`/files/${photo.body.id}`)
      expect(file.status).toBe(200)
      expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG)
    }
    expect((await stranger.client.get(`/files/${photo.body.id}`)).status).toBe(404)
    expect((await new TestClient(app.url).get(`/files/${photo.body.id}`)).status).toBe(404)
    expectError(
      await stranger.client.api('GET', `/api/v1/orders/${o.id}/attachments`),
      404,
      'not_found',
    )
    expectError(
      await apiUpload(
        stranger,
        `/api/v1/orders/${o.id}/attachments`,
        {},
        { name: 'x.png', bytes: PNG },
      ),
      404,
      'not_found',
    )
    expectError(
      await apiUpload(
        o.designer,
        `/api/v1/orders/${o.id}/attachments`,
        {},
        { name: 'x.txt', bytes: 'hello' },
      ),
      422,
      'file_type',
    )
    expectError(await stranger.client.api('GET', `/api/v1/orders/${o.id}/events`), 404, 'not_found')
  })

  test('the browser form attaches a file and comes back to the order page', async () => {
    const o = await newOrder({ needsSample: false })
    const client = o.designer.client
    const token = o.designer.csrf['x-csrf-token']!
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), '到货照片.png')
    const done = await client.fetch(
      `/orders/${o.id}/attachments?csrf=${encodeURIComponent(token)}`,
      {
        method: 'POST',
        body: form,
      },
    )
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe(`/orders/${o.id}?attached=1#attachments`)

    const bad = new FormData()
    bad.append('file', new Blob(['not an image']), 'notes.txt')
    const refused = await client.fetch(
      `/orders/${o.id}/attachments?csrf=${encodeURIComponent(token)}`,
      {
        method: 'POST',
        body: bad,
      },
    )
    expect(refused.status).toBe(303)
    expect(refused.headers.get('location')).toBe(
      `/orders/${o.id}?attachError=file_type#attachments`,
    )

    const again = new FormData()
    again.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'second.png')
    const json = await client.fetch(`/orders/${o.id}/attachments`, {
      method: 'POST',
      body: again,
      headers: { accept: 'application/json', 'x-csrf-token': token },
    })
    expect(json.status).toBe(201)
    expect(await json.json()).toMatchObject({ ok: true, attachment: { name: 'second.png' } })

    const listed = await client.api('GET', `/api/v1/orders/${o.id}/attachments`)
    expect(listed.body.attachments.map((a: any) => a.name)).toEqual(['到货照片.png', 'second.png'])
  })
})

describe('samples and disputes', () => {
  test('a sample rejected in the last round opens a dispute', async () => {
    const o = await newOrder({ needsSample: true })
    await t.db.updateTable('orders').set({ max_sample_rounds: 1 }).where('id', '=', o.id).execute()
    await pay(operator, o, 'sampling')
    await move(o.workshop, o, { to: 'sample_shipped', carrier: '顺丰', tracking_number: 'SF1' })
    const order = await move(o.designer, o, { action: 'reject_sample', feedback: 'Still wrong' })
    expect(order).toMatchObject({
      status: 'disputed',
      sample_round: 1,
      dispute: { reason: 'sample_rounds_exhausted', status: 'open', evidence: [] },
    })
    expect((await getOrder(operator, o)).allowed_transitions.map((a: any) => a.action)).toContain(
      'resolve_dispute',
    )
  })

  test('a rejected inspection (defects ≥ Re) is a dispute; evidence from both; rework sends it back to production for a new round', async () => {
    const o = await deliveredOrder()
    const res = await apiPost(o.designer, `/api/v1/orders/${o.id}/inspections`, {
      version: o.version,
      defects_found: 1,
      measurements: [
        {
          feature: '孔径 Ø10',
          nominal: 10,
          tol_minus: 0.02,
          tol_plus: 0.02,
          measured: [10.01, 10.05],
        },
      ],
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    o.version = res.body.order.version
    expect(res.body.inspection).toMatchObject({
      defects_found: 1,
      reject_number: 1,
      result: 'reject',
    })
    expect(res.body.inspection.measurements[0].pass).toBe(false)
    expect(res.body.order).toMatchObject({
      status: 'disputed',
      dispute: { reason: 'inspection_rejected', evidence: [] },
    })
    // The workshop must answer: told in Chinese.
    await mailTo(email(o.workshop), `${o.number}：争议处理中`)

    const photo = await apiUpload(
      o.workshop,
      `/api/v1/orders/${o.id}/attachments`,
      {},
      { name: '出货检验.png', bytes: PNG },
    )
    await move(o.workshop, o, {
      action: 'add_evidence',
      note: '出货前全检合格',
      attachment_ids: [photo.body.id],
    })
    let order = await move(o.designer, o, { action: 'add_evidence', note: 'Hole measured 10.05' })
    expect(order.dispute.evidence).toMatchObject([
      { organization_id: o.workshopId, note: '出货前全检合格', attachment_ids: [photo.body.id] },
      { organization_id: o.designer.account.organization.id, note: 'Hole measured 10.05' },
    ])
    // Evidence is for the parties; the operator decides.
    expectError(
      await transition(operator, o, { action: 'add_evidence', note: 'x' }),
      403,
      'forbidden',
    )
    // Someone else's attachment cannot be cited.
    const other = await newOrder({ needsSample: false })
    const foreign = await apiUpload(
      other.designer,
      `/api/v1/orders/${other.id}/attachments`,
      {},
      { name: 'x.png', bytes: PNG },
    )
    expectError(
      await transition(o.designer, o, {
        action: 'add_evidence',
        note: 'x',
        attachment_ids: [foreign.body.id],
      }),
      422,
      'invalid_attachment',
    )

    order = await move(operator, o, {
      action: 'resolve_dispute',
      resolution: 'rework',
      note: '返工孔位',
    })
    expect(order).toMatchObject({
      status: 'in_production',
      batch_round: 2,
      shipped_quantity: 0,
      shipped_at: null,
      delivered_at: null,
      dispute: null,
    })
    // The new round ships the whole lot again.
    order = await shipBatch(o, 10)
    expect(order).toMatchObject({ status: 'shipped', shipped_quantity: 10 })
    const resolved = await t.db
      .selectFrom('disputes')
      .select(['status', 'resolution', 'refund_fen'])
      .where('order_id', '=', o.id)
      .execute()
    expect(resolved).toEqual([{ status: 'resolved', resolution: 'rework', refund_fen: 0 }])
  })

  test('a partial refund completes the order with the refund recorded; one at or above the total is refused', async () => {
    const o = await disputedOrder()
    const before = await footprint(o)
    for (const refund_fen of [o.total, o.total + 1, 0]) {
      expectError(
        await transition(operator, o, {
          action: 'resolve_dispute',
          resolution: 'partial_refund',
          refund_fen,
          note: 'x',
        }),
        409,
        'refund_out_of_range',
      )
    }
    await expectUnchanged(o, before)
    const order = await move(operator, o, {
      action: 'resolve_dispute',
      resolution: 'partial_refund',
      refund_fen: 5_000,
      note: '部分退款',
    })
    expect(order).toMatchObject({
      status: 'completed',
      amounts: { refunded_fen: 5_000 },
      dispute: null,
    })
    const log = await events(o.designer, o)
    expect(log.at(-1)).toMatchObject({
      action: 'resolve_dispute',
      to: 'completed',
      payload: { resolution: 'partial_refund', refund_fen: 5_000 },
    })
  })

  test('a full refund refunds the order and releases its machine booking', async () => {
    const o = await disputedOrder()
    const bookings = () =>
      t.db.selectFrom('capacity_bookings').select('id').where('order_id', '=', o.id).execute()
    expect(await bookings()).toHaveLength(1)
    const order = await move(operator, o, {
      action: 'resolve_dispute',
      resolution: 'full_refund',
      note: '全额退款',
    })
    expect(order).toMatchObject({
      status: 'refunded',
      amounts: { refunded_fen: o.total },
      allowed_transitions: [],
    })
    expect(await bookings()).toEqual([])
  })
})

describe('cancelling', () => {
  test('the designer cancels before payment; the workshop is told and the booking released', async () => {
    const o = await newOrder({ needsSample: true })
    const order = await move(o.designer, o, { to: 'cancelled', reason: 'Project stopped' })
    expect(order).toMatchObject({ status: 'cancelled', allowed_transitions: [] })
    expect(order.cancelled_at).toEqual(expect.any(String))
    expect(
      await t.db
        .selectFrom('capacity_bookings')
        .select('id')
        .where('order_id', '=', o.id)
        .execute(),
    ).toEqual([])
    await mailTo(email(o.workshop), `${o.number}：已取消`)
    // Cancelled is final.
    expectError(await transition(o.designer, o, { to: 'sampling' }), 409, 'illegal_transition')
  })

  test('after payment the designer cannot cancel alone; both asking cancels it', async () => {
    const o = await newOrder({ needsSample: true })
    await pay(operator, o, 'sampling')
    const before = await footprint(o)
    expectError(
      await transition(o.designer, o, { action: 'cancel', reason: 'Changed my mind' }),
      409,
      'cancel_needs_agreement',
    )
    await expectUnchanged(o, before)

    let order = await move(o.designer, o, {
      action: 'request_cancellation',
      reason: 'Changed my mind',
    })
    expect(order).toMatchObject({ status: 'sampling', cancel_requested_by: 'buyer' })
    expect(order.allowed_transitions.map((a: any) => a.action)).not.toContain(
      'request_cancellation',
    )
    expectError(
      await transition(o.designer, o, { action: 'request_cancellation', reason: 'again' }),
      409,
      'cancellation_already_requested',
    )
    // The workshop agrees: its `to: cancelled` is its cancellation request, the second one.
    order = await move(o.workshop, o, { to: 'cancelled', reason: '同意取消' })
    expect(order).toMatchObject({ status: 'cancelled', cancel_requested_by: null })
  })
})

describe('refusals change nothing', () => {
  test('the wrong party is 403, a stranger 404, the wrong status 409 illegal_transition, a stale version 409 stale_version', async () => {
    const o = await newOrder({ needsSample: true })
    await pay(operator, o, 'sampling')
    await move(o.workshop, o, { to: 'sample_shipped', carrier: '顺丰', tracking_number: 'SF1' })
    const before = await footprint(o)

    // The designer's move, tried by the workshop, by action or by status.
    expectError(await transition(o.workshop, o, { action: 'approve_sample' }), 403, 'forbidden')
    expectError(await transition(o.workshop, o, { to: 'in_production' }), 403, 'forbidden')
    // Even with a payload the action would refuse: whose move it is comes first.
    expectError(await transition(o.workshop, o, { action: 'reject_sample' }), 403, 'forbidden')
    expectError(await transition(operator, o, { action: 'approve_sample' }), 403, 'forbidden')
    const stranger = await session(await createAccount(t.db, { kind: 'workshop' }))
    expectError(await transition(stranger, o, { action: 'approve_sample' }), 404, 'not_found')
    expectError(await stranger.client.api('GET', `/api/v1/orders/${o.id}`), 404, 'not_found')

    // Not from this status, whatever the payload.
    expectError(
      await transition(o.designer, o, { action: 'confirm_delivery' }),
      409,
      'illegal_transition',
    )
    expectError(
      await transition(o.workshop, o, { action: 'ship_batch' }),
      409,
      'illegal_transition',
    )
    expectError(await transition(o.designer, o, { to: 'completed' }), 409, 'illegal_transition')

    // Somebody moved it first.
    const stale = await apiPost(o.designer, `/api/v1/orders/${o.id}/transitions`, {
      version: o.version - 1,
      to: 'in_production',
    })
    expectError(stale, 409, 'stale_version')
    expect(stale.body.error.details).toEqual({ version: o.version, status: 'sample_shipped' })

    // Malformed requests.
    expectError(
      await apiPost(o.designer, `/api/v1/orders/${o.id}/transitions`, { to: 'in_production' }),
      400,
      'invalid_input',
    )
    expectError(await transition(o.designer, o, {}), 400, 'invalid_input')
    expectError(await transition(o.designer, o, { action: 'fly_away' }), 400, 'invalid_input')
    expectError(
      await transition(o.designer, o, { to: 'in_production', feedback: 'ok', extra: 1 }),
      400,
      'invalid_input',
    )
    await expectUnchanged(o, before)
    expect((await move(o.designer, o, { to: 'in_production' })).status).toBe('in_production')
  })

  test('payloads the action refuses: no tracking number, shipments beyond the quantity, defects below the failing measurements', async () => {
    const o = await newOrder({ needsSample: true })
    await pay(operator, o, 'sampling')
    let before = await footprint(o)
    const noTracking = await transition(o.workshop, o, { to: 'sample_shipped', carrier: '顺丰' })
    expectError(noTracking, 400, 'invalid_input')
    expect(noTracking.body.error.details.issues.map((i: any) => i.path)).toEqual([
      'tracking_number',
    ])
    expectError(
      await transition(o.workshop, o, {
        to: 'sample_shipped',
        carrier: '顺丰',
        tracking_number: '  ',
      }),
      400,
      'invalid_input',
    )
    await expectUnchanged(o, before)

    await move(o.workshop, o, { to: 'sample_shipped', carrier: '顺丰', tracking_number: 'SF1' })
    await move(o.designer, o, { to: 'in_production' })
    await shipBatch(o, 7)
    before = await footprint(o)
    const tooMany = await transition(o.workshop, o, {
      action: 'ship_batch',
      carrier: '顺丰',
      tracking_number: 'SF9',
      quantity: 4,
    })
    expectError(tooMany, 409, 'shipment_exceeds_order')
    await expectUnchanged(o, before)
    await shipBatch(o, 3)
    await move(o.designer, o, { to: 'delivered' })

    before = await footprint(o)
    const inspect = (body: Record<string, unknown>) =>
      apiPost(o.designer, `/api/v1/orders/${o.id}/inspections`, { version: o.version, ...body })
    // Two values out of tolerance are two defective parts at least.
    expectError(
      await inspect({
        defects_found: 1,
        measurements: [
          {
            feature: 'Ø10',
            nominal: 10,
            tol_minus: 0.02,
            tol_plus: 0.02,
            measured: [10.1, 9.9, 10],
          },
        ],
      }),
      422,
      'defects_below_measurements',
    )
    expectError(await inspect({ defects_found: 11, measurements: [] }), 422, 'defects_above_sample')
    expectError(await inspect({ defects_found: 0, aql: 0.7 }), 400, 'invalid_input')
    expectError(await inspect({ measurements: [] }), 400, 'invalid_input')
    expectError(
      await inspect({
        defects_found: 0,
        measurements: [
          { feature: 'Ø10', nominal: 10, tol_minus: 0.02, tol_plus: 0.02, measured: [] },
        ],
      }),
      400,
      'invalid_input',
    )
    // Only the buyer (or an assigned inspector) inspects.
    expectError(
      await apiPost(o.workshop, `/api/v1/orders/${o.id}/inspections`, {
        version: o.version,
        defects_found: 0,
      }),
      403,
      'forbidden',
    )
    await expectUnchanged(o, before)
  })

  test('an operator assigns an inspector, who may then inspect; the confirmed amount must be the total', async () => {
    const o = await newOrder({ needsSample: false })
    const before = await footprint(o)
    expectError(
      await transition(operator, o, {
        to: 'in_production',
        bank_reference: 'x',
        amount_fen: o.total - 1,
      }),
      409,
      'payment_amount_mismatch',
    )
    await expectUnchanged(o, before)
    const inspector = await session(await createOperatorAccount(t.db))
    expectError(
      await transition(operator, o, {
        action: 'assign_inspector',
        user_id: o.designer.account.user.id,
      }),
      422,
      'inspector_not_staff',
    )
    await move(operator, o, { action: 'assign_inspector', user_id: inspector.account.user.id })
    await mailTo(email(inspector), `${o.number}：待付款`, '已指派品检员')
    await pay(operator, o, 'in_production')
    await shipBatch(o, 10)
    await move(o.designer, o, { to: 'delivered' })
    // The goods arrived: the inspector must act, and is told.
    await mailTo(email(inspector), `${o.number}：已送达`)
    await move(inspector, o, { to: 'inspecting' })
    const res = await apiPost(inspector, `/api/v1/orders/${o.id}/inspections`, {
      version: o.version,
      defects_found: 0,
      level: 'III',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.inspection).toMatchObject({
      inspector_user_id: inspector.account.user.id,
      level: 'III',
      result: 'accept',
    })
    expect(res.body.order.status).toBe('completed')
  })
})

describe('racing', () => {
  test('20 concurrent identical transitions: one wins, one event, one email', async () => {
    const o = await newOrder({ needsSample: true })
    await pay(operator, o, 'sampling')
    await allSent(o)
    const before = await footprint(o)
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        transition(o.workshop, o, {
          to: 'sample_shipped',
          carrier: '顺丰',
          tracking_number: 'SF-RACE',
        }),
      ),
    )
    const won = results.filter((r) => r.status === 200)
    expect(won).toHaveLength(1)
    for (const r of results.filter((x) => x.status !== 200)) expectError(r, 409, 'stale_version')
    const after = await footprint(o)
    expect(after.events).toBe(before.events + 1)
    expect(after.shipments).toBe(before.shipments + 1)
    expect(after.order.version).toBe(before.order.version + 1)
    expect(after.emails).toBe(before.emails + 1)

    // Exactly one message reached the designer, once the worker is done.
    await allSent(o)
    await mailTo(email(o.designer), `Order ${o.number}: Sample shipped`)
    await new Promise((r) => setTimeout(r, 500))
    expect(mailsTo(email(o.designer), `Order ${o.number}: Sample shipped`)).toHaveLength(1)
  })
})

describe('the schedule', () => {
  const backdate = (o: Order, column: 'shipped_at' | 'delivered_at', days: number) =>
    t.db
      .updateTable('orders')
      .set({ [column]: new Date(Date.now() - days * DAY_MS) })
      .where('id', '=', o.id)
      .execute()

  test('shipped 8 days ago, silent: delivery confirmed automatically, both parties told', async () => {
    const o = await newOrder({ needsSample: false })
    await moveTo(o, 'shipped', operator)
    await backdate(o, 'shipped_at', 8)
    const result = await runOrderSchedule(t.db, { publicUrl: PUBLIC_URL })
    expect(result.autoConfirmed).toContain(o.id)
    expect(result.failed).toEqual([])
    const order = await getOrder(o.designer, o)
    expect(order.status).toBe('delivered')
    expect(order.automatic.action).toBe('auto_accept')
    const last = (await events(o.designer, o)).at(-1)
    expect(last).toMatchObject({
      from: 'shipped',
      to: 'delivered',
      action: 'auto_confirm_delivery',
      actor: null,
      automatic: true,
      payload: { reason: 'delivery_window' },
    })
    await mailTo(email(o.designer), `Order ${o.number}: Delivered`)
    await mailTo(email(o.workshop), `${o.number}：已送达`)
    // Once is all: a second run finds nothing due.
    const again = await runOrderSchedule(t.db, { publicUrl: PUBLIC_URL })
    expect(again.autoConfirmed).not.toContain(o.id)
  })

  test('delivered 8 days ago without an inspection: accepted automatically, through the worker', async () => {
    const o = await deliveredOrder()
    await backdate(o, 'delivered_at', 8)
    await enqueue(t.db, 'orders__schedule', {})
    await vi.waitFor(
      async () => {
        const row = await t.db
          .selectFrom('orders')
          .select('status')
          .where('id', '=', o.id)
          .executeTakeFirstOrThrow()
        if (row.status !== 'completed') throw new Error(row.status)
      },
      { timeout: 20_000, interval: 100 },
    )
    const last = (await events(o.workshop, o)).at(-1)
    expect(last).toMatchObject({
      from: 'delivered',
      to: 'completed',
      action: 'auto_accept',
      automatic: true,
      actor: null,
      payload: { reason: 'inspection_window' },
    })
    const record = await t.db
      .selectFrom('organizations')
      .select(['completed_orders'])
      .where('id', '=', o.workshopId)
      .executeTakeFirstOrThrow()
    expect(record.completed_orders).toBe(1)
  })

  test('reminders go once, two days before each window closes, to the designer in their language', async () => {
    const shipped = await newOrder({ needsSample: false })
    await moveTo(shipped, 'shipped', operator)
    await backdate(shipped, 'shipped_at', 5.5)
    const delivered = await deliveredOrder({ designerLocale: 'zh-CN' })
    await backdate(delivered, 'delivered_at', 5.5)
    const fresh = await deliveredOrder()
    await backdate(fresh, 'delivered_at', 4)

    const result = await runOrderSchedule(t.db, { publicUrl: PUBLIC_URL })
    expect(result.reminded).toEqual(
      expect.arrayContaining([
        { orderId: shipped.id, key: 'delivery' },
        { orderId: delivered.id, key: 'inspection' },
      ]),
    )
    expect(result.reminded.map((r) => r.orderId)).not.toContain(fresh.id)
    expect(result.autoConfirmed).not.toContain(shipped.id)

    await mailTo(
      email(shipped.designer),
      `Order ${shipped.number}: Shipped`,
      'it is confirmed automatically in 2 days',
    )
    await mailTo(email(delivered.designer), `${delivered.number}：已送达`, '品检期还剩 2 天')

    const again = await runOrderSchedule(t.db, { publicUrl: PUBLIC_URL })
    expect(again.reminded.map((r) => r.orderId)).not.toContain(shipped.id)
    expect(again.reminded.map((r) => r.orderId)).not.toContain(delivered.id)
    const stored = await t.db
      .selectFrom('orders')
      .select(['id', 'reminders', 'status', 'version'])
      .where('id', 'in', [shipped.id, delivered.id])
      .execute()
    for (const row of stored) {
      expect(Object.keys(row.reminders)).toEqual([
        row.id === shipped.id ? 'delivery' : 'inspection',
      ])
    }
    // A reminder is not a transition: status and version stay.
    expect(stored.find((r) => r.id === shipped.id)).toMatchObject({
      status: 'shipped',
      version: shipped.version,
    })
  })
})

describe('a worker killed while sending an email', () => {
  /** Starts tests/support/email-worker-process.ts; resolves with its first report after start. */
  function startChildWorker(pause: 'before' | 'after', pauseFor: string) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('tests/support/email-worker-process.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          SMTP_URL: smtp.url,
          PAUSE: pause,
          PAUSE_FOR: pauseFor,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const reports: Record<string, unknown>[] = []
    let stderr = ''
    let buffered = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) if (line.startsWith('{')) reports.push(JSON.parse(line))
    })
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const paused = vi.waitFor(
      () => {
        const found = reports.find((r) => r.paused === pause)
        if (!found) {
          if (child.exitCode !== null) throw new Error(`worker exited: ${stderr}`)
          throw new Error('not paused yet')
        }
        return found as { paused: string; messageId: string }
      },
      { timeout: 45_000, interval: 50 },
    )
    return { child, paused }
  }

  async function kill(child: ChildProcess) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }

  /** Lets the jobs the killed worker held run again now (graphile-worker would after 4 hours). */
  async function releaseDeadWorkers() {
    const locked = await sql<{ locked_by: string }>`select distinct locked_by
      from graphile_worker.jobs where locked_by is not null`.execute(t.db)
    const utils = await makeWorkerUtils({ connectionString: t.url })
    try {
      await utils.forceUnlockWorkers(locked.rows.map((r) => r.locked_by))
    } finally {
      await utils.release()
    }
  }

  async function queueTestEmail(to: string) {
    return t.db.transaction().execute((tx) =>
      queueEmail(tx, {
        to,
        locale: 'en',
        template: 'order-update',
        props: {
          name: 'Kim',
          order: 'SF-KILL',
          job: 'Bracket',
          action: 'ship_batch',
          status: 'shipped',
          url: `${PUBLIC_URL}/orders/x`,
        },
      }),
    )
  }

  const sentRow = (id: string) =>
    vi.waitFor(
      async () => {
        const row = await t.db
          .selectFrom('emails')
          .select(['status', 'message_id'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
        if (row.status !== 'sent') throw new Error(row.status)
        return row
      },
      { timeout: 30_000, interval: 100 },
    )

  test('killed after the SMTP send: sent again after restart with the same Message-ID, so the receiver sees one message', async () => {
    // Only the killable worker may take the job.
    await allSent()
    await app.worker.stop()
    const to = 'killed-after@shared-factory.test'
    const emailId = await queueTestEmail(to)
    const { child, paused } = startChildWorker('after', to)
    try {
      const { messageId } = await paused
      expect(messageId).toBe(`<${emailId}@shared-factory>`)
      await vi.waitFor(() => expect(mailsTo(to)).toHaveLength(1), { timeout: 10_000 })
    } finally {
      await kill(child)
    }
    // Delivered, but the worker died before recording it.
    const row = await t.db
      .selectFrom('emails')
      .select('status')
      .where('id', '=', emailId)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('queued')

    await releaseDeadWorkers()
    await app.restartWorker()
    const sent = await sentRow(emailId)
    await vi.waitFor(() => expect(mailsTo(to)).toHaveLength(2), { timeout: 10_000 })
    // SMTP delivered it twice, as one message: the same Message-ID, which receivers dedupe by.
    const ids = new Set(mailsTo(to).map((m) => m.messageId))
    expect([...ids]).toEqual([`<${emailId}@shared-factory>`])
    expect(sent.message_id).toBe(`<${emailId}@shared-factory>`)
  }, 90_000)

  test('killed before the SMTP send: sent exactly once after restart', async () => {
    await allSent()
    await app.worker.stop()
    const to = 'killed-before@shared-factory.test'
    const emailId = await queueTestEmail(to)
    const { child, paused } = startChildWorker('before', to)
    try {
      await paused
    } finally {
      await kill(child)
    }
    expect(mailsTo(to)).toHaveLength(0)

    await releaseDeadWorkers()
    await app.restartWorker()
    await sentRow(emailId)
    await new Promise((r) => setTimeout(r, 500))
    expect(mailsTo(to).map((m) => m.messageId)).toEqual([`<${emailId}@shared-factory>`])
  }, 90_000)
})
