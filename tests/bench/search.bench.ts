// Capability search budgets (issue 4), embedded adapter:
//   (1) index build from PostgreSQL for 100,000 resources of 2,000 workshops: time and RSS,
//       measured in a fresh Node process that does what server.ts does at boot;
//   (2) latency of a mix of searches (zh/en text, filters, facets, geo, sorts);
//   (3) save → searchable: a workshop's createResource/updateResource enqueues search__sync in
//       its transaction and a graphile-worker runner in this process updates the index;
//   (4) /capabilities and /api/v1/capabilities throughput over HTTP.
// (1)–(3) run against a PostgreSQL of their own (embedded, temp dir, removed afterwards)
// filled with deterministic synthetic data (search-data.ts); (4) runs against the server
// run.ts started, whose data is the demo set. Prints figures, never asserts on them.
//
// BENCH_SEARCH_RESOURCES (default 100000) scales the synthetic set; one workshop per 50.
import { startSearchFollower, type SearchFollower } from '../../search/follower.server.ts'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql, type Selectable } from 'kysely'
import postgres from 'postgres'
import { createDb, type Db } from '../../db/client.ts'
import type { ResourcesTable } from '../../db/schema.ts'
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { shanghaiToday } from '../../app/models/capacity.server.ts'
import {
  CapabilityParamsSchema,
  searchCapabilities,
  toCapabilityQuery,
} from '../../app/models/capability.server.ts'
import { createResource, updateResource } from '../../app/models/resource.server.ts'
import type { ResourceInput } from '../../app/models/resource.schema.ts'
import { getAccount } from '../../app/models/user.server.ts'
import { createLogger } from '../../app/utils/logger.server.ts'
import { allCapabilityDocuments } from '../../search/document.ts'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import type { CapabilityIndex, CapabilityQuery } from '../../search/types.ts'
import { measureMatching } from './matching.ts'
import { ROOT, defineScenario, percentile, type BenchContext, type BenchResult } from './lib.ts'
import {
  machineMaterials,
  machines,
  mulberry32,
  planResources,
  planWorkshops,
  queryMix,
  type BookingRow,
  type MaterialFamilies,
  type ResourceRow,
  type WindowRow,
  type WorkshopPlan,
} from './search-data.ts'

