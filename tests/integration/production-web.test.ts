// The production web process (`npm run start:web`) as an operator runs it: SIGTERM lets an
// in-flight request finish while new connections are refused, then exits 0; and while
// PostgreSQL is down it answers 503 (page, API, /healthz) and recovers by itself when
// PostgreSQL is back, as does the worker.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { testTaskDeps } from '../support/deps.ts'
import { TestClient } from '../support/http.ts'
import { TEST_PASSWORD, createAccount } from '../factories.ts'
import { createDb, type Db } from '../../db/client.ts'
import { freePort, startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { queueEmail } from '../../app/models/email.server.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import type { MailTransport } from '../../emails/transport.server.ts'

const SECRET = 'production-secret-production-secret'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface WebProcess {
  child: ChildProcess
  baseUrl: string
  port: number
  output: string[]
  exited: Promise<number | null>
}

const started: WebProcess[] = []

/** `npm run start:web` on a free port over `databaseUrl`; resolves once it answers HTTP. */
async function startWeb(databaseUrl: string): Promise<WebProcess> {
  const port = await freePort()
  const output: string[] = []
  const child = spawn('npm', ['run', '--silent', 'start:web'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: SECRET,
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
      SHUTDOWN_TIMEOUT_MS: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout!.on('data', (c: Buffer) => output.push(c.toString()))
  child.stderr!.on('data', (c: Buffer) => output.push(c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const web = { child, baseUrl: `http://127.0.0.1:${port}`, port, output, exited }
  started.push(web)
  let gone = false
  void exited.then(() => (gone = true))
  for (const deadline = Date.now() + 60_000; ;) {
    if (gone) throw new Error(`start:web exited:\n${output.join('')}`)
    if (Date.now() > deadline) throw new Error(`start:web did not answer:\n${output.join('')}`)
    const answered = await fetch(`${web.baseUrl}/healthz`)
      .then(() => true)
      .catch(() => false)
    if (answered) return web
    await sleep(200)
  }
}

afterAll(async () => {
  for (const web of started) {
    try {
      process.kill(-web.child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})

describe('SIGTERM on a web process', () => {
  const t = useTestDatabase()

  test('finishes the request in flight, refuses new connections, exits 0', async () => {
    const account = await createAccount(t.db)
    const web = await startWeb(t.url)
    const body = JSON.stringify({ email: account.user.email, password: TEST_PASSWORD })
    // A login whose body arrives over two seconds: SIGTERM lands while it is being read.
    const request = http.request({
      host: '127.0.0.1',
      port: web.port,
      path: '/api/v1/session',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    })
    const response = new Promise<{ status: number; connection?: string; text: string }>(
      (resolve, reject) => {
        request.on('error', reject)
        request.on('response', (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () =>
            resolve({ status: res.statusCode!, connection: res.headers.connection, text }),
          )
        })
      },
    )
    request.write(body.slice(0, 5))
    await sleep(700)
    // The npm process is what a supervisor signals; it passes SIGTERM on to the server.
    web.child.kill('SIGTERM')
    await sleep(700)
    request.write(body.slice(5, 15))
    await expect(
      fetch(`${web.baseUrl}/healthz`, { signal: AbortSignal.timeout(3000) }),
    ).rejects.toThrow()
    await sleep(700)
    request.end(body.slice(15))
    const answer = await response.catch((error: Error) => {
      throw new Error(`${error.message}; the server said:\n${web.output.join('')}`)
    })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.text)).toMatchObject({ user: { email: account.user.email } })
    expect(answer.connection).toBe('close')
    expect(await web.exited).toBe(0)
  }, 90_000)
})

describe('PostgreSQL stopped and started again under a running web process and worker', () => {
  let dir: string
  let cluster: EmbeddedCluster | undefined
  let db: Db | undefined
  let worker: WorkerHandle | undefined

  afterEach(async () => {
    await worker?.stop(0)
    await db?.destroy()
    await cluster?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('pages and the API answer 503 while it is down, then serve again without a restart', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sf-outage-'))
    const port = await freePort()
    cluster = await startEmbeddedPostgres(path.join(dir, 'pg'), { port })
    const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe('create database outage')
    await admin.end()
    const url = cluster.urlFor('outage')
    db = createDb(url, { max: 3 })
    await migrateToLatest(db, url)
    const account = await createAccount(db)
    const sent: string[] = []
    const mail: MailTransport = {
      kind: 'mailbox',
      send: async (email) => void sent.push(email.to),
      close: () => {},
    }
    worker = await startWorker(url, testTaskDeps(db, { mail }), {
      mode: 'standalone',
      cron: false,
    })
    const web = await startWeb(url)
    const client = new TestClient(web.baseUrl, { 'accept-language': 'en' })
    const login = await client.api('POST', '/api/v1/session', {
      email: account.user.email,
      password: TEST_PASSWORD,
    })
    expect(login.status).toBe(200)
    expect((await client.get('/')).status).toBe(200)

    await cluster.stop()

    const me = await client.api('GET', '/api/v1/me')
    expect(me.status).toBe(503)
    expect(me.headers.get('retry-after')).toBe('5')
    expect(me.body).toMatchObject({ error: { code: 'unavailable' } })
    const page = await client.get('/')
    expect(page.status).toBe(503)
    expect(page.headers.get('retry-after')).toBe('5')
    const html = await page.text()
    expect(html).toContain('temporarily unavailable')
    expect(html).toContain('服务暂时不可用')
    const health = await client.get('/healthz')
    expect(health.status).toBe(503)
    expect(await health.json()).toMatchObject({ db: 'down' })

    cluster = await startEmbeddedPostgres(path.join(dir, 'pg'), { port })

    // The same web process serves again once its pool reconnects.
    await vi.waitFor(async () => expect((await client.api('GET', '/api/v1/me')).status).toBe(200), {
      timeout: 20_000,
      interval: 250,
    })
    expect((await client.get('/')).status).toBe(200)
    // And the same worker takes new jobs.
    const emailId = await db.transaction().execute((tx) =>
      queueEmail(tx, {
        to: 'after-restart@example.test',
        locale: 'en',
        template: 'password-reset',
        props: { name: 'Kim', url: 'http://localhost/reset/x', validMinutes: 30 },
      }),
    )
    await vi.waitFor(
      async () => {
        const row = await db!
          .selectFrom('emails')
          .select('status')
          .where('id', '=', emailId)
          .executeTakeFirstOrThrow()
        expect(row.status).toBe('sent')
      },
      { timeout: 30_000, interval: 250 },
    )
    expect(sent).toEqual(['after-restart@example.test'])
  }, 150_000)
})
