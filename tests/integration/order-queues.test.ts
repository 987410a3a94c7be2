// The operators' order work queues (issue 7): bank transfers reported and waiting to be
// confirmed, open disputes, and orders left unpaid for more than three days, on the console
// page without JavaScript and counted on the console's front page; operators only.
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import {
  TEST_SESSION_SECRET,
  TestClient,
  apiSession,
  startTestServer,
  type Session,
  type TestServer,
} from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { testTaskDeps } from '../support/deps.ts'
import { acceptedOrder } from '../support/orders.ts'
import { TEST_PASSWORD, createAccount, createOperatorAccount } from '../factories.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { createLocalStorage } from '../../app/models/storage.server.ts'
import { shanghaiToday } from '../../app/models/capacity.server.ts'
import { formatFen } from '../../app/models/money.ts'
import { orderQueues } from '../../app/models/order-queue.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
let server: TestServer
let worker: WorkerHandle
let ops: TestClient
let opsApi: Session
beforeAll(async () => {
  const storage = createLocalStorage(mkdtempSync(path.join(os.tmpdir(), 'sf-queue-files-')), {
    signingSecret: TEST_SESSION_SECRET,
  })
  server = await startTestServer(t.db, { publicUrl: PUBLIC_URL }, { storage })
  worker = await startWorker(t.url, testTaskDeps(t.db, { storage, publicUrl: PUBLIC_URL }), {
    mode: 'inline',
  })
  const operator = await createOperatorAccount(t.db)
  ops = await loggedIn(operator)
  opsApi = await apiSession(server.url, operator)
})
afterAll(async () => {
  await worker?.stop()
  await server?.close()
})

async function loggedIn(account: AccountView) {
  const client = new TestClient(server.url)
  const response = await client.postForm('/login', {
    email: account.user.email,
    password: TEST_PASSWORD,
  })
  expect(response.status).toBe(302)
  return client
}

type Order = Awaited<ReturnType<typeof acceptedOrder>>

const newOrder = () => acceptedOrder(t.db, server.url, { publicUrl: PUBLIC_URL })

/** A transition through the API that must succeed; the order's version follows. */
async function move(s: Session, o: Order, body: Record<string, unknown>) {
  const res = await s.client.api(
    'POST',
    `/api/v1/orders/${o.order.id}/transitions`,
    { version: o.order.version, ...body },
    s.csrf,
  )
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  o.order.version = res.body.order.version
}

const reportTransfer = (o: Order, payer: string) =>
  move(o.designer, o, {
    action: 'report_transfer',
    payer_name: payer,
    transferred_on: shanghaiToday(),
    note: '',
  })

