// The authorisation matrix: every page route (from the Remix route manifest of the server
// build) and every /api/v1 endpoint (from the running app's OpenAPI document) × six actors ×
// resources owned by A. Each cell's expected outcome is in authz-matrix.expectations.ts; a
// route or endpoint without a row, or a row for one that no longer exists, fails the test.
// Beyond the status: no response to anonymous or a B actor holds any of A's secret markers,
// and no request of theirs changes any row of A's.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestApp } from '../support/app.ts'
import {
  ACTORS,
  OUTSIDERS,
  buildAuthzWorld,
  snapshotA,
  type Actor,
  type AuthzWorld,
} from '../support/authz-fixture.ts'
import { useTestDatabase } from '../support/database.ts'
import {
  expectationFor,
  requestFor,
  requests,
  tableKeys,
  variantsOf,
  type Outcome,
  type RequestSpec,
} from './authz-matrix.expectations.ts'

const t = useTestDatabase()
const app = useTestApp(t)

interface Endpoint {
  method: string
  /** The URL pattern, `:param` style. */
  path: string
  api: boolean
}

const keyOf = (e: { method: string; path: string }) => `${e.method} ${e.path}`

/** Page routes from the manifest: GET where it renders or loads, POST where it has an action. */
async function manifestEndpoints(): Promise<{ pages: Endpoint[]; apiPaths: Set<string> }> {
  const file = path.resolve(process.env.SF_BUILD_DIR ?? 'build', 'server/index.js')
  const build = (await import(pathToFileURL(file).href)) as ServerBuild
  const routes = build.routes
  const patternOf = (id: string): string => {
    const parts: string[] = []
    for (let r = routes[id]; r; r = r.parentId ? routes[r.parentId] : undefined) {
      if (r.path) parts.unshift(r.path.replace(/^\/|\/$/g, ''))
    }
    return `/${parts.filter(Boolean).join('/')}`
  }
  const pages = new Map<string, Endpoint>()
  const apiPaths = new Set<string>()
  for (const [id, route] of Object.entries(routes)) {
    if (!route) continue
    const pattern = patternOf(id)
    if (pattern === '/api/v1' || pattern.startsWith('/api/v1/')) {
      apiPaths.add(pattern)
      continue
    }
    const mod = route.module as { loader?: unknown; action?: unknown; default?: unknown }
    // The root loader runs under every page; it has no URL of its own beyond "/".
    if (mod.loader || mod.default) {
      pages.set(`GET ${pattern}`, { method: 'GET', path: pattern, api: false })
    }
    if (mod.action) pages.set(`POST ${pattern}`, { method: 'POST', path: pattern, api: false })
  }
  return { pages: [...pages.values()], apiPaths }
}

