// Operator console budgets (issue 9): with 1M orders and 10M order events across 2k workshops
// and 12 months, the dashboard's server time stays ≤ 300 ms for any filter combination.
//   (1) a PostgreSQL of its own (embedded, temp dir, removed afterwards), migrated, filled with
//       the synthetic year of metrics-data.ts by set-based SQL: load time and row counts;
//   (2) the rollups: built set-based here (rebuildAll refreshes day by day, which takes too
//       long at this volume: its per-day cost is measured and projected), verified on sample
//       days to equal what refresh() writes, then analysed;
//   (3) dashboard(db, filters), everything the page's loader reads, for ranges × filters ×
//       groupings: p50/p95/max each and the worst p95 against the budget; metrics() and funnel()
//       alone as the API answers them; the loader's SVG charts; where the time of the slowest
//       combinations goes (each part alone, and auto_explain's EXPLAIN ANALYZE of their slow
//       statements, printed above the table).
// Prints figures, never asserts on them. Nothing here uses the server run.ts started.
//
// BENCH_METRICS_ORDERS (default 1000000) scales everything (jobs, workshops, firms, events);
// BENCH_METRICS_REBUILD=all builds the rollups with rebuildAll() instead (slow at full size).
// BENCH_METRICS_DIR=/some/dir keeps the cluster there: a later run with the same size skips
// (1) and migrates the kept database (to time a change to the queries or the rollups).
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import postgres from 'postgres'
import { createDb, type Db } from '../../db/client.ts'
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import {
  factsQuery,
  levelRows,
  rebuildAll,
  refresh,
  rollupSpan,
} from '../../app/models/metrics-rollup.server.ts'
import {
  dashboard,
  funnel,
  metrics,
  topParties,
  voucherSpend,
} from '../../app/models/metrics.server.ts'
import {
  bucketsOf,
  counters,
  histograms,
  keyLabel,
  type Grouping,
  type MetricsFilters,
} from '../../app/models/metrics.schema.ts'
import { chartData } from '../../app/utils/chart.server.ts'
import { barOption, funnelOption, lineOrBarOption } from '../../app/utils/chart-options.ts'
import { defineScenario, percentile } from './lib.ts'
import {
  LOADER_CONNECTION,
  checkForeignKeys,
  dropStaging,
  metricsDataSize,
  seedHistory,
  seedWorkshops,
} from './metrics-data.ts'

const ORDERS = Number(process.env.BENCH_METRICS_ORDERS) || 1_000_000
const SIZE = metricsDataSize(ORDERS)
const BUDGET_MS = 300
const WARMUP = 2
const TIMED = 10
/** A combination whose first call takes longer is timed 3 times, not 10 (and says so)… */
const SLOW_CALL_MS = 5_000
/** …and once when it takes longer than this, so that a full run stays within minutes. */
const VERY_SLOW_CALL_MS = 20_000

