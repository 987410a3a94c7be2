// The operators' order work queues (issue 7): bank transfers reported and waiting to be
// confirmed, open disputes, and orders left unpaid for more than three days, on the console
// page without JavaScript and counted on the console's front page; operators only.
import { sql } from 'kysely'
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { TestClient, apiSession, browserSession, type Session } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { acceptedOrder, move, moveTo, type Order } from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { shanghaiToday } from '../../app/models/capacity.server.ts'
import { formatFen } from '../../app/models/money.ts'
import { orderQueues } from '../../app/models/order-queue.server.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
const app = useTestApp(t, { publicUrl: PUBLIC_URL })
let ops: TestClient
let opsApi: Session
beforeAll(async () => {
  const operator = await createOperatorAccount(t.db)
  ops = await browserSession(app.url, operator)
  opsApi = await apiSession(app.url, operator)
})

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
    .where('id', '=', o.id)
    .execute()

describe('the order queues', () => {
  test('reported transfers wait for the operator, oldest report first, until payment is confirmed', async () => {
    const first = await acceptedOrder(app)
    const second = await acceptedOrder(app)
    await reportTransfer(first, '古镇灯饰设计有限公司')
    await reportTransfer(second, 'Acme Design Ltd')

    const { transfers } = await orderQueues(t.db)
    expect(transfers.map((p) => p.number)).toEqual([first.number, second.number])
    expect(transfers[0]).toMatchObject({
      order_id: first.id,
      buyer: first.designer.account.organization.name,
      amount_fen: first.total,
      payer_name: '古镇灯饰设计有限公司',
      transferred_on: shanghaiToday(),
      reported_at: expect.any(Date),
    })

    const { html, text } = await queueSection('transfers')
    expect(html).toContain(`href="/orders/${first.id}"`)
    expect(text).toContain(
      `${first.number} ${first.designer.account.organization.name} ${formatFen(first.total, 'zh-CN')} 古镇灯饰设计有限公司`,
    )
    expect(text.indexOf(first.number)).toBeLessThan(text.indexOf(second.number))

    const front = await (await ops.get('/console')).text()
    expect(front).toContain('href="/console/orders"')
    expect(visibleText(front)).toContain('订单待办')
    expect(visibleText(front)).toContain('2 笔转账待确认')

    // Confirming receipt takes the order off the queue.
    await move(opsApi, first, {
      to: 'in_production',
      bank_reference: 'ICBC-20261201',
      amount_fen: first.total,
    })
    expect((await orderQueues(t.db)).transfers.map((p) => p.number)).toEqual([second.number])
    expect((await queueSection('transfers')).text).not.toContain(first.number)
  })

  test('an open dispute is listed with its reason, when it was opened, buyer and workshop', async () => {
    const o = await acceptedOrder(app)
    await moveTo(o, 'disputed', opsApi)

    const { disputes } = await orderQueues(t.db)
    expect(disputes).toEqual([
      {
        order_id: o.id,
        number: o.number,
        reason: 'inspection_rejected',
        opened_at: expect.any(Date),
        buyer: o.designer.account.organization.name,
        workshop: o.workshop.account.organization.name,
      },
    ])
    const { html, text } = await queueSection('disputes')
    expect(html).toContain(`href="/orders/${o.id}"`)
    expect(text).toContain(`${o.number} 品检拒收`)
    expect(text).toContain(
      `${o.designer.account.organization.name} ${o.workshop.account.organization.name}`,
    )
    expect(visibleText(await (await ops.get('/console')).text())).toContain('1 个争议待处理')
  })

  test('an order awaiting payment for more than 3 days with no transfer reported is chased', async () => {
    const o = await acceptedOrder(app)
    const unpaid = async () => (await orderQueues(t.db)).unpaid.map((u) => u.number)
    expect(await unpaid()).not.toContain(o.number)

    await backdate(o, 2)
    expect(await unpaid()).not.toContain(o.number)

    await backdate(o, 4)
    expect((await orderQueues(t.db)).unpaid).toContainEqual(
      expect.objectContaining({ number: o.number, waiting_days: 4 }),
    )
    const { html, text } = await queueSection('unpaid')
    expect(html).toContain(`href="/orders/${o.id}"`)
    expect(text).toContain(o.number)
    expect(text).toContain('已等待 4 天')

    // Once the buyer reports a transfer it waits in the transfer queue instead.
    await reportTransfer(o, 'Late Payer Ltd')
    expect(await unpaid()).not.toContain(o.number)
    expect((await orderQueues(t.db)).transfers.map((p) => p.number)).toContain(o.number)
  })

  test('designers and workshops get 403, anonymous visitors go to the login page', async () => {
    for (const kind of ['design_firm', 'workshop'] as const) {
      const client = await browserSession(app.url, await createAccount(t.db, { kind }))
      expect((await client.get('/console/orders')).status).toBe(403)
    }
    const anonymous = await new TestClient(app.url).get('/console/orders')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login/)
  })

  test('the page is in English for an English-speaking operator', async () => {
    const client = await browserSession(app.url, await createOperatorAccount(t.db))
    await client.postForm('/language', { locale: 'en' })
    const text = visibleText(await (await client.get('/console/orders')).text())
    expect(text).toContain('Transfers to confirm')
    expect(text).toContain('Open disputes')
    expect(text).toContain('Unpaid for more than 3 days')
  })
})