/** The API from the OpenAPI document, plus any /api/v1 route the document does not list (GET). */
async function apiEndpoints(baseUrl: string, manifestApi: Set<string>): Promise<Endpoint[]> {
  const res = await fetch(`${baseUrl}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> }
  const out = new Map<string, Endpoint>()
  for (const [p, ops] of Object.entries(doc.paths)) {
    const pattern = p.replace(/\{(\w+)\}/g, ':$1')
    for (const method of Object.keys(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue
      const e = { method: method.toUpperCase(), path: pattern, api: true }
      out.set(keyOf(e), e)
    }
  }
  const documented = new Set([...out.values()].map((e) => e.path))
  for (const pattern of manifestApi) {
    if (!documented.has(pattern)) {
      const e = { method: 'GET', path: pattern, api: true }
      out.set(keyOf(e), e)
    }
  }
  return [...out.values()]
}

let world: AuthzWorld
let endpoints: Endpoint[]

beforeAll(async () => {
  const { pages, apiPaths } = await manifestEndpoints()
  endpoints = [...pages, ...(await apiEndpoints(app.url, apiPaths))]
  world = await buildAuthzWorld(app)
}, 120_000)

interface Cell {
  key: string
  endpoint: Endpoint
  spec: RequestSpec
  actor: Actor
  expected: Outcome
}

function urlFor(cell: Cell): string {
  const params = { ...world.ids, ...cell.spec.params?.(world.ids) }
  const filled = cell.endpoint.path.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
    const value = params[name ?? '*']
    if (value === undefined) throw new Error(`No value for ${whole} in ${cell.key}`)
    return encodeURIComponent(value)
  })
  const query = cell.spec.query?.(world.ids)
  return filled + (query ? `?${new URLSearchParams(query)}` : '')
}

async function send(cell: Cell): Promise<Response> {
  const client = world.clients[cell.actor]
  const url = urlFor(cell)
  const { method, api } = cell.endpoint
  const body = cell.spec.body?.(world.ids, cell.actor)
  if (cell.spec.upload) {
    const form = new FormData()
    for (const [k, v] of Object.entries(body ?? {})) form.append(k, String(v))
    const { name, type, bytes } = cell.spec.upload
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name)
    if (!client.cookie('sf_csrf')) await client.get('/healthz')
    const token = api ? world.csrf[cell.actor]['x-csrf-token'] : client.csrfToken()
    return client.fetch(url, {
      method,
      body: form,
      headers: token ? { 'x-csrf-token': token } : {},
    })
  }
  if (!api) {
    if (method === 'GET') return client.get(url, { headers: { accept: 'text/html' } })
    const fields = Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, String(v)]))
    return client.postForm(url, fields)
  }
  const headers: Record<string, string> = { ...world.csrf[cell.actor], accept: 'application/json' }
  const init: RequestInit = { method, headers }
  if (body !== undefined && method !== 'GET') {
    init.body = JSON.stringify(body)
    headers['content-type'] = 'application/json'
  }
  return client.fetch(url, init)
}

/**
 * What a response means for the table: `login`, `bounce` (a form sent back with an error in
 * the redirect), `ok` (2xx, or any other redirect), or its status.
 */
function outcomeOf(res: Response, api: boolean): Outcome {
  const location = res.headers.get('location') ?? ''
  if (res.status >= 300 && res.status < 400) {
    if (/^(https?:\/\/[^/]+)?\/login\b/.test(location)) return 'login'
    if (/[?&]\w*[eE]rror=/.test(location)) return 'bounce'
  }
  if (api && res.status === 401) return 'login'
  if (res.status >= 200 && res.status < 400) return 'ok'
  return res.status as Outcome
}

describe('authorisation matrix', () => {
  test('every route and API endpoint has a row, and every row a route', () => {
    const found = new Set(endpoints.map(keyOf))
    const rows = [...tableKeys(), ...Object.keys(requests).map((k) => k.replace(/ #.*$/, ''))]
    const missing = [...found].filter((k) => expectationFor(k) === undefined).sort()
    const stale = rows.filter((k) => !found.has(k)).sort()
    expect({ missing, stale }).toEqual({ missing: [], stale: [] })
  })

  test('each actor gets the expected outcome; outsiders see no marker of A and change nothing of A', async () => {
    const started = Date.now()
    const cells: Cell[] = []
    for (const endpoint of endpoints) {
      for (const key of [keyOf(endpoint), ...variantsOf(keyOf(endpoint))]) {
        const row = expectationFor(key)
        if (!row) continue
        const spec = requestFor(key)
        ACTORS.forEach((actor, i) => cells.push({ key, endpoint, spec, actor, expected: row[i]! }))
      }
    }
    // Outsiders first, so everything they try meets A's data intact; then A's and the
    // operator's reads; then their writes, the ones marked `last` (logouts, deletions,
    // suspensions) at the very end.
    const phase = (c: Cell) => {
      const base = (c.spec.last ?? 0) * 10
      if (OUTSIDERS.includes(c.actor)) return base
      if (c.endpoint.method === 'GET') return base + 1
      return base + (c.actor === 'operator' ? 3 : 2)
    }
    cells.sort((x, y) => phase(x) - phase(y))
    const markers = Object.entries(world.markers)
    const failures: string[] = []
    // The fixture's follow-up tasks (emails, payouts, ratings) settle before outsiders start.
    let before = await snapshotA(app, world.a)
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      const again = await snapshotA(app, world.a)
      if (JSON.stringify(again) === JSON.stringify(before)) break
      before = again
    }
    // Controls, so the checks below can fail: A's side sees every marker somewhere, and
    // some of A's own writes do change A's rows.
    const seenByA = new Set<string>()
    let changedByA = 0
    for (const cell of cells) {
      const outsider = OUTSIDERS.includes(cell.actor)
      const write = cell.endpoint.method !== 'GET'
      const res = await send(cell)
      const text = await res.text()
      const got = outcomeOf(res, cell.endpoint.api)
      const where = `${cell.key} as ${cell.actor}`
      if (got !== cell.expected) {
        failures.push(
          `${where}: expected ${cell.expected}, got ${got} (${res.status} ${res.headers.get('location') ?? ''} ${text.slice(0, 160).replace(/\s+/g, ' ')})`,
        )
      }
      const seen = `${res.headers.get('location') ?? ''}\n${text}`
      for (const [name, marker] of markers) {
        if (!seen.includes(marker)) continue
        if (outsider) failures.push(`${where}: response shows A's ${name}`)
        else seenByA.add(name)
      }
      if (write) {
        const after = await snapshotA(app, world.a)
        const changed = Object.keys(after).filter((k) => after[k] !== before[k])
        if (outsider && changed.length) {
          failures.push(`${where}: changed A's ${changed.join(', ')}`)
        }
        if (!outsider && changed.length) changedByA++
        before = after
      }
    }
    const seconds = Math.round((Date.now() - started) / 1000)
    console.info(
      `authz matrix: ${endpoints.length} endpoints × ${ACTORS.length} actors = ${cells.length} cells in ${seconds}s`,
    )
    expect(failures).toEqual([])
    expect([...seenByA].sort()).toEqual(Object.keys(world.markers).sort())
    expect(changedByA).toBeGreaterThan(5)
  }, 300_000)
})
