import { describe, expect, test } from 'vitest'
import { checkoutParams } from '../../app/models/card-payment.server.ts'
import { paymentNotice } from '../../app/components/card-payment.tsx'
import { connectNotice, connectStatus } from '../../app/components/connect-account.tsx'
import { dictionaries } from '../../app/locales/index.ts'
import { parseStripeForm } from '../support/stripe-stub.ts'

const input = {
  orderId: '7d5b3c1e-8f3a-4c5e-9b1a-2f6d8e9c0a1b',
  orderNumber: 'SF-20261202-0001',
  jobTitle: '铝块 40×30×20',
  paymentId: '0c8e2a4b-6d1f-4e3a-8b5c-9f7e1d2c3b4a',
  amountFen: 123_456,
  publicUrl: 'https://factory.example.test/',
  locale: 'zh-CN' as const,
}

describe('the Checkout Session asked of Stripe', () => {
  test('charges the attempt amount in fen once, named by the order number and job title', () => {
    const params = checkoutParams(input)
    expect(params.mode).toBe('payment')
    expect(params.line_items).toEqual([
      {
        quantity: 1,
        price_data: {
          currency: 'cny',
          unit_amount: 123_456,
          product_data: { name: 'SF-20261202-0001 · 铝块 40×30×20' },
        },
      },
    ])
  })

  test('comes back to the order page and names the order and payment for the webhook', () => {
    const params = checkoutParams(input)
    const order = `https://factory.example.test/orders/${input.orderId}`
    expect(params.success_url).toBe(`${order}?payment=success`)
    expect(params.cancel_url).toBe(`${order}?payment=cancelled`)
    expect(params.client_reference_id).toBe(input.orderId)
    const metadata = { order_id: input.orderId, payment_id: input.paymentId }
    expect(params.metadata).toEqual(metadata)
    // The PaymentIntent events carry these, not the session's.
    expect(params.payment_intent_data?.metadata).toEqual(metadata)
    expect(params.locale).toBe('zh')
    expect(checkoutParams({ ...input, locale: 'en' }).locale).toBe('en')
  })
})

describe('what the order page says after Checkout', () => {
  const notice = (query: string) => paymentNotice(new URLSearchParams(query))

  test('success and cancel are notices; refusals are alerts with their own text', () => {
    expect(notice('payment=success')).toEqual({ tone: 'status', key: 'payments.notice.success' })
    expect(notice('payment=cancelled')).toEqual({
      tone: 'status',
      key: 'payments.notice.cancelled',
    })
    expect(notice('payment_error=stripe_unavailable')).toEqual({
      tone: 'alert',
      key: 'payments.error.stripe_unavailable',
    })
    expect(notice('payment_error=card_payments_unavailable')?.key).toBe(
      'payments.error.card_payments_unavailable',
    )
  })

  test('an unknown code gets the general message; nothing to say gives null', () => {
    expect(notice('payment_error=<script>')).toEqual({
      tone: 'alert',
      key: 'payments.error.other',
    })
    expect(notice('')).toBeNull()
    expect(notice('payment=whatever')).toBeNull()
  })

  test('every key it can return exists in both languages', () => {
    for (const query of [
      'payment=success',
      'payment=cancelled',
      'payment_error=stripe_unavailable',
      'payment_error=card_payments_unavailable',
      'payment_error=order_not_awaiting_payment',
      'payment_error=forbidden',
      'payment_error=nope',
    ]) {
      const key = notice(query)!.key
      expect(dictionaries['zh-CN'][key], key).toBeTruthy()
      expect(dictionaries.en[key], key).toBeTruthy()
    }
  })
})

describe('the payout account status', () => {
  test('follows what Stripe reported: none, incomplete, waiting, enabled', () => {
    expect(connectStatus(null)).toEqual({
      status: 'payments.connect.none',
      action: 'payments.connect.start',
    })
    expect(connectStatus({ details_submitted: false, payouts_enabled: false }).status).toBe(
      'payments.connect.incomplete',
    )
    expect(connectStatus({ details_submitted: true, payouts_enabled: false }).status).toBe(
      'payments.connect.pending',
    )
    expect(connectStatus({ details_submitted: true, payouts_enabled: true }).status).toBe(
      'payments.connect.enabled',
    )
  })

  test('an expired link and refusals are explained', () => {
    const at = (q: string) => connectNotice(new URLSearchParams(q))
    expect(at('connect=refresh')).toBe('payments.connect.refresh')
    expect(at('connect_error=stripe_unavailable')).toBe('payments.connect.error.stripe_unavailable')
    expect(at('connect_error=x')).toBe('payments.connect.error.other')
    expect(at('')).toBeNull()
  })
})

describe("the stub's reading of Stripe's form encoding", () => {
  test('nests brackets into objects and numbered ones into arrays', () => {
    const body = new URLSearchParams({
      mode: 'payment',
      'line_items[0][price_data][unit_amount]': '100',
      'line_items[0][quantity]': '1',
      'metadata[order_id]': 'o',
      'payment_intent_data[metadata][payment_id]': 'p',
    }).toString()
    expect(parseStripeForm(body)).toEqual({
      mode: 'payment',
      line_items: [{ price_data: { unit_amount: '100' }, quantity: '1' }],
      metadata: { order_id: 'o' },
      payment_intent_data: { metadata: { payment_id: 'p' } },
    })
  })
})
