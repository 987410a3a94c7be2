// `npm run test:scale`: the scale and crash test (issue 10). Starts Debian's PostgreSQL as a
// separate server, migrates and seeds it, runs 2 web processes and 2 standalone workers from
// the built app (SF_BUILD_DIR, default build/), drives a load mix across both web processes,
// and meanwhile kill -9s one worker and one web process (restarting them) and stops PostgreSQL
// for a few seconds. Then checks that nothing acknowledged was lost or duplicated, that a
// session works across processes, that search agrees across processes and that the ledger
// reconciles. Prints a summary; exit 1 on any failure. All traffic stays on 127.0.0.1.
//
// Environment (all optional): SCALE=off (skip), SCALE_DESIGNERS (6), SCALE_JOBS (jobs per
// design firm, 2), SCALE_WORKSHOPS (4), SCALE_VISITORS (2), SCALE_LOAD_SECONDS (no new job
// starts after this, 150), SCALE_WORKER_WAIT_SECONDS (a designer's wait for analysis/matching,
// 200: a killed worker's jobs are released by the live ones after its heartbeat goes stale),
// SCALE_DRAIN_SECONDS (180), SCALE_FAULTS=off (no kill -9 / outage, to debug the load),
// SCALE_KEEP=1 (print the temp dirs and leave PostgreSQL's log).
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { createDb, type Db } from '../../db/client.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { percentile } from '../bench/lib.ts'
import { Client, Recorder, type Sample } from './client.ts'
import { checkLedgerOfWrites, drainQueue, type CheckResult } from './checks.ts'
import { Ledger, runLoad } from './load.ts'
import { startDebianPostgres, type DebianPostgres } from './postgres.ts'
import { ROOT, appProcess, commandFor, runScript, type AppProcess } from './processes.ts'
import { seedScaleData } from './seed.ts'
import { startScaleSmtp, type ScaleSmtp } from './smtp.ts'
import { freePort } from '../../db/embedded.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? '')
  return process.env[name] && Number.isFinite(value) && value >= 0 ? value : fallback
}
const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`
const log = (line: string) => console.log(`[scale ${elapsed().padStart(5)}] ${line}`)

const results: CheckResult[] = []
const check = (name: string, ok: boolean, detail: string, warning = false) => {
  results.push({ name, ok, detail, warning })
  log(`${ok ? 'ok  ' : warning ? 'WARN' : 'FAIL'} ${name}: ${detail}`)
}

interface Cleanup {
  pg?: DebianPostgres
  smtp?: ScaleSmtp
  db?: Db
  processes: AppProcess[]
  dirs: string[]
}
const cleanup: Cleanup = { processes: [], dirs: [] }

async function tearDown() {
  await Promise.all(cleanup.processes.map((p) => p.stop(10_000).catch(() => {})))
  await cleanup.db?.destroy().catch(() => {})
  await cleanup.smtp?.close().catch(() => {})
  if (process.env.SCALE_KEEP === '1') {
    log(`kept: ${cleanup.dirs.join(', ')}; PostgreSQL log ${cleanup.pg?.logFile}`)
    await cleanup.pg?.stop().catch(() => {})
    return
  }
  await cleanup.pg?.destroy().catch(() => {})
  for (const dir of cleanup.dirs) await rm(dir, { recursive: true, force: true })
}

/** Requests while PostgreSQL is down: 503 (or served without the database), never 500/hang. */
async function outage(pg: DebianPostgres, webs: AppProcess[], probe: Client, recorder: Recorder) {
  const seconds = num('SCALE_OUTAGE_SECONDS', 5)
  log(`stopping PostgreSQL for ${seconds} s (pg_ctl stop -m fast)`)
  recorder.dbDown = true
  await pg.stop()
  const statuses: Record<string, number> = {}
  let retryAfter = 0
  const bad: string[] = []
  const until = Date.now() + seconds * 1000
  while (Date.now() < until) {
    for (const web of webs) {
      for (const [pathname, needsDb] of [
        ['/api/v1/me', true],
        ['/dashboard', true],
        ['/capabilities?q=%E9%93%9D', false],
      ] as const) {
        const t0 = Date.now()
        const res = await probe
          .once(web.baseUrl!, 'GET', pathname, undefined, {
            timeoutMs: 10_000,
            label: 'outage probe',
          })
          .catch((error: unknown) => ({
            status: String(error),
            headers: new Headers(),
            body: null,
          }))
        const key = `${pathname.split('?')[0]} ${res.status}`
        statuses[key] = (statuses[key] ?? 0) + 1
        if (res.status === 503 && res.headers.get('retry-after')) retryAfter++
        const ok = res.status === 503 || (!needsDb && res.status === 200)
        if (!ok) bad.push(`${web.name} ${pathname}: ${res.status} after ${Date.now() - t0} ms`)
      }
    }
    await sleep(300)
  }
  log('starting PostgreSQL again on the same port')
  await pg.start()
  recorder.dbDown = false
  const restarted = Date.now()
  const recovered: string[] = []
  for (const web of webs) {
    for (;;) {
      const res = await probe
        .once(web.baseUrl!, 'GET', '/api/v1/me', undefined, {
          timeoutMs: 5_000,
          label: 'recovery probe',
        })
        .catch(() => undefined)
      if (res?.status === 200) {
        recovered.push(`${web.name} ${((Date.now() - restarted) / 1000).toFixed(1)} s`)
        break
      }
      if (Date.now() - restarted > 60_000) {
        bad.push(`${web.name} did not recover within 60 s (last ${res?.status ?? 'no answer'})`)
        break
      }
      await sleep(250)
    }
  }
  check(
    'database outage: 503 while down, recovery without restart',
    bad.length === 0,
    (bad.length ? `${bad.slice(0, 8).join('; ')}; ` : '') +
      `answers ${JSON.stringify(statuses)}, ${retryAfter} with Retry-After; recovered: ${recovered.join(', ')}`,
  )
  if (bad.length) {
    // What the web processes logged meanwhile (errors and warnings), to find the cause.
    for (const web of webs) {
      const lines = web.output.join('').split('\n').filter(Boolean).slice(-12)
      console.log(
        `--- ${web.name}, last lines ---\n${lines.map((l) => l.slice(0, 400)).join('\n')}`,
      )
    }
  }
}

async function main(): Promise<number> {
  if (process.env.SCALE === 'off') {
    console.log('SCALE=off: scale test skipped')
    return 0
  }
  const buildDir = path.resolve(ROOT, process.env.SF_BUILD_DIR ?? 'build')
  if (!existsSync(path.join(buildDir, 'server/index.js'))) {
    console.error(`No production build in ${buildDir}: run \`npm run build\` first.`)
    return 1
  }
  log(`${os.cpus().length} CPU(s) ${os.cpus()[0]?.model.trim() ?? ''}, node ${process.version}`)
  const describe = (kind: 'web' | 'worker') => {
    const c = commandFor(kind)
    return `${c.cmd} ${c.args.join(' ')}`
  }
  log(`web: ${describe('web')}; worker: ${describe('worker')}`)

  const pg = await startDebianPostgres({ log })
  cleanup.pg = pg
  await pg.createDatabase('shared_factory_scale')
  const databaseUrl = pg.urlFor('shared_factory_scale')
  log(`PostgreSQL ${pg.version} on 127.0.0.1:${pg.port}`)
  const smtp = await startScaleSmtp()
  cleanup.smtp = smtp
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sf-scale-data-'))
  cleanup.dirs.push(dataDir)

  const ports = [await freePort(), await freePort()]
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SMTP_URL: smtp.url,
    // One file store for every process: uploads through one web process are analysed by any
    // worker and served by the other web process.
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
    RATE_LIMITS: 'off',
    WORKER: 'off',
    DEMO_DATA: 'off',
    LOG_LEVEL: process.env.SCALE_LOG_LEVEL ?? 'warn',
    WORKER_CONCURRENCY: '4',
    SF_BUILD_DIR: process.env.SF_BUILD_DIR,
    MEILISEARCH_URL: undefined,
  }

  log('npm run db:migrate')
  const migrated = runScript('db:migrate', env)
  if (migrated.code !== 0) throw new Error(`db:migrate failed:\n${migrated.output}`)
  log('npm run db:seed (demo set)')
  const seeded = runScript('db:seed', env)
  if (seeded.code !== 0) throw new Error(`db:seed failed:\n${seeded.output}`)
  const db = createDb(databaseUrl, { max: 4, applicationName: 'scale-test' })
  cleanup.db = db
  const people = await seedScaleData(db, {
    workshops: num('SCALE_WORKSHOPS', 4),
    designers: num('SCALE_DESIGNERS', 6),
  })
  log(`seeded ${people.workshops.length} workshops and ${people.designers.length} design firms`)

  const workerReady = async (since: Date) => {
    const row = await db
      .selectFrom('worker_heartbeats')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('started_at', '>=', since)
      .executeTakeFirstOrThrow()
    return row.n > 0
  }
  const webs = ports.map((port, i) =>
    appProcess({ name: `web ${'AB'[i]}`, kind: 'web', port, env }),
  )
  const workers = [1, 2].map((i) =>
    appProcess({
      name: `worker ${i}`,
      kind: 'worker',
      env: { ...env, LOG_LEVEL: 'info' },
      ready: workerReady,
    }),
  )
  cleanup.processes.push(...webs, ...workers)
  log('starting 2 web processes and 2 workers')
  await Promise.all(webs.map((w) => w.start()))
  // One at a time: each must show its own heartbeat.
  for (const w of workers) await w.start()
  log(`ready: ${webs.map((w) => w.baseUrl).join(', ')}`)
  const bases = webs.map((w) => w.baseUrl!)

  const recorder = new Recorder()
  const ledger = new Ledger()

  // Sessions across processes: a login through A works on B, and the other way round.
  {
    const problems: string[] = []
    for (const [from, to] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const c = new Client('session check', [bases[from]!], 0, recorder)
      await c.login(people.designers[0]!, DEMO_PASSWORD)
      const me = await c.once(bases[to]!, 'GET', '/api/v1/me')
      const page = await c.once(bases[to]!, 'GET', '/designer', undefined, {
        label: 'page /designer',
      })
      if (me.status !== 200)
        problems.push(`API login on ${from} → /api/v1/me on ${to}: ${me.status}`)
      if (page.status !== 200)
        problems.push(`login on ${from} → /designer on ${to}: ${page.status}`)
    }
    check(
      'sessions work across web processes',
      problems.length === 0,
      problems.join('; ') || 'A→B and B→A',
    )
  }

  // Search across processes: a machine saved through A is found through B.
  const hasChangeFeed = await sql<{
    t: string | null
  }>`select to_regclass('public.search_changes')::text as t`
    .execute(db)
    .then((r) => Boolean(r.rows[0]?.t))
  const token = `SCALE${randomBytes(4).toString('hex').toUpperCase()}`
  {
    const ws = new Client('search check', [bases[0]!], 0, recorder)
    await ws.login(people.workshops[0]!, DEMO_PASSWORD)
    await ws.expect([201], 'POST', '/api/v1/resources', {
      process: 'cnc_milling_5axis',
      name: `规模测试五轴 ${token}`,
      materials: ['al6061'],
      envelope_mm: [400, 300, 250],
      tolerance_mm: 0.01,
      hourly_rate_fen: 20_000,
    })
    const saved = Date.now()
    const found: string[] = []
    for (const base of bases) {
      for (;;) {
        const res = await ws
          .once(base, 'GET', `/api/v1/capabilities?q=${token}`)
          .catch(() => undefined)
        if (res?.status === 200 && res.body.total >= 1) {
          found.push(
            `${base === bases[0] ? 'A' : 'B'} after ${((Date.now() - saved) / 1000).toFixed(1)} s`,
          )
          break
        }
        if (Date.now() - saved > 15_000) break
        await sleep(200)
      }
    }
    const ok = found.length === bases.length
    check(
      'search: a machine saved through A is found through B',
      ok,
      ok
        ? found.join(', ')
        : `found: ${found.join(', ') || 'nowhere'} within 15 s` +
            (hasChangeFeed ? '' : ' (no search_changes table: the change feed has not landed)'),
    )
  }

  // The load, with the faults on a timer beside it.
  const loadSeconds = num('SCALE_LOAD_SECONDS', 150)
  const loadStarted = Date.now()
  let loadRunning = true
  log(
    `load: ${people.designers.length} design firms × ${num('SCALE_JOBS', 2)} jobs, ` +
      `${people.workshops.length} workshops, ${num('SCALE_VISITORS', 2)} visitors, across ${bases.join(' and ')}`,
  )
  const load = runLoad(
    {
      bases,
      recorder,
      ledger,
      designers: people.designers,
      workshops: people.workshops,
      operatorEmail: 'operator@demo.test',
      jobsPerDesigner: num('SCALE_JOBS', 2),
      deadline: loadStarted + loadSeconds * 1000,
      workerWaitMs: num('SCALE_WORKER_WAIT_SECONDS', 200) * 1000,
      running: () => loadRunning,
    },
    num('SCALE_VISITORS', 2),
  ).finally(() => {
    loadRunning = false
  })

  const faults = (async () => {
    if (process.env.SCALE_FAULTS === 'off') return
    await sleep(num('SCALE_KILL_AFTER_SECONDS', 20) * 1000)
    if (!loadRunning) return log('load finished before the faults: raise SCALE_JOBS')
    log(`kill -9 ${workers[0]!.name} and ${webs[1]!.name}`)
    workers[0]!.kill9()
    webs[1]!.kill9()
    await sleep(3_000)
    log(`restarting ${workers[0]!.name} and ${webs[1]!.name}`)
    await Promise.all([workers[0]!.start(), webs[1]!.start()])
    log('restarted')
    await sleep(num('SCALE_OUTAGE_AFTER_SECONDS', 10) * 1000)
    const probe = new Client('outage probe', bases, 0, recorder)
    await probe.login(people.designers[0]!, DEMO_PASSWORD)
    await outage(pg, webs, probe, recorder)
  })()

  await Promise.all([load, faults])
  log(
    `load done in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s: ` +
      `${ledger.jobsOpened.length} jobs opened, ${ledger.orders.size} orders, ${ledger.completed.length} completed`,
  )

  const drainSeconds = num('SCALE_DRAIN_SECONDS', 180)
  log(`waiting for the queue to drain (up to ${drainSeconds} s)`)
  const drained = await drainQueue(db, drainSeconds * 1000)
  check(drained.name, drained.ok, drained.detail)
  await sleep(1_000) // the last SMTP deliveries of the drain
  for (const r of await checkLedgerOfWrites(db, ledger, smtp.messages))
    check(r.name, r.ok, r.detail, r.warning)

  const ledgerCheck = runScript('ledger:check', env)
  check(
    'ledger reconciles (npm run ledger:check)',
    ledgerCheck.code === 0,
    ledgerCheck.code === 0
      ? 'no problems'
      : ledgerCheck.output.trim().split('\n').slice(-6).join(' / '),
  )

  // Search agrees across processes once the changes have settled: the same machines with the
  // same documents, compared in an order that depends on the documents alone (idle hours, then
  // id). Relevance order may differ a little between a process that built its index afresh and
  // one that applied changes, since BM25's length normalisation uses the average length when a
  // document was written; its totals must agree.
  {
    const c = new Client('consistency', bases, 0, recorder)
    const queries = ['铝', 'cnc', '三轴 铝', token]
    let diff: string[] = []
    const deadline = Date.now() + 15_000
    do {
      diff = []
      for (const q of queries) {
        const [a, b] = await Promise.all(
          bases.map((base) =>
            c
              .once(
                base,
                'GET',
                `/api/v1/capabilities?q=${encodeURIComponent(q)}&sort=idle&per_page=50`,
              )
              .catch(() => undefined),
          ),
        )
        const ids = (r: typeof a) =>
          r?.status === 200
            ? `${r.body.total}:${(r.body.hits as any[]).map((h) => h.id ?? h.resource_id ?? JSON.stringify(h).slice(0, 40)).join(',')}`
            : `HTTP ${r?.status}`
        if (ids(a) !== ids(b)) diff.push(`"${q}": ${describeDiff(a?.body, b?.body)}`)
      }
      if (diff.length) await sleep(1_000)
    } while (diff.length && Date.now() < deadline)
    check(
      'search: both web processes give the same results',
      diff.length === 0,
      diff.join('; ') || queries.join(', '),
    )
  }

  check(
    'no 5xx other than 503',
    recorder.problems.length === 0,
    recorder.problems.length
      ? recorder.problems.slice(0, 8).join(' | ')
      : `${recorder.samples.length} requests`,
  )
  if (recorder.problems.length) {
    for (const web of webs) {
      const lines = web.output
        .join('')
        .split('\n')
        .filter((l) => /"level":(50|60)|error/i.test(l))
        .slice(-6)
      console.log(
        `--- ${web.name}, last errors logged ---\n${lines.map((l) => l.slice(0, 600)).join('\n')}`,
      )
    }
  }
  const crashed = [...webs, ...workers].filter((p) => p.unexpectedExits > 0)
  check(
    'no app process exited by itself',
    crashed.length === 0,
    crashed.length
      ? crashed.map((p) => `${p.name}: ${p.output.join('').slice(-1500)}`).join('\n')
      : 'all alive',
  )

  printFigures(recorder.samples)
  return summary()
}

