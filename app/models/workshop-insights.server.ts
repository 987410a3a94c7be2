import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'
import { addDays, capacitySummaries, shanghaiToday } from './capacity.server.ts'
import type { InsightPeriod } from './workshop-insights.ts'

// A workshop's insights (经营概况, issue 9) on its own dashboard and in the API, over the last
// 30, 90 or 365 Shanghai days up to today:
// - utilisation: booked ÷ offered machine hours of its machines (capacitySummaries' hours);
// - revenue: the contract (orders.total_fen) of its orders completed in the period, less the
//   refunds recorded on those orders (a partial refund at a dispute). Kept simple: a fully
//   refunded order never completes, so it counts nothing; a refund counts in the month its
//   order completed, whenever it was paid out;
// - on-time: of those orders (with a batch shipped), the share whose last batch shipment's
//   Shanghai day is on or before the deadline — refreshWorkshopRecord's rule;
// - ratings: the mean overall of the design firms' reviews of it, per month of the review;
// - win rate: of the quotes it sent in the period (a manual quote when sent, an estimate when
//   it confirmed it: matching's estimates it never confirmed are not its quotes), the share
//   accepted so far.
// Money is integer fen; ratios have four decimals, ratings one (as the workshop's rating).

export interface ResourceUtilisation {
  resource_id: string
  name: string
  process: string
  active: boolean
  offered_hours: number
  booked_hours: number
  /** null: no hours offered in the period. */
  utilisation: number | null
}

export interface WorkshopInsights {
  period: { days: InsightPeriod; from: string; to: string }
  utilisation: {
    offered_hours: number
    booked_hours: number
    utilisation: number | null
    resources: ResourceUtilisation[]
  }
  revenue: {
    revenue_fen: number
    contract_fen: number
    refunded_fen: number
    orders: number
    months: { month: string; revenue_fen: number; orders: number }[]
  }
  on_time: { completed: number; on_time: number; rate: number | null }
  ratings: {
    reviews: number
    mean: number | null
    months: { month: string; reviews: number; mean: number | null }[]
  }
  quotes: { sent: number; accepted: number; pending: number; win_rate: number | null }
}

const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null
const round1 = (n: number) => Math.round(n * 10) / 10

/** The months 'YYYY-MM' from `from`'s to `to`'s, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = []
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number]
  const last = to.slice(0, 7)
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`
    months.push(key)
    if (key >= last) return months
    month += 1
    if (month > 12) {
      month = 1
      year += 1
    }
  }
}

/** The Shanghai day of a timestamptz column, inside [from, to]. */
const shanghaiDayIn = (column: string, from: string, to: string) =>
  sql<boolean>`(${sql.ref(column)} at time zone 'Asia/Shanghai')::date between ${from}::date and ${to}::date`
const shanghaiMonth = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'Asia/Shanghai', 'YYYY-MM')`

/** `workshopId`'s insights over the last `days` Shanghai days up to `today`. */
export async function workshopInsights(
  db: Db,
  workshopId: string,
  days: InsightPeriod,
  today = shanghaiToday(),
): Promise<WorkshopInsights> {
  const from = addDays(today, -(days - 1))
  const months = monthsBetween(from, today)
  const [resources, completed, reviews, quotes] = await Promise.all([
    db
      .selectFrom('resources')
      .select(['id', 'name', 'process', 'active'])
      .where('organization_id', '=', workshopId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('orders')
      .select([
        shanghaiMonth('completed_at').as('month'),
        sql<number>`count(*)::int`.as('orders'),
        sql<number>`sum(total_fen)::bigint`.as('contract_fen'),
        sql<number>`sum(refunded_fen)::bigint`.as('refunded_fen'),
        sql<number>`(count(*) filter (where shipped_at is not null))::int`.as('shipped'),
        sql<number>`(count(*) filter (
          where (shipped_at at time zone 'Asia/Shanghai')::date <= deadline))::int`.as('on_time'),
      ])
      .where('workshop_organization_id', '=', workshopId)
      .where('status', '=', 'completed')
      .where(shanghaiDayIn('completed_at', from, today))
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('reviews')
      .select([
        shanghaiMonth('created_at').as('month'),
        sql<number>`count(*)::int`.as('reviews'),
        sql<number>`sum(overall)::float8`.as('total'),
      ])
      .where('subject_organization_id', '=', workshopId)
      .where('direction', '=', 'buyer_to_workshop')
      .where(shanghaiDayIn('created_at', from, today))
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('quotes')
      .select([
        sql<number>`count(*)::int`.as('sent'),
        sql<number>`(count(*) filter (where status = 'accepted'))::int`.as('accepted'),
        sql<number>`(count(*) filter (where status = 'pending' and valid_until > now()))::int`.as(
          'pending',
        ),
      ])
      .where('organization_id', '=', workshopId)
      .where('confirmed_at', 'is not', null)
      .where(shanghaiDayIn('confirmed_at', from, today))
      .executeTakeFirstOrThrow(),
  ])

  const hours = await capacitySummaries(
    db,
    resources.map((r) => r.id),
    { from, days },
  )
  const perResource = resources.map((r): ResourceUtilisation => {
    const h = hours.get(r.id) ?? { offered: 0, booked: 0 }
    return {
      resource_id: r.id,
      name: r.name,
      process: r.process,
      active: r.active,
      offered_hours: h.offered,
      booked_hours: h.booked,
      utilisation: ratio(h.booked, h.offered),
    }
  })
  const offered = round1(perResource.reduce((s, r) => s + r.offered_hours, 0))
  const booked = round1(perResource.reduce((s, r) => s + r.booked_hours, 0))

  const byMonth = new Map(completed.map((row) => [row.month, row]))
  const sum = (pick: (row: (typeof completed)[number]) => number) =>
    completed.reduce((s, row) => s + pick(row), 0)
  const contract = sum((r) => r.contract_fen)
  const refunded = sum((r) => r.refunded_fen)
  const shipped = sum((r) => r.shipped)
  const onTime = sum((r) => r.on_time)

  const reviewsByMonth = new Map(reviews.map((row) => [row.month, row]))
  const reviewCount = reviews.reduce((s, r) => s + r.reviews, 0)
  const reviewTotal = reviews.reduce((s, r) => s + r.total, 0)

  return {
    period: { days, from, to: today },
    utilisation: {
      offered_hours: offered,
      booked_hours: booked,
      utilisation: ratio(booked, offered),
      resources: perResource,
    },
    revenue: {
      revenue_fen: contract - refunded,
      contract_fen: contract,
      refunded_fen: refunded,
      orders: sum((r) => r.orders),
      months: months.map((month) => {
        const row = byMonth.get(month)
        return {
          month,
          revenue_fen: row ? row.contract_fen - row.refunded_fen : 0,
          orders: row?.orders ?? 0,
        }
      }),
    },
    on_time: { completed: shipped, on_time: onTime, rate: ratio(onTime, shipped) },
    ratings: {
      reviews: reviewCount,
      mean: reviewCount ? round1(reviewTotal / reviewCount) : null,
      months: months.map((month) => {
        const row = reviewsByMonth.get(month)
        return {
          month,
          reviews: row?.reviews ?? 0,
          mean: row ? round1(row.total / row.reviews) : null,
        }
      }),
    },
    quotes: {
      sent: quotes.sent,
      accepted: quotes.accepted,
      pending: quotes.pending,
      win_rate: ratio(quotes.accepted, quotes.sent),
    },
  }
}
