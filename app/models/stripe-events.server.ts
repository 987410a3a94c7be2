import { sql } from 'kysely'
import { z } from 'zod'
import type { Db, Tx } from '../../db/client.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { refundDuplicatePayment } from './card-payment.server.ts'
import { markPayoutPaid, markRefundSent } from './escrow.server.ts'
import { transitionOrder } from './order-transition.server.ts'
import type { StripeGateway } from './stripe.server.ts'

// Stripe's webhook events (issue 8). The route verifies the signature and only records the
// event (its id is the primary key, so a redelivery is stored once) and queues
// payments__stripe_event; this module then acts on it in one transaction and writes the
// outcome on the event row. Stripe delivers at least once and in any order, so every branch
// looks at the state of our rows, not at which event came before: a payment confirmed is never
// un-confirmed, a payout or refund marked done is not done again.

/** Stores a verified event once and queues its processing; false for a redelivery. */
export async function recordStripeEvent(
  db: Db,
  event: { id: string; type: string },
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('processed_webhook_events')
      .values({
        id: event.id,
        provider: 'stripe',
        type: event.type,
        payload: event as unknown as Record<string, unknown>,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted) await enqueue(tx, 'payments__stripe_event', { eventId: event.id })
    return Boolean(inserted)
  })
}

const metadata = z.record(z.string(), z.string()).nullish()
const uuid = (value: string | undefined) => (z.uuid().safeParse(value).success ? value! : null)

const PaymentIntent = z.looseObject({
  id: z.string(),
  amount: z.number().int(),
  amount_received: z.number().int().nullish(),
  currency: z.string(),
  metadata,
  last_payment_error: z.looseObject({ message: z.string().nullish() }).nullish(),
})
const RefundObject = z.looseObject({
  id: z.string(),
  amount: z.number().int(),
  status: z.string().nullish(),
  failure_reason: z.string().nullish(),
  metadata,
})
const Charge = z.looseObject({
  id: z.string(),
  payment_intent: z.union([z.string(), z.looseObject({ id: z.string() })]).nullish(),
  amount_refunded: z.number().int(),
  metadata,
  refunds: z.looseObject({ data: z.array(RefundObject) }).nullish(),
})
const Transfer = z.looseObject({
  id: z.string(),
  amount: z.number().int(),
  amount_reversed: z.number().int().nullish(),
  reversed: z.boolean().nullish(),
  metadata,
})
const Account = z.looseObject({
  id: z.string(),
  details_submitted: z.boolean().nullish(),
  payouts_enabled: z.boolean().nullish(),
  metadata,
})
export type StripeAccountSnapshot = z.infer<typeof Account>

const StoredEvent = z.looseObject({
  id: z.string(),
  type: z.string(),
  data: z.looseObject({ object: z.looseObject({}) }),
})

export interface EventContext {
  publicUrl: string
  /** account.updated: the account as Stripe has it now (fetched before the transaction). */
  currentAccount?: StripeAccountSnapshot | null
}

/**
 * Acts on a stored event once (see the module comment) and returns its outcome; null when it
 * is unknown or was processed already. Errors roll everything back and the task retries.
 */
export async function processStripeEvent(
  db: Db,
  stripe: StripeGateway | null,
  eventId: string,
  options: { publicUrl: string },
): Promise<string | null> {
  const stored = await db
    .selectFrom('processed_webhook_events')
    .select(['type', 'payload', 'processed_at'])
    .where('id', '=', eventId)
    .executeTakeFirst()
  if (!stored || stored.processed_at) return null
  const context: EventContext = { publicUrl: options.publicUrl }
  if (stored.type === 'account.updated') {
    context.currentAccount = await currentAccount(stripe, stored.payload)
  }
  return db.transaction().execute(async (tx) => {
    const event = await tx
      .selectFrom('processed_webhook_events')
      .select(['type', 'payload', 'processed_at'])
      .where('id', '=', eventId)
      .forUpdate()
      .executeTakeFirst()
    if (!event || event.processed_at) return null
    const outcome = await handleEvent(tx, event.payload, context)
    await tx
      .updateTable('processed_webhook_events')
      .set({ processed_at: sql<Date>`now()`, outcome })
      .where('id', '=', eventId)
      .execute()
    return outcome
  })
}

