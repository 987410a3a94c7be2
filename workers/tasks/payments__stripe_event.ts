import { processStripeEvent } from '../../app/models/stripe-events.server.ts'
import type { TaskDeps } from '../context.ts'
import { taskPayloads } from '../payloads.ts'

/**
 * Acts on one verified Stripe webhook event the route stored (stripe-events.server.ts): once,
 * in one transaction, whatever order the events arrive in. An error rolls back and the job
 * is retried; an event already processed is left alone.
 */
export async function paymentsStripeEvent(
  rawPayload: unknown,
  deps: Pick<TaskDeps, 'db' | 'logger' | 'stripe' | 'publicUrl'>,
): Promise<void> {
  const { eventId } = taskPayloads.payments__stripe_event.parse(rawPayload)
  const outcome = await processStripeEvent(deps.db, deps.stripe, eventId, {
    publicUrl: deps.publicUrl,
  })
  if (outcome) deps.logger.info({ eventId, outcome }, 'stripe event processed')
}
