// Messages (issue 7): a thread per order between its buyer and its workshop (operators read and
// may write as the platform), and per job and workshop for questions before an order. Unread
// counts follow the read pointers, the other side's owners are emailed (once per burst), and
// anyone else gets 404. Through the JSON API and the pages' plain forms.
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { apiPost, apiSession } from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { readPage } from '../support/html.ts'
import {
  acceptedOrder,
  openJob,
  quotingWorkshop,
  type Order,
  type Workshop,
} from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { unreadCounts } from '../../app/models/message.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
const app = useTestApp(t, { publicUrl: PUBLIC_URL })

const session = (account: AccountView) => apiSession(app.url, account)

/** An uploaded order attachment (the row; these tests never open its bytes). */
async function attachment(orderId: string, owner: AccountView, name: string) {
  return t.db
    .insertInto('files')
    .values({
      organization_id: owner.organization.id,
      purpose: 'order_attachment',
      order_id: orderId,
      storage_key: `org/${owner.organization.id}/${name}`,
      original_name: name,
      content_type: 'application/pdf',
      size_bytes: 1234,
      sha256: '0'.repeat(64),
      uploaded_by: owner.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

const messageEmails = (to: string) =>
  t.db
    .selectFrom('emails')
    .select(['id', 'props', 'status', 'subject'])
    .where('template', '=', 'message-received')
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute()

describe('order threads', () => {
  let ws: Workshop
  let first: Order
  beforeAll(async () => {
    ws = await quotingWorkshop(app, { label: '留言' })
    first = await acceptedOrder(app, { workshop: ws })
  })

  test('buyer and workshop write; unread counts rise for the other side and fall to 0 on reading; the other side is emailed once per burst', async () => {
    const { designer, id: orderId, number } = first
    const thread = `order:${orderId}`
    const url = `/api/v1/orders/${orderId}/messages`

    const sent = await apiPost(designer, url, { body: '  请确认阳极氧化的颜色，谢谢。  ' })
    expect(sent.status).toBe(201)
    expect(schemas.MessageResponse.parse(sent.body)).toEqual(sent.body)
    expect(sent.body.message).toMatchObject({
      body: '请确认阳极氧化的颜色，谢谢。',
      attachments: [],
      sender: {
        user_id: designer.account.user.id,
        name: designer.account.user.name,
        organization_id: designer.account.organization.id,
        organization_name: designer.account.organization.name,
      },
    })

    // The workshop has one unread message; the sender none (their own pointer moved).
    expect(await unreadCounts(t.db, ws.account)).toMatchObject({
      total: 1,
      threads: [{ thread, order_id: orderId, unread: 1 }],
    })
    expect(await unreadCounts(t.db, designer.account)).toEqual({ total: 0, threads: [] })

    // The workshop's owner is emailed, with a link to the thread; the sender is not.
    const toWorkshop = await messageEmails(ws.account.user.email)
    expect(toWorkshop).toHaveLength(1)
    expect(toWorkshop[0]!.props).toMatchObject({
      sender: designer.account.organization.name,
      kind: 'order',
      subject: number,
      excerpt: '请确认阳极氧化的颜色，谢谢。',
      url: `${PUBLIC_URL}/orders/${orderId}#messages`,
    })
    expect(await messageEmails(designer.account.user.email)).toHaveLength(0)

    // A second message moments later, still unread: no second email.
    expect((await apiPost(designer, url, { body: '另外，交期能提前两天吗？' })).status).toBe(201)
    expect(await messageEmails(ws.account.user.email)).toHaveLength(1)
    expect((await unreadCounts(t.db, ws.account)).total).toBe(2)

    // The workshop's nav badge and the order's badge on 订单 show it.
    const list = await readPage(ws.session.client.get('/orders'))
    expect(list.status).toBe(200)
    expect(list.text).toContain('2 条未读留言')
    expect(list.html).toContain(`href="/orders/${orderId}#messages"`)
    expect(list.text).toContain('2 条未读')

    // Reading through the API: both, oldest first, 2 unread; then nothing is unread.
    const seen = await ws.session.client.api('GET', url)
    expect(seen.status).toBe(200)
    expect(schemas.MessageList.parse(seen.body)).toEqual(seen.body)
    expect(seen.body.unread).toBe(2)
    expect(seen.body.messages.map((m: { body: string }) => m.body)).toEqual([
      '请确认阳极氧化的颜色，谢谢。',
      '另外，交期能提前两天吗？',
    ])
    expect(await unreadCounts(t.db, ws.account)).toEqual({ total: 0, threads: [] })
    expect((await ws.session.client.api('GET', url)).body.unread).toBe(0)

    // The workshop answers: now the designer has one unread, and is emailed.
    expect((await apiPost(ws.session, url, { body: '颜色按样板，交期可以提前。' })).status).toBe(
      201,
    )
    expect((await unreadCounts(t.db, designer.account)).total).toBe(1)
    expect(await messageEmails(designer.account.user.email)).toHaveLength(1)

    // The designer reads it on the order page (which marks it read) …
    const page = await readPage(designer.client.get(`/orders/${orderId}`))
    expect(page.status).toBe(200)
    expect(page.text).toContain('颜色按样板，交期可以提前。')
    expect((await unreadCounts(t.db, designer.account)).total).toBe(0)
    // … so the workshop's next message emails them again, as does the designer's to the
    // workshop, which has read everything it was emailed about.
    expect((await apiPost(ws.session, url, { body: '明天发样品。' })).status).toBe(201)
    expect(await messageEmails(designer.account.user.email)).toHaveLength(2)
    expect((await apiPost(designer, url, { body: '好的。' })).status).toBe(201)
    expect(await messageEmails(ws.account.user.email)).toHaveLength(2)

    // The emails are rendered and delivered in the recipient's language.
    for (let i = 0; ; i++) {
      const [email] = await messageEmails(designer.account.user.email)
      if (email?.status === 'sent') {
        expect(email.subject).toBe(
          `【共享工厂】${ws.account.organization.name} 在订单 ${number} 中给你留言`,
        )
        break
      }
      if (i > 100) throw new Error('email never sent')
      await new Promise((r) => setTimeout(r, 100))
    }
  })

  test('an empty or over-long message is refused with a message', async () => {
    const url = `/api/v1/orders/${first.id}/messages`
    const empty = await apiPost(first.designer, url, { body: '   ' })
    expectError(empty, 400, 'invalid_input')
    expect(empty.body.error.details.issues).toEqual([{ path: 'body', message: 'Write a message' }])
    const zh = await first.designer.client.api(
      'POST',
      url,
      { body: '' },
      {
        ...first.designer.csrf,
        'accept-language': 'zh-CN',
      },
    )
    expectError(zh, 400, 'invalid_input')
    expect(zh.body.error.details.issues[0].message).toBe('请输入留言内容')
    const long = await apiPost(first.designer, url, { body: '长'.repeat(5001) })
    expectError(long, 400, 'invalid_input')
    expect(long.body.error.details.issues[0].message).toBe('A message is at most 5000 characters')
    expectError(await apiPost(first.designer, url, {}), 400, 'invalid_input')
  })

  test('anyone but the parties and operators gets 404; an operator writes as the platform to both', async () => {
    const { designer, id: orderId } = first
    const url = `/api/v1/orders/${orderId}/messages`
    const otherFirm = await session(await createAccount(t.db, { kind: 'design_firm' }))
    const otherShop = await quotingWorkshop(app, { label: '旁观', hours: 0 })
    for (const outsider of [otherFirm, otherShop.session]) {
      expectError(await outsider.client.api('GET', url), 404, 'not_found')
      expectError(await apiPost(outsider, url, { body: '你好' }), 404, 'not_found')
      const form = await outsider.client.postForm(`/orders/${orderId}/messages`, { body: '你好' })
      expect(form.status).toBe(404)
    }
    expectError(
      await designer.client.api(
        'GET',
        '/api/v1/orders/00000000-0000-4000-8000-000000000000/messages',
      ),
      404,
      'not_found',
    )

    const operator = await session(await createOperatorAccount(t.db))
    expect((await operator.client.api('GET', url)).status).toBe(200)
    // Both sides have read what they were emailed about, so the platform's message emails both.
    await designer.client.api('GET', url)
    await ws.session.client.api('GET', url)
    const before = {
      designer: (await messageEmails(designer.account.user.email)).length,
      workshop: (await messageEmails(ws.account.user.email)).length,
    }
    const fromPlatform = await apiPost(operator, url, { body: '平台提醒：请按约定时间发货。' })
    expect(fromPlatform.status).toBe(201)
    expect(fromPlatform.body.message.sender.organization_id).toBe(operator.account.organization.id)
    expect(await messageEmails(designer.account.user.email)).toHaveLength(before.designer + 1)
    expect(await messageEmails(ws.account.user.email)).toHaveLength(before.workshop + 1)
    // Operators are party to no thread: no unread counts.
    expect(await unreadCounts(t.db, operator.account)).toEqual({ total: 0, threads: [] })
  })

  test('a message carries files of its own order only', async () => {
    const { designer, id: orderId } = first
    const other = await acceptedOrder(app, { workshop: ws })
    const own = await attachment(orderId, designer.account, '色板照片.pdf')
    const foreign = await attachment(other.id, other.designer.account, '别人的图纸.pdf')
    const url = `/api/v1/orders/${orderId}/messages`

    const refused = await apiPost(designer, url, { body: '见附件', attachment_ids: [foreign.id] })
    expectError(refused, 422, 'invalid_attachment')
    expect(refused.body.error.details).toMatchObject({ field: 'attachment_ids' })
    expectError(
      await apiPost(designer, url, {
        body: '见附件',
        attachment_ids: ['00000000-0000-4000-8000-000000000000'],
      }),
      422,
      'invalid_attachment',
    )
    expectError(
      await apiPost(designer, url, { body: '见附件', attachment_ids: ['nope'] }),
      400,
      'invalid_input',
    )

    const sent = await apiPost(designer, url, { body: '见附件', attachment_ids: [own.id, own.id] })
    expect(sent.status).toBe(201)
    expect(sent.body.message.attachments).toEqual([{ id: own.id, name: '色板照片.pdf' }])
    const listed = await ws.session.client.api('GET', url)
    expect(listed.body.messages.at(-1).attachments).toEqual([{ id: own.id, name: '色板照片.pdf' }])

    // The page offers the order's files to tick, and the form refuses another order's.
    const page = await readPage(designer.client.get(`/orders/${orderId}`))
    expect(page.html).toMatch(new RegExp(`name="attachmentIds" value="${own.id}"`))
    expect(page.html).not.toContain(foreign.id)
    const form = await designer.client.postForm(`/orders/${orderId}/messages`, {
      body: '再看这个',
      attachmentIds: foreign.id,
    })
    expect(form.status).toBe(303)
    expect(form.headers.get('location')).toBe(
      `/orders/${orderId}?messageError=invalid_attachment#messages`,
    )
  })

  test('the order page form works without JavaScript: back to the thread, the message shown; refusals beside the field', async () => {
    const { id: orderId } = first
    const sent = await ws.session.client.postForm(`/orders/${orderId}/messages`, {
      body: '样品今天下午发顺丰。',
    })
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe(`/orders/${orderId}#messages`)
    const after = await readPage(ws.session.client.get(sent.headers.get('location')!))
    expect(after.status).toBe(200)
    expect(after.text).toContain('样品今天下午发顺丰。')
    expect(after.html).toContain('id="messages"')

    const empty = await ws.session.client.postForm(`/orders/${orderId}/messages`, { body: ' ' })
    expect(empty.status).toBe(303)
    expect(empty.headers.get('location')).toBe(
      `/orders/${orderId}?messageError=message_empty#messages`,
    )
    const refused = await readPage(ws.session.client.get(empty.headers.get('location')!))
    expect(refused.html).toMatch(/id="order-message-body-error"[^>]*>请输入留言内容</)
    expect(refused.html).toMatch(/<textarea[^>]*aria-invalid="true"/)

    // Without the CSRF field: refused, nothing written.
    const count = async () =>
      (await t.db.selectFrom('messages').select('id').where('order_id', '=', orderId).execute())
        .length
    const n = await count()
    const forged = await ws.session.client.postForm(
      `/orders/${orderId}/messages`,
      { body: '伪造' },
      { csrf: null },
    )
    expect(forged.status).toBe(403)
    expect(await count()).toBe(n)
  })
})

describe('job questions', () => {
  test('a workshop that can see the job asks, the designer answers; other workshops see neither', async () => {
    const asker = await quotingWorkshop(app, { label: '提问' })
    const stranger = await quotingWorkshop(app, { label: '局外', hours: 0 })
    const { designer, jobId } = await openJob(app, { title: '咨询用的铝块', needs_sample: false })
    // Only invited (or matched) workshops see it now; the stranger was not matched.
    await t.db.updateTable('jobs').set({ visibility: 'invited' }).where('id', '=', jobId).execute()
    const base = `/api/v1/jobs/${jobId}/messages`
    const askerThread = `${base}?workshop_id=${asker.account.organization.id}`

    const asked = await apiPost(asker.session, base, { body: '表面粗糙度要求是多少？' })
    expect(asked.status).toBe(201)
    expect(schemas.MessageResponse.parse(asked.body)).toEqual(asked.body)
    expectError(
      await apiPost(asker.session, base, {
        body: '附图',
        attachment_ids: ['00000000-0000-4000-8000-000000000000'],
      }),
      422,
      'attachments_order_only',
    )

    // The designer has one unread question and was emailed, with a link to that thread.
    const thread = `job:${jobId}:${asker.account.organization.id}`
    expect(await unreadCounts(t.db, designer.account)).toMatchObject({
      total: 1,
      threads: [{ thread, job_id: jobId, job_title: '咨询用的铝块', unread: 1 }],
    })
    const [email] = await messageEmails(designer.account.user.email)
    expect(email?.props).toMatchObject({
      kind: 'job',
      subject: '咨询用的铝块',
      url: `${PUBLIC_URL}/jobs/${jobId}?thread=${asker.account.organization.id}#questions`,
    })

    // The designer names the workshop; the job page lists the thread and opens it.
    expectError(await designer.client.api('GET', base), 400, 'invalid_input')
    const page = await readPage(designer.client.get(`/jobs/${jobId}`))
    expect(page.status).toBe(200)
    expect(page.html).toContain(
      `href="/jobs/${jobId}?thread=${asker.account.organization.id}#questions"`,
    )
    expect(page.text).toContain('提问 精密加工')
    expect(page.text).toContain('表面粗糙度要求是多少？')
    expect((await unreadCounts(t.db, designer.account)).total).toBe(0)
    const answered = await apiPost(designer, askerThread, { body: 'Ra 1.6 即可。' })
    expect(answered.status).toBe(201)
    expect(await unreadCounts(t.db, asker.account)).toMatchObject({ total: 1 })
    expect(await messageEmails(asker.account.user.email)).toHaveLength(1)

    const mine = await asker.session.client.api('GET', base)
    expect(mine.status).toBe(200)
    expect(mine.body.unread).toBe(1)
    expect(mine.body.messages.map((m: { body: string }) => m.body)).toEqual([
      '表面粗糙度要求是多少？',
      'Ra 1.6 即可。',
    ])

    // A workshop that cannot see the job: 404 on its own thread and on the asker's.
    for (const pathname of [base, askerThread]) {
      expectError(await stranger.session.client.api('GET', pathname), 404, 'not_found')
      expectError(await apiPost(stranger.session, pathname, { body: '我也想问' }), 404, 'not_found')
    }
    // Even when it can see the job, another workshop never reads the asker's thread.
    await t.db.updateTable('jobs').set({ visibility: 'public' }).where('id', '=', jobId).execute()
    expectError(await stranger.session.client.api('GET', askerThread), 404, 'not_found')
    expect((await stranger.session.client.api('GET', base)).body).toEqual({
      messages: [],
      unread: 0,
    })
    // The designer cannot open a thread no workshop started.
    expectError(
      await designer.client.api('GET', `${base}?workshop_id=${stranger.account.organization.id}`),
      404,
      'not_found',
    )
    // Another design firm: 404.
    const otherFirm = await session(await createAccount(t.db, { kind: 'design_firm' }))
    expectError(await otherFirm.client.api('GET', askerThread), 404, 'not_found')

    // Operators read, but do not write.
    const operator = await session(await createOperatorAccount(t.db))
    expect((await operator.client.api('GET', askerThread)).body.messages).toHaveLength(2)
    expectError(await apiPost(operator, askerThread, { body: '平台' }), 403, 'forbidden')

    // The workshop's plain form: back to its thread on the job page, the question shown.
    const form = await asker.session.client.postForm(`/jobs/${jobId}/messages`, {
      body: '公差按图纸吗？',
    })
    expect(form.status).toBe(303)
    expect(form.headers.get('location')).toBe(
      `/jobs/${jobId}?thread=${asker.account.organization.id}#questions`,
    )
    const own = await readPage(asker.session.client.get(form.headers.get('location')!))
    expect(own.text).toContain('公差按图纸吗？')
    expect(own.text).toContain('咨询只能发送文字')

    // Once the job is no longer open, the thread is read-only.
    await t.db.updateTable('jobs').set({ status: 'cancelled' }).where('id', '=', jobId).execute()
    expectError(await apiPost(asker.session, base, { body: '还在吗？' }), 409, 'thread_closed')
    expect((await asker.session.client.api('GET', base)).status).toBe(200)
  })
})
