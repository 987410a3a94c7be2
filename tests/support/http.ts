import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { expect } from 'vitest'
import type { Db } from '../../db/client.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { TEST_PASSWORD } from '../factories.ts'
import { createHttpApp } from '../../app/server/http.server.ts'
import type { StripeGateway } from '../../app/models/stripe.server.ts'
import { createLogger } from '../../app/utils/logger.server.ts'
import type { AppSettings } from '../../app/context.ts'
import type { CapabilityIndex } from '../../search/types.ts'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import { createLocalStorage, type FileStorage } from '../../app/models/storage.server.ts'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'

const buildFile = path.resolve(process.env.SF_BUILD_DIR ?? 'build', 'server/index.js')
export const TEST_SESSION_SECRET = 'test-secret-test-secret-test-secret'

export interface TestServer {
  url: string
  close(): Promise<void>
}

/** The real express app and Remix production build, on an ephemeral port, over `db`. */
export async function startTestServer(
  db: Db,
  settings: Partial<AppSettings> = {},
  options: {
    search?: CapabilityIndex
    filesDir?: string
    storage?: FileStorage
    stripe?: StripeGateway | null
  } = {},
): Promise<TestServer> {
  if (!existsSync(buildFile))
    throw new Error('No build: run `npm run build` before the integration tests')
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const fullSettings: AppSettings = {
    publicUrl: 'http://localhost',
    demoMode: false,
    secureCookies: false,
    sessionSecrets: [TEST_SESSION_SECRET],
    maxFormBytes: 64 * 1024,
    maxUploadBytes: 2 * 1024 * 1024,
    // Off: a test file signs in dozens of accounts from 127.0.0.1. security.test.ts turns the
    // limits on for the servers it tests them with.
    rateLimits: 0,
    ...settings,
  }
  const app = createHttpApp({
    db,
    search: options.search ?? createEmbeddedIndex(),
    storage:
      options.storage ??
      createLocalStorage(
        options.filesDir ?? mkdtempSync(path.join(os.tmpdir(), 'sf-test-files-')),
        { signingSecret: fullSettings.sessionSecrets[0] },
      ),
    stripe: options.stripe ?? null,
    settings: fullSettings,
    logger: createLogger('silent'),
    trustProxy: 'loopback',
    build,
    mode: 'production',
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A browser-like client: keeps cookies, and puts the CSRF token in forms it posts. */
export class TestClient {
  private cookies = new Map<string, string>()
  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  /** The CSRF token forms carry: the token part of the signed sf_csrf cookie. */
  csrfToken(): string | undefined {
    const value = this.cookies.get('sf_csrf')
    return value
      ? decodeURIComponent(value).slice(0, decodeURIComponent(value).lastIndexOf('.'))
      : undefined
  }

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers({
      ...this.defaultHeaders,
      ...Object.fromEntries(new Headers(init.headers)),
    })
    if (this.cookies.size) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    }
    const response = await fetch(new URL(pathname, this.baseUrl), {
      redirect: 'manual',
      ...init,
      headers,
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }

  get(pathname: string, init: RequestInit = {}) {
    return this.fetch(pathname, { ...init, method: 'GET' })
  }

  /** Posts a urlencoded form the way a browser without JS would, with the CSRF field. */
  async postForm(
    pathname: string,
    fields: Record<string, string>,
    options: { csrf?: string | null } = {},
  ) {
    if (!this.cookies.has('sf_csrf')) await this.get('/')
    const body = new URLSearchParams(fields)
    const token = options.csrf === undefined ? this.csrfToken() : options.csrf
    if (token !== null && token !== undefined) body.set('csrf', token)
    return this.fetch(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
  }

  /** A JSON API call; with `csrf: true` sends the token from the last session response. */
  async api(
    method: string,
    pathname: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const init: RequestInit = { method, headers: { ...headers } }
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body)
      ;(init.headers as Record<string, string>)['content-type'] ??= 'application/json'
    }
    const response = await this.fetch(pathname, init)
    const text = await response.text()
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as any) : null,
    }
  }
}

/** A logged-in API client for `account` and the CSRF header its writes need. */
export interface Session {
  client: TestClient
  csrf: Record<string, string>
  account: AccountView
}

export async function apiSession(baseUrl: string, account: AccountView): Promise<Session> {
  const client = new TestClient(baseUrl)
  const login = await client.api('POST', '/api/v1/session', {
    email: account.user.email,
    password: TEST_PASSWORD,
  })
  expect(login.status).toBe(200)
  return { client, csrf: { 'x-csrf-token': login.body.csrf_token as string }, account }
}

/** A JSON API POST as `s`, with its CSRF header. */
export const apiPost = (s: Session, pathname: string, body?: unknown) =>
  s.client.api('POST', pathname, body, s.csrf)

/** A browser-like client logged in as `account` through the login form. */
export async function browserSession(baseUrl: string, account: AccountView): Promise<TestClient> {
  const client = new TestClient(baseUrl)
  const login = await client.postForm('/login', {
    email: account.user.email,
    password: TEST_PASSWORD,
  })
  expect(login.status).toBe(302)
  return client
}

/**
 * A multipart API upload, as an integrator sends it: text fields and a part named `file`,
 * with the session's CSRF header (or `headers` instead; a bare client sends none).
 */
export async function apiUpload(
  s: Session | TestClient,
  pathname: string,
  fields: Record<string, string>,
  file?: { name: string; bytes: Uint8Array | string; type?: string },
  headers?: Record<string, string>,
) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  if (file) {
    const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes
    const type = file.type ?? 'application/octet-stream'
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), file.name)
  }
  const client = s instanceof TestClient ? s : s.client
  const response = await client.fetch(pathname, {
    method: 'POST',
    body: form,
    headers: headers ?? (s instanceof TestClient ? {} : s.csrf),
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as any) : null,
  }
}