/**
 * Events of one account may arrive out of order, so account.updated reads the account as it
 * is now; the event's own copy serves when Stripe is not configured or no longer has it.
 */
async function currentAccount(stripe: StripeGateway | null, payload: unknown) {
  const snapshot = Account.safeParse(StoredEvent.safeParse(payload).data?.data.object)
  if (!snapshot.success) return null
  if (!stripe) return snapshot.data
  try {
    return Account.parse(await stripe.client.accounts.retrieve(snapshot.data.id))
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return snapshot.data
    throw error
  }
}

/** The event's effect in `tx`; returns the outcome written on the event row. */
async function handleEvent(tx: Tx, payload: unknown, context: EventContext): Promise<string> {
  const event = StoredEvent.safeParse(payload)
  if (!event.success) return 'malformed'
  const object = event.data.data.object
  const parse = <S extends z.ZodType>(schema: S) => schema.safeParse(object)
  switch (event.data.type) {
    case 'payment_intent.succeeded': {
      const pi = parse(PaymentIntent)
      return pi.success ? paymentSucceeded(tx, pi.data, context) : 'malformed'
    }
    case 'payment_intent.payment_failed': {
      const pi = parse(PaymentIntent)
      return pi.success ? paymentFailed(tx, pi.data) : 'malformed'
    }
    case 'charge.refunded': {
      const charge = parse(Charge)
      return charge.success ? chargeRefunded(tx, charge.data, context) : 'malformed'
    }
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed': {
      const refund = parse(RefundObject)
      return refund.success ? refundChanged(tx, refund.data, context) : 'malformed'
    }
    case 'transfer.created':
    case 'transfer.updated': {
      const transfer = parse(Transfer)
      if (!transfer.success) return 'malformed'
      return transfer.data.reversed
        ? transferReversed(tx, transfer.data)
        : transferMade(tx, transfer.data, context)
    }
    case 'transfer.reversed': {
      const transfer = parse(Transfer)
      return transfer.success ? transferReversed(tx, transfer.data) : 'malformed'
    }
    case 'account.updated': {
      const account = context.currentAccount ?? parse(Account).data
      return account ? accountUpdated(tx, account) : 'malformed'
    }
    default:
      // payment_intent.created, checkout.session.*, charge.succeeded…: kept for the record.
      return 'ignored'
  }
}

type PaymentIntentObject = z.infer<typeof PaymentIntent>

/**
 * The attempt a PaymentIntent pays, with its order locked first and then the payment (the
 * order-then-payment lock order every writer of payments follows).
 */
async function lockPaymentOf(tx: Tx, pi: PaymentIntentObject) {
  const paymentId = uuid(pi.metadata?.payment_id)
  let query = tx.selectFrom('payments').select(['id', 'order_id']).where('provider', '=', 'stripe')
  query = paymentId
    ? query.where((eb) => eb.or([eb('id', '=', paymentId), eb('payment_intent_id', '=', pi.id)]))
    : query.where('payment_intent_id', '=', pi.id)
  const found = await query.executeTakeFirst()
  if (!found) return null
  const order = await tx
    .selectFrom('orders')
    .select(['id', 'status'])
    .where('id', '=', found.order_id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const payment = await tx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', found.id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (!payment.payment_intent_id) {
    await tx
      .updateTable('payments')
      .set({ payment_intent_id: pi.id, updated_at: sql<Date>`now()` })
      .where('id', '=', payment.id)
      .execute()
  }
  return { order, payment }
}

