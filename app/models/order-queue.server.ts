import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'

// The operators' order work queues (issue 7, "an operator confirms receipt"): what waits on
// the platform rather than on a party. Read-only; the actions are the order page's transitions.

/** Days an order may await payment with no transfer reported before it is chased. */
export const UNPAID_AFTER_DAYS = 3

/**
 * The three queues, oldest first: bank transfers a buyer reported on an order still awaiting
 * payment (to check against the escrow account and confirm), open disputes (to decide), and
 * orders awaiting payment for more than `unpaidAfterDays` days with no transfer reported.
 */
export async function orderQueues(db: Db, unpaidAfterDays = UNPAID_AFTER_DAYS) {
  const [transfers, disputes, unpaid] = await Promise.all([
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
  ])
  return { transfers, disputes, unpaid }
}

export type OrderQueues = Awaited<ReturnType<typeof orderQueues>>
