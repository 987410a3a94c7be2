import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/client.ts'
import { addDays } from './capacity.server.ts'
import { dayFigures, type DayFigures } from './metrics-rollup.server.ts'
import {
  bucketsOf,
  counters,
  funnelStages,
  histograms,
  HOUR_BUCKETS,
  type FunnelStage,
  type Counter,
  type Grouping,
  type Histogram,
  type MetricsFilters,
} from './metrics.schema.ts'

// The console's figures (issue 9, decision 012), read from the rollups: the days at either
// end of a range from the day rows, the whole months between from the month rows. With a
// workshop filter they are worked out from that workshop's own orders instead (a few hundred
// a year), by the same code that fills the rollups.

export interface SeriesRow {
  key: string
  orders: number
  /** Accepted orders' contract value less refunds on the refund date; never cancelled orders. */
  gmv_fen: number
  completed: number
  disputed: number
  offered_hours: number
  booked_hours: number
  /** booked ÷ offered, 0…1 (null when nothing was offered). */
  utilisation: number | null
}

export interface Totals extends Omit<SeriesRow, 'key'> {
  gross_fen: number
  refund_fen: number
  voucher_fen: number
  cancelled: number
  paid: number
  on_time: number
  /** Completed on time ÷ completed (null without completions). */
  on_time_rate: number | null
  /** Disputes opened ÷ orders accepted in the range (null without orders). */
  dispute_rate: number | null
  /** Median hours (sample rounds: rounds) per stage, null without data. */
  medians: Record<Histogram, number | null>
  stage_counts: Record<Histogram, number>
}

export interface Metrics {
  from: string
  to: string
  group_by: Grouping
  series: SeriesRow[]
  totals: Totals
}

type Figures = Record<Counter, number> & Record<Histogram, number[]>

const monthStart = (day: string) => `${day.slice(0, 7)}-01`
const nextMonth = (month: string) => {
  const d = new Date(`${month}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + 1)
  return d.toISOString().slice(0, 10)
}

/**
 * Where a range's rows are: its first and last partial months by day, the whole months
 * between by month. `grain = 'd'` everywhere for series by day or week.
 */
function periodsWhere(from: string, to: string, daysOnly: boolean): RawBuilder<boolean> {
  const firstWhole = from === monthStart(from) ? from : nextMonth(monthStart(from))
  const afterLastWhole =
    addDays(to, 1) === nextMonth(monthStart(to)) ? addDays(to, 1) : monthStart(to)
  if (daysOnly || firstWhole >= afterLastWhole) {
    return sql<boolean>`(grain = 'd' and period between ${from}::date and ${to}::date)`
  }
  return sql<boolean>`((grain = 'd' and (period between ${from}::date and ${addDays(firstWhole, -1)}::date
      or period between ${afterLastWhole}::date and ${to}::date))
    or (grain = 'm' and period >= ${firstWhole}::date and period < ${afterLastWhole}::date))`
}

function dimsWhere(f: MetricsFilters, townColumn = 'town'): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`]
  if (f.town) parts.push(sql<boolean>`${sql.ref(townColumn)} = ${f.town}`)
  if (f.cluster) parts.push(sql<boolean>`cluster = ${f.cluster}`)
  if (f.process) parts.push(sql<boolean>`process = ${f.process}`)
  return sql.join(parts, sql` and `) as RawBuilder<boolean>
}

/**
 * Which level of a rollup a filter and grouping read (decision 012): each dimension is either
 * filtered, grouped by (any value but '*'), or summed over ('*'): one row per key and period.
 */
function levelWhere(f: MetricsFilters, group?: Grouping): RawBuilder<boolean> {
  const parts = (['town', 'cluster', 'process'] as const).map((dim) => {
    const value = f[dim]
    if (value) return sql<boolean>`${sql.ref(dim)} = ${value}`
    return group === dim
      ? sql<boolean>`${sql.ref(dim)} <> '*'`
      : sql<boolean>`${sql.ref(dim)} = '*'`
  })
  return sql.join(parts, sql` and `) as RawBuilder<boolean>
}

/** The SQL key of a grouping over rollup rows (period is a day or a month's first day). */
function keySql(group: Grouping): RawBuilder<string> {
  switch (group) {
    case 'day':
      return sql<string>`period::text`
    case 'week':
      return sql<string>`date_trunc('week', period)::date::text`
    case 'month':
      return sql<string>`to_char(period, 'YYYY-MM')`
    default:
      return sql<string>`${sql.ref(group)}`
  }
}

