import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { LedgerAccount, RefundReason } from '../../db/schema.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { StateConflictError } from './errors.ts'
import { emailOrderUpdate } from './order.server.ts'
import { ownersOf } from './organization.server.ts'

// The platform holds an order's money in escrow and lets it go in milestones (DESIGN §8).
// Every movement is a ledger line from one account to another, written in the transaction of
// the change that causes it:
//
//   buyer ──payment──▶ escrow ◀──voucher── voucher_fund        (order paid)
//   escrow ──release──▶ workshop_payable ──payout──▶ workshop   (sample approved, completed)
//   escrow ──fee──▶ platform_fee
//   escrow ──refund──▶ refund_payable ──refund_sent──▶ buyer    (cancel, dispute refunds)
//   escrow ──voucher_reversal──▶ voucher_fund
//
// So at every moment: escrow = paid − released − refunded, per order and in total, and
// `npm run ledger:check` compares the lines with the payments, payouts and refunds.

export interface LedgerLine {
  orderId: string | null
  from: LedgerAccount
  to: LedgerAccount
  amountFen: number
  kind: string
  paymentId?: string | null
  payoutId?: string | null
  refundId?: string | null
}

/** Writes the lines (zero amounts are skipped: a line always moves money). */
export async function post(tx: Tx, lines: LedgerLine[]) {
  const rows = lines
    .filter((l) => l.amountFen > 0)
    .map((l) => ({
      order_id: l.orderId,
      from_account: l.from,
      to_account: l.to,
      amount_fen: l.amountFen,
      kind: l.kind,
      payment_id: l.paymentId ?? null,
      payout_id: l.payoutId ?? null,
      refund_id: l.refundId ?? null,
    }))
  if (rows.length) await tx.insertInto('ledger_entries').values(rows).execute()
}

/** What the escrow holds for one order now. */
export async function heldFor(db: Db | Tx, orderId: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select(
      sql<number>`coalesce(sum(case when to_account = 'escrow' then amount_fen
        when from_account = 'escrow' then -amount_fen else 0 end), 0)::bigint`.as('held'),
    )
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow()
  return Number(row.held)
}

export interface EscrowFigures {
  paid_fen: number
  released_fen: number
  refunded_fen: number
  escrow_fen: number
}

/**
 * Into escrow (buyer payments and voucher receivables), out of it to the workshop and the
 * platform fee (released), and back to buyers and voucher programmes (refunded); escrow is
 * the balance. Optionally for one order.
 */
export async function escrowFigures(db: Db | Tx, orderId?: string): Promise<EscrowFigures> {
  let query = db.selectFrom('ledger_entries').select([
    sql<number>`coalesce(sum(amount_fen) filter (where to_account = 'escrow'), 0)::bigint`.as(
      'paid',
    ),
    sql<number>`coalesce(sum(amount_fen) filter (where from_account = 'escrow'
        and to_account in ('workshop_payable', 'platform_fee')), 0)::bigint`.as('released'),
    sql<number>`coalesce(sum(amount_fen) filter (where from_account = 'escrow'
        and to_account in ('refund_payable', 'voucher_fund')), 0)::bigint`.as('refunded'),
  ])
  if (orderId) query = query.where('order_id', '=', orderId)
  const row = await query.executeTakeFirstOrThrow()
  const paid = Number(row.paid)
  const released = Number(row.released)
  const refunded = Number(row.refunded)
  return {
    paid_fen: paid,
    released_fen: released,
    refunded_fen: refunded,
    escrow_fen: paid - released - refunded,
  }
}

interface MoneyOrder {
  id: string
  workshop_organization_id: string
  subtotal_fen: number
  sample_fen: number
  platform_fee_fen: number
  voucher_fen: number
  total_fen: number
  refunded_fen: number
}

/**
 * The order's money arrived (a confirmed bank transfer or card payment): the buyer's part and
 * the voucher programme's part go into escrow. Only the first payment of an order does this;
 * any later one is a duplicate the caller refunds.
 */
export async function receivePayment(tx: Tx, order: MoneyOrder, paymentId: string) {
  await post(tx, [
    {
      orderId: order.id,
      from: 'buyer',
      to: 'escrow',
      amountFen: order.total_fen,
      kind: 'payment',
      paymentId,
    },
    {
      orderId: order.id,
      from: 'voucher_fund',
      to: 'escrow',
      amountFen: order.voucher_fen,
      kind: 'voucher',
      paymentId,
    },
  ])
}

/** The platform fee on `contractFen` of the order's contract (the fee scales with it). */
function feeOn(order: MoneyOrder, contractFen: number) {
  if (order.subtotal_fen <= 0) return 0
  return Math.round((order.platform_fee_fen * contractFen) / order.subtotal_fen)
}

