import { sql } from 'kysely'
import { z } from 'zod'
import type { Db, Tx } from '../../db/client.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { requireOperator } from './actor.server.ts'
import { escrowFigures, markPayoutPaid, markRefundSent } from './escrow.server.ts'
import { NotFoundError, StateConflictError } from './errors.ts'
import { transitionOrder } from './order-transition.server.ts'
import type { AccountView } from './user.server.ts'
import { audit } from './audit.server.ts'

// The operators' money work (issue 8): the escrow report and what the platform owes, and the
// queues of money an operator moves by hand — payouts to pay by bank transfer, refunds to send,
// reported bank transfers to confirm — plus the Stripe lines waiting on a workshop or a retry.
// Every mark is audited and acts once: a second submit or a stale click changes nothing and
// says why (`payout_already_paid`, `refund_already_sent`, `payment_already_confirmed`).

/** A bank transfer's reference as typed (the bank's 流水号 / transaction number). */
export const BankReferenceSchema = z.string().trim().min(1).max(120)

/** The balance of every ledger account: into it minus out of it. */
async function accountBalances(db: Db | Tx) {
  const rows = await db
    .selectFrom(
      db
        .selectFrom('ledger_entries')
        .select(['to_account as account', 'amount_fen as amount'])
        .unionAll(
          db
            .selectFrom('ledger_entries')
            .select(['from_account as account', sql<number>`-amount_fen`.as('amount')]),
        )
        .as('moves'),
    )
    .select(['account', sql<number>`sum(amount)::bigint`.as('balance')])
    .groupBy('account')
    .execute()
  const balance = (account: string) => Number(rows.find((r) => r.account === account)?.balance ?? 0)
  return balance
}

/**
 * The escrow report: paid in, released, refunded and the balance (and whether the escrow
 * account's own balance agrees with paid − released − refunded), and what the platform owes
 * or is owed: released to workshops but not paid out, refunds not yet sent, fees earned, and
 * what voucher programmes owe (their net contribution).
 */
export async function moneyReport(db: Db) {
  const [figures, balance] = await Promise.all([escrowFigures(db), accountBalances(db)])
  const escrowAccountFen = balance('escrow')
  return {
    figures,
    escrowAccountFen,
    reconciles:
      figures.paid_fen - figures.released_fen - figures.refunded_fen === escrowAccountFen &&
      escrowAccountFen >= 0,
    owed: {
      workshop_payable_fen: balance('workshop_payable'),
      refund_payable_fen: balance('refund_payable'),
      platform_fee_fen: balance('platform_fee'),
      // voucher_fund gives into escrow and gets reversals back: its balance is minus what it owes.
      voucher_receivable_fen: -balance('voucher_fund'),
    },
  }
}

export type MoneyReport = Awaited<ReturnType<typeof moneyReport>>

function payoutRows(db: Db | Tx) {
  return db
    .selectFrom('payouts')
    .innerJoin('orders', 'orders.id', 'payouts.order_id')
    .innerJoin('organizations as workshop', 'workshop.id', 'payouts.organization_id')
    .select([
      'payouts.id',
      'payouts.order_id',
      'orders.number as order_number',
      'payouts.organization_id as workshop_id',
      'workshop.name as workshop_name',
      'workshop.legal_name as workshop_legal_name',
      'workshop.uscc as workshop_uscc',
      'payouts.milestone',
      'payouts.gross_fen',
      'payouts.fee_fen',
      'payouts.amount_fen',
      'payouts.provider',
      'payouts.status',
      'payouts.bank_reference',
      'payouts.provider_ref',
      'payouts.failure_message',
      'payouts.created_at',
      'payouts.paid_at',
    ])
}

export type OpsPayoutRow = Awaited<ReturnType<ReturnType<typeof payoutRows>['execute']>>[number]

function refundRows(db: Db | Tx) {
  return db
    .selectFrom('refunds')
    .innerJoin('orders', 'orders.id', 'refunds.order_id')
    .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
    .leftJoin('payments', 'payments.id', 'refunds.payment_id')
    .select([
      'refunds.id',
      'refunds.order_id',
      'orders.number as order_number',
      'orders.buyer_organization_id as buyer_id',
      'buyer.name as buyer_name',
      'buyer.legal_name as buyer_legal_name',
      'payments.payer_name',
      'refunds.reason',
      'refunds.amount_fen',
      'refunds.voucher_fen',
      'refunds.provider',
      'refunds.status',
      'refunds.bank_reference',
      'refunds.provider_ref',
      'refunds.failure_message',
      'refunds.created_at',
      'refunds.completed_at',
    ])
}

export type OpsRefundRow = Awaited<ReturnType<ReturnType<typeof refundRows>['execute']>>[number]

