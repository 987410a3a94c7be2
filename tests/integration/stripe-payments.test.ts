// Card payments, Stripe's webhook and Connect payouts (issue 8) on real PostgreSQL, with the
// real server and worker talking to Stripe through its SDK and a local stub that records
// requests and replays idempotency keys: checkout and its retries, the webhook verified, stored
// once and acted on in any order, duplicates refunded, refunds and transfers settled by their
// events, onboarding, and a crash between a Stripe call and our write.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import Stripe from 'stripe'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import {
  TestClient,
  apiPost,
  apiSession,
  browserSession,
  startTestServer,
  type Session,
  type TestServer,
} from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { acceptedOrder, moveTo, transition, type Order } from '../support/orders.ts'
import { useStripeStub, type StripeObject } from '../support/stripe-stub.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { escrowFigures } from '../../app/models/escrow.server.ts'
import { createLogger } from '../../app/utils/logger.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'
import { payoutsSend } from '../../workers/tasks/payouts__send.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
const stripe = useStripeStub()
const app = useTestApp(t, { publicUrl: PUBLIC_URL, stripe: () => stripe.current.gateway() })
let operator: Session
beforeAll(async () => {
  operator = await apiSession(app.url, await createOperatorAccount(t.db))
})

const stub = () => stripe.current

/** An order awaiting payment; with a sample it goes to sampling once paid. */
const newOrder = (needsSample = false) => acceptedOrder(app, { job: { needs_sample: needsSample } })

const payByCard = (s: Session, o: Order) =>
  apiPost(s, `/api/v1/orders/${o.id}/payments`, { method: 'card' })

/** Starts the buyer's card payment: the payment body (201 checked). */
async function checkout(o: Order) {
  const res = await payByCard(o.designer, o)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  expect(schemas.CardPaymentResponse.parse(res.body)).toEqual(res.body)
  return res.body as { payment: { id: string; attempt: number }; checkout_url: string }
}

/** Posts a webhook delivery as Stripe does. */
async function deliver(body: string, signature: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (signature !== null) headers['stripe-signature'] = signature
  return new TestClient(app.url).api('POST', '/api/v1/payments/stripe/webhook', body, headers)
}

/** Delivers `event` signed, expects 200 and waits until the worker has acted on it. */
async function send(event: StripeObject) {
  const { body, signature } = stub().signedEvent(event)
  const res = await deliver(body, signature)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(res.body).toEqual({ received: true })
  return processed(event.id as string)
}

/** The event row once processed: its outcome. */
async function processed(eventId: string) {
  return vi.waitFor(
    async () => {
      const row = await t.db
        .selectFrom('processed_webhook_events')
        .select(['outcome', 'processed_at'])
        .where('id', '=', eventId)
        .executeTakeFirst()
      if (!row?.processed_at) throw new Error(`event ${eventId} not processed yet`)
      return row.outcome
    },
    { timeout: 20_000, interval: 100 },
  )
}

/** The PaymentIntent of the order's card attempt, as Stripe would report it. */
async function intentOf(paymentId: string, patch: StripeObject = {}) {
  const payment = await paymentRow(paymentId)
  return stub().paymentIntent(payment.checkout_session_id!, patch)
}

const paymentRow = (id: string) =>
  t.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

const orderRow = (o: Order) =>
  t.db.selectFrom('orders').selectAll().where('id', '=', o.id).executeTakeFirstOrThrow()

/** What a duplicate effect would multiply: events, ledger lines, emails, refunds. */
async function effects(o: Order) {
  const count = async (query: Promise<{ n: number }>) => (await query).n
  return {
    order: await orderRow(o),
    cardEvents: await count(
      t.db
        .selectFrom('order_events')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('order_id', '=', o.id)
        .where(sql<boolean>`payload ->> 'action' = 'confirm_card_payment'`)
        .executeTakeFirstOrThrow(),
    ),
    ledger: await t.db
      .selectFrom('ledger_entries')
      .select(['from_account', 'to_account', 'amount_fen', 'kind'])
      .where('order_id', '=', o.id)
      .orderBy('id')
      .execute(),
    emails: await t.db
      .selectFrom('emails')
      .select(['to_address', 'locale'])
      .where('template', '=', 'order-update')
      .where(sql<boolean>`props ->> 'order' = ${o.number}`)
      .where(sql<boolean>`props ->> 'action' = 'confirm_card_payment'`)
      .orderBy('id')
      .execute(),
    refunds: await t.db
      .selectFrom('refunds')
      .select(['reason', 'amount_fen', 'voucher_fen', 'status', 'provider', 'payment_id'])
      .where('order_id', '=', o.id)
      .orderBy('id')
      .execute(),
  }
}

