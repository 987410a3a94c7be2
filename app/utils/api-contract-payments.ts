import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for payments (issue 8), merged into api-contract.ts: paying an order
// by card (Stripe Checkout) or bank transfer, Stripe's webhook, and the workshop's Stripe
// Connect onboarding for payouts.

const ConnectedAccount = z.object({
  id: z.string().describe('Stripe account id (acct_…)'),
  details_submitted: z.boolean(),
  payouts_enabled: z.boolean().describe('Payouts are transferred once this is true'),
})

export const paymentSchemas = {
  PaymentRequest: z
    .object({
      method: z
        .enum(['card', 'bank_transfer'])
        .describe(
          'card: a Stripe Checkout link (when Stripe is configured); bank_transfer: where to send the money',
        ),
    })
    .strict(),
  CardPaymentResponse: z.object({
    method: z.literal('card'),
    payment: z.object({
      id: z.uuid(),
      provider: z.literal('stripe'),
      status: z
        .enum(['pending', 'confirmed', 'failed', 'refunded'])
        .describe('pending until Stripe’s webhook says the money arrived'),
      amount_fen: z.number().int(),
      attempt: z
        .number()
        .int()
        .describe('1, 2, … per order; a retry within 23 h reuses the attempt'),
    }),
    checkout_url: z.string().describe('Send the buyer here to pay (Stripe Checkout)'),
  }),
  BankTransferInstructions: z.object({
    method: z.literal('bank_transfer'),
    bank_account: z
      .object({ account_name: z.string(), bank_name: z.string(), account_number: z.string() })
      .nullable()
      .describe("The platform's escrow account; null until an operator sets it"),
    reference: z.string().describe('Put the order number in the transfer note'),
    amount_fen: z.number().int(),
  }),
  StripeEvent: z
    .looseObject({
      id: z.string(),
      object: z.literal('event'),
      type: z.string(),
      data: z.looseObject({ object: z.looseObject({}) }),
    })
    .describe('A Stripe event, signed in the Stripe-Signature header'),
  WebhookReceived: z.object({ received: z.literal(true) }),
  ConnectOnboardingLink: z.object({
    url: z.string().describe('Stripe-hosted onboarding; it comes back to /workshop/payouts'),
    account: ConnectedAccount,
  }),
  ConnectAccountStatus: z.object({
    stripe_configured: z.boolean(),
    account: ConnectedAccount.nullable(),
  }),
} satisfies Record<string, z.ZodType>

export const paymentEndpoints: EndpointOf<keyof typeof paymentSchemas>[] = [
  {
    method: 'post',
    path: '/api/v1/orders/{orderId}/payments',
    summary:
      "Pay an order awaiting payment (its buyer): card → 201 with Stripe Checkout's URL (409 card_payments_unavailable without Stripe, 502 stripe_unavailable when Stripe fails; retry); bank_transfer → 200 with the account to pay",
    auth: true,
    body: 'PaymentRequest',
    response: { status: 201, schema: 'CardPaymentResponse' },
    errors: [400, 401, 403, 404, 409, 502],
  },
  {
    method: 'post',
    path: '/api/v1/payments/stripe/webhook',
    summary:
      'Stripe webhook: the raw body verified against Stripe-Signature (400 bad_signature), stored once by event id and processed in the background; 404 when Stripe is not configured',
    auth: false,
    body: 'StripeEvent',
    response: { status: 200, schema: 'WebhookReceived' },
    errors: [400, 404, 415],
  },
  {
    method: 'get',
    path: '/api/v1/payouts/connect',
    summary: "The workshop's Stripe Connect account for payouts, as last reported by Stripe",
    auth: true,
    response: { status: 200, schema: 'ConnectAccountStatus' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/payouts/connect',
    summary:
      "A Stripe onboarding link for the workshop's payout account (owners), creating the account the first time",
    auth: true,
    response: { status: 200, schema: 'ConnectOnboardingLink' },
    errors: [401, 403, 409, 502],
  },
]
