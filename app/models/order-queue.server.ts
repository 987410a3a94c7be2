import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'
import type { MatchSummary } from '../../db/schema.ts'

// The operators' order work queues (issue 7, "an operator confirms receipt"): what waits on
// the platform rather than on a party. Read-only; the actions are the order page's transitions.
// Issue 9 adds two that come before an order: quotes about to lapse unanswered, and open jobs
// matching found nothing for (to chase the parties, or help the designer relax the job).

/** Days an order may await payment with no transfer reported before it is chased. */
export const UNPAID_AFTER_DAYS = 3
/** Hours before its validity ends that a pending quote is listed as about to expire. */
export const EXPIRING_WITHIN_HOURS = 24

/** The miss that turned away the most machines (the first stage of a tie): the job's blocker. */
export function topMiss(summary: MatchSummary | null) {
  let top: MatchSummary['misses'][number] | null = null
  for (const miss of summary?.misses ?? []) if (!top || miss.count > top.count) top = miss
  return top
}

/**
 * The queues, oldest first: bank transfers a buyer reported on an order still awaiting
 * payment (to check against the escrow account and confirm), open disputes (to decide),
 * orders awaiting payment for more than `unpaidAfterDays` days with no transfer reported,
 * pending quotes on open jobs whose validity ends within `expiringWithinHours` (soonest
 * first; `confirmed` says whether the designer or the workshop has to answer), and open jobs
 * whose matching ran and found no machine, with the miss that turned most machines away.
 */
export async function orderQueues(
  db: Db,
  unpaidAfterDays = UNPAID_AFTER_DAYS,
  expiringWithinHours = EXPIRING_WITHIN_HOURS,
) {
  const [transfers, disputes, unpaid, expiringQuotes, unmatched] = await Promise.all([
    db
      .selectFrom('payments')
      .innerJoin('orders', 'orders.id', 'payments.order_id')
      .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
      .select([
        'orders.id as order_id',
        'orders.number',
        'buyer.name as buyer',
        'payments.amount_fen',
        'payments.payer_name',
        'payments.transferred_on',
        'payments.reported_at',
      ])
      .where('payments.status', '=', 'reported')
      .where('orders.status', '=', 'awaiting_payment')
      .orderBy('payments.reported_at')
      .orderBy('payments.created_at')
      .execute(),
    db
      .selectFrom('disputes')
      .innerJoin('orders', 'orders.id', 'disputes.order_id')
      .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
      .innerJoin('organizations as workshop', 'workshop.id', 'orders.workshop_organization_id')
      .select([
        'orders.id as order_id',
        'orders.number',
        'disputes.reason',
        'disputes.created_at as opened_at',
        'buyer.name as buyer',
        'workshop.name as workshop',
      ])
      .where('disputes.status', '=', 'open')
      .orderBy('disputes.created_at')
      .execute(),
    db
      .selectFrom('orders')
      .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
      .innerJoin('organizations as workshop', 'workshop.id', 'orders.workshop_organization_id')
      .select([
        'orders.id as order_id',
        'orders.number',
        'orders.total_fen',
        'orders.created_at as accepted_at',
        'buyer.name as buyer',
        'workshop.name as workshop',
        sql<number>`floor(extract(epoch from now() - orders.created_at) / 86400)::int`.as(
          'waiting_days',
        ),
      ])
      .where('orders.status', '=', 'awaiting_payment')
      .where('orders.created_at', '<', sql<Date>`now() - make_interval(days => ${unpaidAfterDays})`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('payments')
              .select('payments.id')
              .whereRef('payments.order_id', '=', 'orders.id')
              .where('payments.status', '=', 'reported'),
          ),
        ),
      )
      .orderBy('orders.created_at')
      .execute(),
    db
      .selectFrom('quotes')
      .innerJoin('jobs', 'jobs.id', 'quotes.job_id')
      .innerJoin('organizations as firm', 'firm.id', 'jobs.organization_id')
      .innerJoin('organizations as workshop', 'workshop.id', 'quotes.organization_id')
      .select([
        'quotes.id as quote_id',
        'jobs.id as job_id',
        'jobs.title as job_title',
        'firm.name as firm',
        'workshop.name as workshop',
        'quotes.total_fen',
        'quotes.valid_until as expires_at',
        sql<boolean>`quotes.confirmed_at is not null`.as('confirmed'),
      ])
      .where('quotes.status', '=', 'pending')
      .where('jobs.status', '=', 'open')
      .where('quotes.valid_until', '>', sql<Date>`now()`)
      .where(
        'quotes.valid_until',
        '<=',
        sql<Date>`now() + make_interval(hours => ${expiringWithinHours})`,
      )
      .orderBy('quotes.valid_until')
      .orderBy('quotes.id')
      .execute(),
    db
      .selectFrom('jobs')
      .innerJoin('organizations as firm', 'firm.id', 'jobs.organization_id')
      .select([
        'jobs.id as job_id',
        'jobs.title as job_title',
        'firm.name as firm',
        'jobs.opened_at',
        'jobs.matched_at',
        'jobs.match_summary',
      ])
      .where('jobs.status', '=', 'open')
      .where('jobs.matched_at', 'is not', null)
      .where(sql<boolean>`(jobs.match_summary ->> 'matched')::int = 0`)
      .orderBy('jobs.opened_at')
      .orderBy('jobs.id')
      .execute(),
  ])
  const unmatchedJobs = unmatched.map(({ match_summary, ...job }) => ({
    ...job,
    top_miss: topMiss(match_summary),
  }))
  return { transfers, disputes, unpaid, expiringQuotes, unmatchedJobs }
}

export type OrderQueues = Awaited<ReturnType<typeof orderQueues>>
