import { sql, type RawBuilder } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { escrowFigures, type EscrowFigures } from './escrow.server.ts'

// `npm run ledger:check` (issue 8): proves the double-entry ledger against the domain tables
// it must mirror — payments, payouts, refunds, voucher redemptions and the orders' refunded
// amounts — each side computed on its own, so a line written twice, forgotten or tampered
// with shows up as a named problem. The allowed flows are escrow.server.ts's:
//
//   buyer → escrow ← voucher_fund; escrow → workshop_payable → workshop; escrow → platform_fee;
//   escrow → refund_payable → buyer; escrow → voucher_fund

const allowedFlows = [
  ['buyer', 'escrow'],
  ['voucher_fund', 'escrow'],
  ['escrow', 'workshop_payable'],
  ['escrow', 'platform_fee'],
  ['workshop_payable', 'workshop'],
  ['escrow', 'refund_payable'],
  ['refund_payable', 'buyer'],
  ['escrow', 'voucher_fund'],
] as const

export interface LedgerCheck {
  /** From the ledger lines. */
  figures: EscrowFigures
  /** The same figures from payments, payouts and refunds. */
  expected: EscrowFigures
  /** The escrow account's own balance: every line into it minus every line out of it. */
  escrow_account_fen: number
  orders: number
  lines: number
  problems: string[]
}

const fen = (n: number | string) => `${Number(n)} fen`

async function rows<T>(db: Db | Tx, query: RawBuilder<T>) {
  return (await query.execute(db)).rows
}