type Note = (line: string) => void

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`
const pad = (s: string, n: number) => s.padEnd(n)

function stats(samples: number[]) {
  const sorted = Float64Array.from(samples).sort()
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const result = await fn()
  return [performance.now() - started, result]
}

// ---------------------------------------------------------------------------------------
// (1) Data

async function load(db: Db, url: string, today: string, note: Note) {
  const firstDay = addDays(today, -(SIZE.days - 1))
  const loader = postgres(url, { max: 2, onnotice: () => {}, connection: LOADER_CONNECTION })
  try {
    const started = performance.now()
    const supply = await seedWorkshops(db, SIZE, today)
    const history = await seedHistory(loader, SIZE, new Date(), firstDay, (line) =>
      console.log(`    ${line}`),
    )
    const loadMs = performance.now() - started
    const [fkMs, fk] = await timeIt(() => checkForeignKeys(loader))
    await dropStaging(loader)
    // Autovacuum would otherwise set hint bits and visibility maps during the timings.
    const [vacuumMs] = await timeIt(() => loader.unsafe('vacuum (analyze)'))
    note(
      `(1) loaded ${int(supply.workshops)} workshops with ${int(supply.resources)} machines and a ` +
        `year of history (${firstDay} … ${today}) in ${secs(loadMs)}: staging ` +
        `${secs(history.stageMs)}, inserts ${secs(history.insertMs)} (2 connections, triggers ` +
        `off), secondary indexes ${secs(history.indexMs)}; then vacuum + analyze ${secs(vacuumMs)}`,
    )
    note(`    slowest steps: ${history.slowest.map((s) => `${s.label} ${secs(s.ms)}`).join(', ')}`)
    note(
      `    foreign keys: ${fk.checked} checked in ${secs(fkMs)}, ` +
        (fk.broken.length ? `BROKEN ${fk.broken.join(', ')}` : 'no orphan rows'),
    )
  } finally {
    await loader.end()
  }
  const counts = await sql<Record<string, number>>`select
      (select count(*) from organizations where kind = 'workshop')::int as workshops,
      (select count(*) from organizations where kind = 'design_firm')::int as design_firms,
      (select count(*) from resources)::int as resources,
      (select count(*) from capacity_windows)::int as capacity_windows,
      (select count(*) from capacity_bookings)::int as capacity_bookings,
      (select count(*) from jobs)::int as jobs,
      (select count(*) from matches)::int as matches,
      (select count(*) from quotes)::int as quotes,
      (select count(*) from orders)::int as orders,
      (select count(*) from order_events)::int as order_events,
      (select count(*) from disputes)::int as disputes,
      (select count(*) from refunds)::int as refunds,
      (select count(*) from voucher_redemptions)::int as voucher_redemptions`
    .execute(db)
    .then((r) => r.rows[0]!)
  note(
    `    rows: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${int(v)}`)
      .join(', ')}`,
  )
  const statuses = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from orders group by 1 order by 2 desc`.execute(db)
  note(
    `    order statuses: ${statuses.rows
      .map((r) => `${r.status} ${((100 * r.n) / counts.orders!).toFixed(1)} %`)
      .join(', ')}`,
  )
  const disk = await sql<{ size: string }>`
    select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db)
  note(`    database size ${disk.rows[0]!.size}`)
}

// ---------------------------------------------------------------------------------------
// (2) Rollups, set-based: refresh()'s own fact query (factsQuery) over every day at once, summed
// here; verifyRollups() compares the result with what refresh() writes.
// Rows go in in key order, period first, as the worker writes a day's rows together: in hash
// order a week's rows would be spread over the whole table and a 7-day dashboard read several
// times slower (measured: 1.1–2.4 s against 0.23–0.32 s at 1M orders).

const shanghaiStart = (day: string) => `('${day}'::date::timestamp at time zone 'Asia/Shanghai')`

interface Statement {
  label: string
  sql: string
  parameters?: readonly unknown[]
}

