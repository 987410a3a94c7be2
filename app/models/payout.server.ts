import { sql } from 'kysely'
import { csvDocument, type CsvCell } from '../utils/csv.ts'
import type { Db } from '../../db/client.ts'
import { shanghaiToday } from './capacity.server.ts'
import { shiftMonth } from './payout-month.ts'

// The workshop's payout statement (issue 8): per order that moved money, what the contract
// was worth, what the platform kept, what a 服务券 programme paid, what went back to the buyer,
// what reached the workshop and what the escrow still holds; and each payout line (the sample
// milestone, the rest at completion) with its paid date and reference. Months are Shanghai
// calendar months of the payout's creation; the CSV has a row per payout line.

export { isMonth, shiftMonth } from './payout-month.ts'

/** The Shanghai calendar month of `now`. */
export const currentMonth = (now = new Date()) => shanghaiToday(now).slice(0, 7)

export interface PayoutLine {
  id: string
  milestone: 'sample' | 'final'
  gross_fen: number
  fee_fen: number
  amount_fen: number
  /** pending until the money reached the workshop (failed: Stripe refused; still owed). */
  status: 'pending' | 'paid' | 'failed'
  provider: 'bank_transfer' | 'stripe' | null
  created_at: Date
  paid_at: Date | null
  /** The Shanghai day it was paid, `YYYY-MM-DD`. */
  paid_on: string | null
  /** The bank transfer's reference, or the Stripe transfer id. */
  reference: string | null
}

export interface StatementOrder {
  order_id: string
  number: string
  job_title: string
  buyer: string
  status: string
  /** The contract (subtotal): what the buyer and the voucher pay together. */
  gross_fen: number
  /** The platform fee taken by the payouts so far. */
  fee_taken_fen: number
  /** The fee the escrow's remaining release will still take (0 once nothing is held). */
  fee_to_come_fen: number
  /** taken + to come. */
  fee_fen: number
  /** The part of the contract a 服务券 programme paid. */
  voucher_fen: number
  /** Refunds to the buyer and back to the voucher programme. */
  refunds_fen: number
  /** What the payouts bring the workshop (gross − fee of each). */
  net_fen: number
  /** What the escrow still holds for the order. */
  held_fen: number
  /** Its payout lines (of the month, when the statement is for one). */
  lines: PayoutLine[]
}

export interface PayoutTotals {
  paid_fen: number
  /** Released but not yet paid (pending or failed lines). */
  pending_fen: number
  fee_fen: number
}

export interface PayoutStatement {
  /** `YYYY-MM`, or null for all months. */
  month: string | null
  orders: StatementOrder[]
  totals: PayoutTotals
}

/**
 * The fee the order's whole (unrefunded) contract carries: the platform fee scales with the
 * contract, as escrow.server.ts's releaseMilestone takes it (keep the two the same).
 */
function feeOnContract(order: {
  subtotal_fen: number
  platform_fee_fen: number
  refunded_fen: number
}) {
  if (order.subtotal_fen <= 0) return 0
  return Math.round(
    (order.platform_fee_fen * (order.subtotal_fen - order.refunded_fen)) / order.subtotal_fen,
  )
}

/** Where a month starts, as a timestamptz (Shanghai midnight of its first day). */
const monthStart = (month: string) =>
  sql<Date>`(${`${month}-01`}::timestamp at time zone 'Asia/Shanghai')`

/**
 * The statement of `workshopId`'s payouts: every order with money movements (or, for a month,
 * every order with a payout created that month, and only that month's lines), newest first.
 */
