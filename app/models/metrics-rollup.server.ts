import { sql, type RawBuilder } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { addDays } from './capacity.server.ts'
import {
  bucketsOf,
  counters,
  funnelStages,
  histograms,
  HOUR_BUCKETS,
  ROUND_BUCKETS,
  type Counter,
  type Histogram,
} from './metrics.schema.ts'

// The operator console's rollups (issue 9, decision 012), kept by the metrics__refresh task
// that triggers enqueue in the writing transaction (migration 20261203T1000_metrics). Each
// refresh recomputes whole rows from the base tables, so running it twice, late or out of
// order gives the same rows. Days are Shanghai calendar days.
//
// What a day counts (the day each thing happened):
//   orders, gmv_fen, voucher_fen  orders accepted that day, not cancelled since;
//   cancelled                     orders cancelled that day;
//   paid                          orders paid that day (quote_to_paid: hours from the quote);
//   completed, on_time            orders completed that day, and of those the ones whose last
//                                 batch shipped by the deadline (the workshop record's rule);
//                                 inspection: hours from delivery to completion;
//   shipped_to_delivered          hours from shipping to delivery, by delivery day;
//   sample_rounds                 the round at which a sample was approved, by approval day;
//   disputed                      disputes opened that day;
//   refund_fen                    refunds decided that day (buyer's and voucher's part) on
//                                 orders not cancelled: they reduce GMV on the refund date.

export interface Dims {
  town: string
  cluster: string
  process: string
}

export interface DayFigures extends Dims, Record<Counter, number>, Record<Histogram, number[]> {
  day: string
}

export interface PartyFigures {
  day: string
  organization_id: string
  role: 'w' | 'b'
  orders: number
  gmv_fen: number
  refund_fen: number
  completed: number
}

/** Which orders the facts cover: every one, or one workshop's. */
export interface FactScope {
  /** Shanghai days, inclusive. */
  from: string
  to: string
  workshopId?: string
}

interface FactRow extends Dims {
  day: string
  workshop_id: string
  buyer_id: string
  metric: Counter | Histogram
  bucket: number
  n: number
}

const start = (day: string) => sql`(${day}::date::timestamp at time zone 'Asia/Shanghai')`
const hours = (from: RawBuilder<unknown>, to: RawBuilder<unknown>) =>
  sql`greatest(1, width_bucket(extract(epoch from (${to} - ${from})) / 3600,
    ${sql.raw(`array[${HOUR_BUCKETS.join(',')}]::float8[]`)}))`

/**
 * Every fact of the orders in scope that happened in [from, to], one row per day, dims,
 * workshop, buyer, metric and bucket (0 for counters), with its count or fen sum.
 */
async function facts(db: Db | Tx, scope: FactScope): Promise<FactRow[]> {
  return (await factsQuery(scope).execute(db)).rows
}

/**
 * The facts' SQL (day as text): with the workshop and buyer columns, or without them (`parties:
 * false`, a row per day and dims only — what a set-based build of metrics_rollup sums).
 */