function rollupStatements(db: Db, first: string, last: string): Statement[] {
  // refresh()'s own fact query, over every day at once (day as text).
  const facts = (parties: boolean) => factsQuery({ from: first, to: last }, { parties }).compile(db)
  const dayFacts = facts(false)
  const partyFacts = facts(true)
  const counterSums = counters
    .map((c) => `coalesce(sum(n) filter (where metric = '${c}'), 0)`)
    .join(', ')
  const histogramSums = histograms
    .map((h) => {
      const len = bucketsOf(h)
      const parts = Array.from(
        { length: len },
        (_, i) =>
          `coalesce(sum(n) filter (where metric = '${h}' and least(bucket, ${len}) = ${i + 1}), 0)`,
      )
      return `array[${parts.join(', ')}]::int[]`
    })
    .join(', ')
  const monthArrays = histograms
    .map((h) => {
      const parts = Array.from(
        { length: bucketsOf(h) },
        (_, i) => `coalesce(sum(${h}[${i + 1}]), 0)`,
      )
      return `array[${parts.join(', ')}]::int[]`
    })
    .join(', ')
  const lo = shanghaiStart(first)
  const hi = shanghaiStart(addDays(last, 1))
  return [
    {
      label: 'metrics_rollup days',
      sql: `insert into metrics_rollup (grain, period, town, cluster, process,
          ${counters.join(', ')}, ${histograms.join(', ')})
        select 'd', day::date, town, cluster, process, ${counterSums}, ${histogramSums}
        from (${dayFacts.sql}) f
        group by day, town, cluster, process
        order by day, town, cluster, process`,
      parameters: dayFacts.parameters,
    },
    {
      label: 'metrics_rollup months',
      sql: `insert into metrics_rollup (grain, period, town, cluster, process,
          ${counters.join(', ')}, ${histograms.join(', ')})
        select 'm', date_trunc('month', period)::date, town, cluster, process,
          ${counters.map((c) => `sum(${c})`).join(', ')}, ${monthArrays}
        from metrics_rollup where grain = 'd' group by 2, 3, 4, 5 order by 2, 3, 4, 5`,
    },
    {
      label: 'party_rollup days',
      sql: `insert into party_rollup (grain, period, organization_id, role,
          orders, gmv_fen, refund_fen, completed)
        select 'd', f.day::date, r.organization_id, r.role,
          coalesce(sum(f.n) filter (where f.metric = 'orders'), 0),
          coalesce(sum(f.n) filter (where f.metric = 'gmv_fen'), 0),
          coalesce(sum(f.n) filter (where f.metric = 'refund_fen'), 0),
          coalesce(sum(f.n) filter (where f.metric = 'completed'), 0)
        from (${partyFacts.sql}) f
          cross join lateral (values ('w', f.workshop_id), ('b', f.buyer_id))
            r(role, organization_id)
        where f.metric in ('orders', 'gmv_fen', 'refund_fen', 'completed')
        group by f.day, r.role, r.organization_id
        order by f.day, r.role, r.organization_id`,
      parameters: partyFacts.parameters,
    },
    {
      label: 'party_rollup months',
      sql: `insert into party_rollup (grain, period, organization_id, role,
          orders, gmv_fen, refund_fen, completed)
        select 'm', date_trunc('month', period)::date, organization_id, role,
          sum(orders), sum(gmv_fen), sum(refund_fen), sum(completed)
        from party_rollup where grain = 'd' group by 2, 3, 4
        order by 2, 4, 3`,
    },
    {
      // refreshFunnelDay's correlated subqueries, as joins to each job's best match and to the
      // sets of quoted jobs and approved samples: the same counts in one pass over the year.
      label: 'funnel_rollup days',
      sql: `insert into funnel_rollup (grain, period, town, cluster, process,
          opened, matched, quoted, ordered, sample_ok, completed)
        select 'd', shanghai_day(j.opened_at), j.delivery_town,
          coalesce(o.cluster, best.cluster, ''), coalesce(j.process, ''),
          count(*), count(best.job_id), count(quoted.job_id), count(o.id),
          count(o.id) filter (where (not o.needs_sample and o.paid_at is not null)
            or approved.order_id is not null),
          count(o.id) filter (where o.status = 'completed')
        from jobs j
          left join orders o on o.job_id = j.id
          left join (select distinct on (m.job_id) m.job_id, w.clusters[1] as cluster
              from matches m join organizations w on w.id = m.organization_id
              order by m.job_id, m.rank) best on best.job_id = j.id
          left join (select distinct job_id from quotes where confirmed_at is not null) quoted
            on quoted.job_id = j.id
          left join (select distinct order_id from order_events
              where payload ->> 'action' = 'approve_sample') approved on approved.order_id = o.id
        where j.opened_at >= ${lo} and j.opened_at < ${hi}
        group by 2, 3, 4, 5
        order by 2, 3, 4, 5`,
    },
    {
      label: 'funnel_rollup months',
      sql: `insert into funnel_rollup (grain, period, town, cluster, process,
          opened, matched, quoted, ordered, sample_ok, completed)
        select 'm', date_trunc('month', period)::date, town, cluster, process, sum(opened),
          sum(matched), sum(quoted), sum(ordered), sum(sample_ok), sum(completed)
        from funnel_rollup where grain = 'd' group by 2, 3, 4, 5 order by 2, 3, 4, 5`,
    },
  ]
}

/** The rollups' span over the loaded year (never empty here). */
async function loadedSpan(db: Db) {
  const { first, ...span } = await rollupSpan(db)
  if (!first) throw new Error('nothing loaded to roll up')
  return { first, ...span }
}

