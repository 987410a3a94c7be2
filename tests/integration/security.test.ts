// Security basics for production (issue 10): the headers and Content-Security-Policy nonce on
// every response, Secure cookies and HSTS behind an https PUBLIC_URL, rate limits on login,
// sign-up, password reset and uploads that hold across web processes (PostgreSQL), and
// uploads that never render from our origin.
import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import {
  TEST_SESSION_SECRET,
  TestClient,
  apiSession,
  apiUpload,
  startTestServer,
  type TestServer,
} from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { testTaskDeps } from '../support/deps.ts'
import { TEST_PASSWORD, createAccount } from '../factories.ts'
import { createLocalStorage, type FileStorage } from '../../app/models/storage.server.ts'
import { loadConfig } from '../../app/config.server.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { sessionsCleanup } from '../../workers/tasks/sessions__cleanup.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { binaryStl, box } from '../unit/cad/models.ts'

const t = useTestDatabase()

// Two web processes over one database, as production runs them: `server` with the limits as
// documented, `strict` and `strict2` with every limit a tenth (RATE_LIMITS=0.1), so tests
// reach them fast.
let server: TestServer
let strict: TestServer
let strict2: TestServer
let secure: TestServer
let off: TestServer
let worker: WorkerHandle
let filesDir: string
let storage: FileStorage
beforeAll(async () => {
  filesDir = mkdtempSync(path.join(os.tmpdir(), 'sf-security-files-'))
  storage = createLocalStorage(filesDir, { signingSecret: TEST_SESSION_SECRET })
  server = await startTestServer(t.db, {}, { storage })
  strict = await startTestServer(t.db, { rateLimits: 0.1 }, { storage })
  strict2 = await startTestServer(t.db, { rateLimits: 0.1 }, { storage })
  off = await startTestServer(t.db, { rateLimits: 0 }, { storage })
  secure = await startTestServer(
    t.db,
    { secureCookies: true, publicUrl: 'https://factory.example' },
    { storage },
  )
  worker = await startWorker(t.url, testTaskDeps(t.db, { storage }), {
    mode: 'inline',
    cron: false,
  })
})
afterAll(async () => {
  await worker.stop()
  await Promise.all([server, strict, strict2, off, secure].map((s) => s.close()))
})

let nextIp = 1
/** A client from an address no other test uses (the test server trusts loopback proxies). */
function clientFrom(baseUrl: string, ip = `198.51.100.${nextIp++}`) {
  return new TestClient(baseUrl, { 'x-forwarded-for': ip })
}

function scriptTags(html: string) {
  return [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1] ?? '')
}

function nonceOf(csp: string | null): string {
  const match = /script-src [^;]*'nonce-([^']+)'/.exec(csp ?? '')
  expect(match, `no nonce in ${csp}`).not.toBeNull()
  return match![1]!
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')

