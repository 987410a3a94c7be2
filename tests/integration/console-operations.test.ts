// Operations in the operator console (issue 9): suspending an organisation (its sessions end,
// its members cannot log in or use their access tokens, its machines leave search and matching,
// audited) and reactivating it, from the console page without JavaScript and through the API;
// the audit log viewer; and the two work queues before an order — quotes about to expire
// unanswered and open jobs with no match. Operators only.
import { sql } from 'kysely'
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { TestClient, apiPost, apiSession, browserSession, type Session } from '../support/http.ts'
import { readPage, visibleText } from '../support/html.ts'
import { expectError } from '../support/api-errors.ts'
import { openJob, quoteOf, quotingWorkshop, type Workshop } from '../support/orders.ts'
import { TEST_PASSWORD, createAccount, createOperatorAccount } from '../factories.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { orderQueues } from '../../app/models/order-queue.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'
import { formatDateTime } from '../../app/locales/index.ts'

const t = useTestDatabase()
const app = useTestApp(t, { sharedSearch: true })
let operator: AccountView
let ops: TestClient
let opsApi: Session
beforeAll(async () => {
  operator = await createOperatorAccount(t.db)
  ops = await browserSession(app.url, operator)
  opsApi = await apiSession(app.url, operator)
})

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await probe()
    if (value !== undefined) return value
    if (i > 200) throw new Error(`${what} never happened`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Whether anyone searching for 3-axis mills finds the machine. */
async function searchable(resourceId: string) {
  const res = await new TestClient(app.url).api(
    'GET',
    '/api/v1/capabilities?process=cnc_milling_3axis&per_page=100',
  )
  expect(res.status).toBe(200)
  return (res.body.hits as { resource_id: string }[]).some((h) => h.resource_id === resourceId)
}

const indexed = (ws: Workshop, expected: boolean) =>
  until(`${ws.account.organization.name} ${expected ? 'in' : 'out of'} search`, async () =>
    (await searchable(ws.resourceId)) === expected ? true : undefined,
  )

const organization = (id: string) =>
  t.db
    .selectFrom('organizations')
    .select(['suspended_at', 'suspended_reason'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

const auditRows = (subject: string) =>
  t.db
    .selectFrom('audit_log')
    .select(['action', 'actor_user_id', 'before', 'after'])
    .where('subject', '=', subject)
    .orderBy('created_at')
    .execute()

const sessionsOf = async (userId: string) =>
  Number(
    (
      await t.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow()
    ).n,
  )

const matchedOrganizations = async (jobId: string) =>
  (
    await t.db.selectFrom('matches').select('organization_id').where('job_id', '=', jobId).execute()
  ).map((m) => m.organization_id)

/** Posts the console's row form for `intent` on `organizationId`, as a browser without JS. */
const consoleForm = (
  client: TestClient,
  intent: 'suspend' | 'reactivate',
  organizationId: string,
  reason?: string,
) =>
  client.postForm('/console/organizations', {
    intent,
    organizationId,
    ...(reason === undefined ? {} : { reason }),
  })

describe('suspending an organisation', () => {
  test('its sessions end, login and tokens are refused, its machines leave search and matching, audited; reactivating restores it', async () => {
    const ws = await quotingWorkshop(app, { label: '停用测试' })
    const control = await quotingWorkshop(app, { label: '对照' })
    const wsId = ws.account.organization.id

    // Before: matched, quoting, searchable, logged in (cookie and access token).
    const before = await openJob(app)
    expect(await matchedOrganizations(before.jobId)).toEqual(
      expect.arrayContaining([wsId, control.account.organization.id]),
    )
    const quote = await quoteOf(app, ws, before.jobId)
    expect((await apiPost(ws.session, `/api/v1/quotes/${quote.id}/confirm`, {})).status).toBe(200)
    await enqueue(t.db, 'search__sync', { organizationId: wsId })
    await enqueue(t.db, 'search__sync', { organizationId: control.account.organization.id })
    await indexed(ws, true)
    await indexed(control, true)
    const browser = await browserSession(app.url, ws.account)
    expect((await browser.get('/workshop')).status).toBe(200)
    const token = (await apiPost(ws.session, '/api/v1/tokens', { name: 'ERP' })).body
      .token as string
    const bearer = { authorization: `Bearer ${token}` }
    const anon = new TestClient(app.url)
    expect((await anon.api('GET', '/api/v1/me', undefined, bearer)).status).toBe(200)
    expect(await sessionsOf(ws.account.user.id)).toBe(2)

    // The operator suspends it from the console, without JavaScript.
    const reason = '营业执照已过期，待重新核验'
    const posted = await consoleForm(ops, 'suspend', wsId, reason)
    expect(posted.status).toBe(302)
    const location = posted.headers.get('location')!
    expect(location).toMatch(/^\/console\/organizations\?done=suspended&id=/)
    const done = await readPage(ops.get(location))
    expect(done.text).toContain(`已暂停“${ws.account.organization.name}”`)
    expect(done.text).toContain('结束 2 个会话')
    expect(done.text).toContain(reason)

    const row = await organization(wsId)
    expect(row.suspended_at).toBeInstanceOf(Date)
    expect(row.suspended_reason).toBe(reason)
    expect(await auditRows(wsId)).toEqual([
      {
        action: 'organization.suspend',
        actor_user_id: operator.user.id,
        before: { suspended_at: null, suspended_reason: null },
        after: { suspended_at: expect.any(String), suspended_reason: reason },
      },
    ])

    // Its sessions ended: the old cookie is anonymous, the API session and token are 401.
    expect(await sessionsOf(ws.account.user.id)).toBe(0)
    const page = await browser.get('/workshop')
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/^\/login/)
    expectError(await ws.session.client.api('GET', '/api/v1/me'), 401, 'unauthorized')
    expectError(await anon.api('GET', '/api/v1/me', undefined, bearer), 401, 'unauthorized')

    // Logging in again is refused, saying why (after the right password only).
    const login = await readPage(
      new TestClient(app.url).postForm('/login', {
        email: ws.account.user.email,
        password: TEST_PASSWORD,
      }),
    )
    expect(login.status).toBe(403)
    expect(login.text).toContain('你所在的企业已被平台暂停使用')
    const english = await readPage(
      new TestClient(app.url, { 'accept-language': 'en' }).postForm('/login', {
        email: ws.account.user.email,
        password: TEST_PASSWORD,
      }),
    )
    expect(english.status).toBe(403)
    expect(english.text).toContain('Your company has been suspended by the platform operators')
    const wrongPassword = await readPage(
      new TestClient(app.url).postForm('/login', {
        email: ws.account.user.email,
        password: 'not-the-password',
      }),
    )
    expect(wrongPassword.status).toBe(401)
    expect(wrongPassword.text).not.toContain('暂停')
    const apiLogin = await new TestClient(app.url).api(
      'POST',
      '/api/v1/session',
      { email: ws.account.user.email, password: TEST_PASSWORD },
      { 'accept-language': 'en' },
    )
    expectError(apiLogin, 403, 'organization_suspended')
    expect(apiLogin.body.error.message).toContain('suspended')
    expect(apiLogin.headers.getSetCookie().some((c) => c.startsWith('sf_session='))).toBe(false)

    // Its machines leave search, its public page goes, matching passes it by.
    await indexed(ws, false)
    expect(await searchable(control.resourceId)).toBe(true)
    expectError(await anon.api('GET', `/api/v1/workshops/${wsId}`), 404, 'not_found')
    expectError(await anon.api('GET', `/api/v1/resources/${ws.resourceId}`), 404, 'not_found')
    const after = await openJob(app)
    const matched = await matchedOrganizations(after.jobId)
    expect(matched).toContain(control.account.organization.id)
    expect(matched).not.toContain(wsId)
    // Nor can its confirmed quote be accepted meanwhile.
    expectError(
      await apiPost(before.designer, `/api/v1/quotes/${quote.id}/accept`),
      409,
      'workshop_suspended',
    )

    // The directory shows it suspended, with the reason and a reactivate button.
    const listed = await opsApi.client.api(
      'GET',
      `/api/v1/ops/organizations?${new URLSearchParams({ q: ws.account.organization.name })}`,
    )
    expect(listed.status).toBe(200)
    expect(schemas.OpsOrganizationList.parse(listed.body).organizations).toEqual([
      expect.objectContaining({
        id: wsId,
        kind: 'workshop',
        members: 1,
        suspended: true,
        suspended_reason: reason,
      }),
    ])

    // Reactivated through the API: audited, back in search, members log in again.
    const reactivated = await apiPost(opsApi, `/api/v1/ops/organizations/${wsId}/reactivate`)
    expect(reactivated.status).toBe(200)
    expect(schemas.OpsOrganization.parse(reactivated.body)).toMatchObject({
      id: wsId,
      suspended: false,
      suspended_at: null,
      suspended_reason: null,
    })
    expect((await auditRows(wsId)).map((r) => r.action)).toEqual([
      'organization.suspend',
      'organization.reactivate',
    ])
    expect((await auditRows(wsId))[1]).toMatchObject({
      actor_user_id: operator.user.id,
      before: { suspended_at: expect.any(String), suspended_reason: reason },
      after: { suspended_at: null, suspended_reason: null },
    })
    await indexed(ws, true)
    expect((await browserSession(app.url, ws.account)).cookie('sf_session')).toBeTruthy()
    expect((await anon.api('GET', '/api/v1/me', undefined, bearer)).status).toBe(200)
  })

  test('suspending through the API answers the organisation and the sessions ended; a design firm is suspended alike', async () => {
    const firm = await createAccount(t.db, { kind: 'design_firm' })
    const firmSession = await apiSession(app.url, firm)
    const res = await apiPost(opsApi, `/api/v1/ops/organizations/${firm.organization.id}/suspend`, {
      reason: '  恶意发布虚假需求  ',
    })
    expect(res.status).toBe(200)
    expect(schemas.OpsSuspension.parse(res.body)).toMatchObject({
      organization: {
        id: firm.organization.id,
        kind: 'design_firm',
        suspended: true,
        suspended_reason: '恶意发布虚假需求',
      },
      sessions_ended: 1,
    })
    expectError(await firmSession.client.api('GET', '/api/v1/me'), 401, 'unauthorized')
    // A repeat changes nothing.
    expectError(
      await apiPost(opsApi, `/api/v1/ops/organizations/${firm.organization.id}/suspend`, {
        reason: '再次',
      }),
      409,
      'already_suspended',
    )
    expect((await auditRows(firm.organization.id)).map((r) => r.action)).toEqual([
      'organization.suspend',
    ])
    expect((await organization(firm.organization.id)).suspended_reason).toBe('恶意发布虚假需求')
  })

  test('bad input, unknown ids and the platform itself are refused and change nothing', async () => {
    const target = await createAccount(t.db, { kind: 'workshop' })
    const id = target.organization.id
    const suspend = (orgId: string, body: unknown) =>
      apiPost(opsApi, `/api/v1/ops/organizations/${orgId}/suspend`, body)

    expectError(await suspend(id, {}), 400, 'invalid_input')
    expectError(await suspend(id, { reason: '   ' }), 400, 'invalid_input')
    expectError(await suspend(id, { reason: 'x'.repeat(501) }), 400, 'invalid_input')
    expectError(await suspend(id, { reason: 'ok', extra: 1 }), 400, 'invalid_input')
    expectError(
      await suspend('00000000-0000-4000-8000-000000000000', { reason: 'x' }),
      404,
      'not_found',
    )
    expectError(await suspend('not-a-uuid', { reason: 'x' }), 404, 'not_found')
    const platform = await suspend(operator.organization.id, { reason: '试试' })
    expectError(platform, 409, 'cannot_suspend_platform')
    expectError(
      await apiPost(opsApi, `/api/v1/ops/organizations/${id}/reactivate`),
      409,
      'not_suspended',
    )

    // The page says so beside the row, in the operator's language.
    const empty = await readPage(consoleForm(ops, 'suspend', id, ''))
    expect(empty.status).toBe(400)
    expect(empty.text).toContain('此项必填')
    const tooLong = await readPage(consoleForm(ops, 'suspend', id, '长'.repeat(501)))
    expect(tooLong.status).toBe(400)
    expect(tooLong.text).toContain('内容太长')
    const own = await readPage(consoleForm(ops, 'suspend', operator.organization.id, '试试'))
    expect(own.status).toBe(409)
    expect(own.text).toContain('平台运营自身的企业不能被暂停')
    const unknown = await readPage(
      consoleForm(ops, 'suspend', '00000000-0000-4000-8000-000000000000', '原因'),
    )
    expect(unknown.status).toBe(404)
    expect(unknown.text).toContain('找不到该企业')
    expect(
      (await ops.postForm('/console/organizations', { intent: 'delete', organizationId: id }))
        .status,
    ).toBe(400)
    // Without the CSRF field nothing happens.
    expect(
      (
        await ops.postForm(
          '/console/organizations',
          { intent: 'suspend', organizationId: id, reason: 'x' },
          { csrf: null },
        )
      ).status,
    ).toBe(403)

    expect(await organization(id)).toEqual({ suspended_at: null, suspended_reason: null })
    expect(await organization(operator.organization.id)).toEqual({
      suspended_at: null,
      suspended_reason: null,
    })
    expect(await auditRows(id)).toEqual([])
    expect(await auditRows(operator.organization.id)).toEqual([])

    // A double submit: the first suspends, the second says it already is; one audit entry.
    expect((await consoleForm(ops, 'suspend', id, '重复提交')).status).toBe(302)
    const again = await readPage(consoleForm(ops, 'suspend', id, '重复提交'))
    expect(again.status).toBe(409)
    expect(again.text).toContain('该企业已处于暂停状态')
    expect((await consoleForm(ops, 'reactivate', id)).status).toBe(302)
    const twice = await readPage(consoleForm(ops, 'reactivate', id))
    expect(twice.status).toBe(409)
    expect(twice.text).toContain('该企业未被暂停')
    expect((await auditRows(id)).map((r) => r.action)).toEqual([
      'organization.suspend',
      'organization.reactivate',
    ])
  })

  test('designers and workshops get 403 on the pages and the API; nothing changes', async () => {
    const target = await createAccount(t.db, { kind: 'workshop' })
    const path = `/api/v1/ops/organizations/${target.organization.id}`
    for (const kind of ['design_firm', 'workshop'] as const) {
      const account = await createAccount(t.db, { kind })
      const browser = await browserSession(app.url, account)
      for (const page of ['/console/organizations', '/console/audit', '/console/orders']) {
        expect((await browser.get(page)).status, page).toBe(403)
      }
      expect((await consoleForm(browser, 'suspend', target.organization.id, 'x')).status).toBe(403)
      const s = await apiSession(app.url, account)
      for (const get of ['/api/v1/ops/organizations', '/api/v1/ops/audit', '/api/v1/ops/queues']) {
        expectError(await s.client.api('GET', get), 403, 'forbidden')
      }
      expectError(await apiPost(s, `${path}/suspend`, { reason: 'x' }), 403, 'forbidden')
      expectError(await apiPost(s, `${path}/reactivate`), 403, 'forbidden')
    }
    const anonymous = new TestClient(app.url)
    const page = await anonymous.get('/console/organizations')
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/^\/login/)
    expectError(await anonymous.api('GET', '/api/v1/ops/audit'), 401, 'unauthorized')
    expect(await organization(target.organization.id)).toEqual({
      suspended_at: null,
      suspended_reason: null,
    })
  })
})

describe('the organisation directory', () => {
  test('searches by name and kind, a page of 25 at a time, linked from the console', async () => {
    const label = `分页${Date.now().toString(36)}`
    await t.db
      .insertInto('organizations')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          kind: i % 2 ? ('workshop' as const) : ('design_firm' as const),
          name: `${label} ${String(i).padStart(2, '0')}`,
          town: 'xiaolan',
        })),
      )
      .execute()
    const first = await readPage(ops.get(`/console/organizations?q=${encodeURIComponent(label)}`))
    expect(first.status).toBe(200)
    expect(first.text).toContain('共 30 家企业')
    expect(first.text).toContain(`${label} 00`)
    expect(first.text).toContain(`${label} 24`)
    expect(first.text).not.toContain(`${label} 25`)
    expect(first.text).toContain('第 1 / 2 页')
    const second = await readPage(
      ops.get(`/console/organizations?q=${encodeURIComponent(label)}&page=2`),
    )
    expect(second.text).toContain(`${label} 29`)
    expect(second.text).not.toContain(`${label} 24`)
    const workshops = await readPage(
      ops.get(`/console/organizations?q=${encodeURIComponent(label)}&kind=workshop`),
    )
    expect(workshops.text).toContain('共 15 家企业')
    expect(workshops.text).toContain(`${label} 01`)
    expect(workshops.text).not.toContain(`${label} 00`)
    // Every row has its labelled suspend form.
    expect(workshops.html.match(/<label for="reason-/g)?.length).toBe(15)

    const api = await opsApi.client.api(
      'GET',
      `/api/v1/ops/organizations?${new URLSearchParams({ q: label, kind: 'design_firm', page: '1' })}`,
    )
    expect(api.status).toBe(200)
    expect(api.body).toMatchObject({ page: 1, per_page: 25, total: 15 })
    expectError(
      await opsApi.client.api('GET', '/api/v1/ops/organizations?kind=robot'),
      400,
      'invalid_input',
    )
    expectError(
      await opsApi.client.api('GET', '/api/v1/ops/organizations?page=0'),
      400,
      'invalid_input',
    )

    const front = await ops.get('/console')
    const html = await front.text()
    expect(html).toContain('href="/console/organizations"')
    expect(html).toContain('href="/console/audit"')
  })

  test('the pages are in English for an English-speaking operator', async () => {
    const client = await browserSession(app.url, await createOperatorAccount(t.db))
    await client.postForm('/language', { locale: 'en' })
    const directory = visibleText(
      await (await client.get('/console/organizations?kind=platform')).text(),
    )
    expect(directory).toContain('Organisations')
    expect(directory).toContain('The platform itself; cannot be suspended')
    const audit = visibleText(await (await client.get('/console/audit')).text())
    expect(audit).toContain('Audit log')
    const queues = visibleText(await (await client.get('/console/orders')).text())
    expect(queues).toContain('Quotes about to expire')
    expect(queues).toContain('Jobs with no match')
  })
})

