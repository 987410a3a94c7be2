// Helpers for the HTTP benchmarks: start the built app, log in, load it with autocannon,
// and print the figures. Scenario files (tests/bench/*.bench.ts) use these through
// the BenchContext that run.ts hands them.
import { stopGroup } from '../scale/processes.ts'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { freePort } from '../../db/embedded.ts'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
// SF_BUILD_DIR as server.ts reads it, so that parallel work can bench its own build.
export const SERVER_BUILD = path.resolve(
  ROOT,
  process.env.SF_BUILD_DIR ?? 'build',
  'server/index.js',
)

export const DEMO_DESIGNER = { email: 'designer@demo.test', password: 'demo-password' }

export interface BenchOptions {
  /** Row label in the results table. */
  title: string
  /** Path on the app, e.g. `/api/v1/me`. */
  path: string
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  headers?: Record<string, string>
  body?: string
}

export interface BenchResult {
  title: string
  seconds: number
  connections: number
  requests: number
  /** Average requests per second (autocannon's per-second samples). */
  rps: number
  /** Latencies in milliseconds over every 2xx response of the measured run. */
  p50: number
  p95: number
  p99: number
  max: number
  non2xx: number
  /** Status code → count, for the codes that were not 2xx. */
  badStatuses: Record<string, number>
  /** Connection errors, timeouts included. */
  errors: number
  timeouts: number
}

export interface BenchContext {
  baseUrl: string
  seconds: number
  connections: number
  /** Logs in through the API (once per account) and returns a Cookie header value. */
  sessionCookie(account?: { email: string; password: string }): Promise<string>
  /** Warms up briefly, then measures `path` for `seconds` with `connections`. */
  bench(options: BenchOptions): Promise<BenchResult>
  /** A figure the table cannot hold (not HTTP): printed now and again under the table. */
  note(line: string): void
  /** The server's process group, to read its memory (see serverRss). */
  serverProcessGroup: number
}

/**
 * The pid of the web server's Node process: the largest node process of the server's
 * process group (npx and tsx's launcher are small; PostgreSQL is not node).
 */
export function serverPid(processGroup: number): number {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,rss=,comm='], { encoding: 'utf8' })
  let best = { pid: 0, rss: -1 }
  for (const line of out.split('\n')) {
    const [pid, pgid, kb, comm] = line.trim().split(/\s+/)
    if (Number(pgid) === processGroup && comm === 'node' && Number(kb) > best.rss) {
      best = { pid: Number(pid), rss: Number(kb) }
    }
  }
  if (!best.pid) throw new Error(`no node process in process group ${processGroup}`)
  return best.pid
}

/** RSS in bytes of `pid`, from /proc (cheap enough to sample every few ms; Linux only). */
export function rssOf(pid: number): number {
  const resident = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]
  return Number(resident) * 4096
}

/** A benchmark file's default export. */
export interface Scenario {
  name: string
  run(ctx: BenchContext): Promise<BenchResult[]>
}

export function defineScenario(scenario: Scenario): Scenario {
  return scenario
}

export { freePort }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface RunningServer {
  baseUrl: string
  dataDir: string
  /** Process group of the server (npx, tsx, node and its PostgreSQL). */
  processGroup: number
  /** SIGTERM, wait for the whole process group to exit, remove the data directory. */
  stop(): Promise<void>
}

/**
 * Starts the production build (`npx tsx server.ts`) on a free port with a fresh data
 * directory under the OS temp dir, and waits until GET /healthz answers 200.
 */
export async function startServer(options: { healthTimeoutMs?: number } = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sf-bench-'))
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const output: string[] = []
  const child = spawn('npx', ['tsx', 'server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://localhost:${port}`,
      DATABASE_URL: undefined,
    },
    // Its own process group, so stop() reaches npx, tsx, node and PostgreSQL alike.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'))
    if (output.length > 200) output.shift()
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined
  child.on('exit', (code, signal) => (exited = { code, signal }))

  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await stopServerGroup(child)
    await rm(dataDir, { recursive: true, force: true })
  }

  const timeout = options.healthTimeoutMs ?? 120_000
  const started = Date.now()
  try {
    for (;;) {
      if (exited) {
        throw new Error(
          `server exited during startup (code ${exited.code}, signal ${exited.signal})`,
        )
      }
      if (Date.now() - started > timeout) {
        throw new Error(`GET /healthz did not answer 200 within ${timeout / 1000} s`)
      }
      const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) })
        .then((res) => res.status === 200)
        .catch(() => false)
      if (ok) break
      await sleep(250)
    }
  } catch (error) {
    process.stderr.write(`--- server output ---\n${output.join('')}\n---------------------\n`)
    await stop()
    throw error
  }
  const server: RunningServer = { baseUrl, dataDir, stop, processGroup: child.pid! }
  return { server, startupMs: Date.now() - started, output }
}