/** Where two search answers part: the first differing rank and the fields that differ. */
function describeDiff(a: any, b: any): string {
  if (!a?.hits || !b?.hits) return 'one side failed'
  const hitsA = a.hits as any[]
  const hitsB = b.hits as any[]
  if (a.total !== b.total) return `total A ${a.total} ≠ B ${b.total}`
  const i = hitsA.findIndex((h, k) => JSON.stringify(h) !== JSON.stringify(hitsB[k]))
  if (i < 0) return 'same hits'
  const x = hitsA[i] ?? {}
  const y = hitsB[i] ?? {}
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter(
    (k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]),
  )
  return (
    `rank ${i + 1} differs in ${keys.join(', ')}: ` +
    keys
      .slice(0, 4)
      .map(
        (k) =>
          `${k} A ${JSON.stringify(x[k]).slice(0, 80)} / B ${JSON.stringify(y[k]).slice(0, 80)}`,
      )
      .join('; ')
  )
}

function printFigures(samples: Sample[]) {
  const byLabel = new Map<string, Sample[]>()
  for (const s of samples) {
    const list = byLabel.get(s.label) ?? []
    list.push(s)
    byLabel.set(s.label, list)
  }
  console.log('\nrequests by kind (latency of 2xx, ms):')
  console.log('| request | count | 2xx | 503 | 4xx | errors | p50 | p95 |')
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|')
  for (const [label, list] of [...byLabel].sort((a, b) => b[1].length - a[1].length)) {
    const ok = list.filter((s) => typeof s.status === 'number' && s.status < 300)
    const ms = Float64Array.from(ok.map((s) => s.ms)).sort()
    const count = (f: (s: Sample) => boolean) => list.filter(f).length
    console.log(
      `| ${label} | ${list.length} | ${ok.length} | ${count((s) => s.status === 503)} | ` +
        `${count((s) => typeof s.status === 'number' && s.status >= 400 && s.status < 500)} | ` +
        `${count((s) => typeof s.status !== 'number')} | ${ms.length ? percentile(ms, 50).toFixed(0) : '-'} | ` +
        `${ms.length ? percentile(ms, 95).toFixed(0) : '-'} |`,
    )
  }
}

function summary(): number {
  const failed = results.filter((r) => !r.ok && !r.warning)
  const warned = results.filter((r) => !r.ok && r.warning)
  console.log(
    `\nscale test: ${results.length - failed.length - warned.length} passed, ` +
      `${warned.length} warnings, ${failed.length} failed, in ${elapsed()} on ${os.cpus().length} CPU(s)`,
  )
  for (const r of failed) console.log(`  FAIL ${r.name}: ${r.detail}`)
  for (const r of warned) console.log(`  WARN ${r.name}: ${r.detail}`)
  return failed.length ? 1 : 0
}

let exiting = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (exiting) return
    exiting = true
    console.error(`\n${signal}: stopping the processes and PostgreSQL…`)
    void tearDown().finally(() => process.exit(130))
  })
}

main()
  .catch((error: unknown) => {
    console.error('scale test could not run:', error)
    for (const p of cleanup.processes) {
      if (p.unexpectedExits || p.output.length)
        console.error(`--- ${p.name} ---\n${p.output.join('').slice(-3000)}`)
    }
    return 1
  })
  .then(async (code) => {
    await tearDown()
    console.log(`scale test took ${elapsed()}`)
    process.exit(code)
  })