describe('headers', () => {
  test('a page allows exactly its own inline scripts, by a nonce new on every response', async () => {
    const client = new TestClient(server.url)
    const first = await client.get('/login')
    expect(first.status).toBe(200)
    const csp = first.headers.get('content-security-policy')!
    const nonce = nonceOf(csp)
    const html = await first.text()
    const scripts = scriptTags(html)
    // Remix's context, route modules and hydration scripts are all inline.
    expect(scripts.length).toBeGreaterThanOrEqual(2)
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`)
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("base-uri 'self'")
    expect(csp).toContain("form-action 'self' https://checkout.stripe.com")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)

    const again = await client.get('/login')
    expect(nonceOf(again.headers.get('content-security-policy'))).not.toBe(nonce)
    expect(again.headers.get('x-frame-options')).toBe('DENY')
    expect(again.headers.get('x-content-type-options')).toBe('nosniff')
    expect(again.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(again.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(again.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()')
    // Plain http (the test config): no HSTS, and cookies a plain-http browser keeps.
    expect(again.headers.get('strict-transport-security')).toBeNull()
  })

  test('the API and the static files carry the same headers', async () => {
    const res = await fetch(`${server.url}/api/v1/towns`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    const refused = await fetch(`${server.url}/api/v1/me`)
    expect(refused.status).toBe(401)
    expect(refused.headers.get('x-frame-options')).toBe('DENY')
  })

  test('over http cookies are HttpOnly and SameSite=Lax but not Secure', async () => {
    const account = await createAccount(t.db)
    const client = clientFrom(server.url)
    const login = await client.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(login.status).toBe(302)
    const cookies = login.headers.getSetCookie()
    expect(cookies.map((c) => c.split('=')[0])).toEqual(
      expect.arrayContaining(['sf_session', 'sf_csrf']),
    )
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; HttpOnly/i)
      expect(cookie).toMatch(/; SameSite=Lax/i)
      expect(cookie).not.toMatch(/; Secure/i)
    }
  })

  test('in production behind https: HSTS, and every cookie Secure, HttpOnly and SameSite=Lax', async () => {
    const secret = 'x'.repeat(32)
    const https = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://factory.example',
      SESSION_SECRET: secret,
    })
    expect(https.secureCookies).toBe(true)
    expect(https.rateLimits).toBe(1)
    const http = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://factory.example',
      SESSION_SECRET: secret,
    })
    expect(http.secureCookies).toBe(false)

    const account = await createAccount(t.db)
    const client = clientFrom(secure.url)
    const page = await client.get('/login')
    expect(page.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    )
    const login = await client.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(login.status).toBe(302)
    const language = await client.postForm('/language', { locale: 'en', redirectTo: '/' })
    expect(language.status).toBe(302)
    const cookies = [
      ...page.headers.getSetCookie(),
      ...login.headers.getSetCookie(),
      ...language.headers.getSetCookie(),
    ]
    expect(new Set(cookies.map((c) => c.split('=')[0]))).toEqual(
      new Set(['sf_csrf', 'sf_session', 'lang']),
    )
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; Secure/i)
      expect(cookie).toMatch(/; HttpOnly/i)
      expect(cookie).toMatch(/; SameSite=Lax/i)
    }
  })
})

describe('login limits', () => {
  test('ten failed logins for one account, from anywhere, lock it for 15 minutes; others log in', async () => {
    const account = await createAccount(t.db)
    // An attacker spreading guesses over ten addresses.
    for (let i = 0; i < 10; i++) {
      const r = await clientFrom(server.url).api('POST', '/api/v1/session', {
        email: account.user.email.toUpperCase(),
        password: 'wrong-password',
      })
      expect(r.status).toBe(401)
    }
    // The owner, from yet another address and with the right password.
    const owner = clientFrom(server.url)
    const refused = await owner.api('POST', '/api/v1/session', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('too_many_attempts')
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect(refused.body.error.details).toEqual({ retry_after_seconds: retryAfter })
    expect(owner.cookie('sf_session')).toBeUndefined()

    const page = await owner.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(page.status).toBe(429)
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
    expect(visibleText(await page.text())).toContain('登录失败次数过多，请在 15 分钟后再试')
    expect(owner.cookie('sf_session')).toBeUndefined()

    const other = await createAccount(t.db)
    const fine = await clientFrom(server.url).api('POST', '/api/v1/session', {
      email: other.user.email,
      password: TEST_PASSWORD,
    })
    expect(fine.status).toBe(200)
  })

  test('every login attempt from one IP counts, across web processes; the next is refused with 429', async () => {
    const account = await createAccount(t.db)
    const ip = '203.0.113.10'
    const onStrict = clientFrom(strict.url, ip)
    const onOther = clientFrom(strict2.url, ip)
    // RATE_LIMITS=0.1: 5 attempts per IP in 15 minutes, shared by both processes.
    for (let i = 0; i < 5; i++) {
      const base = i % 2 ? onStrict : onOther
      const r = await base.api('POST', '/api/v1/session', {
        email: `nobody-${i}@example.test`,
        password: 'wrong-password',
      })
      expect(r.status).toBe(401)
    }
    const refused = await onStrict.api('POST', '/api/v1/session', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    expect(refused.body.error.message).toMatch(/^Too many requests in a short time/)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect(refused.body.error.details).toEqual({ retry_after_seconds: retryAfter })

    const page = await onOther.postForm('/login', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(page.status).toBe(429)
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(visibleText(await page.text())).toMatch(/操作过于频繁，请在 \d+ 分钟后再试/)
    expect(onOther.cookie('sf_session')).toBeUndefined()

    // The other process sees the same count; another address is unaffected.
    const elsewhere = await clientFrom(strict.url).api('POST', '/api/v1/session', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(elsewhere.status).toBe(200)
  })
})

describe('sign-up and password reset limits', () => {
  const signup = (email: string) => ({
    kind: 'design_firm',
    organization_name: `Limit Co ${email}`,
    town: 'guzhen',
    name: '测试',
    email,
    password: 'long-enough-password',
  })

  test('a second sign-up from one IP within the hour is refused and creates nobody', async () => {
    const ip = '203.0.113.20'
    // RATE_LIMITS=0.1: one sign-up per IP an hour.
    const first = await clientFrom(strict.url, ip).api(
      'POST',
      '/api/v1/signup',
      signup('first@limit.test'),
    )
    expect(first.status).toBe(201)
    const second = await clientFrom(strict.url, ip).api(
      'POST',
      '/api/v1/signup',
      signup('second@limit.test'),
    )
    expect(second.status).toBe(429)
    expect(second.body.error.code).toBe('rate_limited')
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0)

    const browser = clientFrom(strict.url, ip)
    const page = await browser.postForm(
      '/signup',
      {
        kind: 'design_firm',
        organizationName: 'Limit Page Co',
        town: 'guzhen',
        name: '测试',
        email: 'third@limit.test',
        password: 'long-enough-password',
      },
      {},
    )
    expect(page.status).toBe(429)
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/)
    const html = await page.text()
    expect(visibleText(html)).toMatch(/操作过于频繁，请在 \d+ 分钟后再试/)
    // The form is shown again with what was typed (but never the password).
    expect(html).toContain('third@limit.test')
    expect(html).not.toContain('long-enough-password')
    expect(browser.cookie('sf_session')).toBeUndefined()

    const users = await t.db
      .selectFrom('users')
      .select('email')
      .where('email', 'like', '%@limit.test')
      .execute()
    expect(users.map((u) => u.email)).toEqual(['first@limit.test'])

    const elsewhere = await clientFrom(strict.url).api(
      'POST',
      '/api/v1/signup',
      signup('fourth@limit.test'),
    )
    expect(elsewhere.status).toBe(201)
  })

  test('RATE_LIMITS=off lets one IP sign up again and again', async () => {
    const ip = '203.0.113.21'
    for (const n of [1, 2, 3]) {
      const r = await clientFrom(off.url, ip).api(
        'POST',
        '/api/v1/signup',
        signup(`off-${n}@limit.test`),
      )
      expect(r.status).toBe(201)
    }
  })

  test('password-reset emails for one address are limited, whoever asks', async () => {
    const account = await createAccount(t.db)
    const ask = (base: TestClient) =>
      base.api('POST', '/api/v1/password-resets', { email: account.user.email })
    // RATE_LIMITS=0.1: one per address an hour.
    expect((await ask(clientFrom(strict.url))).status).toBe(202)
    const refused = await ask(clientFrom(strict.url))
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    const page = await clientFrom(strict.url).postForm('/forgot-password', {
      email: account.user.email,
    })
    expect(page.status).toBe(429)
    expect(visibleText(await page.text())).toMatch(/操作过于频繁/)
    const resets = await t.db
      .selectFrom('password_resets')
      .select('user_id')
      .where('user_id', '=', account.user.id)
      .execute()
    expect(resets).toHaveLength(1)
  })
})

describe('upload limits', () => {
  test('past the uploads a user may make in an hour, the next is refused and nothing is stored', async () => {
    const account = await createAccount(t.db, { kind: 'design_firm' })
    const s = await apiSession(strict.url, account)
    const part = binaryStl(box(10, 10, 10))
    const stored = () => readdirSync(filesDir, { recursive: true }).length
    // RATE_LIMITS=0.1: six uploads per user an hour.
    for (let i = 0; i < 6; i++) {
      const r = await apiUpload(s, '/api/v1/files', {}, { name: `part-${i}.stl`, bytes: part })
      expect(r.status).toBe(201)
    }
    const before = stored()
    const refused = await apiUpload(s, '/api/v1/files', {}, { name: 'part-7.stl', bytes: part })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    expect(refused.body.error.details.retry_after_seconds).toBeGreaterThan(0)
    expect(refused.headers.get('retry-after')).toBe(
      String(refused.body.error.details.retry_after_seconds),
    )
    // The page's upload (XMLHttpRequest) is refused alike, with a message to show.
    const job = await s.client.api(
      'POST',
      '/api/v1/jobs',
      {
        title: '限流测试',
        description: '上传次数',
        process: 'cnc_milling_3axis',
        material: 'al6061',
        tolerance_mm: 0.05,
        finish: '阳极氧化',
        deadline: addDays(shanghaiToday(), 30),
        budget_fen: 500_000,
        delivery_town: 'guzhen',
      },
      s.csrf,
    )
    expect(job.status).toBe(201)
    const xhr = await apiUpload(
      s,
      `/jobs/${job.body.id}/upload`,
      { quantity: '1' },
      { name: 'part-8.stl', bytes: part },
      { ...s.csrf, 'x-requested-with': 'XMLHttpRequest' },
    )
    expect(xhr.status).toBe(429)
    expect(xhr.body.message).toMatch(/操作过于频繁|Too many requests/)

    expect(stored()).toBe(before)
    const files = await t.db
      .selectFrom('job_files')
      .select('id')
      .where('organization_id', '=', account.organization.id)
      .execute()
    expect(files).toHaveLength(6)
  })
})

describe('serving uploads', () => {
  test('an uploaded document downloads as an attachment that cannot run in our origin', async () => {
    const workshop = await createAccount(t.db, { kind: 'workshop' })
    const s = await apiSession(server.url, workshop)
    // PDF by its bytes, whatever its name says; a browser opening it must not render it here.
    const up = await apiUpload(
      s,
      '/api/v1/workshop/files',
      { purpose: 'business_license' },
      {
        name: 'licence.html',
        bytes: Buffer.concat([PDF, Buffer.from('<script>alert(1)</script>')]),
      },
    )
    expect(up.status).toBe(201)
    const res = await s.client.get(`/files/${up.body.id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="licence.html"; filename*=UTF-8''licence.html`,
    )
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    )
  })

  test('a CAD file and its derived preview download as attachments with a sandbox policy', async () => {
    const designer = await createAccount(t.db, { kind: 'design_firm' })
    const s = await apiSession(server.url, designer)
    const up = await apiUpload(
      s,
      '/api/v1/files',
      {},
      { name: '支架.stl', bytes: binaryStl(box(10, 10, 10)) },
    )
    expect(up.status).toBe(201)

    const signed = await s.client.get(`/api/v1/files/${up.body.id}/download`)
    expect(signed.status).toBe(302)
    const bytes = await s.client.get(signed.headers.get('location')!)
    expect(bytes.status).toBe(200)
    expect(bytes.headers.get('content-disposition')).toMatch(
      /^attachment; filename="__\.stl"; filename\*=UTF-8''%E6%94%AF%E6%9E%B6\.stl$/,
    )
    expect(bytes.headers.get('x-content-type-options')).toBe('nosniff')
    expect(bytes.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    )

    // The viewer's mesh, once the worker has analysed the part.
    const deadline = Date.now() + 20_000
    for (;;) {
      const file = await s.client.api('GET', `/api/v1/files/${up.body.id}`)
      if (file.body.analysis.status !== 'pending') break
      if (Date.now() > deadline) throw new Error('analysis still pending')
      await new Promise((r) => setTimeout(r, 100))
    }
    const mesh = await s.client.get(`/cad/${up.body.id}/preview.stl`)
    expect(mesh.status).toBe(200)
    expect(mesh.headers.get('content-type')).toBe('application/octet-stream')
    expect(mesh.headers.get('content-disposition')).toMatch(/^attachment; filename="preview\.stl"/)
    expect(mesh.headers.get('x-content-type-options')).toBe('nosniff')
    // Its own policy replaces the page policy; it is not added to it.
    expect(mesh.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    )
  })
})

test('the nightly cleanup deletes rate-limit windows that have ended', async () => {
  await t.db
    .insertInto('rate_limits')
    .values([
      {
        key: 'loginIp:192.0.2.1',
        window_start: new Date(Date.now() - 3 * 3600_000),
        expires_at: new Date(Date.now() - 2 * 3600_000),
        hits: 3,
      },
      {
        key: 'loginIp:192.0.2.1',
        window_start: new Date(Date.now() - 60_000),
        expires_at: new Date(Date.now() + 3600_000),
        hits: 1,
      },
    ])
    .execute()
  await sessionsCleanup({}, testTaskDeps(t.db, { storage }))
  const left = await t.db
    .selectFrom('rate_limits')
    .select('hits')
    .where('key', '=', 'loginIp:192.0.2.1')
    .execute()
  expect(left).toEqual([{ hits: 1 }])
})