/** Stops the server's process group (SIGKILL after `graceMs`, said on stderr). */
function stopServerGroup(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.pid === undefined) return Promise.resolve()
  return stopGroup(child.pid, graceMs, () =>
    process.stderr.write(`server did not stop within ${graceMs / 1000} s: SIGKILL\n`),
  )
}

/** POST /api/v1/session; returns `sf_session=…; sf_csrf=…` for a Cookie header. */
export async function login(
  baseUrl: string,
  account: { email: string; password: string },
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(account),
  })
  if (res.status !== 200) {
    throw new Error(`login as ${account.email}: HTTP ${res.status} ${await res.text()}`)
  }
  // A name may come twice (the CSRF cookie issued, then rotated by the login): the last wins.
  const jar = new Map(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(';', 1)[0] ?? ''
      return [pair.split('=', 1)[0] ?? '', pair] as const
    }),
  )
  const pairs = [...jar.values()]
  const names = [...jar.keys()]
  for (const required of ['sf_session', 'sf_csrf']) {
    if (!names.includes(required)) throw new Error(`login did not set the ${required} cookie`)
  }
  const cookie = pairs.join('; ')
  const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { Cookie: cookie } })
  if (me.status !== 200) throw new Error(`GET /api/v1/me after login: HTTP ${me.status}`)
  return cookie
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

function runAutocannon(
  opts: autocannon.Options,
  onResponse?: (statusCode: number, ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err: unknown, result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    )
    if (onResponse) {
      instance.on('response', (_client, statusCode, _bytes, ms) => onResponse(statusCode, ms))
    }
  })
}

/**
 * Loads one endpoint with autocannon. autocannon's own histogram has p50, p90, p97.5 and
 * p99 but no p95, so every response's latency is recorded here and the percentiles are
 * computed from those (2xx only, like autocannon's `latency`).
 */
export async function measure(
  baseUrl: string,
  options: BenchOptions & { seconds: number; connections: number; warmupSeconds?: number },
): Promise<BenchResult> {
  const base: autocannon.Options = {
    url: new URL(options.path, baseUrl).href,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    timeout: 10,
  }
  const warmup = options.warmupSeconds ?? 0
  if (warmup > 0) await runAutocannon({ ...base, duration: warmup })

  const latencies: number[] = []
  const result = await runAutocannon({ ...base, duration: options.seconds }, (status, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms)
  })
  const sorted = Float64Array.from(latencies).sort()
  const badStatuses: Record<string, number> = {}
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) badStatuses[code] = stat.count ?? 0
  }
  return {
    title: options.title,
    seconds: result.duration,
    connections: result.connections,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    non2xx: result.non2xx,
    badStatuses,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}

export function machineInfo(): string {
  const cpus = os.cpus()
  return [
    `node ${process.version} on ${os.platform()} ${os.release()} (${os.arch()})`,
    `${cpus.length} CPU(s): ${cpus[0]?.model.trim() ?? 'unknown'}`,
    `memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ` +
      `${(os.freemem() / 2 ** 30).toFixed(1)} GiB free; load average ` +
      os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
  ].join('\n')
}

export function formatTable(results: BenchResult[]): string {
  const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1))
  const header = [
    'scenario',
    'req/s avg',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'requests',
    'non-2xx',
    'errors',
  ]
  const rows = results.map((r) => [
    r.title,
    r.rps.toFixed(0),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    ms(r.max),
    String(r.requests),
    String(r.non2xx),
    String(r.errors),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) =>
    '| ' +
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
    ' |'
  const rule =
    '|' +
    widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
    '|'
  return [line(header), rule, ...rows.map(line)].join('\n')
}

export function isBuilt(): boolean {
  return existsSync(SERVER_BUILD)
}