/** Checks the ledger against the domain tables (see the module comment). */
export async function checkLedger(db: Db | Tx): Promise<LedgerCheck> {
  const problems: string[] = []
  const flows = sql.join(allowedFlows.map(([from, to]) => sql`(${from}, ${to})`))

  // Lines themselves: a line moves money between two different accounts, along a known flow.
  for (const r of await rows<{ id: number; from_account: string; to_account: string }>(
    db,
    sql`select id, from_account, to_account from ledger_entries
      where from_account = to_account or (from_account, to_account) not in (${flows})
      order by id`,
  )) {
    problems.push(
      r.from_account === r.to_account
        ? `line ${r.id}: from and to are both ${r.from_account}`
        : `line ${r.id}: ${r.from_account} → ${r.to_account} is not a flow of the ledger`,
    )
  }

  // Per order: what the escrow holds, and what each payable account holds, never below 0;
  // a finished order holds nothing.
  for (const r of await rows<{
    number: string | null
    order_id: string | null
    status: string | null
    escrow: number
    workshop_payable: number
    refund_payable: number
  }>(
    db,
    sql`with moves as (
        select order_id, to_account as account, amount_fen as amount from ledger_entries
        union all
        select order_id, from_account, -amount_fen from ledger_entries
      ), held as (
        select order_id,
          coalesce(sum(amount) filter (where account = 'escrow'), 0)::bigint as escrow,
          coalesce(sum(amount) filter (where account = 'workshop_payable'), 0)::bigint
            as workshop_payable,
          coalesce(sum(amount) filter (where account = 'refund_payable'), 0)::bigint
            as refund_payable
        from moves group by order_id
      )
      select o.number, held.order_id, o.status, held.escrow, held.workshop_payable,
        held.refund_payable
      from held left join orders o on o.id = held.order_id
      where held.order_id is null or held.escrow < 0 or held.workshop_payable < 0
        or held.refund_payable < 0
        or (o.status in ('completed', 'refunded', 'cancelled') and held.escrow <> 0)
      order by o.number`,
  )) {
    const who = r.order_id ? `order ${r.number}` : 'lines without an order'
    if (!r.order_id) {
      problems.push(`${who}: every line belongs to an order`)
      continue
    }
    if (Number(r.escrow) < 0) problems.push(`${who}: escrow holds ${fen(r.escrow)}, below 0`)
    else if (Number(r.escrow) !== 0 && ['completed', 'refunded', 'cancelled'].includes(r.status!)) {
      problems.push(`${who}: ${r.status} but escrow still holds ${fen(r.escrow)}`)
    }
    if (Number(r.workshop_payable) < 0) {
      problems.push(`${who}: workshop payable is ${fen(r.workshop_payable)}, below 0`)
    }
    if (Number(r.refund_payable) < 0) {
      problems.push(`${who}: refund payable is ${fen(r.refund_payable)}, below 0`)
    }
  }

  // Payments: each confirmed (or since refunded) payment is one buyer → escrow amount on its
  // order; no other payment line exists.
  for (const r of await rows<{
    payment_id: string | null
    number: string | null
    expected: number
    posted: number
    wrong_order: boolean
  }>(
    db,
    sql`with posted as (
        select payment_id, sum(amount_fen)::bigint as posted, array_agg(distinct order_id) as orders
        from ledger_entries where from_account = 'buyer' and to_account = 'escrow'
        group by payment_id
      ), expected as (
        select p.id, p.order_id, p.amount_fen as expected from payments p
        where p.status in ('confirmed', 'refunded')
      )
      select coalesce(e.id, posted.payment_id) as payment_id, o.number,
        coalesce(e.expected, 0)::bigint as expected, coalesce(posted.posted, 0)::bigint as posted,
        (e.id is not null and posted.payment_id is not null
          and posted.orders <> array[e.order_id]) as wrong_order
      from expected e
      full join posted on posted.payment_id = e.id
      left join payments p on p.id = coalesce(e.id, posted.payment_id)
      left join orders o on o.id = p.order_id
      where coalesce(e.expected, 0) <> coalesce(posted.posted, 0)
        or (e.id is not null and posted.payment_id is not null
          and posted.orders <> array[e.order_id])`,
  )) {
    const who = r.payment_id
      ? `payment ${r.payment_id}${r.number ? ` (order ${r.number})` : ''}`
      : 'payment lines without a payment'
    if (Number(r.expected) !== Number(r.posted)) {
      problems.push(`${who}: ledger has ${fen(r.posted)} paid in, expected ${fen(r.expected)}`)
    }
    if (r.wrong_order) problems.push(`${who}: its payment line is on another order`)
  }

  // Voucher receivable: a paid order's voucher share came into escrow from the voucher fund;
  // what the programme still carries (redeemed − reversed) is its net in the ledger.
  for (const r of await rows<{
    number: string
    paid: boolean
    voucher_fen: number
    received: number
    returned: number
    redeemed: number
  }>(
    db,
    sql`with lines as (
        select order_id,
          coalesce(sum(amount_fen) filter (where from_account = 'voucher_fund'), 0)::bigint
            as received,
          coalesce(sum(amount_fen) filter (where to_account = 'voucher_fund'), 0)::bigint
            as returned
        from ledger_entries where 'voucher_fund' in (from_account, to_account)
        group by order_id
      )
      select o.number, o.paid_at is not null as paid, o.voucher_fen,
        coalesce(l.received, 0)::bigint as received, coalesce(l.returned, 0)::bigint as returned,
        coalesce(v.amount_fen - v.reversed_fen, 0)::bigint as redeemed
      from orders o
      left join lines l on l.order_id = o.id
      left join voucher_redemptions v on v.order_id = o.id
      where l.order_id is not null or (o.paid_at is not null and o.voucher_fen > 0)
      order by o.number`,
  )) {
    const received = Number(r.received)
    const net = received - Number(r.returned)
    const expected = r.paid ? r.voucher_fen : 0
    if (received !== expected) {
      problems.push(
        `order ${r.number}: ledger has ${fen(received)} from the voucher fund, expected ${fen(expected)}`,
      )
    }
    if (r.paid && net !== Number(r.redeemed)) {
      problems.push(
        `order ${r.number}: voucher redemption nets ${fen(r.redeemed)} but the ledger ${fen(net)}`,
      )
    }
  }

  // Payouts: release + fee lines add up to the payout's gross, each part to its column; a paid
  // payout has exactly one payout line of its amount (none when the amount is 0), a pending
  // one none; no release, fee or payout line without its payout.
  for (const r of await rows<{
    payout_id: string | null
    number: string | null
    status: string | null
    amount_fen: number
    fee_fen: number
    released: number
    fee: number
    paid_lines: number
    paid_out: number
  }>(
    db,
    sql`with lines as (
        select payout_id,
          coalesce(sum(amount_fen) filter (where to_account = 'workshop_payable'), 0)::bigint
            as released,
          coalesce(sum(amount_fen) filter (where to_account = 'platform_fee'), 0)::bigint as fee,
          (count(*) filter (where from_account = 'workshop_payable'))::int as paid_lines,
          coalesce(sum(amount_fen) filter (where from_account = 'workshop_payable'), 0)::bigint
            as paid_out
        from ledger_entries
        where to_account in ('workshop_payable', 'platform_fee')
          or from_account = 'workshop_payable'
        group by payout_id
      )
      select coalesce(p.id, lines.payout_id) as payout_id, o.number, p.status,
        coalesce(p.amount_fen, 0)::bigint as amount_fen, coalesce(p.fee_fen, 0)::bigint as fee_fen,
        coalesce(lines.released, 0)::bigint as released, coalesce(lines.fee, 0)::bigint as fee,
        coalesce(lines.paid_lines, 0) as paid_lines, coalesce(lines.paid_out, 0)::bigint as paid_out
      from payouts p
      full join lines on lines.payout_id = p.id
      left join orders o on o.id = p.order_id`,
  )) {
    const who = r.payout_id
      ? `payout ${r.payout_id}${r.number ? ` (order ${r.number})` : ''}`
      : 'release, fee or payout lines without a payout'
    if (r.status === null) {
      problems.push(`${who}: ledger lines for no payout`)
      continue
    }
    const amount = Number(r.amount_fen)
    if (Number(r.released) !== amount || Number(r.fee) !== Number(r.fee_fen)) {
      problems.push(
        `${who}: ledger releases ${fen(r.released)} + fee ${fen(r.fee)}, payout is ${fen(amount)} + fee ${fen(r.fee_fen)}`,
      )
    }
    const lines = r.status === 'paid' && amount > 0 ? 1 : 0
    if (r.paid_lines !== lines || Number(r.paid_out) !== lines * amount) {
      problems.push(
        `${who}: ${r.status} with ${r.paid_lines} payout line(s) of ${fen(r.paid_out)}, expected ${lines} of ${fen(lines * amount)}`,
      )
    }
  }

  // Refunds: the buyer's part into refund payable and the voucher's back to the fund; a sent
  // refund has exactly one refund_sent line of its amount (none when it is all voucher).
  for (const r of await rows<{
    refund_id: string | null
    number: string | null
    status: string | null
    amount_fen: number
    voucher_fen: number
    payable: number
    reversed: number
    sent_lines: number
    sent: number
  }>(
    db,
    sql`with lines as (
        select refund_id,
          coalesce(sum(amount_fen) filter (where to_account = 'refund_payable'), 0)::bigint
            as payable,
          coalesce(sum(amount_fen) filter (where to_account = 'voucher_fund'), 0)::bigint
            as reversed,
          (count(*) filter (where from_account = 'refund_payable'))::int as sent_lines,
          coalesce(sum(amount_fen) filter (where from_account = 'refund_payable'), 0)::bigint
            as sent
        from ledger_entries
        where to_account in ('refund_payable', 'voucher_fund') or from_account = 'refund_payable'
        group by refund_id
      )
      select coalesce(r.id, lines.refund_id) as refund_id, o.number, r.status,
        coalesce(r.amount_fen, 0)::bigint as amount_fen,
        coalesce(r.voucher_fen, 0)::bigint as voucher_fen,
        coalesce(lines.payable, 0)::bigint as payable, coalesce(lines.reversed, 0)::bigint as reversed,
        coalesce(lines.sent_lines, 0) as sent_lines, coalesce(lines.sent, 0)::bigint as sent
      from refunds r
      full join lines on lines.refund_id = r.id
      left join orders o on o.id = r.order_id`,
  )) {
    const who = r.refund_id
      ? `refund ${r.refund_id}${r.number ? ` (order ${r.number})` : ''}`
      : 'refund or voucher reversal lines without a refund'
    if (r.status === null) {
      problems.push(`${who}: ledger lines for no refund`)
      continue
    }
    const amount = Number(r.amount_fen)
    if (Number(r.payable) !== amount || Number(r.reversed) !== Number(r.voucher_fen)) {
      problems.push(
        `${who}: ledger refunds ${fen(r.payable)} + voucher ${fen(r.reversed)}, refund is ${fen(amount)} + voucher ${fen(r.voucher_fen)}`,
      )
    }
    const lines = r.status === 'succeeded' && amount > 0 ? 1 : 0
    if (r.sent_lines !== lines || Number(r.sent) !== lines * amount) {
      problems.push(
        `${who}: ${r.status} with ${r.sent_lines} refund_sent line(s) of ${fen(r.sent)}, expected ${lines} of ${fen(lines * amount)}`,
      )
    }
  }

  // What each order says it refunded is what its refunds add up to (a duplicate payment's
  // refund gives back money that was never the contract's).
  for (const r of await rows<{ number: string; refunded_fen: number; refunds: number }>(
    db,
    sql`select o.number, o.refunded_fen,
        coalesce(sum(r.amount_fen + r.voucher_fen)
          filter (where r.reason <> 'duplicate_payment'), 0)::bigint as refunds
      from orders o left join refunds r on r.order_id = o.id
      group by o.id
      having o.refunded_fen <> coalesce(sum(r.amount_fen + r.voucher_fen)
        filter (where r.reason <> 'duplicate_payment'), 0)
      order by o.number`,
  )) {
    problems.push(
      `order ${r.number}: refunded_fen is ${fen(r.refunded_fen)}, its refunds add up to ${fen(r.refunds)}`,
    )
  }

  // In total: the ledger's figures reconcile with the escrow account and with the domain's.
  const figures = await escrowFigures(db)
  const totals = (
    await rows<{
      payments: number
      vouchers: number
      released: number
      refunded: number
      escrow_account: number
      orders: number
      lines: number
    }>(
      db,
      sql`select
        (select coalesce(sum(amount_fen), 0) from payments
          where status in ('confirmed', 'refunded'))::bigint as payments,
        (select coalesce(sum(voucher_fen), 0) from orders where paid_at is not null)::bigint
          as vouchers,
        (select coalesce(sum(gross_fen), 0) from payouts)::bigint as released,
        (select coalesce(sum(amount_fen + voucher_fen), 0) from refunds)::bigint as refunded,
        (select coalesce(sum(case when to_account = 'escrow' then amount_fen else -amount_fen end), 0)
          from ledger_entries where 'escrow' in (from_account, to_account))::bigint
          as escrow_account,
        (select count(*) from orders)::int as orders,
        (select count(*) from ledger_entries)::int as lines`,
    )
  )[0]!
  const paid = Number(totals.payments) + Number(totals.vouchers)
  const released = Number(totals.released)
  const refunded = Number(totals.refunded)
  const expected: EscrowFigures = {
    paid_fen: paid,
    released_fen: released,
    refunded_fen: refunded,
    escrow_fen: paid - released - refunded,
  }
  const escrowAccount = Number(totals.escrow_account)
  if (figures.paid_fen - figures.released_fen - figures.refunded_fen !== escrowAccount) {
    problems.push(
      `total: paid ${fen(figures.paid_fen)} − released ${fen(figures.released_fen)} − refunded ${fen(figures.refunded_fen)} is not the escrow balance ${fen(escrowAccount)}`,
    )
  }
  for (const key of ['paid_fen', 'released_fen', 'refunded_fen', 'escrow_fen'] as const) {
    if (figures[key] !== expected[key]) {
      problems.push(
        `total: ledger ${key} is ${fen(figures[key])}, payments/payouts/refunds say ${fen(expected[key])}`,
      )
    }
  }
  return {
    figures,
    expected,
    escrow_account_fen: escrowAccount,
    orders: totals.orders,
    lines: totals.lines,
    problems,
  }
}
