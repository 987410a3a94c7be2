import { readdirSync } from 'node:fs'
import { faker } from '@faker-js/faker'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, startTestServer, type TestServer } from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { TEST_PASSWORD, createAccount } from '../factories.ts'
import { endpoints, schemas } from '../../app/utils/api-contract.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(t.db, { publicUrl: PUBLIC_URL })
})
afterAll(() => server.close())

function newEmail() {
  return faker.internet.email({ provider: `${faker.string.alphanumeric(6)}.test` }).toLowerCase()
}

/** A client logged in through the API, and the CSRF token the login returned. */
async function apiSession(email: string, password = TEST_PASSWORD) {
  const client = new TestClient(server.url)
  const res = await client.api('POST', '/api/v1/session', { email, password })
  expect(res.status).toBe(200)
  return { client, csrf: { 'x-csrf-token': res.body.csrf_token as string }, body: res.body }
}

describe('session', () => {
  test('logging in answers exactly {user, organization, csrf_token} and sets the session cookie', async () => {
    const account = await createAccount(t.db, { kind: 'workshop', locale: 'en' })
    const client = new TestClient(server.url)
    const res = await client.api('POST', '/api/v1/session', {
      email: account.user.email.toUpperCase(),
      password: TEST_PASSWORD,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.body).toStrictEqual({
      user: {
        id: account.user.id,
        email: account.user.email,
        name: account.user.name,
        locale: 'en',
      },
      organization: {
        id: account.organization.id,
        kind: 'workshop',
        name: account.organization.name,
      },
      csrf_token: expect.any(String),
    })
    expect(schemas.Account.parse(res.body)).toEqual(res.body)
    expect(res.body.csrf_token).toBe(client.csrfToken())
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sf_session='))
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  test('a wrong password is 401 invalid_credentials, in the caller’s language', async () => {
    const account = await createAccount(t.db)
    const client = new TestClient(server.url)
    const en = await client.api('POST', '/api/v1/session', {
      email: account.user.email,
      password: 'not-the-password',
    })
    expectError(en, 401, 'invalid_credentials')
    expect(en.body.error).toEqual({
      code: 'invalid_credentials',
      message: 'Wrong email or password',
      details: null,
    })
    const zh = await client.api(
      'POST',
      '/api/v1/session',
      { email: account.user.email, password: 'not-the-password' },
      { 'accept-language': 'zh-CN,zh;q=0.9' },
    )
    expectError(zh, 401, 'invalid_credentials')
    expect(zh.body.error.message).toBe('邮箱或密码错误')
    expect(client.cookie('sf_session')).toBeUndefined()
  })

  test('an unknown email gets the same 401 as a wrong password', async () => {
    const res = await new TestClient(server.url).api('POST', '/api/v1/session', {
      email: newEmail(),
      password: TEST_PASSWORD,
    })
    expectError(res, 401, 'invalid_credentials')
  })

  test('GET /me is 401 for nobody and the login body for a session', async () => {
    const anonymous = await new TestClient(server.url).api('GET', '/api/v1/me')
    expectError(anonymous, 401, 'unauthorized')

    const account = await createAccount(t.db)
    const { client, body } = await apiSession(account.user.email)
    const me = await client.api('GET', '/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body).toStrictEqual(body)
  })

  test('DELETE /session logs out: the cookie is cleared and the old session is dead', async () => {
    const account = await createAccount(t.db)
    const { client, csrf } = await apiSession(account.user.email)
    const oldCookie = `sf_session=${client.cookie('sf_session')}`

    const withoutCsrf = await client.api('DELETE', '/api/v1/session')
    expectError(withoutCsrf, 403, 'csrf_failed')

    const out = await client.api('DELETE', '/api/v1/session', undefined, csrf)
    expect(out.status).toBe(204)
    expect(out.body).toBeNull()
    expect(client.cookie('sf_session')).toBeUndefined()
    expectError(await client.api('GET', '/api/v1/me'), 401, 'unauthorized')

    const replay = await new TestClient(server.url).api('GET', '/api/v1/me', undefined, {
      cookie: oldCookie,
    })
    expectError(replay, 401, 'unauthorized')
    expectError(
      await new TestClient(server.url).api('DELETE', '/api/v1/session'),
      401,
      'unauthorized',
    )
  })
})

describe('request errors', () => {
  test('malformed JSON is 400 malformed_json', async () => {
    const res = await new TestClient(server.url).api(
      'POST',
      '/api/v1/session',
      '{"email": "a@b.test",',
    )
    expectError(res, 400, 'malformed_json')
    expect(res.body.error.details).toBeNull()
  })

  test('a body that breaks the schema is 400 invalid_input with the issues', async () => {
    const res = await new TestClient(server.url).api('POST', '/api/v1/session', {
      email: 'not-an-email',
      password: '',
    })
    expectError(res, 400, 'invalid_input')
    expect(res.body.error.details.issues).toEqual(
      expect.arrayContaining([
        { path: 'email', message: expect.any(String) },
        { path: 'password', message: expect.any(String) },
      ]),
    )
    for (const issue of res.body.error.details.issues) {
      expect(Object.keys(issue).sort()).toEqual(['message', 'path'])
    }
  })

  test('a body that is not JSON is 415', async () => {
    const client = new TestClient(server.url)
    const text = await client.api('POST', '/api/v1/session', 'email=a@b.test&password=x', {
      'content-type': 'application/x-www-form-urlencoded',
    })
    expectError(text, 415, 'unsupported_media_type')
    const plain = await client.api('POST', '/api/v1/signup', '{}', { 'content-type': 'text/plain' })
    expectError(plain, 415, 'unsupported_media_type')
  })

  test('an unknown /api/v1 path is a JSON 404, for any method', async () => {
    const client = new TestClient(server.url)
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await client.api(method, '/api/v1/whatever/else')
      expectError(res, 404, 'not_found')
    }
  })

  test('a method an endpoint does not have is 405 with Allow', async () => {
    const client = new TestClient(server.url)
    const get = await client.api('GET', '/api/v1/session')
    expectError(get, 405, 'method_not_allowed')
    expect(get.headers.get('allow')).toBe('POST, DELETE')
    expect(get.body.error.details).toEqual({ allow: ['POST', 'DELETE'] })
    const put = await client.api('PUT', '/api/v1/me', { name: 'x' })
    expectError(put, 405, 'method_not_allowed')
    expect(put.headers.get('allow')).toBe('GET, PATCH')
  })

  test('a body over the limit is a JSON 413, declared or streamed', async () => {
    const client = new TestClient(server.url)
    const big = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(70 * 1024) })
    expectError(await client.api('POST', '/api/v1/session', big), 413, 'payload_too_large')

    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const streamed = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expectError(
      { status: streamed.status, headers: streamed.headers, body: await streamed.json() },
      413,
      'payload_too_large',
    )
  })
})

describe('personal access tokens', () => {
  test('a token is shown once, works as Bearer without CSRF, is never listed, and dies when revoked', async () => {
    const account = await createAccount(t.db)
    const { client, csrf } = await apiSession(account.user.email)

    const created = await client.api('POST', '/api/v1/tokens', { name: 'CI 部署' }, csrf)
    expect(created.status).toBe(201)
    expect(schemas.TokenCreated.parse(created.body)).toEqual(created.body)
    expect(Object.keys(created.body).sort()).toEqual([
      'created_at',
      'id',
      'name',
      'token',
      'token_prefix',
    ])
    const token: string = created.body.token
    expect(token).toMatch(/^sfpat_[\w-]{40,}$/)
    expect(token.startsWith(created.body.token_prefix)).toBe(true)

    const bearer = new TestClient(server.url, { authorization: `Bearer ${token}` })
    const me = await bearer.api('GET', '/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(account.user.id)
    expect(me.body.csrf_token).toBeNull()
    const second = await bearer.api('POST', '/api/v1/tokens', { name: 'made by bearer' })
    expect(second.status).toBe(201)

    const list = await client.api('GET', '/api/v1/tokens')
    expect(list.status).toBe(200)
    expect(schemas.TokenList.parse(list.body)).toEqual(list.body)
    expect(JSON.stringify(list.body)).not.toContain(token)
    expect(list.body.tokens.map((x: { name: string }) => x.name).sort()).toEqual([
      'CI 部署',
      'made by bearer',
    ])
    for (const row of list.body.tokens) {
      expect(Object.keys(row).sort()).toEqual([
        'created_at',
        'id',
        'last_used_at',
        'name',
        'token_prefix',
      ])
    }
    const used = list.body.tokens.find((x: { id: string }) => x.id === created.body.id)
    expect(used.last_used_at).not.toBeNull()
    const stored = await t.db
      .selectFrom('personal_access_tokens')
      .select('token_hash')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow()
    expect(stored.token_hash).not.toContain(token)

    const revoked = await client.api('DELETE', `/api/v1/tokens/${created.body.id}`, undefined, csrf)
    expect(revoked.status).toBe(204)
    expectError(await bearer.api('GET', '/api/v1/me'), 401, 'unauthorized')
    expectError(
      await client.api('DELETE', `/api/v1/tokens/${created.body.id}`, undefined, csrf),
      404,
      'not_found',
    )
    expectError(
      await client.api('DELETE', '/api/v1/tokens/not-a-uuid', undefined, csrf),
      404,
      'not_found',
    )
  })

  test("one user cannot revoke another's token", async () => {
    const alice = await apiSession((await createAccount(t.db)).user.email)
    const bob = await apiSession((await createAccount(t.db)).user.email)
    const created = await alice.client.api('POST', '/api/v1/tokens', { name: 'a' }, alice.csrf)
    const res = await bob.client.api(
      'DELETE',
      `/api/v1/tokens/${created.body.id}`,
      undefined,
      bob.csrf,
    )
    expectError(res, 404, 'not_found')
    const bearer = new TestClient(server.url, { authorization: `Bearer ${created.body.token}` })
    expect((await bearer.api('GET', '/api/v1/me')).status).toBe(200)
  })

  test('an invalid Bearer is 401 even with a valid session cookie', async () => {
    const account = await createAccount(t.db)
    const { client, csrf } = await apiSession(account.user.email)
    expect((await client.api('GET', '/api/v1/me')).status).toBe(200)
    for (const authorization of [
      'Bearer sfpat_not-a-real-token',
      'Bearer nonsense',
      'Basic Zm9vOmJhcg==',
    ]) {
      expectError(
        await client.api('GET', '/api/v1/me', undefined, { authorization }),
        401,
        'unauthorized',
      )
    }
    const post = await client.api(
      'POST',
      '/api/v1/tokens',
      { name: 'sneaky' },
      { ...csrf, authorization: 'Bearer sfpat_not-a-real-token' },
    )
    expectError(post, 401, 'unauthorized')
    const rows = await t.db
      .selectFrom('personal_access_tokens')
      .select('id')
      .where('user_id', '=', account.user.id)
      .execute()
    expect(rows).toEqual([])
  })
})

describe('signup', () => {
  const signupBody = (email: string) => ({
    kind: 'design_firm',
    organization_name: '小榄灯饰设计工作室',
    town: 'xiaolan',
    name: '李设计',
    email,
    password: 'a-strong-password',
  })

  test('creates a design firm with its owner (201) and logs in', async () => {
    const email = newEmail()
    const client = new TestClient(server.url)
    const res = await client.api('POST', '/api/v1/signup', signupBody(email.toUpperCase()))
    expect(res.status).toBe(201)
    expect(res.body).toStrictEqual({
      user: { id: expect.any(String), email, name: '李设计', locale: 'zh-CN' },
      organization: { id: expect.any(String), kind: 'design_firm', name: '小榄灯饰设计工作室' },
      csrf_token: expect.any(String),
    })
    const me = await client.api('GET', '/api/v1/me')
    expect(me.body.user.id).toBe(res.body.user.id)
    const membership = await t.db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
      .select(['memberships.role', 'organizations.town'])
      .where('memberships.user_id', '=', res.body.user.id)
      .executeTakeFirstOrThrow()
    expect(membership).toEqual({ role: 'owner', town: 'xiaolan' })
  })

  test('a duplicate email is 409 email_taken and leaves no stray company', async () => {
    const email = newEmail()
    const client = new TestClient(server.url)
    expect((await client.api('POST', '/api/v1/signup', signupBody(email))).status).toBe(201)
    const before = await t.db.selectFrom('organizations').select('id').execute()
    const again = await new TestClient(server.url).api('POST', '/api/v1/signup', {
      ...signupBody(` ${email.toUpperCase()} `),
      organization_name: '另一家公司',
    })
    expectError(again, 409, 'email_taken')
    expect(again.body.error.details).toEqual({ field: 'email' })
    const after = await t.db.selectFrom('organizations').select('id').execute()
    expect(after.length).toBe(before.length)
  })

  test('an unknown town or kind is 400 invalid_input', async () => {
    const res = await new TestClient(server.url).api('POST', '/api/v1/signup', {
      ...signupBody(newEmail()),
      kind: 'platform',
      town: 'atlantis',
    })
    expectError(res, 400, 'invalid_input')
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path).sort()
    expect(paths).toEqual(['kind', 'town'])
  })
})

describe('OpenAPI document', () => {
  test('is OpenAPI 3.1.0 and documents every endpoint of the contract with its schemas', async () => {
    const res = await new TestClient(server.url).api('GET', '/api/v1/openapi.json')
    expect(res.status).toBe(200)
    const doc = res.body
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: PUBLIC_URL }])
    expect(Object.keys(doc.components.schemas).sort()).toEqual(Object.keys(schemas).sort())

    const documented = new Set<string>()
    const operationIds = new Set<string>()
    for (const e of endpoints) {
      const op = doc.paths[e.path]?.[e.method]
      expect(op, `${e.method} ${e.path}`).toBeDefined()
      documented.add(`${e.method} ${e.path}`)
      operationIds.add(op.operationId)
      expect(op.summary).toBe(e.summary)
      if (e.body) {
        expect(op.requestBody.content['application/json'].schema).toEqual({
          $ref: `#/components/schemas/${e.body}`,
        })
      } else if (e.upload) {
        const schema = op.requestBody.content['multipart/form-data'].schema
        expect(schema.required).toContain('file')
        expect(Object.keys(schema.properties)).toEqual([
          'file',
          ...e.upload.fields.map((f) => f.name),
        ])
      } else {
        expect(op.requestBody).toBeUndefined()
      }
      if (e.response) {
        const ok = op.responses[String(e.response.status)]
        expect(ok, `${e.method} ${e.path} ${e.response.status}`).toBeDefined()
        if (e.response.schema) {
          expect(ok.content['application/json'].schema).toEqual({
            $ref: `#/components/schemas/${e.response.schema}`,
          })
        }
      }
      for (const status of e.errors) {
        expect(op.responses[String(status)].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/Error',
        })
      }
      expect(op.security).toEqual(e.auth ? undefined : [])
      const params = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      const parameters: { name: string; in: string }[] = op.parameters ?? []
      expect(parameters.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(params)
      expect(parameters.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(
        (e.query ?? []).map((q) => q.name),
      )
    }
    expect(operationIds.size).toBe(endpoints.length)
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method} ${path}`),
    )
    expect(listed.sort()).toEqual([...documented].sort())

    // Every $ref resolves to a component.
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/\w+"/g) ?? []
    for (const ref of new Set(refs)) {
      const name = ref.slice('"#/components/schemas/'.length, -1)
      expect(doc.components.schemas[name], ref).toBeDefined()
    }
    expect(doc.components.schemas.Error.properties.error.required.sort()).toEqual([
      'code',
      'details',
      'message',
    ])
  })

  test('every /api/v1 route module is in the contract', () => {
    const routePaths = readdirSync('app/routes')
      .filter((f) => f.startsWith('api.v1.') && f !== 'api.v1.$.ts' && !f.includes('openapi'))
      .map(
        (f) =>
          '/' +
          f
            .replace(/\.tsx?$/, '')
            // `x[.csv]` is the CSV twin of `x`, documented with it.
            .replace(/\[\.csv\]$/, '')
            .split('.')
            .map((segment) => (segment.startsWith('$') ? `{${segment.slice(1)}}` : segment))
            .join('/'),
      )
    const contractPaths = new Set(endpoints.map((e) => e.path))
    for (const path of routePaths) expect(contractPaths, path).toContain(path)
  })
})
