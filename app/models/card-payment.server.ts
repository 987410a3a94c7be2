import { sql } from 'kysely'
import type Stripe from 'stripe'
import type { Db, Tx } from '../../db/client.ts'
import type { Locale } from '../../db/schema.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { post } from './escrow.server.ts'
import { ForbiddenError, NotFoundError, StateConflictError } from './errors.ts'
import { getPlatformSettings } from './settings.server.ts'
import type { StripeGateway } from './stripe.server.ts'
import type { AccountView } from './user.server.ts'

// Card payments (issue 8): the buyer is sent to a Stripe Checkout Session for the order's
// total; the order moves on only when the verified webhook says the money arrived
// (stripe-events.server.ts). Each attempt is a `payments` row written BEFORE Stripe is called,
// and its id is the idempotency key, so a double click, a retry after Stripe failed, or a
// crash between Stripe's answer and our write all land on the same Checkout Session.

/** A pending attempt is reused while younger than this; Checkout Sessions live 24 hours. */
export const CHECKOUT_REUSE_HOURS = 23

/** Stripe did not answer (or refused) while starting a payment: 502, nothing is lost. */
export class StripeUnavailableError extends Error {
  readonly code = 'stripe_unavailable'
  readonly status = 502
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StripeUnavailableError'
  }
}

export const idempotencyKeyOfPayment = (paymentId: string) => `payment:${paymentId}`

export interface CheckoutInput {
  orderId: string
  orderNumber: string
  jobTitle: string
  paymentId: string
  amountFen: number
  publicUrl: string
  locale: Locale
}

/** The Checkout Session Stripe is asked for: one line, the order's total, back to the order. */
export function checkoutParams(input: CheckoutInput): Stripe.Checkout.SessionCreateParams {
  const back = `${input.publicUrl.replace(/\/+$/, '')}/orders/${input.orderId}`
  const metadata = { order_id: input.orderId, payment_id: input.paymentId }
  return {
    mode: 'payment',
    currency: 'cny',
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: 'cny',
          unit_amount: input.amountFen,
          product_data: { name: `${input.orderNumber} · ${input.jobTitle}`.slice(0, 250) },
        },
      },
    ],
    success_url: `${back}?payment=success`,
    cancel_url: `${back}?payment=cancelled`,
    client_reference_id: input.orderId,
    locale: input.locale === 'en' ? 'en' : 'zh',
    metadata,
    // Stripe copies these onto the PaymentIntent, which is what the webhook events carry.
    payment_intent_data: { metadata },
  }
}

/** The buyer's order, locked; 404 for strangers, 403 for its other parties. */
async function lockBuyersOrder(tx: Tx, actor: AccountView, orderId: string) {
  const order = await tx
    .selectFrom('orders')
    .select([
      'id',
      'number',
      'status',
      'total_fen',
      'job_id',
      'buyer_organization_id',
      'workshop_organization_id',
    ])
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst()
  if (!order) throw new NotFoundError('No such order')
  if (order.buyer_organization_id !== actor.organization.id) {
    const party =
      order.workshop_organization_id === actor.organization.id ||
      actor.organization.kind === 'platform'
    if (party) throw new ForbiddenError('Only the buyer pays for an order')
    throw new NotFoundError('No such order')
  }
  if (order.status !== 'awaiting_payment') {
    throw new StateConflictError(
      'order_not_awaiting_payment',
      'This order is not awaiting payment',
      {
        details: { status: order.status },
      },
    )
  }
  return order
}

export interface CardPaymentStarted {
  payment: {
    id: string
    provider: 'stripe'
    status: string
    amount_fen: number
    attempt: number
  }
  checkoutUrl: string
}

/**
 * Starts (or resumes) paying the order by card: its pending attempt younger than 23 hours, or
 * a new one, then the attempt's Checkout Session. Only the buyer, only while the order awaits
 * payment, only with Stripe configured (409 `card_payments_unavailable`); Stripe failing is
 * StripeUnavailableError, and the same attempt is resumed next time.
 */