/** The key of a day for a grouping, as keySql gives it. */
function keyOfDay(
  group: Grouping,
  day: string,
  dims: Record<'town' | 'cluster' | 'process', string>,
) {
  if (group === 'day') return day
  if (group === 'month') return day.slice(0, 7)
  if (group === 'week') {
    const d = new Date(`${day}T00:00:00Z`)
    return addDays(day, -((d.getUTCDay() + 6) % 7))
  }
  return dims[group]
}

/** Sums of the counters, or of the histograms bucket by bucket. */
const figureSums = (what: 'counters' | 'histograms') => {
  const sums = counters.map((c) => `sum(${c})::float8 as ${c}`)
  if (what === 'counters') return sql.raw(sums.join(', '))
  const arrays = histograms.map((h) => {
    const parts = Array.from({ length: bucketsOf(h) }, (_, i) => `coalesce(sum(${h}[${i + 1}]), 0)`)
    return `array[${parts.join(', ')}]::float8[] as ${h}`
  })
  return sql.raw(arrays.join(', '))
}

const emptyFigures = (): Figures =>
  ({
    ...Object.fromEntries(counters.map((c) => [c, 0])),
    ...Object.fromEntries(histograms.map((h) => [h, Array<number>(bucketsOf(h)).fill(0)])),
  }) as Figures

function addInto(into: Figures, from: Partial<Figures>) {
  for (const c of counters) into[c] += Number(from[c] ?? 0)
  for (const h of histograms) from[h]?.forEach((n, i) => (into[h][i]! += Number(n)))
}

/**
 * The order figures per key of the grouping, and the stage-time histograms of the whole range
 * (series carry counters only: a histogram is 20-odd sums a row, needed once).
 */
async function figuresBy(db: Db, f: MetricsFilters, group: Grouping, reuse: Reuse) {
  const byKey = new Map<string, Figures>()
  const whole = emptyFigures()
  if (f.workshop) {
    const days = await (reuse.workshopDays ??
      dayFigures(db, { from: f.from, to: f.to, workshopId: f.workshop }))
    for (const d of days) {
      if ((f.town && d.town !== f.town) || (f.cluster && d.cluster !== f.cluster)) continue
      if (f.process && d.process !== f.process) continue
      const key = keyOfDay(group, d.day, d)
      let row = byKey.get(key)
      if (!row) byKey.set(key, (row = emptyFigures()))
      addInto(row, d)
      addInto(whole, d)
    }
    return { byKey, whole }
  }
  const daysOnly = group === 'day' || group === 'week'
  const [rows, spread] = await Promise.all([
    sql<Figures & { key: string }>`
      select ${keySql(group)} as key, ${figureSums('counters')}
      from metrics_rollup
      where ${periodsWhere(f.from, f.to, daysOnly)} and ${levelWhere(f, group)}
      group by 1`.execute(db),
    reuse.histograms === false
      ? { rows: [] }
      : sql<Figures>`
          select ${figureSums('histograms')}
          from metrics_rollup
          where ${periodsWhere(f.from, f.to, false)} and ${levelWhere(f)}`.execute(db),
  ])
  for (const { key, ...figures } of rows.rows) {
    const row = emptyFigures()
    addInto(row, figures)
    byKey.set(key, row)
  }
  for (const h of histograms) whole[h] = (spread.rows[0]?.[h] ?? whole[h]).map(Number)
  return { byKey, whole }
}

/**
 * What one dashboard's four groupings of the same range share: a workshop's day figures and its
 * calendar's hours (each read once), and whether this grouping needs the stage histograms (its
 * totals' medians).
 */
interface Reuse {
  workshopDays?: Promise<DayFigures[]>
  workshopHours?: Promise<HoursRow[]>
  histograms?: boolean
}

interface HoursRow extends Record<'town' | 'cluster' | 'process', string> {
  day: string
  offered: number
  booked: number
}