export function factsQuery(scope: FactScope, { parties = true } = {}) {
  const lo = start(scope.from)
  const hi = start(addDays(scope.to, 1))
  const inRange = (column: RawBuilder<unknown>) => sql`${column} >= ${lo} and ${column} < ${hi}`
  // One workshop's orders are read once by its index (a few hundred a year); every fact then
  // joins from them, instead of scanning the day indexes of everyone's orders.
  const src = scope.workshopId ? sql`scoped` : sql`orders`
  const scoped = scope.workshopId
    ? sql`with scoped as materialized (
        select * from orders where workshop_organization_id = ${scope.workshopId})`
    : sql``
  const cols = parties
    ? sql`o.town, o.cluster, o.process, o.workshop_organization_id as workshop_id,
      o.buyer_organization_id as buyer_id`
    : sql`o.town, o.cluster, o.process`
  // Every column: day, dims, (workshop, buyer), metric, bucket.
  const group = parties ? sql`group by 1, 2, 3, 4, 5, 6, 7, 8` : sql`group by 1, 2, 3, 4, 5, 6`
  return sql<FactRow>`${scoped}
    select shanghai_day(o.created_at)::text as day, ${cols}, m.metric, 0 as bucket,
        sum(case m.metric when 'orders' then 1 when 'gmv_fen' then o.total_fen
          else o.voucher_fen end)::float8 as n
      from ${src} o cross join (values ('orders'), ('gmv_fen'), ('voucher_fen')) m(metric)
      where ${inRange(sql`o.created_at`)} and o.status <> 'cancelled' ${group}
    union all
    select shanghai_day(o.cancelled_at)::text, ${cols}, 'cancelled', 0, count(*)
      from ${src} o where ${inRange(sql`o.cancelled_at`)} and o.status = 'cancelled'
      ${group}
    union all
    select shanghai_day(o.paid_at)::text, ${cols}, m.metric,
        case m.metric when 'paid' then 0
          else ${hours(sql`coalesce(q.confirmed_at, q.created_at)`, sql`o.paid_at`)} end,
        count(*)
      from ${src} o join quotes q on q.id = o.quote_id
        cross join (values ('paid'), ('quote_to_paid')) m(metric)
      where ${inRange(sql`o.paid_at`)} ${group}
    union all
    select shanghai_day(o.completed_at)::text, ${cols}, m.metric,
        case when m.metric = 'inspection'
          then ${hours(sql`o.delivered_at`, sql`o.completed_at`)} else 0 end,
        count(*)
      from ${src} o cross join (values ('completed'), ('on_time'), ('inspection')) m(metric)
      where ${inRange(sql`o.completed_at`)} and o.status = 'completed'
        and (m.metric <> 'on_time' or shanghai_day(o.shipped_at) <= o.deadline)
        and (m.metric <> 'inspection' or o.delivered_at is not null)
      ${group}
    union all
    select shanghai_day(o.delivered_at)::text, ${cols}, 'shipped_to_delivered',
        ${hours(sql`o.shipped_at`, sql`o.delivered_at`)}, count(*)
      from ${src} o
      where ${inRange(sql`o.delivered_at`)} and o.shipped_at is not null ${group}
    union all
    select shanghai_day(e.created_at)::text, ${cols}, 'sample_rounds',
        least(greatest(o.sample_round, 1), ${ROUND_BUCKETS}), count(*)
      from ${src} o join order_events e on e.order_id = o.id
      where ${inRange(sql`e.created_at`)} and e.payload ->> 'action' = 'approve_sample'
      ${group}
    union all
    select shanghai_day(d.created_at)::text, ${cols}, 'disputed', 0, count(*)
      from ${src} o join disputes d on d.order_id = o.id
      where ${inRange(sql`d.created_at`)} ${group}
    union all
    select shanghai_day(r.created_at)::text, ${cols}, 'refund_fen', 0,
        sum(r.amount_fen + r.voucher_fen)::float8
      from ${src} o join refunds r on r.order_id = o.id
      where ${inRange(sql`r.created_at`)} and r.status <> 'failed' and o.status <> 'cancelled'
      ${group}`
}

const emptyFigures = (day: string, { town, cluster, process }: Dims): DayFigures => ({
  day,
  town,
  cluster,
  process,
  ...(Object.fromEntries(counters.map((c) => [c, 0])) as Record<Counter, number>),
  ...(Object.fromEntries(histograms.map((h) => [h, Array<number>(bucketsOf(h)).fill(0)])) as Record<
    Histogram,
    number[]
  >),
})

const isHistogram = (metric: string): metric is Histogram =>
  (histograms as readonly string[]).includes(metric)

/** The facts in scope summed per day and town × cluster × process. */
export async function dayFigures(db: Db | Tx, scope: FactScope): Promise<DayFigures[]> {
  return sumByDay(await facts(db, scope))
}

function sumByDay(rows: FactRow[]) {
  const byKey = new Map<string, DayFigures>()
  for (const f of rows) {
    const key = `${f.day}|${f.town}|${f.cluster}|${f.process}`
    let row = byKey.get(key)
    if (!row) byKey.set(key, (row = emptyFigures(f.day, f)))
    if (isHistogram(f.metric)) row[f.metric][Math.min(f.bucket, bucketsOf(f.metric)) - 1]! += f.n
    else row[f.metric] += f.n
  }
  return [...byKey.values()]
}