/** Payouts of a status (pending unless told), oldest first (the API's list). */
export function listPayouts(
  db: Db,
  status: 'pending' | 'paid' | 'failed' = 'pending',
  limit = 500,
) {
  return payoutRows(db)
    .where('payouts.status', '=', status)
    .orderBy('payouts.created_at')
    .orderBy('payouts.id')
    .limit(limit)
    .execute()
}

/** Refunds of a status (pending unless told), oldest first (the API's list). */
export function listRefunds(
  db: Db,
  status: 'pending' | 'succeeded' | 'failed' = 'pending',
  limit = 500,
) {
  return refundRows(db)
    .where('refunds.status', '=', status)
    .orderBy('refunds.created_at')
    .orderBy('refunds.id')
    .limit(limit)
    .execute()
}

/**
 * Whether an operator may record a refund as sent by bank transfer: a bank refund, or a card
 * refund that never reached Stripe (not configured, no payment intent) or that Stripe failed.
 * A card refund Stripe is working on must not be paid a second time by bank.
 */
export function refundSendableByBank(
  r: Pick<OpsRefundRow, 'provider' | 'status' | 'provider_ref' | 'failure_message'>,
) {
  if (r.status === 'succeeded') return false
  if (r.provider !== 'stripe') return true
  return r.status === 'failed' || (r.provider_ref === null && r.failure_message !== null)
}

/**
 * The console's queues. Payouts to release by bank: pending lines of bank mode (with Stripe,
 * a line not yet sent belongs to the transfer task, so only lines already set to bank transfer
 * are listed). Stripe payouts waiting: pending or failed Stripe lines with the workshop's
 * connected account state. Refunds to send: pending or failed, each marked how it can be sent.
 */
export async function moneyQueues(db: Db, options: { stripe: boolean }) {
  const [bankPayouts, stripePayouts, refunds] = await Promise.all([
    payoutRows(db)
      .where('payouts.status', '=', 'pending')
      .where((eb) =>
        options.stripe
          ? eb('payouts.provider', '=', 'bank_transfer')
          : eb.or([
              eb('payouts.provider', '=', 'bank_transfer'),
              eb('payouts.provider', 'is', null),
            ]),
      )
      .orderBy('payouts.created_at')
      .orderBy('payouts.id')
      .execute(),
    payoutRows(db)
      .leftJoin(
        'connected_accounts',
        'connected_accounts.organization_id',
        'payouts.organization_id',
      )
      .select([
        'connected_accounts.account_id',
        'connected_accounts.details_submitted',
        'connected_accounts.payouts_enabled',
      ])
      .where('payouts.status', 'in', ['pending', 'failed'])
      .where((eb) =>
        options.stripe
          ? eb.or([eb('payouts.provider', '=', 'stripe'), eb('payouts.provider', 'is', null)])
          : eb('payouts.provider', '=', 'stripe'),
      )
      .orderBy('payouts.created_at')
      .orderBy('payouts.id')
      .execute(),
    refundRows(db)
      .where('refunds.status', 'in', ['pending', 'failed'])
      .orderBy('refunds.created_at')
      .orderBy('refunds.id')
      .execute(),
  ])
  return {
    bankPayouts,
    stripePayouts,
    refunds: refunds.map((r) => ({
      ...r,
      sendableByBank: refundSendableByBank(r),
      retryable: r.provider === 'stripe',
    })),
  }
}

export type MoneyQueues = Awaited<ReturnType<typeof moneyQueues>>

/**
 * An operator paid a payout by bank transfer: records the reference, posts the payout line,
 * audits. Once: an already paid payout is refused (409 payout_already_paid) and left as it
 * is; a payout going through Stripe is refused too (payout_via_stripe).
 */
export async function markBankPayoutPaid(
  tx: Tx,
  actor: AccountView,
  payoutId: string,
  bankReference: string,
  notify: { publicUrl: string },
) {
  requireOperator(actor, 'Operators record payouts')
  const reference = BankReferenceSchema.parse(bankReference)
  const payout = await tx
    .selectFrom('payouts')
    .select(['id', 'status', 'provider', 'bank_reference', 'provider_ref', 'paid_at'])
    .where('id', '=', payoutId)
    .forUpdate()
    .executeTakeFirst()
  if (!payout) throw new NotFoundError('No such payout')
  if (payout.status === 'paid') {
    throw new StateConflictError('payout_already_paid', 'This payout is already paid', {
      details: {
        paid_at: payout.paid_at,
        reference: payout.bank_reference ?? payout.provider_ref,
      },
    })
  }
  if (payout.provider === 'stripe') {
    throw new StateConflictError('payout_via_stripe', 'This payout goes by Stripe transfer')
  }
  await markPayoutPaid(tx, payout.id, { bankReference: reference, userId: actor.user.id }, notify)
  await audit(
    tx,
    actor,
    'payout.mark_paid',
    payout.id,
    { status: payout.status, provider: payout.provider },
    { status: 'paid', provider: 'bank_transfer', bank_reference: reference },
  )
  return await payoutRows(tx).where('payouts.id', '=', payout.id).executeTakeFirstOrThrow()
}