async function buildRollups(db: Db, url: string, note: Note) {
  const span = await loadedSpan(db)
  const client = postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: { work_mem: '512MB', application_name: 'bench-metrics-rollups' },
  })
  const timed: string[] = []
  const started = performance.now()
  // A kept database (BENCH_METRICS_DIR) holds the rollups of the last run.
  await client.unsafe('truncate metrics_rollup, party_rollup, funnel_rollup, capacity_rollup')
  try {
    // Days first (three at once is more than two cores give), then the months from them.
    const statements = rollupStatements(db, span.first, span.today)
    const days = statements.filter((s) => s.label.endsWith('days'))
    const months = statements.filter((s) => s.label.endsWith('months'))
    // The coarser levels of every day, as refresh() writes them (its own SQL, for all days).
    const levels: Statement[] = (['metrics_rollup', 'funnel_rollup'] as const).map((table) => ({
      label: `${table} levels`,
      sql: levelRows(table, sql<boolean>`grain = 'd'`).compile(db).sql,
    }))
    for (const group of [days, levels, months]) {
      const queue = [...group]
      await Promise.all(
        [0, 1].map(async () => {
          for (let s = queue.shift(); s; s = queue.shift()) {
            const [took] = await timeIt(() => client.unsafe(s.sql, (s.parameters ?? []) as never[]))
            timed.push(`${s.label} ${secs(took)}`)
          }
        }),
      )
    }
  } finally {
    await client.end()
  }
  // Capacity is per month already: refresh() itself, as rebuildAll calls it.
  const [capacityMs, months] = await timeIt(async () => {
    let n = 0
    for (let day = span.first; day <= span.last; day = addDays(day, 1)) {
      if (day === span.first || day.endsWith('-01')) {
        await refresh(db, 'capacity', day)
        n += 1
      }
    }
    return n
  })
  timed.push(`capacity_rollup ${months} × refresh('capacity') ${secs(capacityMs)}`)
  note(
    `(2) rollups built set-based for ${span.first} … ${span.today} in ` +
      `${secs(performance.now() - started)}: ${timed.join(', ')}`,
  )
  return span
}

type Snapshot = Record<'metrics' | 'party' | 'funnel', string[]>

/** A day's rollup rows and its month's, each as JSON, in key order. */
async function snapshot(db: Db, day: string): Promise<Snapshot> {
  const month = `${day.slice(0, 7)}-01`
  const rows = async (table: 'metrics_rollup' | 'party_rollup' | 'funnel_rollup') => {
    const result = await sql<Record<string, unknown>>`
      select * from ${sql.table(table)}
      where (grain = 'd' and period = ${day}::date) or (grain = 'm' and period = ${month}::date)`.execute(
      db,
    )
    return result.rows.map((r) => JSON.stringify(r)).sort()
  }
  return {
    metrics: await rows('metrics_rollup'),
    party: await rows('party_rollup'),
    funnel: await rows('funnel_rollup'),
  }
}

/**
 * On sample days, refresh() (what the worker runs) rewrites the day's and month's rows: they
 * must come out as the set-based build left them. Also times refresh() per day.
 */
async function verifyRollups(db: Db, span: { first: string; today: string }, note: Note) {
  const total = SIZE.days
  const days = [
    addDays(span.today, -(total - 20)),
    addDays(span.today, -Math.round(total / 2)),
    addDays(span.today, -1),
    span.today,
  ].filter((d) => d >= span.first)
  const dayMs: number[] = []
  const funnelMs: number[] = []
  const problems: string[] = []
  const sizes = { metrics: 0, party: 0, funnel: 0 }
  const failures = new Map<string, string>()
  const attempt = async (kind: 'day' | 'funnel', day: string, into: number[]) => {
    try {
      into.push((await timeIt(() => refresh(db, kind, day)))[0])
      return true
    } catch (error) {
      failures.set(kind, error instanceof Error ? error.message : String(error))
      return false
    }
  }
  for (const day of days) {
    const before = await snapshot(db, day)
    const dayOk = await attempt('day', day, dayMs)
    const funnelOk = await attempt('funnel', day, funnelMs)
    const after = await snapshot(db, day)
    const checked = [
      ...(dayOk ? (['metrics', 'party'] as const) : []),
      ...(funnelOk ? (['funnel'] as const) : []),
    ]
    for (const table of checked) {
      sizes[table] += after[table].length
      const b = new Set(before[table])
      const a = new Set(after[table])
      const missing = after[table].filter((r) => !b.has(r))
      const extra = before[table].filter((r) => !a.has(r))
      if (missing.length || extra.length) {
        problems.push(
          `${day} ${table}: ${missing.length} rows of refresh() not in the build, ` +
            `${extra.length} of the build not in refresh(); e.g. refresh ${missing[0] ?? '-'} ` +
            `vs build ${extra[0] ?? '-'}`,
        )
      }
    }
  }
  note(
    `    verified against refresh() on ${days.join(', ')} (day rows and their months' rows: ` +
      `${int(sizes.metrics)} metrics, ${int(sizes.party)} party, ${int(sizes.funnel)} funnel): ` +
      (problems.length
        ? `MISMATCH`
        : failures.size
          ? 'identical where refresh() ran'
          : 'identical'),
  )
  for (const p of problems) note(`    MISMATCH ${p}`)
  for (const [kind, message] of failures) {
    note(`    refresh(db, '${kind}', day) FAILED, its rows were not verified: ${message}`)
  }
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  const list = (xs: number[]) => (xs.length ? xs.map((v) => ms(v)).join(', ') : 'failed')
  note(
    `    refresh('day') ${list(dayMs)}; refresh('funnel') ${list(funnelMs)} (the worker's job ` +
      `per touched day)` +
      (dayMs.length && funnelMs.length
        ? `; rebuildAll() would take ≈ ${secs(total * (avg(dayMs) + avg(funnelMs)))} for ` +
          `${total} days`
        : ''),
  )
}