const SEED = 4
const RESOURCES = Number(process.env.BENCH_SEARCH_RESOURCES) || 100_000
const WORKSHOPS = Math.max(1, Math.round(RESOURCES / 50))
const QUERIES = 300
const SAVES = 20
const VISIBLE_TIMEOUT_MS = 10_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const int = (n: number) => n.toLocaleString('en-US')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`

function latencyLine(samples: number[]) {
  const sorted = Float64Array.from(samples).sort()
  return (
    `p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, ` +
    `p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted[sorted.length - 1] ?? Number.NaN)}`
  )
}

// ---------------------------------------------------------------------------------------
// Synthetic data

/** Runs inserts with at most `limit` in flight, so generation overlaps PostgreSQL's work. */
function insertQueue(limit: number) {
  const running = new Set<Promise<void>>()
  let failure: unknown
  return {
    async add(work: () => Promise<unknown>) {
      if (failure) throw failure
      while (running.size >= limit) await Promise.race(running)
      const p: Promise<void> = work().then(
        () => void running.delete(p),
        (error: unknown) => {
          running.delete(p)
          failure ??= error
        },
      )
      running.add(p)
    },
    async drain() {
      await Promise.all(running)
      if (failure) throw failure
    },
  }
}

export async function seedSupply(db: Db, today: string) {
  const families: MaterialFamilies = new Map(
    (await db.selectFrom('materials').select(['code', 'families']).execute()).map((r) => [
      r.code,
      r.families,
    ]),
  )
  const rng = mulberry32(SEED)
  const plans = planWorkshops(rng, WORKSHOPS, RESOURCES)
  for (let i = 0; i < plans.length; i += 500) {
    await db
      .insertInto('organizations')
      .values(plans.slice(i, i + 500).map((p) => p.row))
      .execute()
  }
  const queue = insertQueue(2)
  const totals = { resources: 0, windows: 0, bookings: 0 }
  let resources: ResourceRow[] = []
  let windows: WindowRow[] = []
  let bookings: BookingRow[] = []
  // Windows and bookings reference resources: they go after their resources' batch.
  const flush = async (all: boolean) => {
    if (resources.length >= 1000 || (all && resources.length)) {
      const batch = resources
      const dependants = { windows, bookings }
      resources = []
      windows = []
      bookings = []
      await queue.add(async () => {
        await db.insertInto('resources').values(batch).execute()
        for (let i = 0; i < dependants.windows.length; i += 5000) {
          await db
            .insertInto('capacity_windows')
            .values(dependants.windows.slice(i, i + 5000))
            .execute()
        }
        if (dependants.bookings.length) {
          await db.insertInto('capacity_bookings').values(dependants.bookings).execute()
        }
      })
    }
  }
  for (const plan of plans) {
    const planned = planResources(rng, plan, families, today)
    resources.push(...planned.resources)
    windows.push(...planned.windows)
    bookings.push(...planned.bookings)
    totals.resources += planned.resources.length
    totals.windows += planned.windows.length
    totals.bookings += planned.bookings.length
    await flush(false)
  }
  await flush(true)
  await queue.drain()
  return { plans, families, totals }
}

// ---------------------------------------------------------------------------------------
// (1) Index build in a fresh process

interface BuildFigures {
  documents: number
  indexed: number
  loadMs: number
  buildMs: number
  rssBefore: number
  rssAfter: number
  rssPeak: number
  /** After a full GC, with the index built. */
  heapUsed: number
  heapTotal: number
  /** Typed arrays and WebAssembly memory (jieba), outside the V8 heap. */
  external: number
}

// What server.ts does before it serves: stream every document from PostgreSQL into replaceAll.
const BUILD_SCRIPT = `
const root = process.env.BENCH_ROOT_URL
const { createDb } = await import(root + '/db/client.ts')
const { allCapabilityDocuments } = await import(root + '/search/document.ts')
const { createEmbeddedIndex } = await import(root + '/search/embedded.ts')
const db = createDb(process.env.BENCH_DB_URL, { max: 2 })
const index = createEmbeddedIndex()
await index.configure()
globalThis.gc()
const rssBefore = process.memoryUsage().rss
const t0 = performance.now()
await index.replaceAll(allCapabilityDocuments(db))
const buildMs = performance.now() - t0
const rssPeak = process.resourceUsage().maxRSS * 1024
globalThis.gc()
const after = process.memoryUsage()
const { documents: indexed } = await index.health()
// Rows stream into the build batch by batch, so reading them is timed apart, afterwards, in
// a pass that only reads.
const t1 = performance.now()
let documents = 0
for await (const batch of allCapabilityDocuments(db)) documents += batch.length
const loadMs = performance.now() - t1
await db.destroy()
process.stdout.write(JSON.stringify({
  documents, indexed, loadMs, buildMs, rssBefore, rssAfter: after.rss,
  heapUsed: after.heapUsed, heapTotal: after.heapTotal, external: after.external, rssPeak,
}) + '\\n')
`

function buildInFreshProcess(dbUrl: string): Promise<BuildFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', BUILD_SCRIPT],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_DB_URL: dbUrl, BENCH_ROOT_URL: pathToFileURL(ROOT).href },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`index build process exited with ${code}: ${err || out}`))
        return
      }
      resolve(JSON.parse(line) as BuildFigures)
    })
  })
}

// ---------------------------------------------------------------------------------------
// (2) Query mix

async function measureQueries(db: Db, index: CapabilityIndex, note: (line: string) => void) {
  const mix = queryMix(mulberry32(SEED + 1), QUERIES)
  const queries: { label: string; query: CapabilityQuery }[] = []
  for (const raw of mix) {
    const params = CapabilityParamsSchema.parse(raw.params)
    queries.push({ label: raw.label, query: await toCapabilityQuery(db, params) })
  }
  // One pass to warm the JIT, as a server that has been up for a while would be.
  for (const { query } of queries) await index.search(query)
  const samples: number[] = []
  const timed: { label: string; ms: number; total: number }[] = []
  let empty = 0
  let hitsTotal = 0
  for (const { label, query } of queries) {
    const started = performance.now()
    const result = await index.search(query)
    const elapsed = performance.now() - started
    samples.push(elapsed)
    timed.push({ label, ms: elapsed, total: result.total })
    if (result.total === 0) empty += 1
    hitsTotal += result.total
  }
  note(
    `(2) ${QUERIES} mixed queries, index.search (text, filters, facet counts, geo, sorts): ` +
      `${latencyLine(samples)} (budget p95 ≤ 20 ms)`,
  )
  const sortedTotals = timed.map((t) => t.total).sort((a, b) => a - b)
  note(
    `    matches per query: median ${int(percentile(sortedTotals, 50))}, ` +
      `mean ${int(Math.round(hitsTotal / QUERIES))}, ${empty} of ${QUERIES} with none`,
  )
  for (const slow of timed.sort((a, b) => b.ms - a.ms).slice(0, 3)) {
    note(`    slow: ${ms(slow.ms)} ${slow.label} → ${int(slow.total)} matches`)
  }
  // The whole model call a request makes: parse, material check in PostgreSQL, search, shape.
  const full: number[] = []
  for (const raw of mix) {
    const started = performance.now()
    await searchCapabilities(db, index, raw.params)
    full.push(performance.now() - started)
  }
  note(
    `    same mix through searchCapabilities (parse + PostgreSQL + search): ${latencyLine(full)}`,
  )
}

// ---------------------------------------------------------------------------------------
// (3) Save → searchable

/** The edit form's input for a stored resource, renamed. */
function inputFrom(row: Selectable<ResourcesTable>, name: string): ResourceInput {
  return {
    process: row.process as ResourceInput['process'],
    name,
    make: row.make,
    model: row.model,
    materials: row.materials,
    envelopeMm: [row.envelope_x_mm, row.envelope_y_mm, row.envelope_z_mm],
    toleranceMm: row.tolerance_mm,
    finishes: row.finishes,
    hourlyRateFen: row.hourly_rate_fen,
    setupFeeFen: row.setup_fee_fen,
    minQuantity: row.min_quantity,
    maxQuantity: row.max_quantity,
    description: row.description,
    active: row.active,
  }
}

async function measureSaves(
  db: Db,
  url: string,
  index: CapabilityIndex,
  plan: WorkshopPlan,
  families: MaterialFamilies,
  note: (line: string) => void,
) {
  const user = await db
    .insertInto('users')
    .values({
      email: 'bench-owner@bench.test',
      name: '基准测试',
      password_hash: 'not-a-login',
      locale: 'zh-CN',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('memberships')
    .values({ user_id: user.id, organization_id: plan.row.id, role: 'owner' })
    .execute()
  const actor = (await getAccount(db, user.id))!
  const existing = await db
    .selectFrom('resources')
    .selectAll()
    .where('organization_id', '=', plan.row.id)
    .orderBy('id')
    .execute()
  const template = machines.dmu50
  const rng = mulberry32(SEED + 3)

  // What a web process does with the embedded index (decision 017): it follows search_changes,
  // woken by the NOTIFY each change sends when it commits. (With Meilisearch, search__sync in a
  // worker writes the index instead.) The follower builds the index afresh as it starts.
  let follower: SearchFollower | undefined
  const results: { kind: 'create' | 'update'; txMs: number; visibleMs: number }[] = []
  let timeouts = 0
  try {
    follower = await startSearchFollower(db, index, {
      logger: createLogger('error'),
      listenUrl: url,
    })
    for (let i = 0; i < SAVES; i++) {
      // Digits keep the token out of typo matching; it is unique in the index.
      const token = `sv${1000 + i}q`
      const update = i % 2 === 1 && existing.length > 0
      const started = performance.now()
      let id: string
      if (update) {
        const row = existing[Math.floor(rng() * existing.length)]!
        id = row.id
        await db
          .transaction()
          .execute((tx) =>
            updateResource(tx, actor, row.id, inputFrom(row, `${row.name} ${token}`)),
          )
      } else {
        const input: ResourceInput = {
          process: template.process,
          name: `${template.brand} ${template.model} ${template.kind} ${token}`,
          make: template.make,
          model: template.model,
          materials: machineMaterials(rng, template, families),
          envelopeMm: template.envelope,
          toleranceMm: template.tolerance,
          finishes: template.finishes,
          hourlyRateFen: 19_000,
          setupFeeFen: 30_000,
          minQuantity: 1,
          maxQuantity: 500,
          description: template.text,
          active: true,
        }
        id = await db.transaction().execute((tx) => createResource(tx, actor, input))
      }
      const committed = performance.now()
      const query: CapabilityQuery = { q: token, page: 1, perPage: 5 }
      for (;;) {
        const { hits } = await index.search(query)
        if (hits.some((h) => h.document.id === id)) break
        if (performance.now() - started > VISIBLE_TIMEOUT_MS) {
          timeouts += 1
          break
        }
        await sleep(1)
      }
      results.push({
        kind: update ? 'update' : 'create',
        txMs: committed - started,
        visibleMs: performance.now() - started,
      })
    }
  } finally {
    await follower?.stop()
  }
  const line = (rows: typeof results) => {
    const sorted = Float64Array.from(rows.map((r) => r.visibleMs)).sort()
    return `p50 ${ms(percentile(sorted, 50))}, max ${ms(sorted[sorted.length - 1] ?? Number.NaN)}`
  }
  const tx = Float64Array.from(results.map((r) => r.txMs)).sort()
  note(
    `(3) save → searchable, ${results.length} saves (createResource/updateResource, the change ` +
      `recorded in the transaction, the process's search follower woken by its NOTIFY): ` +
      `${line(results)} ` +
      `(budget ≤ 1 s)${timeouts ? `; ${timeouts} NOT visible within ${VISIBLE_TIMEOUT_MS / 1000} s` : ''}`,
  )
  note(
    `    creates ${line(results.filter((r) => r.kind === 'create'))}; ` +
      `updates ${line(results.filter((r) => r.kind === 'update'))}; ` +
      `of which the transaction p50 ${ms(percentile(tx, 50))}`,
  )
}