describe('the audit log', () => {
  test('shows a settings change with who made it, when and what changed, filtered and paged', async () => {
    const patched = await opsApi.client.api(
      'PATCH',
      '/api/v1/ops/settings',
      { quote_validity_days: 21 },
      opsApi.csrf,
    )
    expect(patched.status).toBe(200)
    const entry = await t.db
      .selectFrom('audit_log')
      .select(['id', 'created_at'])
      .where('action', '=', 'settings.update')
      .where('subject', '=', 'quote_validity_days')
      .executeTakeFirstOrThrow()

    const page = await readPage(ops.get('/console/audit?action=settings.'))
    expect(page.status).toBe(200)
    const row = new RegExp(`<tr[^>]*id="audit-${entry.id}"[^>]*>([\\s\\S]*?)</tr>`).exec(page.html)
    expect(row).not.toBeNull()
    const text = visibleText(row![1]!)
    expect(text).toContain(formatDateTime('zh-CN', entry.created_at))
    expect(text).toContain(operator.user.name)
    expect(text).toContain(operator.user.email)
    expect(text).toContain('settings.update')
    expect(text).toContain('quote_validity_days')
    expect(text).toContain('7 → 21')

    // Through the API, with the change worked out.
    const api = await opsApi.client.api('GET', '/api/v1/ops/audit?subject=quote_validity_days')
    expect(api.status).toBe(200)
    const body = schemas.OpsAuditPage.parse(api.body)
    expect(body.entries[0]).toMatchObject({
      id: entry.id,
      action: 'settings.update',
      actor: { id: operator.user.id, email: operator.user.email },
      before: 7,
      after: 21,
      changes: [{ path: '', before: 7, after: 21 }],
    })
    const other = await opsApi.client.api('GET', '/api/v1/ops/audit?action=organization.')
    expect(other.body.entries.map((e: { action: string }) => e.action)).not.toContain(
      'settings.update',
    )
    // `_` in a prefix is a character, not a wildcard.
    await t.db
      .insertInto('audit_log')
      .values({ action: 'voucherXprogram.update', subject: 'x', before: null, after: null })
      .execute()
    const prefix = await opsApi.client.api('GET', '/api/v1/ops/audit?action=voucher_program')
    expect(prefix.body.entries).toEqual([])

    // 50 a page, newest first; `before` pages back; a cursor naming nothing is a 400.
    const action = `test.paging${Date.now().toString(36)}`
    await t.db
      .insertInto('audit_log')
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          action,
          subject: `n${i}`,
          before: { n: i },
          after: { n: i + 1 },
          created_at: sql<Date>`now() - make_interval(mins => ${60 - i})`,
        })),
      )
      .execute()
    const one = await opsApi.client.api('GET', `/api/v1/ops/audit?action=${action}`)
    expect(one.body.entries).toHaveLength(50)
    expect(one.body.entries[0].subject).toBe('n59')
    expect(one.body.entries[0].changes).toEqual([{ path: 'n', before: 59, after: 60 }])
    expect(one.body.next_before).toBe(one.body.entries[49].id)
    const two = await opsApi.client.api(
      'GET',
      `/api/v1/ops/audit?action=${action}&before=${one.body.next_before}`,
    )
    expect(two.body.entries.map((e: { subject: string }) => e.subject)).toEqual(
      Array.from({ length: 10 }, (_, i) => `n${9 - i}`),
    )
    expect(two.body.next_before).toBeNull()
    expectError(
      await opsApi.client.api(
        'GET',
        '/api/v1/ops/audit?before=00000000-0000-4000-8000-000000000000',
      ),
      400,
      'invalid_input',
    )
    expectError(
      await opsApi.client.api('GET', '/api/v1/ops/audit?before=nope'),
      400,
      'invalid_input',
    )
    const older = await readPage(ops.get(`/console/audit?action=${action}`))
    expect(older.html).toContain(`before=${one.body.next_before}`)
    expect(older.text).toContain('更早的记录')
  })

  test('adding and editing a material writes an audit entry per change', async () => {
    const code = `t${Date.now().toString(36)}`
    const created = await apiPost(opsApi, '/api/v1/materials', {
      code,
      name_zh: '测试铝',
      name_en: 'Test aluminium',
      families: ['subtractive'],
      density_g_cm3: 2.7,
      price_fen_per_kg: 3_000,
      active: true,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const patch = (body: unknown) =>
      opsApi.client.api('PATCH', `/api/v1/materials/${code}`, body, opsApi.csrf)
    expect((await patch({ price_fen_per_kg: 3_500 })).status).toBe(200)
    // Saved unchanged: no change to record.
    expect((await patch({ price_fen_per_kg: 3_500 })).status).toBe(200)
    const rows = await auditRows(code)
    expect(rows.map((r) => r.action)).toEqual(['material.create', 'material.update'])
    expect(rows[1]).toMatchObject({
      actor_user_id: operator.user.id,
      before: { code, price_fen_per_kg: 3_000 },
      after: { code, price_fen_per_kg: 3_500 },
    })
    const page = await readPage(ops.get(`/console/audit?subject=${code}`))
    expect(page.text).toContain('price_fen_per_kg')
    expect(page.text).toContain('3000 → 3500')
  })
})