async function paymentSucceeded(tx: Tx, pi: PaymentIntentObject, context: EventContext) {
  const locked = await lockPaymentOf(tx, pi)
  if (!locked) return 'unknown_payment'
  const { order, payment } = locked
  if (payment.status === 'confirmed' || payment.status === 'refunded') return 'already_confirmed'
  const received = pi.amount_received ?? pi.amount
  if (received !== payment.amount_fen || pi.currency.toLowerCase() !== 'cny') {
    // Not what the attempt asked for: an operator looks at it; the order does not move.
    await tx
      .updateTable('payments')
      .set({ failure_message: 'amount_mismatch', updated_at: sql<Date>`now()` })
      .where('id', '=', payment.id)
      .execute()
    return 'amount_mismatch'
  }
  if (order.status !== 'awaiting_payment') {
    await refundDuplicatePayment(tx, payment)
    return 'duplicate_refunded'
  }
  await tx
    .updateTable('payments')
    .set({
      status: 'confirmed',
      confirmed_at: sql<Date>`now()`,
      failure_message: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .execute()
  await transitionOrder(
    tx,
    { kind: 'system', reason: 'stripe' },
    order.id,
    { action: 'confirm_card_payment', payload: { payment_id: payment.id } },
    { publicUrl: context.publicUrl },
  )
  return 'order_paid'
}

async function paymentFailed(tx: Tx, pi: PaymentIntentObject) {
  const locked = await lockPaymentOf(tx, pi)
  if (!locked) return 'unknown_payment'
  const { payment } = locked
  // A payment that succeeded stays so, whatever arrives after.
  if (payment.status !== 'pending' && payment.status !== 'failed') return 'already_confirmed'
  await tx
    .updateTable('payments')
    .set({
      status: 'failed',
      failure_message: (pi.last_payment_error?.message ?? 'payment_failed').slice(0, 500),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .execute()
  return 'payment_failed'
}

type RefundObject = z.infer<typeof RefundObject>

/** Our refund behind a Stripe refund: by the id we put in its metadata, else by its id. */
function refundOf(tx: Tx, refund: RefundObject) {
  const ours = uuid(refund.metadata?.refund_id)
  return tx
    .selectFrom('refunds')
    .select(['id', 'status'])
    .where((eb) =>
      ours
        ? eb.or([eb('id', '=', ours), eb('provider_ref', '=', refund.id)])
        : eb('provider_ref', '=', refund.id),
    )
    .executeTakeFirst()
}

/** Applies one Stripe refund's status to ours; true when it marked ours sent now. */
async function applyRefund(tx: Tx, refund: RefundObject, context: EventContext) {
  const ours = await refundOf(tx, refund)
  if (!ours || ours.status === 'succeeded') return false
  if (refund.status === 'failed' || refund.status === 'canceled') {
    await tx
      .updateTable('refunds')
      .set({
        status: 'failed',
        provider_ref: refund.id,
        failure_message: refund.failure_reason ?? refund.status,
      })
      .where('id', '=', ours.id)
      .where('status', '<>', 'succeeded')
      .execute()
    return false
  }
  if (refund.status && refund.status !== 'succeeded') {
    await tx
      .updateTable('refunds')
      .set({ provider_ref: refund.id })
      .where('id', '=', ours.id)
      .execute()
    return false
  }
  return markRefundSent(tx, ours.id, { providerRef: refund.id }, context)
}

async function refundChanged(tx: Tx, refund: RefundObject, context: EventContext) {
  const ours = await refundOf(tx, refund)
  if (!ours) return 'unknown_refund'
  return (await applyRefund(tx, refund, context))
    ? 'refund_sent'
    : `refund_${refund.status ?? 'unknown'}`
}

/**
 * A charge was refunded (in part or in full). With its refunds listed, each one settles ours;
 * without (Stripe no longer includes them by default), our pending refunds of that payment
 * are marked sent, oldest first, as far as the charge's refunded total covers them.
 */
async function chargeRefunded(tx: Tx, charge: z.infer<typeof Charge>, context: EventContext) {
  if (charge.refunds?.data.length) {
    let sent = 0
    for (const refund of charge.refunds.data) if (await applyRefund(tx, refund, context)) sent += 1
    return sent ? `refunds_sent:${sent}` : 'nothing_to_do'
  }
  const intent =
    typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id
  const paymentId = uuid(charge.metadata?.payment_id)
  if (!intent && !paymentId) return 'unknown_payment'
  const payment = await tx
    .selectFrom('payments')
    .select('id')
    .where('provider', '=', 'stripe')
    .where((eb) =>
      eb.or([
        ...(intent ? [eb('payment_intent_id', '=', intent)] : []),
        ...(paymentId ? [eb('id', '=', paymentId)] : []),
      ]),
    )
    .executeTakeFirst()
  if (!payment) return 'unknown_payment'
  const refunds = await tx
    .selectFrom('refunds')
    .select(['id', 'status', 'amount_fen', 'provider_ref'])
    .where('payment_id', '=', payment.id)
    .where('provider', '=', 'stripe')
    .orderBy('created_at')
    .forUpdate()
    .execute()
  let covered =
    charge.amount_refunded -
    refunds.filter((r) => r.status === 'succeeded').reduce((sum, r) => sum + r.amount_fen, 0)
  let sent = 0
  for (const refund of refunds) {
    if (refund.status !== 'pending' || refund.amount_fen > covered) continue
    covered -= refund.amount_fen
    if (
      await markRefundSent(
        tx,
        refund.id,
        { providerRef: refund.provider_ref ?? charge.id },
        context,
      )
    ) {
      sent += 1
    }
  }
  return sent ? `refunds_sent:${sent}` : 'nothing_to_do'
}

type TransferObject = z.infer<typeof Transfer>

const REVERSED = 'transfer_reversed'

function payoutOf(tx: Tx, transfer: TransferObject) {
  const ours = uuid(transfer.metadata?.payout_id)
  return tx
    .selectFrom('payouts')
    .select(['id', 'status', 'failure_message'])
    .where((eb) =>
      ours
        ? eb.or([eb('id', '=', ours), eb('provider_ref', '=', transfer.id)])
        : eb('provider_ref', '=', transfer.id),
    )
    .forUpdate()
    .executeTakeFirst()
}

async function transferMade(tx: Tx, transfer: TransferObject, context: EventContext) {
  const payout = await payoutOf(tx, transfer)
  if (!payout) return 'unknown_payout'
  if (payout.status === 'paid') return 'already_paid'
  // A reversal that arrived first wins over the older news that the transfer was made.
  if (payout.status === 'failed' && payout.failure_message?.startsWith(REVERSED)) {
    return 'already_reversed'
  }
  await markPayoutPaid(tx, payout.id, { providerRef: transfer.id }, context)
  return 'payout_paid'
}

/**
 * The money of a transfer came back from the workshop's account: the payout is failed with a
 * message for the operator. The ledger is left alone (see the payouts page for what to do).
 */
async function transferReversed(tx: Tx, transfer: TransferObject) {
  const payout = await payoutOf(tx, transfer)
  if (!payout) return 'unknown_payout'
  if (payout.status === 'failed' && payout.failure_message?.startsWith(REVERSED)) {
    return 'already_reversed'
  }
  await tx
    .updateTable('payouts')
    .set({
      status: 'failed',
      provider_ref: transfer.id,
      failure_message: `${REVERSED}: ${transfer.id} (${transfer.amount_reversed ?? transfer.amount} fen)`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payout.id)
    .execute()
  return 'payout_reversed'
}

/**
 * The workshop's connected account changed: its flags are copied (the row is created from
 * the account's metadata when our write after creating it was lost), and once it can receive
 * payouts, the workshop's waiting payouts are sent.
 */
async function accountUpdated(tx: Tx, account: StripeAccountSnapshot) {
  const flags = {
    details_submitted: account.details_submitted ?? false,
    payouts_enabled: account.payouts_enabled ?? false,
  }
  let row = await tx
    .updateTable('connected_accounts')
    .set({ ...flags, updated_at: sql<Date>`now()` })
    .where('account_id', '=', account.id)
    .returning('organization_id')
    .executeTakeFirst()
  if (!row) {
    const organizationId = uuid(account.metadata?.organization_id)
    const workshop = organizationId
      ? await tx
          .selectFrom('organizations')
          .select('id')
          .where('id', '=', organizationId)
          .where('kind', '=', 'workshop')
          .executeTakeFirst()
      : undefined
    if (!workshop) return 'unknown_account'
    row = await tx
      .insertInto('connected_accounts')
      .values({ organization_id: workshop.id, account_id: account.id, ...flags })
      .onConflict((oc) => oc.column('organization_id').doNothing())
      .returning('organization_id')
      .executeTakeFirst()
    // The workshop has another account on record: that one stays.
    if (!row) return 'other_account_on_record'
  }
  if (!flags.payouts_enabled) return 'account_updated'
  const waiting = await tx
    .selectFrom('payouts')
    .select('id')
    .where('organization_id', '=', row.organization_id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('provider', 'is', null), eb('provider', '=', 'stripe')]))
    .execute()
  for (const payout of waiting) {
    await enqueue(
      tx,
      'payouts__send',
      { payoutId: payout.id },
      { jobKey: `payout-send:${payout.id}` },
    )
  }
  return waiting.length ? `payouts_queued:${waiting.length}` : 'account_updated'
}
