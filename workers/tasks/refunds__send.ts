import { markRefundSent } from '../../app/models/escrow.server.ts'
import type { TaskDeps } from '../context.ts'
import { taskPayloads } from '../payloads.ts'

/**
 * Sends a refund's buyer part. A card payment is refunded through Stripe with the refund's id
 * as idempotency key (a retry never refunds twice); Stripe's answer, or `charge.refunded`
 * later, marks it sent. A bank transfer is refunded by an operator, who records the bank
 * reference; so is a card refund while Stripe is not configured.
 */
export async function refundsSend(
  rawPayload: unknown,
  deps: Pick<TaskDeps, 'db' | 'logger' | 'stripe' | 'publicUrl'>,
) {
  const { refundId } = taskPayloads.refunds__send.parse(rawPayload)
  const refund = await deps.db
    .selectFrom('refunds')
    .leftJoin('payments', 'payments.id', 'refunds.payment_id')
    .select([
      'refunds.id',
      'refunds.status',
      'refunds.provider',
      'refunds.amount_fen',
      'refunds.reason',
      'payments.payment_intent_id',
    ])
    .where('refunds.id', '=', refundId)
    .executeTakeFirst()
  if (!refund || refund.status !== 'pending' || refund.provider !== 'stripe') return
  if (!deps.stripe || !refund.payment_intent_id) {
    await deps.db
      .updateTable('refunds')
      .set({ failure_message: deps.stripe ? 'no_payment_intent' : 'stripe_not_configured' })
      .where('id', '=', refund.id)
      .execute()
    return
  }
  const made = await deps.stripe.client.refunds.create(
    {
      payment_intent: refund.payment_intent_id,
      amount: refund.amount_fen,
      metadata: { refund_id: refund.id, reason: refund.reason },
    },
    { idempotencyKey: `refund:${refund.id}` },
  )
  await deps.db.transaction().execute(async (tx) => {
    if (made.status === 'succeeded') {
      await markRefundSent(tx, refund.id, { providerRef: made.id }, deps)
    } else if (made.status === 'failed' || made.status === 'canceled') {
      await tx
        .updateTable('refunds')
        .set({
          status: 'failed',
          provider_ref: made.id,
          failure_message: made.failure_reason ?? made.status,
        })
        .where('id', '=', refund.id)
        .execute()
    } else {
      // pending / requires_action: charge.refunded settles it.
      await tx
        .updateTable('refunds')
        .set({ provider_ref: made.id })
        .where('id', '=', refund.id)
        .execute()
    }
  })
}