describe('the work queues before an order', () => {
  test('list quotes expiring within 24 hours unanswered and open jobs with no match, not the others', async () => {
    const a = await quotingWorkshop(app, { label: '即将过期' })
    const b = await quotingWorkshop(app, { label: '尚早' })
    const { jobId, title } = await openJob(app, { title: '过期测试铝块' })
    const quoteA = await quoteOf(app, a, jobId)
    const quoteB = await quoteOf(app, b, jobId)
    // a: confirmed, lapses in 2 hours (the designer must answer); b: lapses in 30 hours.
    expect((await apiPost(a.session, `/api/v1/quotes/${quoteA.id}/confirm`, {})).status).toBe(200)
    const validFor = (id: string, hours: number) =>
      t.db
        .updateTable('quotes')
        .set({ valid_until: sql<Date>`now() + make_interval(hours => ${hours})` })
        .where('id', '=', id)
        .execute()
    await validFor(quoteA.id, 2)
    await validFor(quoteB.id, 30)
    // c: an estimate still to confirm, lapsing in 5 hours; d: lapsed an hour ago.
    const c = await quotingWorkshop(app, { label: '待确认' })
    const d = await quotingWorkshop(app, { label: '已过期' })
    const second = await openJob(app, { title: '待确认铝块' })
    const quoteC = await quoteOf(app, c, second.jobId)
    const quoteD = await quoteOf(app, d, second.jobId)
    await validFor(quoteC.id, 5)
    await validFor(quoteD.id, -1)

    // A tolerance no machine holds: matching finds nothing.
    const unmatched = await openJob(app, { title: '超高精度零件', tolerance_mm: 0.001 })
    const cancelled = await openJob(app, { title: '已取消的零件', tolerance_mm: 0.001 })
    expect(
      (await apiPost(cancelled.designer, `/api/v1/jobs/${cancelled.jobId}/cancel`, {})).status,
    ).toBe(200)

    const queues = await orderQueues(t.db)
    const expiring = queues.expiringQuotes.map((q) => q.quote_id)
    expect(expiring).toContain(quoteA.id)
    expect(expiring).toContain(quoteC.id)
    expect(expiring).not.toContain(quoteB.id)
    expect(expiring).not.toContain(quoteD.id)
    expect(expiring.indexOf(quoteA.id)).toBeLessThan(expiring.indexOf(quoteC.id))
    expect(queues.expiringQuotes.find((q) => q.quote_id === quoteA.id)).toMatchObject({
      job_id: jobId,
      job_title: title,
      workshop: a.account.organization.name,
      confirmed: true,
    })
    expect(queues.expiringQuotes.find((q) => q.quote_id === quoteC.id)).toMatchObject({
      confirmed: false,
    })
    const jobs = queues.unmatchedJobs.map((j) => j.job_id)
    expect(jobs).toContain(unmatched.jobId)
    expect(jobs).not.toContain(cancelled.jobId)
    expect(jobs).not.toContain(jobId)
    expect(queues.unmatchedJobs.find((j) => j.job_id === unmatched.jobId)).toMatchObject({
      job_title: '超高精度零件',
      opened_at: expect.any(Date),
      top_miss: { code: 'tolerance', best: '0.01 mm' },
    })

    // The console page, without JavaScript.
    const html = await (await ops.get('/console/orders')).text()
    const section = (id: string) => {
      const m = new RegExp(`<section\\b[^>]*id="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html)
      expect(m, id).not.toBeNull()
      return { html: m![1]!, text: visibleText(m![1]!) }
    }
    const expiringSection = section('expiring')
    expect(expiringSection.html).toContain(`href="/jobs/${jobId}#quotes"`)
    expect(expiringSection.text).toContain(`${title} `)
    expect(expiringSection.text).toContain(a.account.organization.name)
    expect(expiringSection.text).toContain('设计方接受')
    expect(expiringSection.text).toContain('加工方确认')
    expect(expiringSection.text).not.toContain(b.account.organization.name)
    expect(expiringSection.text).not.toContain(d.account.organization.name)
    const unmatchedSection = section('unmatched')
    expect(unmatchedSection.html).toContain(`href="/jobs/${unmatched.jobId}"`)
    expect(unmatchedSection.text).toContain('超高精度零件')
    expect(unmatchedSection.text).toContain('达不到公差（最好 0.01 mm）')
    expect(unmatchedSection.text).not.toContain('已取消的零件')

    // Counted on the console's front page.
    const front = visibleText(await (await ops.get('/console')).text())
    expect(front).toContain(`${queues.expiringQuotes.length} 个报价即将过期`)
    expect(front).toContain(`${queues.unmatchedJobs.length} 个需求无匹配`)

    // And through the API, every queue at once.
    const api = await opsApi.client.api('GET', '/api/v1/ops/queues')
    expect(api.status).toBe(200)
    const body = schemas.OpsQueues.parse(api.body)
    expect(body.expiring_quotes.find((q) => q.quote_id === quoteA.id)).toMatchObject({
      job_title: title,
      firm: expect.any(String),
      workshop: a.account.organization.name,
      waiting_on: 'designer',
    })
    expect(body.expiring_quotes.find((q) => q.quote_id === quoteC.id)?.waiting_on).toBe('workshop')
    expect(body.unmatched_jobs.find((j) => j.job_id === unmatched.jobId)?.top_miss?.code).toBe(
      'tolerance',
    )
    expect(body.unmatched_jobs.map((j) => j.job_id)).not.toContain(cancelled.jobId)
    for (const key of ['verifications', 'transfers', 'disputes', 'unpaid'] as const) {
      expect(Array.isArray(body[key])).toBe(true)
    }
  })
})