// ---------------------------------------------------------------------------------------
// (1)–(3) against the synthetic set

async function inProcess(note: (line: string) => void) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'sf-bench-search-'))
  let cluster: EmbeddedCluster | undefined
  let db: Db | undefined
  try {
    let started = performance.now()
    cluster = await startEmbeddedPostgres(path.join(tmp, 'pg'))
    const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe('create database search_bench')
    await admin.end()
    const url = cluster.urlFor('search_bench')
    db = createDb(url, { max: 4, applicationName: 'bench-search' })
    await migrateToLatest(db, url)
    const today = shanghaiToday()
    const pgMs = performance.now() - started
    started = performance.now()
    const { plans, families, totals } = await seedSupply(db, today)
    // As autovacuum leaves a table a minute after a bulk load: statistics, and the visibility
    // map that lets matching read the machines from its covering index alone (the calendars'
    // trigger rewrites each resource's peak hours, leaving a dead row per machine).
    await sql`vacuum analyze`.execute(db)
    note(
      `search data: ${int(plans.length)} workshops, ${int(totals.resources)} resources, ` +
        `${int(totals.windows)} capacity windows, ${int(totals.bookings)} bookings inserted in ` +
        `${seconds(performance.now() - started)} (own embedded PostgreSQL, up in ${seconds(pgMs)})`,
    )

    const build = await buildInFreshProcess(url)
    note(
      `(1) index build from PostgreSQL, fresh process: ${int(build.documents)} documents ` +
        `(${int(build.indexed)} indexed) in ${seconds(build.buildMs)} (budget ≤ 30 s), of ` +
        `which reading the rows alone takes ${seconds(build.loadMs)}`,
    )
    note(
      `    RSS ${mb(build.rssAfter)} with the index built (budget ≤ 600 MB), peak ` +
        `${mb(build.rssPeak)}; ${mb(build.rssBefore)} before loading; then V8 heap ${mb(build.heapUsed)} used of ` +
        `${mb(build.heapTotal)}, external ${mb(build.external)} (typed arrays, jieba WebAssembly)`,
    )

    // The same build here, for the queries and the worker.
    started = performance.now()
    const index = createEmbeddedIndex()
    await index.configure()
    await index.replaceAll(allCapabilityDocuments(db))
    note(`    same build in the bench process: ${seconds(performance.now() - started)}`)

    await measureQueries(db, index, note)
    await measureSaves(db, url, index, plans[0]!, families, note)
    await measureMatching(db, note, { url, search: index })
  } finally {
    await db?.destroy().catch(() => {})
    await cluster?.stop().catch(() => {})
    await rm(tmp, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------
// (4) HTTP against the running server

async function overHttp(ctx: BenchContext): Promise<BenchResult[]> {
  const api = async (query: string) => {
    const res = await fetch(`${ctx.baseUrl}/api/v1/capabilities?${query}`, {
      headers: { Accept: 'application/json' },
    })
    if (res.status !== 200) throw new Error(`GET /api/v1/capabilities?${query}: ${res.status}`)
    return (await res.json()) as { total: number }
  }
  const { total } = await api('per_page=1')
  const data = `demo data, ${total} resources`
  const text = encodeURIComponent('五轴 铝合金')
  const filtered =
    `q=${encodeURIComponent('cnc aluminium')}&verified=true&max_tolerance_mm=0.05` +
    `&near_town=xiaolan&radius_km=30&sort=distance`
  for (const query of [`q=${text}`, filtered]) {
    ctx.note(`(4) ${decodeURIComponent(query)} → ${(await api(query)).total} matches on the server`)
  }
  return [
    await ctx.bench({
      title: `GET /capabilities?q=五轴 铝合金 (page, ${data})`,
      path: `/capabilities?q=${text}`,
      headers: { Accept: 'text/html' },
    }),
    await ctx.bench({
      title: `GET /api/v1/capabilities?q=五轴 铝合金 (${data})`,
      path: `/api/v1/capabilities?q=${text}`,
      headers: { Accept: 'application/json' },
    }),
    await ctx.bench({
      title: `GET /api/v1/capabilities text+filters+geo (${data})`,
      path: `/api/v1/capabilities?${filtered}`,
      headers: { Accept: 'application/json' },
    }),
  ]
}

export default defineScenario({
  name: 'search',
  async run(ctx) {
    ctx.note(
      `search, embedded adapter: (1)–(3) on ${int(RESOURCES)} synthetic resources of ` +
        `${int(WORKSHOPS)} workshops (seed ${SEED}) in the bench's own PostgreSQL; ` +
        `(4) over HTTP on the server's demo data`,
    )
    await inProcess((line) => ctx.note(line))
    return overHttp(ctx)
  },
})