/** The text of the console queue section `id` (transfers, disputes, unpaid). */
async function queueSection(id: string) {
  const page = await ops.get('/console/orders')
  expect(page.status).toBe(200)
  const html = await page.text()
  const section = new RegExp(`<section\\b[^>]*id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html)
  expect(section, id).not.toBeNull()
  return { html: section![1]!, text: visibleText(section![1]!) }
}

const backdate = (o: Order, days: number) =>
  t.db
    .updateTable('orders')
    .set({ created_at: sql<Date>`now() - make_interval(days => ${days})` })
    .where('id', '=', o.order.id)
    .execute()

describe('the order queues', () => {
  test('reported transfers wait for the operator, oldest report first, until payment is confirmed', async () => {
    const first = await newOrder()
    const second = await newOrder()
    await reportTransfer(first, '古镇灯饰设计有限公司')
    await reportTransfer(second, 'Acme Design Ltd')

    const { transfers } = await orderQueues(t.db)
    expect(transfers.map((p) => p.number)).toEqual([first.order.number, second.order.number])
    expect(transfers[0]).toMatchObject({
      order_id: first.order.id,
      buyer: first.designer.account.organization.name,
      amount_fen: first.order.total_fen,
      payer_name: '古镇灯饰设计有限公司',
      transferred_on: shanghaiToday(),
      reported_at: expect.any(Date),
    })

    const { html, text } = await queueSection('transfers')
    expect(html).toContain(`href="/orders/${first.order.id}"`)
    expect(text).toContain(
      `${first.order.number} ${first.designer.account.organization.name} ${formatFen(first.order.total_fen, 'zh-CN')} 古镇灯饰设计有限公司`,
    )
    expect(text.indexOf(first.order.number)).toBeLessThan(text.indexOf(second.order.number))

    const front = await (await ops.get('/console')).text()
    expect(front).toContain('href="/console/orders"')
    expect(visibleText(front)).toContain('订单待办')
    expect(visibleText(front)).toContain('2 笔转账待确认')

    // Confirming receipt takes the order off the queue.
    await move(opsApi, first, {
      to: 'in_production',
      bank_reference: 'ICBC-20261201',
      amount_fen: first.order.total_fen,
    })
    expect((await orderQueues(t.db)).transfers.map((p) => p.number)).toEqual([second.order.number])
    expect((await queueSection('transfers')).text).not.toContain(first.order.number)
  })

  test('an open dispute is listed with its reason, when it was opened, buyer and workshop', async () => {
    const o = await newOrder()
    await move(opsApi, o, {
      to: 'in_production',
      bank_reference: 'ICBC-1',
      amount_fen: o.order.total_fen,
    })
    await move(o.workshop, o, {
      action: 'ship_batch',
      carrier: '顺丰',
      tracking_number: 'SF1001',
      quantity: 10,
    })
    await move(o.designer, o, { to: 'delivered' })
    const rejected = await o.designer.client.api(
      'POST',
      `/api/v1/orders/${o.order.id}/inspections`,
      { version: o.order.version, defects_found: 1, measurements: [] },
      o.designer.csrf,
    )
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(201)
    expect(rejected.body.order.status).toBe('disputed')

    const { disputes } = await orderQueues(t.db)
    expect(disputes).toEqual([
      {
        order_id: o.order.id,
        number: o.order.number,
        reason: 'inspection_rejected',
        opened_at: expect.any(Date),
        buyer: o.designer.account.organization.name,
        workshop: o.workshop.account.organization.name,
      },
    ])
    const { html, text } = await queueSection('disputes')
    expect(html).toContain(`href="/orders/${o.order.id}"`)
    expect(text).toContain(`${o.order.number} 品检拒收`)
    expect(text).toContain(
      `${o.designer.account.organization.name} ${o.workshop.account.organization.name}`,
    )
    expect(visibleText(await (await ops.get('/console')).text())).toContain('1 个争议待处理')
  })

  test('an order awaiting payment for more than 3 days with no transfer reported is chased', async () => {
    const o = await newOrder()
    const unpaid = async () => (await orderQueues(t.db)).unpaid.map((u) => u.number)
    expect(await unpaid()).not.toContain(o.order.number)

    await backdate(o, 2)
    expect(await unpaid()).not.toContain(o.order.number)

    await backdate(o, 4)
    expect((await orderQueues(t.db)).unpaid).toContainEqual(
      expect.objectContaining({ number: o.order.number, waiting_days: 4 }),
    )
    const { html, text } = await queueSection('unpaid')
    expect(html).toContain(`href="/orders/${o.order.id}"`)
    expect(text).toContain(o.order.number)
    expect(text).toContain('已等待 4 天')

    // Once the buyer reports a transfer it waits in the transfer queue instead.
    await reportTransfer(o, 'Late Payer Ltd')
    expect(await unpaid()).not.toContain(o.order.number)
    expect((await orderQueues(t.db)).transfers.map((p) => p.number)).toContain(o.order.number)
  })

  test('designers and workshops get 403, anonymous visitors go to the login page', async () => {
    for (const kind of ['design_firm', 'workshop'] as const) {
      const client = await loggedIn(await createAccount(t.db, { kind }))
      expect((await client.get('/console/orders')).status).toBe(403)
    }
    const anonymous = await new TestClient(server.url).get('/console/orders')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login/)
  })

  test('the page is in English for an English-speaking operator', async () => {
    const client = await loggedIn(await createOperatorAccount(t.db))
    await client.postForm('/language', { locale: 'en' })
    const text = visibleText(await (await client.get('/console/orders')).text())
    expect(text).toContain('Transfers to confirm')
    expect(text).toContain('Open disputes')
    expect(text).toContain('Unpaid for more than 3 days')
  })
})
