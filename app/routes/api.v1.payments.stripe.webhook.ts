import { recordStripeEvent } from '../models/stripe-events.server.ts'
import { ApiError, api, apiJson } from '../utils/api.server.ts'

// Stripe's webhook: no session and no CSRF token (the signature is the authentication; the
// CSRF gate only asks cookie sessions for a token). The raw body is verified exactly as sent,
// the event stored once and its work queued; Stripe gets 200 for every verified delivery,
// redeliveries included, so it stops retrying.

const handler = api({
  async POST({ request, context }) {
    if (!context.stripe) throw new ApiError(404, 'not_found', 'Stripe is not configured')
    const raw = await request.text()
    const signature = request.headers.get('stripe-signature')
    let event: { id: string; type: string }
    try {
      if (!signature) throw new Error('no signature')
      event = context.stripe.client.webhooks.constructEvent(
        raw,
        signature,
        context.stripe.webhookSecret,
      )
    } catch {
      throw new ApiError(400, 'bad_signature', 'The Stripe-Signature header does not verify')
    }
    const stored = await recordStripeEvent(context.db, event)
    context.logger.info({ eventId: event.id, type: event.type, stored }, 'stripe event received')
    return apiJson({ received: true })
  },
})

export const loader = handler
export const action = handler