export async function payoutStatement(
  db: Db,
  workshopId: string,
  month: string | null,
): Promise<PayoutStatement> {
  let payoutQuery = db
    .selectFrom('payouts')
    .select([
      'id',
      'order_id',
      'milestone',
      'gross_fen',
      'fee_fen',
      'amount_fen',
      'status',
      'provider',
      'created_at',
      'paid_at',
      sql<string | null>`to_char(paid_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`.as('paid_on'),
      sql<string | null>`coalesce(bank_reference, provider_ref)`.as('reference'),
    ])
    .where('organization_id', '=', workshopId)
  if (month) {
    payoutQuery = payoutQuery
      .where('created_at', '>=', monthStart(month))
      .where('created_at', '<', monthStart(shiftMonth(month, 1)))
  }
  const lines = await payoutQuery.orderBy('created_at').orderBy('id').execute()

  let orderQuery = db
    .selectFrom('orders')
    .innerJoin('jobs', 'jobs.id', 'orders.job_id')
    .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
    .select([
      'orders.id',
      'orders.number',
      'orders.status',
      'orders.subtotal_fen',
      'orders.platform_fee_fen',
      'orders.voucher_fen',
      'orders.refunded_fen',
      'jobs.title',
      'buyer.name as buyer',
      sql<number>`(select coalesce(sum(p.fee_fen), 0) from payouts p
        where p.order_id = orders.id)::bigint`.as('fee_taken'),
      sql<number>`(select coalesce(sum(p.amount_fen), 0) from payouts p
        where p.order_id = orders.id)::bigint`.as('net'),
      sql<number>`(select coalesce(sum(r.amount_fen + r.voucher_fen), 0) from refunds r
        where r.order_id = orders.id)::bigint`.as('refunds'),
      sql<number>`(select coalesce(sum(case when l.to_account = 'escrow' then l.amount_fen
          when l.from_account = 'escrow' then -l.amount_fen else 0 end), 0)
        from ledger_entries l where l.order_id = orders.id)::bigint`.as('held'),
      sql<Date>`coalesce((select max(p.created_at) from payouts p where p.order_id = orders.id),
        orders.paid_at, orders.created_at)`.as('latest'),
    ])
    .where('orders.workshop_organization_id', '=', workshopId)
  const monthOrders = [...new Set(lines.map((l) => l.order_id))]
  if (month && !monthOrders.length) {
    return { month, orders: [], totals: { paid_fen: 0, pending_fen: 0, fee_fen: 0 } }
  }
  orderQuery = month
    ? orderQuery.where('orders.id', 'in', monthOrders)
    : orderQuery.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('ledger_entries')
            .select('ledger_entries.id')
            .whereRef('ledger_entries.order_id', '=', 'orders.id'),
        ),
      )
  const orders = await orderQuery
    .orderBy('latest', 'desc')
    .orderBy('orders.number', 'desc')
    .execute()

  const linesOf = new Map<string, PayoutLine[]>()
  for (const { order_id, ...line } of lines) {
    const list = linesOf.get(order_id) ?? []
    list.push(line)
    linesOf.set(order_id, list)
  }
  const statementOrders = orders.map((o): StatementOrder => {
    const held = Number(o.held)
    const taken = Number(o.fee_taken)
    const toCome = held > 0 ? Math.max(0, Math.min(held, feeOnContract(o) - taken)) : 0
    return {
      order_id: o.id,
      number: o.number,
      job_title: o.title,
      buyer: o.buyer,
      status: o.status,
      gross_fen: o.subtotal_fen,
      fee_taken_fen: taken,
      fee_to_come_fen: toCome,
      fee_fen: taken + toCome,
      voucher_fen: o.voucher_fen,
      refunds_fen: Number(o.refunds),
      net_fen: Number(o.net),
      held_fen: held,
      lines: linesOf.get(o.id) ?? [],
    }
  })
  return { month, orders: statementOrders, totals: totalsOf(statementOrders) }
}

/** The lines' paid and pending amounts and their fees. */
function totalsOf(orders: StatementOrder[]): PayoutTotals {
  const totals = { paid_fen: 0, pending_fen: 0, fee_fen: 0 }
  for (const line of orders.flatMap((o) => o.lines)) {
    if (line.status === 'paid') totals.paid_fen += line.amount_fen
    else totals.pending_fen += line.amount_fen
    totals.fee_fen += line.fee_fen
  }
  return totals
}

/** The CSV's column headings, in the reader's language (see statementCsv). */
export interface CsvHeadings {
  number: string
  job: string
  buyer: string
  gross: string
  fee: string
  voucher: string
  refunds: string
  net: string
  held: string
  milestone: string
  lineGross: string
  lineFee: string
  lineAmount: string
  status: string
  createdOn: string
  paidOn: string
  reference: string
}

/**
 * The statement as CSV for spreadsheets: UTF-8 with a BOM (so Excel reads the Chinese),
 * CRLF lines, a row per payout line with its order's columns, amounts in yuan (0.00).
 */
export function statementCsv(
  statement: PayoutStatement,
  headings: CsvHeadings,
  labels: {
    milestone: (m: PayoutLine['milestone']) => string
    status: (s: PayoutLine['status']) => string
  },
): string {
  const yuan = (fen: number) => ({ fen })
  const rows: CsvCell[][] = [
    [
      headings.number,
      headings.job,
      headings.buyer,
      headings.gross,
      headings.fee,
      headings.voucher,
      headings.refunds,
      headings.net,
      headings.held,
      headings.milestone,
      headings.lineGross,
      headings.lineFee,
      headings.lineAmount,
      headings.status,
      headings.createdOn,
      headings.paidOn,
      headings.reference,
    ],
  ]
  for (const o of statement.orders) {
    for (const line of o.lines) {
      rows.push([
        o.number,
        o.job_title,
        o.buyer,
        yuan(o.gross_fen),
        yuan(o.fee_fen),
        yuan(o.voucher_fen),
        yuan(o.refunds_fen),
        yuan(o.net_fen),
        yuan(o.held_fen),
        labels.milestone(line.milestone),
        yuan(line.gross_fen),
        yuan(line.fee_fen),
        yuan(line.amount_fen),
        labels.status(line.status),
        shanghaiToday(line.created_at),
        line.paid_on,
        line.reference,
      ])
    }
  }
  return csvDocument(rows)
}
