import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for payouts (issue 8), merged into api-contract.ts: the workshop's
// payout statement, and the operators' ledger balance and money queues (payouts to pay by bank,
// refunds to send, reported transfers to confirm).

const timestamp = z.string().describe('ISO 8601, UTC')
const fen = z.number().int()
const bankReference = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .describe("The bank transfer's reference (流水号)")
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .describe('YYYY-MM, a Shanghai calendar month')

const PayoutLine = z.object({
  id: z.uuid(),
  milestone: z
    .enum(['sample', 'final'])
    .describe('sample: at sample approval; final: at completion'),
  gross_fen: fen,
  fee_fen: fen,
  amount_fen: fen.describe('gross − fee: what the workshop receives'),
  status: z.enum(['pending', 'paid', 'failed']),
  provider: z.enum(['bank_transfer', 'stripe']).nullable(),
  created_at: timestamp,
  paid_at: timestamp.nullable(),
  paid_on: z.iso.date().nullable().describe('The Shanghai day it was paid'),
  reference: z.string().nullable().describe('The bank reference, or the Stripe transfer id'),
})

const StatementOrder = z.object({
  order_id: z.uuid(),
  number: z.string(),
  job_title: z.string(),
  buyer: z.string(),
  status: z.string(),
  gross_fen: fen.describe('The contract (subtotal): buyer and voucher together'),
  fee_fen: fen.describe('The platform fee: taken so far plus still to come'),
  fee_taken_fen: fen,
  fee_to_come_fen: fen.describe('What the release of the money still held will take'),
  voucher_fen: fen.describe('The part a 服务券 programme paid'),
  refunds_fen: fen.describe('Refunded to the buyer and back to the voucher programme'),
  net_fen: fen.describe("The payouts' amounts"),
  held_fen: fen.describe('What the escrow still holds for the order'),
  lines: z.array(PayoutLine),
})

const OpsPayout = z.object({
  id: z.uuid(),
  order_id: z.uuid(),
  order_number: z.string(),
  workshop_id: z.uuid(),
  workshop_name: z.string(),
  workshop_legal_name: z.string().nullable(),
  workshop_uscc: z.string().nullable(),
  milestone: z.enum(['sample', 'final']),
  gross_fen: fen,
  fee_fen: fen,
  amount_fen: fen,
  provider: z.enum(['bank_transfer', 'stripe']).nullable().describe('null: not sent yet'),
  status: z.enum(['pending', 'paid', 'failed']),
  bank_reference: z.string().nullable(),
  provider_ref: z.string().nullable(),
  failure_message: z.string().nullable(),
  created_at: timestamp,
  paid_at: timestamp.nullable(),
})

const OpsRefund = z.object({
  id: z.uuid(),
  order_id: z.uuid(),
  order_number: z.string(),
  buyer_id: z.uuid(),
  buyer_name: z.string(),
  reason: z.enum(['cancelled', 'partial_refund', 'full_refund', 'duplicate_payment']),
  amount_fen: fen.describe('To the buyer'),
  voucher_fen: fen.describe('Back to the voucher programme'),
  provider: z.enum(['bank_transfer', 'stripe']).nullable(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  bank_reference: z.string().nullable(),
  provider_ref: z.string().nullable(),
  failure_message: z.string().nullable(),
  sendable_by_bank: z
    .boolean()
    .describe('Whether POST …/sent may record it (not while Stripe is refunding it)'),
  created_at: timestamp,
  completed_at: timestamp.nullable(),
})

export const payoutSchemas = {
  PayoutStatement: z.object({
    month: month.nullable().describe('null: all months'),
    totals: z.object({
      paid_fen: fen,
      pending_fen: fen.describe('Released, not yet paid'),
      fee_fen: fen,
    }),
    orders: z.array(StatementOrder),
  }),
  LedgerBalance: z.object({
    escrow_fen: fen.describe('paid − released − refunded'),
    released_fen: fen.describe('To workshops and platform fees'),
    refunded_fen: fen.describe('To buyers and back to voucher programmes'),
    paid_fen: fen.describe('Buyer payments and voucher shares into escrow'),
  }),
  OpsPaymentConfirmRequest: z
    .object({
      bank_reference: bankReference,
      amount_fen: z.number().int().positive().describe("Must equal the order's amount due"),
    })
    .strict(),
  OpsPaymentConfirmation: z.object({
    payment: z.object({
      id: z.uuid(),
      order_id: z.uuid(),
      status: z.enum(['confirmed']),
      amount_fen: fen,
      bank_reference: z.string().nullable(),
      payer_name: z.string().nullable(),
      transferred_on: z.iso.date().nullable(),
      confirmed_at: timestamp.nullable(),
    }),
    order: z.object({
      id: z.uuid(),
      number: z.string(),
      status: z.string(),
      version: z.number().int(),
    }),
  }),
  OpsPayout,
  OpsPayoutList: z.object({ payouts: z.array(OpsPayout) }),
  OpsPayoutPaidRequest: z.object({ bank_reference: bankReference }).strict(),
  OpsRefund,
  OpsRefundList: z.object({ refunds: z.array(OpsRefund) }),
  OpsRefundSentRequest: z.object({ bank_reference: bankReference }).strict(),
} satisfies Record<string, z.ZodType>

export const payoutEndpoints: EndpointOf<keyof typeof payoutSchemas>[] = [
  {
    method: 'get',
    path: '/api/v1/payouts',
    query: [
      {
        name: 'month',
        description: 'YYYY-MM (Shanghai) of the payouts’ release; all when left out',
      },
    ],
    summary:
      "The workshop's payout statement: per order gross, platform fee, voucher share, refunds, net, held, and each payout line with its paid date and reference; `Accept: text/csv` answers the CSV (a row per payout line, UTF-8 with BOM) (workshops)",
    auth: true,
    response: { status: 200, schema: 'PayoutStatement' },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/ops/ledger/balance',
    summary:
      'The escrow figures from the ledger: paid in, released, refunded and the balance (operators)',
    auth: true,
    response: { status: 200, schema: 'LedgerBalance' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/ops/payments/{paymentId}/confirm',
    summary:
      "Confirm a reported bank transfer (operators): the order's confirm_payment at its current version; 409 payment_already_confirmed on a repeat",
    auth: true,
    body: 'OpsPaymentConfirmRequest',
    response: { status: 200, schema: 'OpsPaymentConfirmation' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/ops/payouts',
    query: [{ name: 'status', description: 'pending (the default), paid or failed' }],
    summary: 'Payouts by status, oldest first (operators)',
    auth: true,
    response: { status: 200, schema: 'OpsPayoutList' },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/ops/payouts/{payoutId}/paid',
    summary:
      'Record a payout paid by bank transfer with its reference (operators), audited; 409 payout_already_paid on a repeat, payout_via_stripe for a Stripe payout',
    auth: true,
    body: 'OpsPayoutPaidRequest',
    response: { status: 200, schema: 'OpsPayout' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/ops/refunds',
    query: [{ name: 'status', description: 'pending (the default), succeeded or failed' }],
    summary: 'Refunds by status, oldest first (operators)',
    auth: true,
    response: { status: 200, schema: 'OpsRefundList' },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/ops/refunds/{refundId}/sent',
    summary:
      'Record a refund sent by bank transfer with its reference (operators), audited; 409 refund_already_sent on a repeat, refund_at_stripe while Stripe refunds it',
    auth: true,
    body: 'OpsRefundSentRequest',
    response: { status: 200, schema: 'OpsRefund' },
    errors: [400, 401, 403, 404, 409],
  },
]