const jobsFor = async (eventId: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from graphile_worker._private_jobs j
      join graphile_worker._private_tasks k on k.id = j.task_id
      where k.identifier = 'payments__stripe_event' and j.payload ->> 'eventId' = ${eventId}`.execute(
      t.db,
    )
  ).rows[0]!.n

const eventRows = async (eventId: string) =>
  (
    await t.db
      .selectFrom('processed_webhook_events')
      .select('id')
      .where('id', '=', eventId)
      .execute()
  ).length

/** Sessions Stripe made for the order (a replayed key makes none). */
const sessionsOf = (o: Order) =>
  stub()
    .created('checkout.session')
    .filter((s) => s.client_reference_id === o.id)

/** Keeps `o.version` in step after the webhook moved the order. */
async function syncVersion(o: Order) {
  o.version = (await orderRow(o)).version
}

describe('starting a card payment', () => {
  test('the buyer gets Stripe Checkout for the total, keyed by the attempt; a second click reuses it', async () => {
    const o = await newOrder()
    const first = await checkout(o)
    expect(first.payment).toMatchObject({
      provider: 'stripe',
      status: 'pending',
      amount_fen: o.total,
      attempt: 1,
    })
    expect(first.checkout_url).toMatch(/^https:\/\/checkout\.stripe\.test\//)

    const calls = stub()
      .requestsTo('/v1/checkout/sessions')
      .filter((r) => r.body.client_reference_id === o.id)
    expect(calls).toHaveLength(1)
    const call = calls[0]!
    expect(call.idempotencyKey).toBe(`payment:${first.payment.id}`)
    expect(call.body).toMatchObject({
      mode: 'payment',
      success_url: `${PUBLIC_URL}/orders/${o.id}?payment=success`,
      cancel_url: `${PUBLIC_URL}/orders/${o.id}?payment=cancelled`,
      metadata: { order_id: o.id, payment_id: first.payment.id },
      payment_intent_data: { metadata: { order_id: o.id, payment_id: first.payment.id } },
    })
    expect(call.body.line_items).toEqual([
      {
        quantity: '1',
        price_data: {
          currency: 'cny',
          unit_amount: String(o.total),
          product_data: { name: expect.stringContaining(o.number) },
        },
      },
    ])

    // A double click (or the back button and another click) is the same attempt.
    const again = await checkout(o)
    expect(again).toEqual(first)
    expect(sessionsOf(o)).toHaveLength(1)
    const rows = await t.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', o.id)
      .execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      checkout_session_id: sessionsOf(o)[0]!.id,
      checkout_url: first.checkout_url,
      status: 'pending',
    })
    // Only Stripe's webhook moves the order.
    expect((await orderRow(o)).status).toBe('awaiting_payment')
  })

  test('Stripe failing is 502 stripe_unavailable; the attempt is kept and resumed under the same key', async () => {
    const o = await newOrder()
    stub().failNext(1, 500)
    const failed = await payByCard(o.designer, o)
    expectError(failed, 502, 'stripe_unavailable')
    const [kept] = await t.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', o.id)
      .execute()
    expect(kept).toMatchObject({ status: 'pending', attempt: 1, checkout_url: null })

    const resumed = await checkout(o)
    expect(resumed.payment.id).toBe(kept!.id)
    const keys = stub()
      .requestsTo('/v1/checkout/sessions')
      .filter((r) => r.idempotencyKey === `payment:${kept!.id}`)
    expect(keys).toHaveLength(2)
    expect(sessionsOf(o)).toHaveLength(1)
  })

  test('a crash after Stripe made the session but before we stored it: the retry gets the same session', async () => {
    const o = await newOrder()
    const first = await checkout(o)
    // As if our write after Stripe's answer never committed.
    await t.db
      .updateTable('payments')
      .set({ checkout_session_id: null, checkout_url: null })
      .where('id', '=', first.payment.id)
      .execute()
    const again = await checkout(o)
    expect(again).toEqual(first)
    const calls = stub()
      .requestsTo('/v1/checkout/sessions')
      .filter((r) => r.idempotencyKey === `payment:${first.payment.id}`)
    expect(calls).toHaveLength(2)
    expect(sessionsOf(o)).toHaveLength(1)
  })

  test('only the buyer pays: its workshop and operators are refused (403), another firm sees no order (404)', async () => {
    const o = await newOrder()
    expectError(await payByCard(o.workshop, o), 403, 'forbidden')
    expectError(await payByCard(operator, o), 403, 'forbidden')
    const stranger = await apiSession(app.url, await createAccount(t.db, { kind: 'design_firm' }))
    expectError(await payByCard(stranger, o), 404, 'not_found')
    const bank = await apiPost(stranger, `/api/v1/orders/${o.id}/payments`, {
      method: 'bank_transfer',
    })
    expectError(bank, 404, 'not_found')
    expectError(
      await apiPost(o.designer, `/api/v1/orders/${o.id}/payments`, { method: 'cash' }),
      400,
      'invalid_input',
    )
    expect(
      await t.db.selectFrom('payments').select('id').where('order_id', '=', o.id).execute(),
    ).toEqual([])
    expect(sessionsOf(o)).toHaveLength(0)
  })

  test('the order page form sends the buyer to Stripe, and a refusal comes back as a message', async () => {
    const o = await newOrder()
    const browser = await browserSession(app.url, o.designer.account)
    const withoutToken = await browser.postForm(`/orders/${o.id}/pay-card`, {}, { csrf: null })
    expect(withoutToken.status).toBe(403)
    expect(sessionsOf(o)).toHaveLength(0)

    stub().failNext(1, 500)
    const failed = await browser.postForm(`/orders/${o.id}/pay-card`, {})
    expect(failed.status).toBe(303)
    expect(failed.headers.get('location')).toBe(`/orders/${o.id}?payment_error=stripe_unavailable`)

    const sent = await browser.postForm(`/orders/${o.id}/pay-card`, {})
    expect(sent.status).toBe(303)
    expect(sent.headers.get('location')).toBe(sessionsOf(o)[0]!.url)

    const workshop = await browserSession(app.url, o.workshop.account)
    const refused = await workshop.postForm(`/orders/${o.id}/pay-card`, {})
    expect(refused.status).toBe(303)
    expect(refused.headers.get('location')).toBe(`/orders/${o.id}?payment_error=forbidden`)
  })
})

describe('the webhook', () => {
  test('payment_intent.succeeded moves the order on, puts the money in escrow and tells the workshop; 10 deliveries, one effect', async () => {
    const o = await newOrder(true)
    const { payment } = await checkout(o)
    const pi = await intentOf(payment.id)
    const event = stub().event('payment_intent.succeeded', pi)
    const { body, signature } = stub().signedEvent(event)

    // Held back, so the ten deliveries meet only the route: one row, one job.
    await app.worker.stop()
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(body, signature)))
      for (const res of answers) {
        expect(res.status).toBe(200)
        expect(res.body).toEqual({ received: true })
      }
      expect(await eventRows(event.id)).toBe(1)
      expect(await jobsFor(event.id)).toBe(1)
    } finally {
      await app.restartWorker()
    }
    expect(await processed(event.id)).toBe('order_paid')

    const after = await effects(o)
    expect(after.order.status).toBe('sampling')
    expect(after.order.paid_at).not.toBeNull()
    expect(after.cardEvents).toBe(1)
    expect(after.ledger).toEqual([
      { from_account: 'buyer', to_account: 'escrow', amount_fen: o.total, kind: 'payment' },
    ])
    expect(after.emails.map((e) => e.to_address)).toContain(o.workshop.account.user.email)
    expect(after.emails.filter((e) => e.to_address === o.workshop.account.user.email)).toHaveLength(
      1,
    )
    expect(await paymentRow(payment.id)).toMatchObject({
      status: 'confirmed',
      payment_intent_id: pi.id,
    })
    expect((await escrowFigures(t.db, o.id)).escrow_fen).toBe(o.total)

    // Ten more after it was acted on, and the same news under a new event id: nothing more.
    for (let i = 0; i < 10; i += 1) expect((await deliver(body, signature)).status).toBe(200)
    expect(await send(stub().event('payment_intent.succeeded', pi))).toBe('already_confirmed')
    expect(await effects(o)).toEqual(after)
    expect(await eventRows(event.id)).toBe(1)
  })

  test('payment_intent.succeeded before payment_intent.created is fine; payment_failed after succeeded changes nothing', async () => {
    const o = await newOrder()
    const { payment } = await checkout(o)
    const pi = await intentOf(payment.id)
    expect(await send(stub().event('payment_intent.succeeded', pi))).toBe('order_paid')
    const paid = await effects(o)
    expect(paid.order.status).toBe('in_production')

    const created = { ...pi, status: 'requires_payment_method', amount_received: 0 }
    expect(await send(stub().event('payment_intent.created', created))).toBe('ignored')
    const failed = {
      ...pi,
      status: 'requires_payment_method',
      last_payment_error: { message: 'Your card was declined.' },
    }
    expect(await send(stub().event('payment_intent.payment_failed', failed))).toBe(
      'already_confirmed',
    )
    expect(await effects(o)).toEqual(paid)
    expect(await paymentRow(payment.id)).toMatchObject({
      status: 'confirmed',
      failure_message: null,
    })
  })

  test('a declined card fails the attempt with Stripe’s message; the next click starts attempt 2', async () => {
    const o = await newOrder()
    const first = await checkout(o)
    const failed = await intentOf(first.payment.id, {
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: { message: 'Your card was declined.' },
    })
    expect(await send(stub().event('payment_intent.payment_failed', failed))).toBe('payment_failed')
    expect(await paymentRow(first.payment.id)).toMatchObject({
      status: 'failed',
      failure_message: 'Your card was declined.',
    })
    expect((await orderRow(o)).status).toBe('awaiting_payment')

    const second = await checkout(o)
    expect(second.payment.attempt).toBe(2)
    expect(second.payment.id).not.toBe(first.payment.id)
    expect(second.checkout_url).not.toBe(first.checkout_url)
    expect(stub().requestsTo('/v1/checkout/sessions').at(-1)!.idempotencyKey).toBe(
      `payment:${second.payment.id}`,
    )
  })

  test('an attempt that failed and then succeeded after attempt 2 paid the order is refunded in full', async () => {
    const o = await newOrder()
    const first = await checkout(o)
    const declined = await intentOf(first.payment.id, {
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: { message: 'Your card was declined.' },
    })
    expect(await send(stub().event('payment_intent.payment_failed', declined))).toBe(
      'payment_failed',
    )
    const second = await checkout(o)
    expect(
      await send(stub().event('payment_intent.succeeded', await intentOf(second.payment.id))),
    ).toBe('order_paid')
    // The buyer went back to the first Checkout page and paid there too.
    const late = {
      ...declined,
      status: 'succeeded',
      amount_received: o.total,
      last_payment_error: null,
    }
    expect(await send(stub().event('payment_intent.succeeded', late))).toBe('duplicate_refunded')
    await expectRefundedInFull(o, first.payment.id, declined.id, 'in_production', 1)
    expect((await paymentRow(second.payment.id)).status).toBe('confirmed')
    // One card payment per order stays open: the duplicate is recorded as refunded.
    expect((await paymentRow(first.payment.id)).status).toBe('refunded')
  })

  test('a bad or missing signature is 400 bad_signature and stores nothing', async () => {
    const event = stub().event('payment_intent.created', {
      id: 'pi_unsigned',
      object: 'payment_intent',
    })
    const { body, signature } = stub().signedEvent(event)
    const otherSecret = new Stripe('sk_test_other').webhooks.generateTestHeaderString({
      payload: body,
      secret: 'whsec_someone_else',
    })
    await app.worker.stop()
    try {
      expectError(await deliver(body, otherSecret), 400, 'bad_signature')
      expectError(await deliver(body, null), 400, 'bad_signature')
      expectError(
        await deliver(body.replace('pi_unsigned', 'pi_tampered'), signature),
        400,
        'bad_signature',
      )
      expectError(await deliver(body, 't=1,v1=00'), 400, 'bad_signature')
      expect(await eventRows(event.id)).toBe(0)
      expect(await jobsFor(event.id)).toBe(0)
      // The same event signed right is stored, so the checks above could have seen it.
      expect((await deliver(body, signature)).status).toBe(200)
      expect(await eventRows(event.id)).toBe(1)
      expect(await jobsFor(event.id)).toBe(1)
    } finally {
      await app.restartWorker()
    }
    expect(await processed(event.id)).toBe('ignored')
  })

  test('a card payment for an order already paid by bank transfer is received and refunded in full', async () => {
    const o = await newOrder()
    const { payment } = await checkout(o)
    // The operator confirms a bank transfer meanwhile.
    const paid = await transition(operator, o, {
      to: 'in_production',
      bank_reference: 'ICBC-1',
      amount_fen: o.total,
    })
    expect(paid.status, JSON.stringify(paid.body)).toBe(200)
    const pi = await intentOf(payment.id)
    expect(await send(stub().event('payment_intent.succeeded', pi))).toBe('duplicate_refunded')
    await expectRefundedInFull(o, payment.id, pi.id, 'in_production')
  })

  test('a card payment for an order cancelled meanwhile is received and refunded in full', async () => {
    const o = await newOrder()
    const { payment } = await checkout(o)
    const cancelled = await transition(o.designer, o, { action: 'cancel', reason: '不需要了' })
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200)
    const pi = await intentOf(payment.id)
    expect(await send(stub().event('payment_intent.succeeded', pi))).toBe('duplicate_refunded')
    await expectRefundedInFull(o, payment.id, pi.id, 'cancelled')
  })
})

/** The duplicate card money went in and straight back out through a Stripe refund. */
async function expectRefundedInFull(
  o: Order,
  paymentId: string,
  intentId: string,
  status: string,
  cardEvents = 0,
) {
  const refund = await vi.waitFor(
    async () => {
      const row = await t.db
        .selectFrom('refunds')
        .selectAll()
        .where('payment_id', '=', paymentId)
        .executeTakeFirstOrThrow()
      if (row.status !== 'succeeded') throw new Error('refund not sent yet')
      return row
    },
    { timeout: 20_000, interval: 100 },
  )
  expect(refund).toMatchObject({
    reason: 'duplicate_payment',
    amount_fen: o.total,
    voucher_fen: 0,
    provider: 'stripe',
  })
  const calls = stub()
    .requestsTo('/v1/refunds')
    .filter((r) => r.idempotencyKey === `refund:${refund.id}`)
  expect(calls).toHaveLength(1)
  expect(calls[0]!.body).toMatchObject({ payment_intent: intentId, amount: String(o.total) })
  const after = await effects(o)
  expect(after.order.status).toBe(status)
  expect(after.cardEvents).toBe(cardEvents)
  const card = after.ledger.filter((l) => l.amount_fen === o.total && l.kind !== 'voucher')
  expect(card).toEqual(
    expect.arrayContaining([
      { from_account: 'buyer', to_account: 'escrow', amount_fen: o.total, kind: 'payment' },
      { from_account: 'escrow', to_account: 'refund_payable', amount_fen: o.total, kind: 'refund' },
      {
        from_account: 'refund_payable',
        to_account: 'buyer',
        amount_fen: o.total,
        kind: 'refund_sent',
      },
    ]),
  )
  // The escrow holds what it held before the duplicate: the bank transfer, or nothing.
  const figures = await escrowFigures(t.db, o.id)
  expect(figures.escrow_fen).toBe(status === 'cancelled' ? 0 : o.total)
  expect(figures.paid_fen - figures.released_fen - figures.refunded_fen).toBe(figures.escrow_fen)
}

describe('refunds', () => {
  test('charge.refunded marks a pending Stripe refund sent, once', async () => {
    const o = await newOrder()
    const { payment } = await checkout(o)
    const pi = await intentOf(payment.id)
    expect(await send(stub().event('payment_intent.succeeded', pi))).toBe('order_paid')
    await syncVersion(o)
    stub().refundStatus('pending')
    try {
      const cancelled = await transition(operator, o, { action: 'cancel', reason: '不需要了' })
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200)
      const sent = await vi.waitFor(
        async () => {
          const row = await t.db
            .selectFrom('refunds')
            .selectAll()
            .where('order_id', '=', o.id)
            .executeTakeFirstOrThrow()
          if (!row.provider_ref) throw new Error('refund not sent to Stripe yet')
          return row
        },
        { timeout: 20_000, interval: 100 },
      )
      expect(sent).toMatchObject({ status: 'pending', reason: 'cancelled', amount_fen: o.total })
      const stripeRefund = stub().objects.get(sent.provider_ref!)!
      expect(stripeRefund.metadata).toEqual({ refund_id: sent.id, reason: 'cancelled' })

      const charge = {
        id: pi.latest_charge,
        object: 'charge',
        payment_intent: pi.id,
        amount: o.total,
        amount_refunded: o.total,
        refunded: true,
        metadata: {},
        refunds: { object: 'list', data: [{ ...stripeRefund, status: 'succeeded' }] },
      }
      expect(await send(stub().event('charge.refunded', charge))).toBe('refunds_sent:1')
      expect(await send(stub().event('charge.refunded', charge))).toBe('nothing_to_do')
      const after = await effects(o)
      expect(after.refunds).toEqual([
        expect.objectContaining({ status: 'succeeded', amount_fen: o.total, reason: 'cancelled' }),
      ])
      expect(after.ledger.filter((l) => l.kind === 'refund_sent')).toEqual([
        {
          from_account: 'refund_payable',
          to_account: 'buyer',
          amount_fen: o.total,
          kind: 'refund_sent',
        },
      ])
      expect(await paymentRow(payment.id)).toMatchObject({ status: 'refunded' })
    } finally {
      stub().refundStatus('succeeded')
    }
  })

  test('charge.refunded without its refund list settles our pending refunds its total covers', async () => {
    const o = await newOrder()
    const { payment } = await checkout(o)
    const pi = await intentOf(payment.id)
    expect(await send(stub().event('payment_intent.succeeded', pi))).toBe('order_paid')
    await syncVersion(o)
    stub().refundStatus('pending')
    try {
      expect((await transition(operator, o, { action: 'cancel', reason: '不需要了' })).status).toBe(
        200,
      )
      await vi.waitFor(
        async () => {
          const row = await t.db
            .selectFrom('refunds')
            .select('provider_ref')
            .where('order_id', '=', o.id)
            .executeTakeFirstOrThrow()
          if (!row.provider_ref) throw new Error('not sent to Stripe yet')
        },
        { timeout: 20_000, interval: 100 },
      )
      const charge = {
        id: pi.latest_charge,
        object: 'charge',
        payment_intent: pi.id,
        amount_refunded: o.total - 1,
        metadata: {},
      }
      // Stripe has refunded less than ours so far: not ours yet.
      expect(await send(stub().event('charge.refunded', charge))).toBe('nothing_to_do')
      expect(
        await send(stub().event('charge.refunded', { ...charge, amount_refunded: o.total })),
      ).toBe('refunds_sent:1')
      expect((await effects(o)).refunds).toEqual([expect.objectContaining({ status: 'succeeded' })])
    } finally {
      stub().refundStatus('succeeded')
    }
  })
})

describe('payouts through Stripe Connect', () => {
  /** The workshop's onboarding through the API: the link body. */
  async function onboard(ws: Session) {
    const res = await apiPost(ws, '/api/v1/payouts/connect')
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(schemas.ConnectOnboardingLink.parse(res.body)).toEqual(res.body)
    return res.body as { url: string; account: { id: string } }
  }

  /** Stripe enables the account and says so. */
  async function enable(accountId: string) {
    const account = stub().update(accountId, { details_submitted: true, payouts_enabled: true })
    return send(stub().event('account.updated', { ...account }))
  }

  const payoutsOf = (o: Order) =>
    t.db.selectFrom('payouts').selectAll().where('order_id', '=', o.id).execute()

  const payoutLines = (payoutId: string) =>
    t.db
      .selectFrom('ledger_entries')
      .select(['from_account', 'to_account', 'amount_fen'])
      .where('payout_id', '=', payoutId)
      .where('kind', '=', 'payout')
      .execute()

  test('onboarding makes one Express account per workshop and a link back to the payouts page', async () => {
    const o = await newOrder()
    const first = await onboard(o.workshop)
    expect(first.account).toEqual({
      id: expect.stringMatching(/^acct_/),
      details_submitted: false,
      payouts_enabled: false,
    })
    expect(first.url).toMatch(/^https:\/\/connect\.stripe\.test\//)
    const second = await onboard(o.workshop)
    expect(second.account.id).toBe(first.account.id)
    expect(second.url).not.toBe(first.url)

    const created = stub()
      .requestsTo('/v1/accounts')
      .filter((r) => r.idempotencyKey === `account:${o.workshopId}`)
    expect(created).toHaveLength(1)
    expect(created[0]!.body).toMatchObject({
      type: 'express',
      metadata: { organization_id: o.workshopId },
    })
    const links = stub()
      .requestsTo('/v1/account_links')
      .filter((r) => r.body.account === first.account.id)
    expect(links).toHaveLength(2)
    expect(links[0]!.body).toMatchObject({
      type: 'account_onboarding',
      return_url: `${PUBLIC_URL}/workshop/payouts`,
      refresh_url: `${PUBLIC_URL}/workshop/payouts?connect=refresh`,
    })

    const status = await o.workshop.client.api('GET', '/api/v1/payouts/connect')
    expect(status.body).toEqual({ stripe_configured: true, account: first.account })
    expectError(await apiPost(o.designer, '/api/v1/payouts/connect'), 403, 'forbidden')

    // The payouts page form does the same and sends the browser to Stripe.
    const browser = await browserSession(app.url, o.workshop.account)
    const res = await browser.postForm('/workshop/payouts/connect', {})
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(
      new RegExp(`^https://connect\\.stripe\\.test/setup/e/${first.account.id}/`),
    )
  })

  test('account.updated enables payouts and sends the payout that waited; an older snapshot does not undo it', async () => {
    const o = await newOrder()
    await moveTo(o, 'completed', operator)
    const [payout] = await vi.waitFor(
      async () => {
        const rows = await payoutsOf(o)
        if (rows[0]?.failure_message !== 'connected_account_not_ready') throw new Error('not tried')
        return rows
      },
      { timeout: 20_000, interval: 100 },
    )
    expect(payout).toMatchObject({ status: 'pending', provider: 'stripe' })
    expect(
      stub()
        .requestsTo('/v1/transfers')
        .filter((r) => r.body.metadata?.payout_id === payout!.id),
    ).toEqual([])

    const { account } = await onboard(o.workshop)
    const stale = { ...stub().objects.get(account.id)! }
    expect(await enable(account.id)).toBe('payouts_queued:1')
    const paid = await vi.waitFor(
      async () => {
        const [row] = await payoutsOf(o)
        if (row!.status !== 'paid') throw new Error('not paid yet')
        return row!
      },
      { timeout: 20_000, interval: 100 },
    )
    const transfers = stub()
      .created('transfer')
      .filter((tr) => tr.metadata.payout_id === payout!.id)
    expect(transfers).toHaveLength(1)
    expect(transfers[0]).toMatchObject({ destination: account.id, amount: paid.amount_fen })
    expect(paid).toMatchObject({ provider_ref: transfers[0]!.id, failure_message: null })
    expect(await payoutLines(payout!.id)).toEqual([
      { from_account: 'workshop_payable', to_account: 'workshop', amount_fen: paid.amount_fen },
    ])

    // Stripe's older news (details not yet submitted) arrives late: the account is read afresh.
    expect(await send(stub().event('account.updated', stale))).toBe('account_updated')
    expect(
      await t.db
        .selectFrom('connected_accounts')
        .select(['details_submitted', 'payouts_enabled'])
        .where('account_id', '=', account.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ details_submitted: true, payouts_enabled: true })
  })

  test('a crash between the transfer and our write is retried with the same key: one transfer, paid once', async () => {
    const o = await newOrder()
    const { account } = await onboard(o.workshop)
    await enable(account.id)
    await moveTo(o, 'completed', operator)
    const before = await vi.waitFor(
      async () => {
        const [row] = await payoutsOf(o)
        if (row?.status !== 'paid') throw new Error('not paid yet')
        return row
      },
      { timeout: 20_000, interval: 100 },
    )
    // As if the transaction marking it paid never committed.
    await t.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('ledger_entries')
        .where('payout_id', '=', before.id)
        .where('kind', '=', 'payout')
        .execute()
      await tx
        .updateTable('payouts')
        .set({ status: 'pending', paid_at: null, provider_ref: null })
        .where('id', '=', before.id)
        .execute()
    })
    await payoutsSend(
      { payoutId: before.id },
      {
        db: t.db,
        logger: createLogger('silent'),
        stripe: stub().gateway(),
        publicUrl: app.publicUrl,
      },
    )

    const calls = stub()
      .requestsTo('/v1/transfers')
      .filter((r) => r.idempotencyKey === `payout:${before.id}`)
    expect(calls).toHaveLength(2)
    const transfers = stub()
      .created('transfer')
      .filter((tr) => tr.metadata.payout_id === before.id)
    expect(transfers).toHaveLength(1)
    const [after] = await payoutsOf(o)
    expect(after).toMatchObject({ status: 'paid', provider_ref: before.provider_ref })
    expect(await payoutLines(before.id)).toHaveLength(1)

    // Stripe's own news of that transfer changes nothing more.
    expect(await send(stub().event('transfer.created', transfers[0]!))).toBe('already_paid')
    expect(await payoutLines(before.id)).toHaveLength(1)
  })

  test('transfer.reversed fails the payout for an operator; a late transfer.created does not pay it again', async () => {
    const o = await newOrder()
    const { account } = await onboard(o.workshop)
    await enable(account.id)
    await moveTo(o, 'completed', operator)
    const paid = await vi.waitFor(
      async () => {
        const [row] = await payoutsOf(o)
        if (row?.status !== 'paid') throw new Error('not paid yet')
        return row
      },
      { timeout: 20_000, interval: 100 },
    )
    const transfer = stub().objects.get(paid.provider_ref!)!
    const reversed = { ...transfer, reversed: true, amount_reversed: transfer.amount }
    expect(await send(stub().event('transfer.reversed', reversed))).toBe('payout_reversed')
    const [failed] = await payoutsOf(o)
    expect(failed).toMatchObject({ status: 'failed' })
    expect(failed!.failure_message).toMatch(/^transfer_reversed/)
    expect(await send(stub().event('transfer.created', transfer))).toBe('already_reversed')
    expect((await payoutsOf(o))[0]!.status).toBe('failed')
    // The ledger is the operator's to correct: the one payout line stays as it was.
    expect(await payoutLines(paid.id)).toHaveLength(1)
  })
})

