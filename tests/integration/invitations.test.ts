import { faker } from '@faker-js/faker'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, startTestServer, type TestServer } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { expectError } from '../support/api-errors.ts'
import { TEST_PASSWORD, createAccount } from '../factories.ts'
import { testTaskDeps } from '../support/deps.ts'
import { emailSend } from '../../workers/tasks/email__send.ts'

const t = useTestDatabase()
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(t.db)
})
afterAll(() => server.close())

const INVITEE_PASSWORD = 'invited-and-joined'

function newEmail() {
  return faker.internet.email({ provider: `${faker.string.alphanumeric(6)}.test` }).toLowerCase()
}

async function loggedIn(email: string, password = TEST_PASSWORD) {
  const client = new TestClient(server.url)
  const response = await client.postForm('/login', { email, password })
  expect(response.status).toBe(302)
  return client
}

async function invite(owner: TestClient, email: string, role: 'owner' | 'member' = 'member') {
  return owner.postForm('/settings/organization', { intent: 'invite', email, role })
}

/** The newest invitation email to `to`. */
function invitationEmail(to: string) {
  return t.db
    .selectFrom('emails')
    .select(['id', 'status', 'template', 'locale', 'props', 'text'])
    .where('to_address', '=', to)
    .where('template', '=', 'invitation')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow()
}

/**
 * Delivers the invitation email to `to` with the local mailbox transport (the email__send
 * task itself, run directly) and returns the link's path from the rendered text. Only the
 * token's hash is in `invitations`, so the email is the one place the link exists.
 */
async function invitationLink(to: string): Promise<string> {
  const { id } = await invitationEmail(to)
  await emailSend({ emailId: id }, testTaskDeps(t.db))
  const { text } = await invitationEmail(to)
  const match = text?.match(/\/invitations\/[\w-]{20,}/)
  if (!match) throw new Error(`no invitation link in:\n${text}`)
  return match[0]
}

/** An owner with a logged-in browser. */
async function ownerWithBrowser(overrides: Parameters<typeof createAccount>[1] = {}) {
  const owner = await createAccount(t.db, overrides)
  return { owner, client: await loggedIn(owner.user.email) }
}

/** Invites a new email by the form and accepts by the link; the member's browser is logged in. */
async function addMember(ownerClient: TestClient) {
  const email = newEmail()
  expect((await invite(ownerClient, email)).status).toBe(200)
  const link = await invitationLink(email)
  const client = new TestClient(server.url)
  const accepted = await client.postForm(link, {
    name: faker.person.fullName(),
    password: INVITEE_PASSWORD,
  })
  expect(accepted.status).toBe(302)
  const user = await t.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return { email, userId: user.id, client }
}

/** A client that authenticates with a fresh personal access token of the logged-in `client`. */
async function bearerFor(client: TestClient) {
  const created = await client.api(
    'POST',
    '/api/v1/tokens',
    { name: 'test' },
    { 'x-csrf-token': client.csrfToken()! },
  )
  expect(created.status).toBe(201)
  return new TestClient(server.url, { authorization: `Bearer ${created.body.token}` })
}