async function rollupCounts(db: Db, note: Note) {
  const rows = await sql<{ t: string; grain: string; n: number }>`
    select 'metrics_rollup' as t, grain, count(*)::int as n from metrics_rollup group by 1, 2
    union all select 'party_rollup', grain, count(*)::int from party_rollup group by 1, 2
    union all select 'funnel_rollup', grain, count(*)::int from funnel_rollup group by 1, 2
    union all select 'capacity_rollup', 'd', count(*)::int from capacity_rollup
    order by 1, 2`.execute(db)
  note(
    `    rollup rows: ${rows.rows
      .map((r) => `${r.t} ${r.grain === 'd' ? 'days' : 'months'} ${int(r.n)}`)
      .join(', ')}`,
  )
}

// ---------------------------------------------------------------------------------------
// (3) Dashboard timings

interface Combo {
  label: string
  filters: MetricsFilters
}

const label = (combo: Combo) => combo.label.replace(/\s+/g, ' ').trim()

async function pickFilters(db: Db) {
  // The busiest workshop: the heaviest of the workshop-filtered paths (its own base rows).
  const busiest = await sql<{ id: string; name: string; orders: number }>`
    select o.workshop_organization_id as id, w.name, count(*)::int as orders
    from orders o join organizations w on w.id = o.workshop_organization_id
    group by 1, 2 order by 3 desc, 1 limit 1`
    .execute(db)
    .then((r) => r.rows[0]!)
  const processes = await sql<{ process: string }>`
    select process from orders group by 1 order by count(*) desc limit 1`.execute(db)
  return {
    busiest,
    filters: {
      none: {},
      town: { town: 'guzhen' },
      'town+cluster': { town: 'guzhen', cluster: 'lighting' },
      process: { process: processes.rows[0]!.process },
      'cluster+process': { cluster: 'hardware', process: 'cnc_turning' },
      workshop: { workshop: busiest.id },
    } as Record<string, Partial<MetricsFilters>>,
  }
}

function combos(today: string, filters: Record<string, Partial<MetricsFilters>>): Combo[] {
  const ranges: [string, number][] = [
    ['today', 1],
    ['7d', 7],
    ['30d', 30],
    ['90d', 90],
    ['365d', 365],
  ]
  const out: Combo[] = []
  const add = (range: [string, number], filter: string, group: Grouping) =>
    out.push({
      label: `${pad(range[0], 6)}${pad(filter, 16)}${pad(group, 6)}`,
      filters: {
        from: addDays(today, -(range[1] - 1)),
        to: today,
        group_by: group,
        ...filters[filter],
      },
    })
  for (const range of ranges) for (const filter of Object.keys(filters)) add(range, filter, 'day')
  for (const range of ranges.slice(3)) {
    for (const filter of ['none', 'town+cluster']) {
      for (const group of ['week', 'month'] as const) add(range, filter, group)
    }
  }
  // A workshop's figures come from its own rows per day whatever the grouping: one more.
  add(ranges[4]!, 'workshop', 'month')
  return out
}