/** Offered and booked machine hours per key (the capacity rollup, or one workshop's calendar). */
async function hoursBy(db: Db, f: MetricsFilters, group: Grouping, reuse: Reuse) {
  const byKey = new Map<string, { offered: number; booked: number }>()
  if (f.workshop) {
    const days = await (reuse.workshopHours ?? workshopHours(db, f.from, f.to, f.workshop))
    for (const d of days) {
      if ((f.town && d.town !== f.town) || (f.cluster && d.cluster !== f.cluster)) continue
      if (f.process && d.process !== f.process) continue
      const key = keyOfDay(group, d.day, d)
      const row = byKey.get(key) ?? { offered: 0, booked: 0 }
      row.offered += d.offered
      row.booked += d.booked
      byKey.set(key, row)
    }
    return byKey
  }
  const key = group === 'month' ? sql`to_char(period, 'YYYY-MM')` : keySql(group)
  const rows = await sql<{ key: string; offered: number; booked: number }>`
    select ${key} as key, sum(offered_hours)::float8 as offered, sum(booked_hours)::float8 as booked
    from capacity_rollup
    where period between ${f.from}::date and ${f.to}::date and ${levelWhere(f, group)}
    group by 1`.execute(db)
  for (const r of rows.rows) byKey.set(r.key, r)
  return byKey
}

async function workshopHours(db: Db, from: string, to: string, workshopId: string) {
  const rows = await sql<HoursRow>`
    select period::text as day, town, cluster, process, offered_hours::float8 as offered,
      booked_hours::float8 as booked
    from (${capacityDays(from, to, workshopId)}) c`.execute(db)
  return rows.rows
}

/** One workshop's offered and booked hours per day in [from, to] (columns as capacity_rollup). */
function capacityDays(from: string, to: string, workshopId: string) {
  return sql`
    with days as (select d::date as day from generate_series(${from}::date, ${to}::date, '1 day') d),
    mine as (select id from resources where organization_id = ${workshopId}),
    hours as (
      select d.day, c.resource_id, c.hours_per_day::float8 as offered, 0::float8 as booked
      from mine r join capacity_windows c on c.resource_id = r.id
        join days d on d.day between c.starts_on and c.ends_on
      where c.starts_on <= ${to}::date and c.ends_on >= ${from}::date
      union all
      select d.day, b.resource_id, 0, b.hours::float8 / (b.ends_on - b.starts_on + 1)
      from mine r join capacity_bookings b on b.resource_id = r.id
        join days d on d.day between b.starts_on and b.ends_on
      where b.starts_on <= ${to}::date and b.ends_on >= ${from}::date
    )
    select h.day as period, coalesce(w.town, '') as town, coalesce(w.clusters[1], '') as cluster,
      r.process, sum(h.offered) as offered_hours, sum(h.booked) as booked_hours
    from hours h join resources r on r.id = h.resource_id and r.active
      and r.organization_id = ${workshopId}
      join organizations w on w.id = r.organization_id
    group by 1, 2, 3, 4`
}

/** Every key a time grouping has in the range, in order (so empty periods show as zero). */
function timeKeys(group: Grouping, from: string, to: string): string[] | undefined {
  if (group !== 'day' && group !== 'week' && group !== 'month') return undefined
  const keys: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const key = keyOfDay(group, d, { town: '', cluster: '', process: '' })
    if (keys[keys.length - 1] !== key) keys.push(key)
  }
  return keys
}

const round1 = (n: number) => Math.round(n * 10) / 10
const share = (part: number, whole: number) => (whole > 0 ? part / whole : null)

/** The median of a histogram, interpolated within its bucket (hours), or the middle round. */
export function histogramMedian(h: Histogram, counts: number[]): number | null {
  const total = counts.reduce((s, n) => s + n, 0)
  if (total === 0) return null
  const half = total / 2
  let seen = 0
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i]!
    if (n > 0 && seen + n >= half) {
      if (h === 'sample_rounds') return i + 1
      const lo = HOUR_BUCKETS[i]!
      const hi = HOUR_BUCKETS[i + 1] ?? lo * 1.5
      return round1(lo + ((half - seen) / n) * (hi - lo))
    }
    seen += n
  }
  return null
}