/**
 * Releases a milestone to the workshop: the sample price when the sample is approved, what the
 * escrow still holds when the order completes. Creates the payout and queues its sending.
 * Nothing happens twice: a milestone already released is left as it is.
 */
export async function releaseMilestone(tx: Tx, order: MoneyOrder, milestone: 'sample' | 'final') {
  const held = await heldFor(tx, order.id)
  if (held <= 0) return null
  const released = await tx
    .selectFrom('payouts')
    .select(['milestone', 'fee_fen'])
    .where('order_id', '=', order.id)
    .execute()
  if (released.some((p) => p.milestone === milestone)) return null
  let gross: number
  let fee: number
  if (milestone === 'sample') {
    gross = Math.min(order.sample_fen, held)
    fee = Math.min(feeOn(order, gross), gross)
  } else {
    gross = held
    const feeTaken = released.reduce((sum, p) => sum + p.fee_fen, 0)
    const feeDue = feeOn(order, order.subtotal_fen - order.refunded_fen) - feeTaken
    fee = Math.max(0, Math.min(feeDue, gross))
  }
  if (gross <= 0) return null
  const payout = await tx
    .insertInto('payouts')
    .values({
      order_id: order.id,
      organization_id: order.workshop_organization_id,
      milestone,
      gross_fen: gross,
      fee_fen: fee,
      amount_fen: gross - fee,
      status: 'pending',
    })
    .returning(['id', 'amount_fen'])
    .executeTakeFirstOrThrow()
  await post(tx, [
    {
      orderId: order.id,
      from: 'escrow',
      to: 'workshop_payable',
      amountFen: gross - fee,
      kind: 'release',
      payoutId: payout.id,
    },
    {
      orderId: order.id,
      from: 'escrow',
      to: 'platform_fee',
      amountFen: fee,
      kind: 'fee',
      payoutId: payout.id,
    },
  ])
  if (payout.amount_fen > 0) await enqueue(tx, 'payouts__send', { payoutId: payout.id })
  else await markPayoutPaid(tx, payout.id, { bankReference: null, userId: null })
  return payout.id
}

/**
 * Splits a refund of `contractFen` of the contract between the buyer and the voucher programme
 * in the proportion they paid it.
 */
export function splitRefund(
  order: Pick<MoneyOrder, 'subtotal_fen' | 'voucher_fen'>,
  contractFen: number,
) {
  const voucher =
    order.subtotal_fen > 0 ? Math.round((contractFen * order.voucher_fen) / order.subtotal_fen) : 0
  return { buyerFen: contractFen - voucher, voucherFen: voucher }
}

/**
 * Gives `amount` of what the escrow holds back ('all': everything it holds): the buyer's part
 * to the buyer (through the payment it came by) and the voucher part to its programme (the
 * redemption shrinks). Queues the refund's sending. Returns the contract amount refunded.
 */