describe('without Stripe configured', () => {
  let plain: TestServer
  beforeAll(async () => {
    plain = await startTestServer(t.db, { publicUrl: PUBLIC_URL })
  })
  afterAll(() => plain?.close())

  test('a card payment is refused with card_payments_unavailable; bank transfer details still come', async () => {
    const o = await newOrder()
    const buyer = await apiSession(plain.url, o.designer.account)
    const card = await payByCard(buyer, o)
    expectError(card, 409, 'card_payments_unavailable')
    expect(
      await t.db.selectFrom('payments').select('id').where('order_id', '=', o.id).execute(),
    ).toEqual([])

    const bankAccount = {
      accountName: '中山共享工厂科技有限公司',
      bankName: '中国工商银行中山古镇支行',
      accountNumber: '2011 0012 3456 7890 123',
    }
    const ops = await apiSession(plain.url, operator.account)
    const saved = await ops.client.api(
      'PATCH',
      '/api/v1/ops/settings',
      { bank_account: bankAccount },
      ops.csrf,
    )
    expect(saved.status).toBe(200)
    const bank = await apiPost(buyer, `/api/v1/orders/${o.id}/payments`, {
      method: 'bank_transfer',
    })
    expect(bank.status).toBe(200)
    expect(schemas.BankTransferInstructions.parse(bank.body)).toEqual(bank.body)
    expect(bank.body).toEqual({
      method: 'bank_transfer',
      bank_account: {
        account_name: bankAccount.accountName,
        bank_name: bankAccount.bankName,
        account_number: bankAccount.accountNumber,
      },
      reference: o.number,
      amount_fen: o.total,
    })

    const hook = await new TestClient(plain.url).api(
      'POST',
      '/api/v1/payments/stripe/webhook',
      '{}',
      {
        'stripe-signature': 't=1,v1=00',
      },
    )
    expectError(hook, 404, 'not_found')
    const ws = await apiSession(plain.url, o.workshop.account)
    expectError(await apiPost(ws, '/api/v1/payouts/connect'), 409, 'stripe_not_configured')
  })
})
