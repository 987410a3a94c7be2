import net, { type AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, startTestServer, type TestServer } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { TEST_PASSWORD, createAccount, createOperatorAccount } from '../factories.ts'
import { createDb } from '../../db/client.ts'
import { testTaskDeps } from '../support/deps.ts'
import { startWorker } from '../../workers/runner.ts'

const t = useTestDatabase()
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(t.db)
})
afterAll(() => server.close())

const FORBIDDEN_ZH = '你没有权限访问此页面（403）'

async function loggedIn(email: string, headers: Record<string, string> = {}) {
  const client = new TestClient(server.url, headers)
  const response = await client.postForm('/login', { email, password: TEST_PASSWORD })
  expect(response.status).toBe(302)
  return client
}

function htmlLang(html: string) {
  return html.match(/<html lang="([^"]+)"/)?.[1]
}

/** The numbers in the console's overview: design firms, workshops, users. */
function stats(html: string) {
  return [...html.matchAll(/<div class="stat">(\d+)<\/div>/g)].map((m) => Number(m[1]))
}

describe('who may open which page', () => {
  test.each(['/designer', '/workshop', '/console', '/console/mailbox', '/settings/profile'])(
    'anyone not logged in is sent from %s to the login page, which comes back',
    async (path) => {
      const response = await new TestClient(server.url).get(path)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(path)}`)
    },
  )

  test('the login page keeps the query string of the page asked for', async () => {
    const response = await new TestClient(server.url).get('/settings/profile?saved=1')
    expect(response.headers.get('location')).toBe(
      `/login?redirectTo=${encodeURIComponent('/settings/profile?saved=1')}`,
    )
  })

  test('a designer gets 403 on the console and the workshop pages', async () => {
    const designer = await createAccount(t.db, { kind: 'design_firm' })
    const client = await loggedIn(designer.user.email)
    expect((await client.get('/designer')).status).toBe(200)
    for (const path of ['/console', '/console/mailbox', '/workshop']) {
      const response = await client.get(path)
      expect(response.status, path).toBe(403)
      expect(visibleText(await response.text())).toContain(FORBIDDEN_ZH)
    }
  })

  test('a workshop gets 403 on the designer and console pages', async () => {
    const workshop = await createAccount(t.db, { kind: 'workshop' })
    const client = await loggedIn(workshop.user.email)
    expect((await client.get('/workshop')).status).toBe(200)
    for (const path of ['/designer', '/console']) {
      const response = await client.get(path)
      expect(response.status, path).toBe(403)
      expect(visibleText(await response.text())).toContain(FORBIDDEN_ZH)
    }
  })

  test('the 403 page speaks the reader’s language', async () => {
    const workshop = await createAccount(t.db, { kind: 'workshop', locale: 'en' })
    const client = await loggedIn(workshop.user.email)
    const response = await client.get('/designer')
    expect(response.status).toBe(403)
    const html = await response.text()
    expect(htmlLang(html)).toBe('en')
    expect(visibleText(html)).toContain('You are not allowed to open this page (403)')
  })

  test('an operator sees the console with real counts', async () => {
    const operator = await createOperatorAccount(t.db)
    const client = await loggedIn(operator.user.email)
    const before = await client.get('/console')
    expect(before.status).toBe(200)
    const html = await before.text()
    const [designFirms, workshops, users] = await Promise.all([
      t.db
        .selectFrom('organizations')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('kind', '=', 'design_firm')
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom('organizations')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('kind', '=', 'workshop')
        .executeTakeFirstOrThrow(),
      t.db
        .selectFrom('users')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow(),
    ])
    expect(stats(html)).toEqual([designFirms.n, workshops.n, users.n])
    expect(visibleText(html)).toContain('运营后台')

    await createAccount(t.db, { kind: 'design_firm' })
    await createAccount(t.db, { kind: 'design_firm' })
    await createAccount(t.db, { kind: 'workshop' })
    const after = await client.get('/console')
    expect(stats(await after.text())).toEqual([designFirms.n + 2, workshops.n + 1, users.n + 3])
  })

  test('an operator reads queued emails in the console mailbox', async () => {
    const operator = await createOperatorAccount(t.db)
    const someone = await createAccount(t.db)
    const requester = new TestClient(server.url)
    expect(
      (await requester.postForm('/forgot-password', { email: someone.user.email })).status,
    ).toBe(200)
    const email = await t.db
      .selectFrom('emails')
      .select('id')
      .where('to_address', '=', someone.user.email)
      .executeTakeFirstOrThrow()

    const client = await loggedIn(operator.user.email)
    const mailbox = await client.get('/console/mailbox')
    expect(mailbox.status).toBe(200)
    const list = visibleText(await mailbox.text())
    expect(list).toContain('邮件箱')
    expect(list).toContain(someone.user.email)

    const one = await client.get(`/console/mailbox/${email.id}`)
    expect(one.status).toBe(200)
    expect(visibleText(await one.text())).toContain(someone.user.email)
    expect((await client.get('/console/mailbox/not-an-id')).status).toBe(404)
  })
})

describe('language', () => {
  test('with no cookie, a browser asking for English gets the English home page', async () => {
    const response = await new TestClient(server.url, {
      'accept-language': 'en-US,en;q=0.9',
    }).get('/')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(htmlLang(html)).toBe('en')
    expect(visibleText(html)).toContain('Design anywhere, make it here')
  })

  test.each([
    ['zh-CN', 'zh-CN'],
    ['zh-TW,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['fr-FR,fr;q=0.9,en;q=0.5', 'en'],
    ['fr-FR', 'zh-CN'],
    [null, 'zh-CN'],
  ])('Accept-Language %s gets %s', async (acceptLanguage, expected) => {
    const headers: Record<string, string> = acceptLanguage
      ? { 'accept-language': acceptLanguage }
      : {}
    const html = await (await new TestClient(server.url, headers).get('/')).text()
    expect(htmlLang(html)).toBe(expected)
    expect(visibleText(html)).toContain(
      expected === 'en' ? 'Design anywhere, make it here' : '分散设计，集中生产',
    )
  })

  test('POST /language sets the lang cookie, which beats the browser, and goes back', async () => {
    const client = new TestClient(server.url, { 'accept-language': 'zh-CN' })
    const response = await client.postForm('/language', { locale: 'en', redirectTo: '/signup' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/signup')
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lang='))
    expect(cookie).toMatch(/^lang=en;/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).toMatch(/Max-Age=31536000/)
    const page = await (await client.get('/signup')).text()
    expect(htmlLang(page)).toBe('en')

    const back = await client.postForm('/language', { locale: 'zh-CN', redirectTo: '/' })
    expect(back.headers.get('location')).toBe('/')
    expect(htmlLang(await (await client.get('/')).text())).toBe('zh-CN')
  })

  test('a logged-in user’s choice is saved and follows them to a new browser', async () => {
    const account = await createAccount(t.db, { locale: 'zh-CN' })
    const client = await loggedIn(account.user.email)
    const response = await client.postForm('/language', { locale: 'en', redirectTo: '/designer' })
    expect(response.headers.get('location')).toBe('/designer')
    const user = await t.db
      .selectFrom('users')
      .select('locale')
      .where('id', '=', account.user.id)
      .executeTakeFirstOrThrow()
    expect(user.locale).toBe('en')

    const elsewhere = await loggedIn(account.user.email, { 'accept-language': 'zh-CN' })
    expect(elsewhere.cookie('lang')).toBeUndefined()
    expect(htmlLang(await (await elsewhere.get('/designer')).text())).toBe('en')
  })

  test.each(['//evil.test', '//evil.test/path', 'https://evil.test', '/\\evil.test'])(
    'a redirectTo of %s is ignored (back to /)',
    async (redirectTo) => {
      const client = new TestClient(server.url)
      const response = await client.postForm('/language', { locale: 'en', redirectTo })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/')
    },
  )

  test('an unknown language is refused and sets no cookie', async () => {
    const client = new TestClient(server.url)
    const response = await client.postForm('/language', { locale: 'fr', redirectTo: '/' })
    expect(response.status).toBe(400)
    expect(client.cookie('lang')).toBeUndefined()
  })
})

describe('/healthz', () => {
  async function health(target = server) {
    const response = await fetch(`${target.url}/healthz`)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(response.headers.get('cache-control')).toBe('no-store')
    return { status: response.status, body: (await response.json()) as unknown }
  }

  test('is 200 while a worker runs and 503 with worker down once it stops', async () => {
    const worker = await startWorker(t.url, testTaskDeps(t.db), { mode: 'inline', cron: false })
    try {
      expect(await health()).toEqual({
        status: 200,
        body: {
          status: 'ok',
          db: 'up',
          worker: 'up',
          search: 'embedded',
          search_status: 'up',
          search_documents: 0,
        },
      })
    } finally {
      await worker.stop()
    }
    expect(await health()).toEqual({
      status: 503,
      body: expect.objectContaining({
        status: 'error',
        db: 'up',
        worker: 'down',
        search: 'embedded',
      }),
    })
  })

  test('a heartbeat older than 30 seconds counts as no worker', async () => {
    await t.db
      .insertInto('worker_heartbeats')
      .values({
        worker_id: 'stale-worker',
        mode: 'standalone',
        last_seen_at: sql<Date>`now() - interval '31 seconds'`,
      })
      .execute()
    try {
      expect(await health()).toEqual({
        status: 503,
        body: expect.objectContaining({
          status: 'error',
          db: 'up',
          worker: 'down',
          search: 'embedded',
        }),
      })
      await t.db
        .updateTable('worker_heartbeats')
        .set({ last_seen_at: sql<Date>`now()` })
        .where('worker_id', '=', 'stale-worker')
        .execute()
      expect((await health()).status).toBe(200)
    } finally {
      await t.db.deleteFrom('worker_heartbeats').where('worker_id', '=', 'stale-worker').execute()
    }
  })

  test('is 503 with db down when the database cannot be reached', async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const deadDb = createDb(`postgres://nobody:nothing@127.0.0.1:${port}/nowhere`, { max: 1 })
    const dead = await startTestServer(deadDb)
    try {
      expect(await health(dead)).toEqual({
        status: 503,
        body: expect.objectContaining({
          status: 'error',
          db: 'down',
          worker: 'unknown',
          search: 'embedded',
        }),
      })
    } finally {
      await dead.close()
      // postgres.js can wait forever to end a pool whose connection never opened; it holds
      // nothing open, so the test does not wait for it.
      void deadDb.destroy()
    }
  })
})