export async function startCardPayment(
  db: Db,
  stripe: StripeGateway | null,
  actor: AccountView,
  orderId: string,
  options: { publicUrl: string },
): Promise<CardPaymentStarted> {
  // Stripe is called between two transactions: the order stays locked only for our writes.
  const { order, jobTitle, payment } = await db.transaction().execute(async (tx) => {
    const order = await lockBuyersOrder(tx, actor, orderId)
    if (!stripe) {
      throw new StateConflictError(
        'card_payments_unavailable',
        'Card payments are not available; pay by bank transfer',
      )
    }
    const job = await tx
      .selectFrom('jobs')
      .select('title')
      .where('id', '=', order.job_id)
      .executeTakeFirstOrThrow()
    const reusable = await tx
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', order.id)
      .where('provider', '=', 'stripe')
      .where('status', '=', 'pending')
      .where('created_at', '>', sql<Date>`now() - make_interval(hours => ${CHECKOUT_REUSE_HOURS})`)
      .orderBy('attempt', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (reusable) return { order, jobTitle: job.title, payment: reusable }
    const created = await tx
      .insertInto('payments')
      .values({
        order_id: order.id,
        provider: 'stripe',
        amount_fen: order.total_fen,
        status: 'pending',
        attempt: sql<number>`(select coalesce(max(attempt), 0) + 1 from payments
          where order_id = ${order.id} and provider = 'stripe')`,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { order, jobTitle: job.title, payment: created }
  })
  const view = (p: typeof payment) => ({
    id: p.id,
    provider: 'stripe' as const,
    status: p.status,
    amount_fen: p.amount_fen,
    attempt: p.attempt,
  })
  if (payment.checkout_url) return { payment: view(payment), checkoutUrl: payment.checkout_url }

  let session: Stripe.Checkout.Session
  try {
    session = await stripe!.client.checkout.sessions.create(
      checkoutParams({
        orderId: order.id,
        orderNumber: order.number,
        jobTitle,
        paymentId: payment.id,
        // The attempt's own amount: the same key must always carry the same request.
        amountFen: payment.amount_fen,
        publicUrl: options.publicUrl,
        locale: actor.user.locale,
      }),
      { idempotencyKey: idempotencyKeyOfPayment(payment.id) },
    )
  } catch (error) {
    throw new StripeUnavailableError(
      `Stripe could not start the payment: ${(error as Error).message}`,
      { cause: error },
    )
  }
  if (!session.url) throw new StripeUnavailableError('Stripe returned no checkout URL')
  const intent =
    typeof session.payment_intent === 'string'
      ? session.payment_intent
      : (session.payment_intent?.id ?? null)
  const stored = await db
    .updateTable('payments')
    .set({
      checkout_session_id: session.id,
      checkout_url: session.url,
      payment_intent_id: sql<string | null>`coalesce(payment_intent_id, ${intent})`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return { payment: view(stored), checkoutUrl: session.url }
}

export interface BankTransferDetails {
  bank_account: { account_name: string; bank_name: string; account_number: string } | null
  reference: string
  amount_fen: number
}

/**
 * What the buyer needs to pay the order by bank transfer: the platform's escrow account
 * (null until an operator sets it), the order number as reference and the amount. Always
 * available, with or without Stripe.
 */
export async function bankTransferDetails(
  db: Db,
  actor: AccountView,
  orderId: string,
): Promise<BankTransferDetails> {
  return db.transaction().execute(async (tx) => {
    const order = await lockBuyersOrder(tx, actor, orderId)
    const { bankAccount } = await getPlatformSettings(tx)
    return {
      bank_account: bankAccount
        ? {
            account_name: bankAccount.accountName,
            bank_name: bankAccount.bankName,
            account_number: bankAccount.accountNumber,
          }
        : null,
      reference: order.number,
      amount_fen: order.total_fen,
    }
  })
}

/**
 * A card payment arrived for an order that no longer takes one (paid another way, or
 * cancelled): the money is received into escrow and goes straight back in full — a refund
 * `duplicate_payment` (escrow → refund_payable, sent by refunds__send), so the escrow the order
 * holds is unchanged and the ledger stays balanced. The caller holds the order and payment
 * locks and calls this once, while the payment is not yet confirmed.
 */
export async function refundDuplicatePayment(
  tx: Tx,
  payment: {
    id: string
    order_id: string
    provider: 'bank_transfer' | 'stripe'
    amount_fen: number
  },
) {
  // One open payment per order and provider (payments_order_open_key): a second card payment
  // of an order already paid by card is recorded as refunded from the start.
  const open = await tx
    .selectFrom('payments')
    .select('id')
    .where('order_id', '=', payment.order_id)
    .where('provider', '=', payment.provider)
    .where('status', 'in', ['reported', 'confirmed'])
    .where('id', '<>', payment.id)
    .executeTakeFirst()
  await tx
    .updateTable('payments')
    .set({
      status: open ? 'refunded' : 'confirmed',
      confirmed_at: sql<Date>`now()`,
      failure_message: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .execute()
  await post(tx, [
    {
      orderId: payment.order_id,
      from: 'buyer',
      to: 'escrow',
      amountFen: payment.amount_fen,
      kind: 'payment',
      paymentId: payment.id,
    },
  ])
  const refund = await tx
    .insertInto('refunds')
    .values({
      order_id: payment.order_id,
      payment_id: payment.id,
      reason: 'duplicate_payment',
      amount_fen: payment.amount_fen,
      voucher_fen: 0,
      provider: payment.provider,
      status: 'pending',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await post(tx, [
    {
      orderId: payment.order_id,
      from: 'escrow',
      to: 'refund_payable',
      amountFen: payment.amount_fen,
      kind: 'refund',
      refundId: refund.id,
    },
  ])
  await enqueue(tx, 'refunds__send', { refundId: refund.id })
  return refund.id
}
