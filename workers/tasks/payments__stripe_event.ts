import type { TaskDeps } from '../context.ts'

// PLACEHOLDER — replaced by the Stripe webhook work in progress; never committed as is.
export async function paymentsStripeEvent(_rawPayload: unknown, _deps: TaskDeps): Promise<void> {
  throw new Error('payments__stripe_event is being written')
}