export async function refundFromEscrow(
  tx: Tx,
  order: MoneyOrder,
  amount: number | 'all',
  reason: RefundReason,
  userId: string | null,
): Promise<number> {
  const held = await heldFor(tx, order.id)
  const contractFen = amount === 'all' ? held : amount
  if (contractFen <= 0) return 0
  if (contractFen > held) {
    throw new StateConflictError('refund_exceeds_escrow', 'The escrow holds less than that', {
      details: { held_fen: held },
    })
  }
  const { buyerFen, voucherFen } = splitRefund(order, contractFen)
  const payment = await tx
    .selectFrom('payments')
    .select(['id', 'provider'])
    .where('order_id', '=', order.id)
    .where('status', 'in', ['confirmed', 'refunded'])
    .orderBy('confirmed_at')
    .executeTakeFirst()
  const refund = await tx
    .insertInto('refunds')
    .values({
      order_id: order.id,
      payment_id: payment?.id ?? null,
      reason,
      amount_fen: buyerFen,
      voucher_fen: voucherFen,
      provider: payment?.provider ?? 'bank_transfer',
      status: buyerFen > 0 ? 'pending' : 'succeeded',
      recorded_by: userId,
      completed_at: buyerFen > 0 ? null : sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await post(tx, [
    {
      orderId: order.id,
      from: 'escrow',
      to: 'refund_payable',
      amountFen: buyerFen,
      kind: 'refund',
      refundId: refund.id,
    },
    {
      orderId: order.id,
      from: 'escrow',
      to: 'voucher_fund',
      amountFen: voucherFen,
      kind: 'voucher_reversal',
      refundId: refund.id,
    },
  ])
  if (voucherFen > 0) await reverseRedemption(tx, order.id, voucherFen)
  if (buyerFen > 0) await enqueue(tx, 'refunds__send', { refundId: refund.id })
  return contractFen
}

/**
 * Gives a voucher's amount back to its programme's budget and the firm's annual cap (an order
 * cancelled before payment, or a refund's voucher part).
 */
export async function reverseRedemption(tx: Tx, orderId: string, amountFen: number | 'all') {
  await tx
    .updateTable('voucher_redemptions')
    .set({
      reversed_fen:
        amountFen === 'all'
          ? sql<number>`amount_fen`
          : sql<number>`least(amount_fen, reversed_fen + ${amountFen})`,
    })
    .where('order_id', '=', orderId)
    .execute()
}

/**
 * A payout reached the workshop (a Stripe transfer, or an operator's bank transfer with its
 * reference). Once: a payout already paid is not paid again.
 */
export async function markPayoutPaid(
  tx: Tx,
  payoutId: string,
  how: { bankReference: string | null; userId: string | null } | { providerRef: string },
  notify?: { publicUrl: string },
) {
  const payout = await tx
    .updateTable('payouts')
    .set({
      status: 'paid',
      paid_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
      failure_message: null,
      ...('providerRef' in how
        ? { provider: 'stripe' as const, provider_ref: how.providerRef }
        : {
            provider: sql<'bank_transfer'>`coalesce(provider, 'bank_transfer')`,
            bank_reference: how.bankReference,
            paid_by: how.userId,
          }),
    })
    .where('id', '=', payoutId)
    // Only a pending payout: a paid one stays paid, a failed (reversed) one needs an operator.
    .where('status', '=', 'pending')
    .returning(['id', 'order_id', 'amount_fen'])
    .executeTakeFirst()
  if (!payout) return false
  await post(tx, [
    {
      orderId: payout.order_id,
      from: 'workshop_payable',
      to: 'workshop',
      amountFen: payout.amount_fen,
      kind: 'payout',
      payoutId: payout.id,
    },
  ])
  // The workshop hears that the money is on its way.
  if (notify && payout.amount_fen > 0) {
    await moneyEmail(tx, payout.order_id, 'workshop', 'payout_paid', payout.amount_fen, notify)
  }
  return true
}

/**
 * A refund reached the buyer (Stripe says so, or an operator records the bank transfer). Once.
 * The payment it came from is marked refunded when its refunds add up to it.
 */
export async function markRefundSent(
  tx: Tx,
  refundId: string,
  how: { bankReference: string; userId: string } | { providerRef: string },
  notify?: { publicUrl: string },
) {
  const refund = await tx
    .updateTable('refunds')
    .set({
      status: 'succeeded',
      completed_at: sql<Date>`now()`,
      failure_message: null,
      ...('providerRef' in how
        ? { provider_ref: how.providerRef }
        : { bank_reference: how.bankReference, recorded_by: how.userId }),
    })
    .where('id', '=', refundId)
    .where('status', '<>', 'succeeded')
    .returning(['id', 'order_id', 'amount_fen', 'payment_id'])
    .executeTakeFirst()
  if (!refund) return false
  await post(tx, [
    {
      orderId: refund.order_id,
      from: 'refund_payable',
      to: 'buyer',
      amountFen: refund.amount_fen,
      kind: 'refund_sent',
      refundId: refund.id,
    },
  ])
  if (refund.payment_id) {
    await sql`update payments set status = 'refunded', updated_at = now()
      where id = ${refund.payment_id} and status = 'confirmed' and amount_fen <= (
        select coalesce(sum(amount_fen), 0) from refunds
        where payment_id = ${refund.payment_id} and status = 'succeeded')`.execute(tx)
  }
  if (notify && refund.amount_fen > 0) {
    await moneyEmail(tx, refund.order_id, 'buyer', 'refund_sent', refund.amount_fen, notify)
  }
  return true
}

/** Tells the owners of the order's workshop or buyer that money was sent to them. */
async function moneyEmail(
  tx: Tx,
  orderId: string,
  party: 'workshop' | 'buyer',
  action: 'payout_paid' | 'refund_sent',
  amountFen: number,
  { publicUrl }: { publicUrl: string },
) {
  const order = await tx
    .selectFrom('orders')
    .innerJoin('jobs', 'jobs.id', 'orders.job_id')
    .select([
      'orders.number',
      'orders.status',
      'orders.buyer_organization_id',
      'orders.workshop_organization_id',
      'jobs.title',
    ])
    .where('orders.id', '=', orderId)
    .executeTakeFirstOrThrow()
  const orgId = party === 'workshop' ? order.workshop_organization_id : order.buyer_organization_id
  await emailOrderUpdate(
    tx,
    await ownersOf(tx, [orgId]),
    { id: orderId, number: order.number, status: order.status },
    { job: order.title, action, publicUrl, amountFen },
  )
}