async function memberRole(userId: string, organizationId: string) {
  const row = await t.db
    .selectFrom('memberships')
    .select('role')
    .where('user_id', '=', userId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
  return row?.role
}

function invitationsTo(email: string) {
  return t.db.selectFrom('invitations').select('id').where('email', '=', email).execute()
}

function emailsTo(email: string) {
  return t.db.selectFrom('emails').select('id').where('to_address', '=', email).execute()
}

describe('inviting a member', () => {
  test('an owner invites by the settings form: the email and its send job are recorded together', async () => {
    const { owner, client } = await ownerWithBrowser()
    const email = newEmail()
    const response = await invite(client, email.toUpperCase())
    expect(response.status).toBe(200)
    expect(visibleText(await response.text())).toContain(`邀请已发送至 ${email.toUpperCase()}。`)

    const invitation = await t.db
      .selectFrom('invitations')
      .select(['id', 'role', 'organization_id', 'invited_by', 'token_hash'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(invitation).toMatchObject({
      role: 'member',
      organization_id: owner.organization.id,
      invited_by: owner.user.id,
    })
    expect(invitation.token_hash).toMatch(/^[0-9a-f]{64}$/)

    const queued = await invitationEmail(email)
    expect(queued).toMatchObject({ status: 'queued', template: 'invitation', locale: 'zh-CN' })
    expect(queued.props).toMatchObject({
      inviter: owner.user.name,
      organization: owner.organization.name,
      role: 'member',
      validDays: 7,
    })
    const jobs = await sql<{ n: number }>`
      select count(*)::int as n
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks k on k.id = j.task_id
      where k.identifier = 'email__send' and j.payload->>'emailId' = ${queued.id}`.execute(t.db)
    expect(jobs.rows[0]?.n).toBe(1)

    const page = visibleText(await (await client.get('/settings/organization')).text())
    expect(page).toContain('待接受的邀请')
    expect(page).toContain(email)
  })

  test('the invitee opens the link, creates an account and lands on the company dashboard as a member', async () => {
    const { owner, client: ownerClient } = await ownerWithBrowser({ kind: 'workshop' })
    const email = newEmail()
    await invite(ownerClient, email)
    const link = await invitationLink(email)
    const { text } = await invitationEmail(email)
    expect(text).toContain(owner.user.name)
    expect(text).toContain(owner.organization.name)

    const invitee = new TestClient(server.url)
    const page = await invitee.get(link)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(visibleText(html)).toContain(`加入 ${owner.organization.name}`)
    expect(html).toContain(`value="${email}"`)

    const accepted = await invitee.postForm(link, { name: '陈工', password: INVITEE_PASSWORD })
    expect(accepted.status).toBe(302)
    expect(accepted.headers.get('location')).toBe('/workshop')
    const dashboard = await invitee.get('/workshop')
    expect(dashboard.status).toBe(200)
    const dashboardText = visibleText(await dashboard.text())
    expect(dashboardText).toContain('陈工')
    expect(dashboardText).toContain(owner.organization.name)

    const user = await t.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    expect(await memberRole(user.id, owner.organization.id)).toBe('member')
    const me = await invitee.api('GET', '/api/v1/me')
    expect(me.body.organization.id).toBe(owner.organization.id)

    const reused = await new TestClient(server.url).get(link)
    expect(visibleText(await reused.text())).toContain('此邀请链接无效、已使用或已过期。')
  })

  test('a member cannot invite, by the API or by the form', async () => {
    const { owner, client: ownerClient } = await ownerWithBrowser()
    const member = await addMember(ownerClient)
    const email = newEmail()

    const bearer = await bearerFor(member.client)
    const byApi = await bearer.api('POST', '/api/v1/organization/invitations', { email })
    expectError(byApi, 403, 'forbidden')
    const list = await bearer.api('GET', '/api/v1/organization/invitations')
    expectError(list, 403, 'forbidden')

    const byForm = await invite(member.client, email)
    expect(byForm.status).toBe(403)
    expect(visibleText(await byForm.text())).toContain('只有企业所有者可以邀请或移除成员。')

    expect(await invitationsTo(email)).toEqual([])
    expect(await emailsTo(email)).toEqual([])
    expect(await memberRole(member.userId, owner.organization.id)).toBe('member')
  })

  test('inviting an email that already has an account is a 409 field error and records nothing', async () => {
    const { client } = await ownerWithBrowser()
    const other = await createAccount(t.db)

    const byForm = await invite(client, other.user.email)
    expect(byForm.status).toBe(409)
    expect(visibleText(await byForm.text())).toContain('该邮箱已属于一个企业')

    const bearer = await bearerFor(client)
    const byApi = await bearer.api('POST', '/api/v1/organization/invitations', {
      email: other.user.email,
    })
    expectError(byApi, 409, 'already_member')
    expect(byApi.body.error.details).toEqual({ field: 'email' })

    expect(await invitationsTo(other.user.email)).toEqual([])
    expect(await emailsTo(other.user.email)).toEqual([])
  })
})

describe('removing members', () => {
  test('an owner removes a member, whose account and session end', async () => {
    const { owner, client } = await ownerWithBrowser()
    const member = await addMember(client)
    expect((await member.client.get('/designer')).status).toBe(200)

    const removed = await client.postForm('/settings/organization', {
      intent: 'remove',
      id: member.userId,
    })
    expect(removed.status).toBe(200)
    expect(await memberRole(member.userId, owner.organization.id)).toBeUndefined()
    const users = await t.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', member.userId)
      .execute()
    expect(users).toEqual([])

    const after = await member.client.get('/designer')
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toMatch(/^\/login\?redirectTo=/)
    const list = await (await bearerFor(client)).api('GET', '/api/v1/organization/members')
    expect(list.body.members.map((m: { email: string }) => m.email)).toEqual([owner.user.email])
  })

  test('the last owner cannot be removed (409 last_owner)', async () => {
    const { owner, client } = await ownerWithBrowser()
    await addMember(client)
    const bearer = await bearerFor(client)

    const byApi = await bearer.api('DELETE', `/api/v1/organization/members/${owner.user.id}`)
    expectError(byApi, 409, 'last_owner')

    const byForm = await client.postForm('/settings/organization', {
      intent: 'remove',
      id: owner.user.id,
    })
    expect(byForm.status).toBe(409)
    expect(visibleText(await byForm.text())).toContain('企业至少需要一位所有者')
    expect(await memberRole(owner.user.id, owner.organization.id)).toBe('owner')
  })

  test('a member cannot remove anyone', async () => {
    const { owner, client } = await ownerWithBrowser()
    const member = await addMember(client)
    const bearer = await bearerFor(member.client)
    const res = await bearer.api('DELETE', `/api/v1/organization/members/${owner.user.id}`)
    expectError(res, 403, 'forbidden')
    expect(await memberRole(owner.user.id, owner.organization.id)).toBe('owner')
  })

  test('an owner cannot remove someone from another company (404)', async () => {
    const { client } = await ownerWithBrowser()
    const stranger = await createAccount(t.db)
    const res = await (
      await bearerFor(client)
    ).api('DELETE', `/api/v1/organization/members/${stranger.user.id}`)
    expectError(res, 404, 'not_found')
    expect(await memberRole(stranger.user.id, stranger.organization.id)).toBe('owner')
  })
})

describe('revoking an invitation', () => {
  test('a revoked invitation link shows the invalid message and cannot be accepted', async () => {
    const { owner, client } = await ownerWithBrowser()
    const email = newEmail()
    await invite(client, email)
    const link = await invitationLink(email)
    const invitation = await t.db
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', email)
      .where('organization_id', '=', owner.organization.id)
      .executeTakeFirstOrThrow()

    const revoked = await client.postForm('/settings/organization', {
      intent: 'revoke',
      id: invitation.id,
    })
    expect(revoked.status).toBe(200)

    const invitee = new TestClient(server.url)
    const page = await invitee.get(link)
    expect(page.status).toBe(200)
    const text = visibleText(await page.text())
    expect(text).toContain('此邀请链接无效、已使用或已过期。')
    expect(text).not.toContain('创建账号并加入')

    const accept = await invitee.postForm(link, { name: '晚到的人', password: INVITEE_PASSWORD })
    expect(accept.status).toBe(422)
    const users = await t.db.selectFrom('users').select('id').where('email', '=', email).execute()
    expect(users).toEqual([])
  })

  test('inviting the same email again replaces the earlier link', async () => {
    const { client } = await ownerWithBrowser()
    const email = newEmail()
    await invite(client, email)
    const first = await invitationLink(email)
    await invite(client, email)
    const second = await invitationLink(email)
    expect(second).not.toBe(first)
    expect(visibleText(await (await new TestClient(server.url).get(first)).text())).toContain(
      '此邀请链接无效、已使用或已过期。',
    )
    expect(visibleText(await (await new TestClient(server.url).get(second)).text())).toContain(
      '创建账号并加入',
    )
  })
})
