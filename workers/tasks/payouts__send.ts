import { markPayoutPaid } from '../../app/models/escrow.server.ts'
import type { TaskDeps } from '../context.ts'
import { taskPayloads } from '../payloads.ts'

/**
 * Sends a released payout. With Stripe: a Connect transfer to the workshop's account, with
 * the payout's id as idempotency key (a retry after a crash returns the same transfer, never
 * a second one); a workshop without a ready account keeps the payout pending until
 * `account.updated` says it can receive. Without Stripe: a bank line an operator pays and
 * marks with the bank reference.
 */
export async function payoutsSend(
  rawPayload: unknown,
  deps: Pick<TaskDeps, 'db' | 'logger' | 'stripe' | 'publicUrl'>,
) {
  const { payoutId } = taskPayloads.payouts__send.parse(rawPayload)
  const payout = await deps.db
    .selectFrom('payouts')
    .innerJoin('orders', 'orders.id', 'payouts.order_id')
    .leftJoin('connected_accounts', 'connected_accounts.organization_id', 'payouts.organization_id')
    .select([
      'payouts.id',
      'payouts.status',
      'payouts.provider',
      'payouts.amount_fen',
      'payouts.milestone',
      'orders.number',
      'connected_accounts.account_id',
      'connected_accounts.payouts_enabled',
    ])
    .where('payouts.id', '=', payoutId)
    .executeTakeFirst()
  if (!payout || payout.status === 'paid') return
  if (!deps.stripe || payout.provider === 'bank_transfer') {
    await deps.db
      .updateTable('payouts')
      .set({ provider: 'bank_transfer' })
      .where('id', '=', payout.id)
      .where('provider', 'is', null)
      .execute()
    return
  }
  // Claim it for Stripe; an operator who paid it by bank in the meantime wins.
  const claimed = await deps.db
    .updateTable('payouts')
    .set({ provider: 'stripe' })
    .where('id', '=', payout.id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('provider', 'is', null), eb('provider', '=', 'stripe')]))
    .executeTakeFirst()
  if (!claimed.numUpdatedRows) return
  if (!payout.account_id || !payout.payouts_enabled) {
    await deps.db
      .updateTable('payouts')
      .set({ failure_message: 'connected_account_not_ready' })
      .where('id', '=', payout.id)
      .execute()
    return
  }
  const transfer = await deps.stripe.client.transfers.create(
    {
      amount: payout.amount_fen,
      currency: 'cny',
      destination: payout.account_id,
      transfer_group: payout.number,
      description: `${payout.number} ${payout.milestone}`,
      metadata: { payout_id: payout.id, order: payout.number },
    },
    { idempotencyKey: `payout:${payout.id}` },
  )
  await deps.db
    .transaction()
    .execute((tx) => markPayoutPaid(tx, payout.id, { providerRef: transfer.id }, deps))
  deps.logger.info({ payoutId, transfer: transfer.id }, 'payout transferred')
}