/** Orders, GMV, completions, disputes and utilisation per key, and their totals. */
export async function metrics(db: Db, f: MetricsFilters, reuse: Reuse = {}): Promise<Metrics> {
  const [{ byKey: figures, whole }, hours] = await Promise.all([
    figuresBy(db, f, f.group_by, reuse),
    hoursBy(db, f, f.group_by, reuse),
  ])
  const keys =
    timeKeys(f.group_by, f.from, f.to) ??
    [...new Set([...figures.keys(), ...hours.keys()])].sort((a, b) => {
      const ga = figures.get(a)?.gmv_fen ?? 0
      const gb = figures.get(b)?.gmv_fen ?? 0
      return gb - ga || a.localeCompare(b)
    })
  const total = emptyFigures()
  let offered = 0
  let booked = 0
  const series = keys.map((key): SeriesRow => {
    const fig = figures.get(key) ?? emptyFigures()
    const h = hours.get(key) ?? { offered: 0, booked: 0 }
    addInto(total, fig)
    offered += h.offered
    booked += h.booked
    return {
      key,
      orders: fig.orders,
      gmv_fen: fig.gmv_fen - fig.refund_fen,
      completed: fig.completed,
      disputed: fig.disputed,
      offered_hours: round1(h.offered),
      booked_hours: round1(h.booked),
      utilisation: share(h.booked, h.offered),
    }
  })
  return {
    from: f.from,
    to: f.to,
    group_by: f.group_by,
    series,
    totals: {
      orders: total.orders,
      gmv_fen: total.gmv_fen - total.refund_fen,
      gross_fen: total.gmv_fen,
      refund_fen: total.refund_fen,
      voucher_fen: total.voucher_fen,
      completed: total.completed,
      disputed: total.disputed,
      cancelled: total.cancelled,
      paid: total.paid,
      on_time: total.on_time,
      on_time_rate: share(total.on_time, total.completed),
      dispute_rate: share(total.disputed, total.orders),
      offered_hours: round1(offered),
      booked_hours: round1(booked),
      utilisation: share(booked, offered),
      medians: Object.fromEntries(
        histograms.map((h) => [h, histogramMedian(h, whole[h])]),
      ) as Record<Histogram, number | null>,
      stage_counts: Object.fromEntries(
        histograms.map((h) => [h, whole[h].reduce((s, n) => s + n, 0)]),
      ) as Record<Histogram, number>,
    },
  }
}

export interface Funnel {
  from: string
  to: string
  stages: {
    stage: FunnelStage
    count: number
    from_previous: number | null
    from_opened: number | null
  }[]
}

/**
 * Jobs opened in the range and how far they got. Filters: the job's delivery town, its
 * cluster and process; with a workshop, the jobs matched to it and its quotes and orders.
 */
export async function funnel(db: Db, f: MetricsFilters): Promise<Funnel> {
  let counts: Record<FunnelStage, number>
  if (f.workshop) {
    const row = await sql<Record<FunnelStage, number>>`
      select count(*)::int as opened, count(*)::int as matched,
        count(*) filter (where exists (select from quotes q where q.job_id = j.id
          and q.organization_id = ${f.workshop} and q.confirmed_at is not null))::int as quoted,
        count(o.id)::int as ordered,
        count(o.id) filter (where (not o.needs_sample and o.paid_at is not null)
          or exists (select from order_events e where e.order_id = o.id
            and e.payload ->> 'action' = 'approve_sample'))::int as sample_ok,
        count(o.id) filter (where o.status = 'completed')::int as completed
      from (select distinct job_id from matches where organization_id = ${f.workshop}) m
        join jobs j on j.id = m.job_id
        left join orders o on o.job_id = j.id and o.workshop_organization_id = ${f.workshop}
      where j.opened_at >= (${f.from}::date::timestamp at time zone 'Asia/Shanghai')
        and j.opened_at < (${addDays(f.to, 1)}::date::timestamp at time zone 'Asia/Shanghai')
        ${f.process ? sql`and j.process = ${f.process}` : sql``}
        ${f.town ? sql`and j.delivery_town = ${f.town}` : sql``}
        ${f.cluster ? sql`and o.cluster = ${f.cluster}` : sql``}`.execute(db)
    counts = row.rows[0]!
  } else {
    const row = await sql<Record<FunnelStage, number>>`
      select ${sql.raw(funnelStages.map((s) => `coalesce(sum(${s}), 0)::int as ${s}`).join(', '))}
      from funnel_rollup
      where ${periodsWhere(f.from, f.to, false)} and ${levelWhere(f)}`.execute(db)
    counts = row.rows[0]!
  }
  return {
    from: f.from,
    to: f.to,
    stages: funnelStages.map((stage, i) => ({
      stage,
      count: counts[stage],
      from_previous: i === 0 ? null : share(counts[stage], counts[funnelStages[i - 1]!]),
      from_opened: share(counts[stage], counts.opened),
    })),
  }
}

export interface Ranked {
  organization_id: string
  name: string
  town: string | null
  orders: number
  gmv_fen: number
  completed: number
}

/**
 * The workshops and design firms with the most GMV in the range (10 each): from the party
 * rollup, or — under a town, cluster, process or workshop filter — from the orders accepted in
 * the range (refunds then count against the order, not on their own date).
 */