/** Warm-up calls, then timed ones (fewer when a call takes seconds). */
async function measureCalls(fn: () => Promise<unknown>, warmup = WARMUP, timed = TIMED) {
  let first = 0
  for (let i = 0; i < warmup; i++) {
    const [took] = await timeIt(fn)
    if (i === 0) first = took
    // A call of a second or more has warmed what it reads.
    if (took > 1_000) break
  }
  const n = first > VERY_SLOW_CALL_MS ? 1 : first > SLOW_CALL_MS ? Math.min(3, timed) : timed
  const samples: number[] = []
  for (let i = 0; i < n; i++) samples.push((await timeIt(fn))[0])
  return { ...stats(samples), n }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

const workshopList = (db: Db) =>
  sql<{ id: string; name: string }>`select id, name from organizations
    where kind = 'workshop' order by name limit 3000`.execute(db)

async function measureDashboard(db: Db, today: string, note: Note) {
  const { busiest, filters } = await pickFilters(db)
  note(
    `(3) dashboard(db, filters) — everything the page's loader reads, 7 queries at once on a ` +
      `pool of 10 — after ${WARMUP} warm-up calls, ${TIMED} timed calls per combination; to = ` +
      `${today}; filters: town=guzhen, cluster=lighting, process=${String(filters.process!.process)}, ` +
      `cluster+process=hardware+cnc_turning, workshop=${busiest.name} (the busiest, ` +
      `${int(busiest.orders)} orders)`,
  )
  note(
    `    load average ${loadAverage()} on ${os.cpus().length} CPUs at the start (other work on ` +
      `the machine inflates every figure)`,
  )
  note(`    ${pad('range', 6)}${pad('filter', 16)}${pad('group', 6)}   p50        p95        max`)
  const results: (Combo & { p50: number; p95: number; max: number; n: number })[] = []
  for (const combo of combos(today, filters)) {
    const r = await measureCalls(() => dashboard(db, combo.filters))
    results.push({ ...combo, ...r })
    note(
      `    ${combo.label}  ${ms(r.p50).padStart(9)}  ${ms(r.p95).padStart(9)}  ` +
        `${ms(r.max).padStart(9)}${r.n < TIMED ? ` (${r.n} calls)` : ''}` +
        `${r.p95 > BUDGET_MS ? '  OVER' : ''}`,
    )
  }
  const worst = [...results].sort((a, b) => b.p95 - a.p95)
  const over = results.filter((r) => r.p95 > BUDGET_MS)
  note(
    `    worst p95 ${ms(worst[0]!.p95)} (${label(worst[0]!)}) against the budget of ` +
      `${BUDGET_MS} ms: ${over.length} of ${results.length} combinations over; load average ` +
      `${loadAverage()} at the end`,
  )
  const rollupOnly = worst.find((r) => !r.filters.workshop)!
  note(
    `    worst p95 without a workshop filter (rollups only): ${ms(rollupOnly.p95)} ` +
      `(${label(rollupOnly)})`,
  )
  const list = await measureCalls(() => workshopList(db))
  note(
    `    the loader's workshop list (alongside dashboard()): p50 ${ms(list.p50)}, ` +
      `p95 ${ms(list.p95)}`,
  )
  return { worst, filters }
}

/** metrics() and funnel() alone, 365 days without filters: what the API answers. */
async function measureApi(db: Db, today: string, note: Note) {
  const f: MetricsFilters = { from: addDays(today, -364), to: today, group_by: 'day' }
  for (const group of ['day', 'month', 'town'] as const) {
    const r = await measureCalls(() => metrics(db, { ...f, group_by: group }))
    note(
      `    API metrics() 365 days, group_by=${group}: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, ` +
        `max ${ms(r.max)}`,
    )
  }
  const r = await measureCalls(() => funnel(db, f))
  note(`    API funnel() 365 days: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, max ${ms(r.max)}`)
}

/**
 * After dashboard() the loader draws its 7 charts to SVG on the server: the same options
 * functions over the same figures as console.dashboard.tsx, 365 days by day.
 */
async function measureCharts(db: Db, today: string, note: Note) {
  const figures = await dashboard(db, { from: addDays(today, -364), to: today, group_by: 'day' })
  const { overTime, byTown, byCluster, byProcess, funnel: stages, top } = figures
  const labels = (m: typeof byTown) => m.series.map((s) => keyLabel(m.group_by, s.key, 'zh-CN'))
  const volume = (m: typeof byTown) =>
    chartData(
      lineOrBarOption({
        categories: labels(m),
        series: [
          { name: '订单', type: 'bar', data: m.series.map((s) => s.orders) },
          { name: 'GMV', type: 'line', yAxisIndex: 1, data: m.series.map((s) => s.gmv_fen) },
        ],
        yAxes: [{ name: '订单' }, { name: 'GMV', format: 'yuan' }],
      }),
    )
  const utilisation = (m: typeof byTown) => {
    const rows = m.series.filter((s) => s.offered_hours > 0)
    return chartData(
      barOption({
        categories: rows.map((s) => keyLabel(m.group_by, s.key, 'zh-CN')),
        name: '利用率',
        data: rows.map((s) => s.utilisation ?? 0),
        format: 'percent',
      }),
      { width: 720, height: Math.max(160, 28 * rows.length + 32) },
    )
  }
  const draw = () => [
    volume(overTime),
    volume(byTown),
    volume(byCluster),
    utilisation(byTown),
    utilisation(byProcess),
    chartData(
      funnelOption({
        name: '漏斗',
        stages: stages.stages.map((s) => ({ name: s.stage, value: s.count })),
      }),
    ),
    chartData(
      barOption({
        categories: top.workshops.map((w) => w.name),
        name: 'GMV',
        data: top.workshops.map((w) => w.gmv_fen),
        format: 'yuan',
      }),
      { width: 720, height: Math.max(160, 28 * top.workshops.length + 32) },
    ),
  ]
  const all = await measureCalls(async () => draw())
  const one = await measureCalls(async () => volume(overTime))
  note(
    `    the loader's 7 SVG charts after dashboard() (365 days by day; not in dashboard()): ` +
      `p50 ${ms(all.p50)}, p95 ${ms(all.p95)}; of which the 365-point orders + GMV chart ` +
      `p50 ${ms(one.p50)}`,
  )
}

/** Each part of dashboard() alone, one after another (where the time of a combination goes). */
async function breakdown(db: Db, combo: Combo, note: Note) {
  const f = combo.filters
  const parts: [string, () => Promise<unknown>][] = [
    [`metrics(${f.group_by})`, () => metrics(db, f)],
    ['metrics(town)', () => metrics(db, { ...f, group_by: 'town' })],
    ['metrics(cluster)', () => metrics(db, { ...f, group_by: 'cluster' })],
    ['metrics(process)', () => metrics(db, { ...f, group_by: 'process' })],
    ['funnel', () => funnel(db, f)],
    ['topParties', () => topParties(db, f)],
    ['voucherSpend', () => voucherSpend(db, f)],
    ["loader's workshop list", () => workshopList(db)],
  ]
  const figures: string[] = []
  for (const [name, fn] of parts) {
    // The combination has just run: its pages are cached. Slow parts are timed once.
    const [first] = await timeIt(fn)
    const samples = [first]
    if (first < 1_000) for (let i = 0; i < 2; i++) samples.push((await timeIt(fn))[0])
    figures.push(`${name} ${ms(stats(samples).p50)}`)
  }
  note(
    `    parts of ${label(combo)}, each alone (p50 of 3, or 1 call over 1 s): ${figures.join(', ')}`,
  )
}

/**
 * One dashboard() call with auto_explain on its connections: the EXPLAIN (ANALYZE, BUFFERS) of
 * every statement over 20 ms, read back from the server log and printed, slowest first.
 */
async function explainSlow(url: string, combo: Combo, log: { capture: string[] | null }) {
  const explained = createDb(
    `${url}?session_preload_libraries=auto_explain&auto_explain.log_min_duration=20` +
      `&auto_explain.log_analyze=on&auto_explain.log_buffers=on&auto_explain.log_timing=on`,
    { max: 10, applicationName: 'bench-metrics-explain' },
  )
  try {
    log.capture = []
    await dashboard(explained, combo.filters)
    // The server writes the plans to its log as each statement ends: let the last arrive.
    await new Promise((resolve) => setTimeout(resolve, 1000))
  } finally {
    await explained.destroy()
  }
  const text = (log.capture ?? []).join('\n')
  log.capture = null
  const plans = text
    .split(/\n(?=\S[^\n]*LOG:\s+duration:)/)
    .filter((p) => /LOG:\s+duration:/.test(p))
    .map((p) => ({ ms: Number(/duration: ([\d.]+) ms/.exec(p)?.[1] ?? 0), text: p }))
    .sort((a, b) => b.ms - a.ms)
  // metrics() runs once per grouping: the same statement but for its select list. One each.
  const shown = new Map<string, (typeof plans)[number]>()
  for (const plan of plans) {
    const query =
      /Query Text:([\s\S]*?)(?:Query Parameters:|\n\S)/.exec(plan.text)?.[1] ?? plan.text
    const key = query.replace(/\s+/g, ' ').replace(/^.*? from /, '')
    if (!shown.has(key)) shown.set(key, plan)
  }
  const distinct = [...shown.values()].slice(0, 5)
  console.log(
    `\n--- auto_explain: ${label(combo)}, ${plans.length} statements over 20 ms; the slowest ` +
      `of each of the ${distinct.length} slowest distinct queries ---`,
  )
  for (const plan of distinct) console.log(`${plan.text}\n`)
  console.log('--- end of plans ---\n')
  return plans.map((p) => p.ms)
}

// ---------------------------------------------------------------------------------------

export default defineScenario({
  name: 'metrics',
  async run(ctx) {
    const note: Note = (line) => ctx.note(line)
    note(
      `metrics: ${int(SIZE.orders)} orders of ${int(SIZE.jobs)} jobs, ` +
        `${int(SIZE.orders * SIZE.eventsPerOrder)} order events, ${int(SIZE.workshops)} ` +
        `workshops, ${int(SIZE.firms)} design firms over ${SIZE.days} days, in the bench's own ` +
        `embedded PostgreSQL (default settings but max_wal_size and checkpoint_timeout)`,
    )
    const kept = process.env.BENCH_METRICS_DIR
    if (kept) await mkdir(kept, { recursive: true })
    const tmp = kept ?? (await mkdtemp(path.join(os.tmpdir(), 'sf-bench-metrics-')))
    const loadedMarker = path.join(tmp, `loaded-${ORDERS}`)
    const reuse = kept !== undefined && existsSync(loadedMarker)
    const log: { capture: string[] | null } = { capture: null }
    let cluster: EmbeddedCluster | undefined
    let db: Db | undefined
    try {
      cluster = await startEmbeddedPostgres(path.join(tmp, 'pg'), {
        onLog: (line) => log.capture?.push(line),
      })
      const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} })
      if (!reuse) await admin.unsafe('drop database if exists metrics_bench')
      if (!reuse) await admin.unsafe('create database metrics_bench')
      // Fewer checkpoints while a few GB of rows go in; nothing the queries read.
      await admin.unsafe(`alter system set max_wal_size = '8GB'`)
      await admin.unsafe(`alter system set checkpoint_timeout = '30min'`)
      await admin.unsafe('select pg_reload_conf()')
      await admin.end()
      const url = cluster.urlFor('metrics_bench')
      db = createDb(url, { max: 10, applicationName: 'bench-metrics' })
      await migrateToLatest(db, url)
      const today = shanghaiToday()

      if (reuse) note(`(1) the data kept in ${tmp} from an earlier run (migrated to now)`)
      else {
        await load(db, url, today, note)
        if (kept) await writeFile(loadedMarker, today)
      }

      let span: { first: string; today: string }
      if (process.env.BENCH_METRICS_REBUILD === 'all') {
        const [took, result] = await timeIt(() =>
          rebuildAll(db!, (line) => console.log(`    ${line}`)),
        )
        note(`(2) rollups by rebuildAll(): ${result.days} days in ${secs(took)}`)
        span = await loadedSpan(db)
      } else {
        span = await buildRollups(db, url, note)
        await verifyRollups(db, span, note)
      }
      const [analyzeMs] = await timeIt(() =>
        sql`analyze metrics_rollup, party_rollup, funnel_rollup, capacity_rollup`.execute(db!),
      )
      note(`    analyze of the rollups ${secs(analyzeMs)}`)
      await rollupCounts(db, note)

      const { worst } = await measureDashboard(db, today, note)
      await measureApi(db, today, note)
      await measureCharts(db, today, note)
      // The slowest combination of each path: a workshop's base rows (of those timed at least
      // 3 times: a minute-long call would only repeat the same statements), and the rollups.
      const diagnosed = [
        worst.find((c) => c.filters.workshop && c.n >= 3) ?? worst.find((c) => c.filters.workshop),
        worst.find((c) => !c.filters.workshop),
      ]
      for (const combo of diagnosed) {
        if (!combo) continue
        await breakdown(db, combo, note)
        const durations = await explainSlow(url, combo, log)
        note(
          `    auto_explain of one dashboard() call, ${label(combo)}: statements over 20 ms ` +
            `took ${durations.map((d) => ms(d)).join(', ') || 'none'} (plans printed above)`,
        )
      }
    } finally {
      await db?.destroy().catch(() => {})
      await cluster?.stop().catch(() => {})
      if (!kept) await rm(tmp, { recursive: true, force: true })
    }
    return []
  },
})
