import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'

export interface CapacitySummary {
  offered: number
  booked: number
  idle: number
}

/** Today's date in Asia/Shanghai as 'YYYY-MM-DD' (capacity days are Shanghai days). */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * Offered, booked and idle hours per resource over [from, from + days). A booking's hours
 * count in proportion to the days of it inside the range; idle is never negative.
 */
export async function capacitySummaries(
  db: Db | Tx,
  resourceIds: string[] | 'all',
  range: { from: string; days: number },
): Promise<Map<string, CapacitySummary>> {
  const last = addDays(range.from, range.days - 1)
  const result = new Map<string, CapacitySummary>()
  if (resourceIds !== 'all' && resourceIds.length === 0) return result
  // The ids as a sub-select: the planner then probes the index per id instead of estimating
  // the array's size (about 30 % faster for the thousands of ids matching reads).
  const filter =
    resourceIds === 'all'
      ? sql`true`
      : sql`resource_id = any((select ${resourceIds}::uuid[])::uuid[])`
  const rows = await sql<{ resource_id: string; offered: number; booked: number }>`
    with offered as (
      select resource_id,
        sum(hours_per_day * (least(ends_on, ${last}::date) - greatest(starts_on, ${range.from}::date) + 1)) as hours
      from capacity_windows
      where ${filter} and starts_on <= ${last}::date and ends_on >= ${range.from}::date
      group by resource_id
    ), booked as (
      select resource_id,
        sum(hours * (least(ends_on, ${last}::date) - greatest(starts_on, ${range.from}::date) + 1)::numeric
          / (ends_on - starts_on + 1)) as hours
      from capacity_bookings
      where ${filter} and starts_on <= ${last}::date and ends_on >= ${range.from}::date
      group by resource_id
    )
    select coalesce(o.resource_id, b.resource_id) as resource_id,
      coalesce(o.hours, 0)::float8 as offered, coalesce(b.hours, 0)::float8 as booked
    from offered o full join booked b on b.resource_id = o.resource_id`.execute(db)
  for (const row of rows.rows) {
    const offered = round1(row.offered)
    const booked = round1(row.booked)
    result.set(row.resource_id, { offered, booked, idle: Math.max(0, round1(offered - booked)) })
  }
  return result
}

export const IDLE_WINDOW_DAYS = 28

/** Idle hours in the coming 4 weeks, by resource id (missing → 0). */
export async function idleHours4w(
  db: Db | Tx,
  resourceIds: string[] | 'all',
  today = shanghaiToday(),
) {
  const summaries = await capacitySummaries(db, resourceIds, {
    from: today,
    days: IDLE_WINDOW_DAYS,
  })
  return (id: string) => summaries.get(id)?.idle ?? 0
}

export interface WeekRow extends CapacitySummary {
  /** First day of the row, 'YYYY-MM-DD'. */
  from: string
  to: string
}

/** The calendar a workshop sees: offered, booked and idle hours for each of the next weeks. */
export async function capacityWeeks(
  db: Db | Tx,
  resourceId: string,
  weeks: number,
  today = shanghaiToday(),
): Promise<WeekRow[]> {
  const rows: WeekRow[] = []
  for (let w = 0; w < weeks; w++) {
    const from = addDays(today, w * 7)
    const summary = (await capacitySummaries(db, [resourceId], { from, days: 7 })).get(resourceId)
    rows.push({ from, to: addDays(from, 6), ...(summary ?? { offered: 0, booked: 0, idle: 0 }) })
  }
  return rows
}