/**
 * An operator sent a refund by bank transfer: records the reference, posts the refund_sent
 * line, audits. Once (409 refund_already_sent); a card refund Stripe is working on is refused
 * (refund_at_stripe).
 */
export async function markBankRefundSent(
  tx: Tx,
  actor: AccountView,
  refundId: string,
  bankReference: string,
  notify: { publicUrl: string },
) {
  requireOperator(actor, 'Operators record refunds')
  const reference = BankReferenceSchema.parse(bankReference)
  const refund = await tx
    .selectFrom('refunds')
    .select([
      'id',
      'status',
      'provider',
      'provider_ref',
      'failure_message',
      'bank_reference',
      'completed_at',
    ])
    .where('id', '=', refundId)
    .forUpdate()
    .executeTakeFirst()
  if (!refund) throw new NotFoundError('No such refund')
  if (refund.status === 'succeeded') {
    throw new StateConflictError('refund_already_sent', 'This refund is already sent', {
      details: {
        completed_at: refund.completed_at,
        reference: refund.bank_reference ?? refund.provider_ref,
      },
    })
  }
  if (!refundSendableByBank(refund)) {
    throw new StateConflictError('refund_at_stripe', 'Stripe is sending this refund')
  }
  await markRefundSent(tx, refund.id, { bankReference: reference, userId: actor.user.id }, notify)
  await audit(
    tx,
    actor,
    'refund.mark_sent',
    refund.id,
    { status: refund.status, provider: refund.provider, failure_message: refund.failure_message },
    { status: 'succeeded', bank_reference: reference },
  )
  return await refundRows(tx).where('refunds.id', '=', refund.id).executeTakeFirstOrThrow()
}

/**
 * Sends a card refund to Stripe again (after a failure, or when it is stuck): back to pending
 * and queued, with the same idempotency key the task always uses. A repeated click replaces
 * the queued job rather than adding one. Refused once the refund is sent.
 */
export async function retryStripeRefund(tx: Tx, actor: AccountView, refundId: string) {
  requireOperator(actor, 'Operators retry refunds')
  const refund = await tx
    .selectFrom('refunds')
    .select(['id', 'status', 'provider', 'failure_message'])
    .where('id', '=', refundId)
    .forUpdate()
    .executeTakeFirst()
  if (!refund) throw new NotFoundError('No such refund')
  if (refund.status === 'succeeded') {
    throw new StateConflictError('refund_already_sent', 'This refund is already sent')
  }
  if (refund.provider !== 'stripe') {
    throw new StateConflictError('refund_not_stripe', 'This refund is sent by bank transfer')
  }
  await tx
    .updateTable('refunds')
    .set({ status: 'pending', failure_message: null })
    .where('id', '=', refund.id)
    .execute()
  await enqueue(tx, 'refunds__send', { refundId: refund.id }, { jobKey: `refund:${refund.id}` })
  await audit(
    tx,
    actor,
    'refund.retry',
    refund.id,
    { status: refund.status, failure_message: refund.failure_message },
    { status: 'pending' },
  )
}

/**
 * An operator confirms a reported bank transfer by the payment's id: the order's
 * `confirm_payment` at the version read here, in this transaction (so the lifecycle's checks,
 * ledger postings, events and emails all apply). Refused when already confirmed.
 */
export async function confirmReportedPayment(
  tx: Tx,
  actor: AccountView,
  paymentId: string,
  payload: { bank_reference: string; amount_fen: number },
  options: { publicUrl: string },
) {
  requireOperator(actor, 'Operators confirm payments')
  const payment = await tx
    .selectFrom('payments')
    .select(['id', 'order_id', 'provider', 'status'])
    .where('id', '=', paymentId)
    .executeTakeFirst()
  if (!payment) throw new NotFoundError('No such payment')
  if (payment.status === 'confirmed' || payment.status === 'refunded') {
    throw new StateConflictError('payment_already_confirmed', 'This payment is already confirmed')
  }
  if (payment.provider !== 'bank_transfer' || payment.status !== 'reported') {
    throw new StateConflictError(
      'payment_not_reported',
      'Only a reported bank transfer is confirmed here',
      {
        details: { provider: payment.provider, status: payment.status },
      },
    )
  }
  const order = await tx
    .selectFrom('orders')
    .select('version')
    .where('id', '=', payment.order_id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const updated = await transitionOrder(
    tx,
    { kind: 'person', account: actor },
    payment.order_id,
    { action: 'confirm_payment', version: order.version, payload },
    options,
  )
  const confirmed = await tx
    .selectFrom('payments')
    .select([
      'id',
      'order_id',
      'provider',
      'status',
      'amount_fen',
      'bank_reference',
      'payer_name',
      'transferred_on',
      'confirmed_at',
    ])
    .where('id', '=', payment.id)
    .executeTakeFirstOrThrow()
  return { payment: confirmed, order: updated }
}