export async function topParties(db: Db, f: MetricsFilters, limit = 10) {
  if (f.workshop || f.town || f.cluster || f.process) {
    // One pass over the range's orders by a covering index (migration 20261204T0900), both
    // lists at once.
    const rows = await sql<Ranked & { role: 'w' | 'b' }>`
      select s.role, org.id as organization_id, org.name, org.town, s.orders, s.gmv_fen,
        s.completed
      from (
        select case when grouping(o.workshop_organization_id) = 0 then 'w' else 'b' end as role,
          coalesce(o.workshop_organization_id, o.buyer_organization_id) as id,
          count(*)::int as orders, sum(o.total_fen - o.refunded_fen)::float8 as gmv_fen,
          (count(*) filter (where o.status = 'completed'))::int as completed,
          row_number() over (partition by grouping(o.workshop_organization_id)
            order by sum(o.total_fen - o.refunded_fen) desc) as rank
        from orders o
        where o.status <> 'cancelled'
          and o.created_at >= (${f.from}::date::timestamp at time zone 'Asia/Shanghai')
          and o.created_at < (${addDays(f.to, 1)}::date::timestamp at time zone 'Asia/Shanghai')
          ${f.workshop ? sql`and o.workshop_organization_id = ${f.workshop}` : sql``}
          and ${dimsWhere(f, 'o.town')}
        group by grouping sets ((o.workshop_organization_id), (o.buyer_organization_id))
      ) s join organizations org on org.id = s.id
      where s.rank <= ${limit}
      order by s.gmv_fen desc, org.name`.execute(db)
    const list = (role: 'w' | 'b') =>
      rows.rows.filter((r) => r.role === role).map(({ role: _, ...ranked }) => ranked)
    return { workshops: list('w'), firms: list('b') }
  }
  const top = async (role: 'w' | 'b') => {
    const rows = await sql<Ranked>`
      select org.id as organization_id, org.name, org.town, s.orders, s.gmv_fen, s.completed
      from (
        select organization_id, sum(orders)::int as orders,
          sum(gmv_fen - refund_fen)::float8 as gmv_fen, sum(completed)::int as completed
        from party_rollup
        where role = ${role} and ${periodsWhere(f.from, f.to, false)}
        group by 1
        order by 3 desc
        limit ${limit}
      ) s join organizations org on org.id = s.organization_id
      order by s.gmv_fen desc, org.name`.execute(db)
    return rows.rows
  }
  const [workshops, firms] = await Promise.all([top('w'), top('b')])
  return { workshops, firms }
}

export interface VoucherSpend {
  program_id: string
  name: string
  budget_fen: number
  /** Redeemed less reversed, all time. */
  spent_fen: number
  /** Redeemed less reversed on orders accepted in the range. */
  spent_in_range_fen: number
}

/** Each 服务券 programme's budget and what orders have used of it. */
export async function voucherSpend(db: Db, f: MetricsFilters): Promise<VoucherSpend[]> {
  const rows = await sql<VoucherSpend>`
    select p.id as program_id, p.name, p.budget_fen,
      coalesce(sum(r.amount_fen - r.reversed_fen), 0)::float8 as spent_fen,
      coalesce(sum(r.amount_fen - r.reversed_fen) filter (
        where r.created_at >= (${f.from}::date::timestamp at time zone 'Asia/Shanghai')
          and r.created_at < (${addDays(f.to, 1)}::date::timestamp at time zone 'Asia/Shanghai')
      ), 0)::float8 as spent_in_range_fen
    from voucher_programs p left join voucher_redemptions r on r.program_id = p.id
    group by p.id
    order by p.valid_until desc, p.name`.execute(db)
  return rows.rows
}

/** Everything the dashboard shows, read at once. */
export async function dashboard(db: Db, f: MetricsFilters) {
  // The medians show once (over time); a workshop's own orders are read once for all four.
  const workshopDays = f.workshop
    ? dayFigures(db, { from: f.from, to: f.to, workshopId: f.workshop })
    : undefined
  const workshopHoursRows = f.workshop ? workshopHours(db, f.from, f.to, f.workshop) : undefined
  const shared = { workshopDays, workshopHours: workshopHoursRows }
  const by = (group_by: Grouping) =>
    metrics(db, { ...f, group_by }, { ...shared, histograms: false })
  const [overTime, byTown, byCluster, byProcess, stages, top, vouchers] = await Promise.all([
    metrics(db, f, shared),
    by('town'),
    by('cluster'),
    by('process'),
    funnel(db, f),
    topParties(db, f),
    voucherSpend(db, f),
  ])
  return { overTime, byTown, byCluster, byProcess, funnel: stages, top, vouchers }
}
