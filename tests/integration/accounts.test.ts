import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, startTestServer, type TestServer } from '../support/http.ts'
import { TEST_PASSWORD, createAccount } from '../factories.ts'

const t = useTestDatabase()
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(t.db)
})
afterAll(() => server.close())

const signupFields = (email: string) => ({
  kind: 'workshop',
  organizationName: '横栏五金加工厂',
  town: 'henglan',
  name: '王师傅',
  email,
  password: 'a-strong-password',
})

async function countUsers(email: string) {
  const rows = await t.db.selectFrom('users').select('id').where('email', '=', email).execute()
  return rows.length
}

describe('sign up', () => {
  test('creates a user who owns a new workshop and lands on the workshop dashboard', async () => {
    const client = new TestClient(server.url)
    const response = await client.postForm('/signup', signupFields('Wang@Example.test'))
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/workshop')
    const row = await t.db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
      .select([
        'users.email',
        'memberships.role',
        'organizations.kind',
        'organizations.town',
        'users.password_hash',
      ])
      .where('users.email', '=', 'wang@example.test')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ role: 'owner', kind: 'workshop', town: 'henglan' })
    expect(row.password_hash).toMatch(/^\$argon2id\$/)
    const dashboard = await client.get('/workshop')
    expect(dashboard.status).toBe(200)
    expect(await dashboard.text()).toContain('接单大厅')
  })

  test('a duplicate email is a field error and creates no second user', async () => {
    const existing = await createAccount(t.db)
    const client = new TestClient(server.url)
    const response = await client.postForm(
      '/signup',
      signupFields(existing.user.email.toUpperCase()),
    )
    expect(response.status).toBe(409)
    expect(await response.text()).toContain('该邮箱已注册')
    expect(await countUsers(existing.user.email)).toBe(1)
  })

  test('invalid fields are reported and nothing is created', async () => {
    const client = new TestClient(server.url)
    const response = await client.postForm('/signup', {
      ...signupFields('bad-email'),
      town: 'atlantis',
      password: 'short',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('请输入有效的邮箱地址')
    expect(html).toContain('密码至少 8 个字符')
    expect(html).toContain('请选择一个有效选项')
    expect(await countUsers('bad-email')).toBe(0)
  })
})

describe('log in and out', () => {
  test('the right password starts a session; logging out ends it', async () => {
    const account = await createAccount(t.db, { kind: 'design_firm' })
    const client = new TestClient(server.url)
    const login = await client.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(login.status).toBe(302)
    expect(login.headers.get('location')).toBe('/designer')
    expect((await client.get('/designer')).status).toBe(200)
    const logout = await client.postForm('/logout', {})
    expect(logout.headers.get('location')).toBe('/login?notice=logged-out')
    const after = await client.get('/designer')
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Fdesigner/)
  })

  test('a wrong password gets a clear message', async () => {
    const account = await createAccount(t.db)
    const client = new TestClient(server.url)
    const response = await client.postForm('/login', {
      email: account.user.email,
      password: 'nope-nope-nope',
    })
    expect(response.status).toBe(401)
    expect(await response.text()).toContain('邮箱或密码错误')
  })

  test('the 11th failed login for one email and IP in 15 minutes is refused with a retry time', async () => {
    const account = await createAccount(t.db)
    const client = new TestClient(server.url)
    for (let i = 0; i < 10; i++) {
      const r = await client.api('POST', '/api/v1/session', {
        email: account.user.email,
        password: 'wrong-password',
      })
      expect(r.status).toBe(401)
    }
    const refused = await client.api('POST', '/api/v1/session', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('too_many_attempts')
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    const form = await client.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(form.status).toBe(429)
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
    expect(await form.text()).toContain('登录失败次数过多')
  })

  test('a redirectTo pointing off-site is ignored', async () => {
    const account = await createAccount(t.db)
    const client = new TestClient(server.url)
    const login = await client.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
      redirectTo: '//evil.example/phish',
    })
    expect(login.headers.get('location')).toBe('/designer')
  })
})

describe('CSRF and body limits', () => {
  test('a form post without the CSRF token is refused and changes nothing', async () => {
    const client = new TestClient(server.url)
    await client.get('/signup')
    const response = await client.postForm('/signup', signupFields('nocsrf@example.test'), {
      csrf: null,
    })
    expect(response.status).toBe(403)
    expect(await countUsers('nocsrf@example.test')).toBe(0)
  })

  test('a stale CSRF token (from before login) is refused after login', async () => {
    const account = await createAccount(t.db)
    const client = new TestClient(server.url)
    await client.get('/login')
    const before = client.csrfToken()!
    await client.postForm('/login', { email: account.user.email, password: TEST_PASSWORD })
    expect(client.csrfToken()).not.toBe(before)
    const response = await client.postForm(
      '/settings/profile',
      { name: 'Changed', locale: 'en' },
      { csrf: before },
    )
    expect(response.status).toBe(403)
    const user = await t.db
      .selectFrom('users')
      .select('name')
      .where('id', '=', account.user.id)
      .executeTakeFirstOrThrow()
    expect(user.name).toBe(account.user.name)
  })

  test('an API call with the session cookie needs X-CSRF-Token; a Bearer token does not', async () => {
    const account = await createAccount(t.db)
    const client = new TestClient(server.url)
    const session = await client.api('POST', '/api/v1/session', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(session.status).toBe(200)
    const refused = await client.api('POST', '/api/v1/tokens', { name: 'x' })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('csrf_failed')
    const created = await client.api(
      'POST',
      '/api/v1/tokens',
      { name: 'ci' },
      { 'x-csrf-token': session.body.csrf_token },
    )
    expect(created.status).toBe(201)
    const bearer = new TestClient(server.url, { authorization: `Bearer ${created.body.token}` })
    const me = await bearer.api('PATCH', '/api/v1/me', { locale: 'en' })
    expect(me.status).toBe(200)
    expect(me.body.user.locale).toBe('en')
    expect(me.body.csrf_token).toBeNull()
  })

  test('a form body over the limit is refused with 413', async () => {
    const client = new TestClient(server.url)
    const response = await client.postForm('/login', {
      email: 'a@b.test',
      password: 'x'.repeat(70 * 1024),
    })
    expect(response.status).toBe(413)
  })
})