/** The money per workshop ('w') and per design firm ('b'), per day and dims. */
function partyFigures(rows: FactRow[]): PartyFigures[] {
  const zero = { orders: 0, gmv_fen: 0, refund_fen: 0, completed: 0 }
  const byKey = new Map<string, PartyFigures>()
  for (const f of rows) {
    if (!['orders', 'gmv_fen', 'refund_fen', 'completed'].includes(f.metric)) continue
    for (const [role, id] of [
      ['w', f.workshop_id],
      ['b', f.buyer_id],
    ] as const) {
      const key = `${f.day}|${role}|${id}`
      let row = byKey.get(key)
      if (!row) {
        row = { day: f.day, organization_id: id, role, ...zero }
        byKey.set(key, row)
      }
      row[f.metric as 'orders' | 'gmv_fen' | 'refund_fen' | 'completed'] += f.n
    }
  }
  return [...byKey.values()]
}

const monthOf = (day: string) => `${day.slice(0, 7)}-01`
const monthEnd = (month: string) => {
  const d = new Date(`${month}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + 1, 0)
  return d.toISOString().slice(0, 10)
}

/** Recomputes one day's metrics and party rows, then its month's. */
export async function refreshDay(tx: Tx, day: string) {
  const rows = await facts(tx, { from: day, to: day })
  const figures = sumByDay(rows)
  await tx.deleteFrom('metrics_rollup').where('grain', '=', 'd').where('period', '=', day).execute()
  await tx.deleteFrom('party_rollup').where('grain', '=', 'd').where('period', '=', day).execute()
  for (const chunk of chunks(figures)) {
    await tx
      .insertInto('metrics_rollup')
      .values(chunk.map(({ day: period, ...f }) => ({ grain: 'd' as const, period, ...f })))
      .execute()
  }
  await levelRows('metrics_rollup', sql<boolean>`grain = 'd' and period = ${day}::date`).execute(tx)
  for (const chunk of chunks(partyFigures(rows))) {
    await tx
      .insertInto('party_rollup')
      .values(chunk.map(({ day: period, ...f }) => ({ grain: 'd' as const, period, ...f })))
      .execute()
  }
  await refreshMonth(tx, monthOf(day))
}

function* chunks<T>(rows: T[], size = 1000) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size)
}

/** A month's rows: the sums of its day rows (at every level). */
async function refreshMonth(tx: Tx, month: string) {
  await lock(tx, `metrics:month:${month}`)
  await monthRows(tx, 'metrics_rollup', month)
  await tx.deleteFrom('party_rollup').where('grain', '=', 'm').where('period', '=', month).execute()
  await sql`insert into party_rollup (grain, period, organization_id, role,
      orders, gmv_fen, refund_fen, completed)
    select 'm', ${month}::date, organization_id, role,
      sum(orders), sum(gmv_fen), sum(refund_fen), sum(completed)
    from party_rollup
    where grain = 'd' and period between ${month}::date and ${monthEnd(month)}::date
    group by organization_id, role`.execute(tx)
}

type LevelledRollup = 'metrics_rollup' | 'funnel_rollup' | 'capacity_rollup'

/** A rollup's summed columns, and the SQL that sums each over rows. */
function summed(table: LevelledRollup) {
  const columns =
    table === 'metrics_rollup'
      ? [...counters, ...histograms]
      : table === 'funnel_rollup'
        ? funnelStages
        : ['offered_hours', 'booked_hours']
  const sums = columns.map((c) => {
    if (!(histograms as readonly string[]).includes(c)) return `sum(${c})`
    const parts = Array.from(
      { length: bucketsOf(c as Histogram) },
      (_, i) => `coalesce(sum(${c}[${i + 1}]), 0)`,
    )
    return `array[${parts.join(', ')}]::int[]`
  })
  return { columns: sql.raw(columns.join(', ')), sums: sql.raw(sums.join(', ')) }
}

/** Rewrites a month's 'm' rows of a rollup from its day rows, level by level. */
async function monthRows(tx: Tx, table: 'metrics_rollup' | 'funnel_rollup', month: string) {
  const { columns, sums } = summed(table)
  await sql`delete from ${sql.table(table)} where grain = 'm' and period = ${month}::date`.execute(
    tx,
  )
  await sql`insert into ${sql.table(table)} (grain, period, town, cluster, process, ${columns})
    select 'm', ${month}::date, town, cluster, process, ${sums}
    from ${sql.table(table)}
    where grain = 'd' and period between ${month}::date and ${monthEnd(month)}::date
    group by town, cluster, process`.execute(tx)
}

/**
 * The coarser levels of a rollup's rows where `where` holds: for each day (and grain), the sums
 * over every subset of town, cluster and process, with '*' for the dimensions summed over. The
 * dashboard then reads one row per key for any filter and grouping (decision 012).
 */
export function levelRows(table: LevelledRollup, where: RawBuilder<boolean>) {
  const { columns, sums } = summed(table)
  const key = sql.raw(table === 'capacity_rollup' ? 'period' : 'grain, period')
  const level = (dim: string) => sql.raw(`case when grouping(${dim}) = 1 then '*' else ${dim} end`)
  return sql`insert into ${sql.table(table)} (${key}, town, cluster, process, ${columns})
    select ${key}, ${level('town')}, ${level('cluster')}, ${level('process')}, ${sums}
    from ${sql.table(table)}
    where ${where} and town <> '*' and cluster <> '*' and process <> '*'
    group by ${key}, cube (town, cluster, process)
    having grouping(town, cluster, process) <> 0`
}

/**
 * How far the jobs opened that day got, by delivery town, cluster (the ordered workshop's, else
 * the best-matched one's) and the job's process.
 */
export async function refreshFunnelDay(tx: Tx, day: string) {
  const month = monthOf(day)
  await tx.deleteFrom('funnel_rollup').where('grain', '=', 'd').where('period', '=', day).execute()
  await sql`insert into funnel_rollup (grain, period, town, cluster, process,
      opened, matched, quoted, ordered, sample_ok, completed)
    select 'd', ${day}::date, j.delivery_town,
      coalesce(o.cluster, (select w.clusters[1] from matches m
        join organizations w on w.id = m.organization_id
        where m.job_id = j.id order by m.rank limit 1), ''),
      coalesce(j.process, ''),
      count(*),
      count(*) filter (where exists (select from matches m where m.job_id = j.id)),
      count(*) filter (where exists (select from quotes q
        where q.job_id = j.id and q.confirmed_at is not null)),
      count(o.id),
      count(o.id) filter (where (not o.needs_sample and o.paid_at is not null)
        or exists (select from order_events e where e.order_id = o.id
          and e.payload ->> 'action' = 'approve_sample')),
      count(o.id) filter (where o.status = 'completed')
    from jobs j left join orders o on o.job_id = j.id
    where j.opened_at >= ${start(day)} and j.opened_at < ${start(addDays(day, 1))}
    group by 3, 4, 5`.execute(tx)
  await levelRows('funnel_rollup', sql<boolean>`grain = 'd' and period = ${day}::date`).execute(tx)
  await lock(tx, `funnel:month:${month}`)
  await monthRows(tx, 'funnel_rollup', month)
}

/**
 * Offered and booked machine hours per day of the month, by the workshop's town, its first
 * cluster and the machine's process (active machines; a booking's hours spread evenly over
 * its days).
 */
export async function refreshCapacityMonth(tx: Tx, day: string) {
  const month = monthOf(day)
  const last = monthEnd(month)
  await tx
    .deleteFrom('capacity_rollup')
    .where('period', '>=', month)
    .where('period', '<=', last)
    .execute()
  await sql`insert into capacity_rollup (period, town, cluster, process, offered_hours, booked_hours)
    with days as (
      select d::date as day from generate_series(${month}::date, ${last}::date, '1 day') d
    ), hours as (
      select d.day, c.resource_id, c.hours_per_day::float8 as offered, 0::float8 as booked
      from capacity_windows c join days d on d.day between c.starts_on and c.ends_on
      where c.starts_on <= ${last}::date and c.ends_on >= ${month}::date
      union all
      select d.day, b.resource_id, 0, b.hours::float8 / (b.ends_on - b.starts_on + 1)
      from capacity_bookings b join days d on d.day between b.starts_on and b.ends_on
      where b.starts_on <= ${last}::date and b.ends_on >= ${month}::date
    )
    select h.day, coalesce(w.town, ''), coalesce(w.clusters[1], ''), r.process,
      sum(h.offered), sum(h.booked)
    from hours h join resources r on r.id = h.resource_id and r.active
      join organizations w on w.id = r.organization_id
    group by 1, 2, 3, 4`.execute(tx)
  await levelRows(
    'capacity_rollup',
    sql<boolean>`period between ${month}::date and ${last}::date`,
  ).execute(tx)
}

/** Held to the end of the transaction; a day's lock is taken before its month's. */
const lock = (tx: Tx, key: string) =>
  sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(tx)

export type RefreshKind = 'day' | 'funnel' | 'capacity'

/** Recomputes one period's rows; `then` runs in the same transaction (commits with them). */
export async function refresh(
  db: Db,
  kind: RefreshKind,
  day: string,
  then?: (tx: Tx) => Promise<unknown>,
) {
  await db.transaction().execute(async (tx) => {
    // One refresh of a period at a time: two would each delete, then both insert.
    await lock(tx, `metrics:${kind}:${day}`)
    if (kind === 'day') await refreshDay(tx, day)
    else if (kind === 'funnel') await refreshFunnelDay(tx, day)
    else await refreshCapacityMonth(tx, day)
    await then?.(tx)
  })
}

/**
 * Refreshes each day (funnel day, capacity month) the triggers marked in metrics_dirty, and
 * deletes the marks it covered in the same transaction: a failed refresh leaves them for the
 * next drain. Returns how many periods it refreshed.
 */
export async function drainDirty(db: Db): Promise<number> {
  const pending = await db
    .selectFrom('metrics_dirty')
    .select(['kind', sql<string>`day::text`.as('day'), sql<number>`max(id)`.as('upto')])
    .groupBy(['kind', 'day'])
    .orderBy('day')
    .orderBy('kind')
    .execute()
  for (const { kind, day, upto } of pending) {
    await refresh(db, kind, day, (tx) =>
      tx
        .deleteFrom('metrics_dirty')
        .where('kind', '=', kind)
        .where('day', '=', day)
        .where('id', '<=', upto)
        .execute(),
    )
  }
  return pending.length
}

/**
 * What the rollups cover: the first day anything happened to the last day a calendar covers
 * (null when there is nothing), and today in Shanghai.
 */
export async function rollupSpan(db: Db) {
  return sql<{ first: string | null; last: string; today: string }>`
    select least(
        (select shanghai_day(min(created_at)) from orders),
        (select shanghai_day(min(opened_at)) from jobs),
        (select min(starts_on) from capacity_windows))::text as first,
      greatest(shanghai_day(now()),
        (select max(ends_on) from capacity_windows),
        (select max(ends_on) from capacity_bookings))::text as last,
      shanghai_day(now())::text as today`
    .execute(db)
    .then((r) => r.rows[0]!)
}

/** Recomputes every rollup from the base tables (the job the rollup migrations enqueue). */
export async function rebuildAll(db: Db, onProgress?: (line: string) => void) {
  const span = await rollupSpan(db)
  if (!span.first) return { days: 0 }
  const today = span.today
  let days = 0
  for (let day = span.first; day <= span.last; day = addDays(day, 1)) {
    if (day <= today) {
      await refresh(db, 'day', day)
      await refresh(db, 'funnel', day)
      days += 1
    }
    if (day === span.first || day.endsWith('-01')) await refresh(db, 'capacity', day)
    if (day.endsWith('-01')) onProgress?.(`metrics rebuilt up to ${day}`)
  }
  return { days }
}
