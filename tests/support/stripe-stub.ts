import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'
import { afterAll, beforeAll } from 'vitest'
import { createStripeGateway, type StripeGateway } from '../../app/models/stripe.server.ts'

// Stripe's API is the one thing these tests cannot run, so they meet it through the official
// SDK pointed at this local server. It speaks enough of the form-encoded v1 API for what the
// app calls (checkout sessions, transfers, refunds, Express accounts and their links), records
// every request, and replays the first answer to a repeated Idempotency-Key the way Stripe
// does — which is what lets a test prove that a retry after a crash creates nothing new.

export const STUB_SECRET_KEY = 'sk_test_stub'
export const STUB_WEBHOOK_SECRET = 'whsec_test_stub_secret'

export interface StubRequest {
  method: string
  path: string
  body: Record<string, any>
  idempotencyKey: string | null
}

export type StripeObject = Record<string, any>

export interface StripeStub {
  readonly url: string
  /** Every request in arrival order (replays of an idempotency key included). */
  readonly requests: StubRequest[]
  /** The objects created, by id (a replayed key adds nothing). */
  readonly objects: Map<string, StripeObject>
  /** A gateway whose SDK talks to this stub. */
  gateway(): StripeGateway
  /** The next `count` requests fail with `status` (500: api_error; 402: card_error). */
  failNext(count: number, status?: 500 | 402): void
  /** The status new refunds are created with (succeeded unless told). */
  refundStatus(status: 'succeeded' | 'pending'): void
  /** Requests to `path` (and `method`, POST unless told). */
  requestsTo(path: string, method?: string): StubRequest[]
  /** Objects of one kind (`checkout.session`, `transfer`, `refund`, `account`). */
  created(kind: string): StripeObject[]
  /** Changes a stored object, as Stripe would when a workshop finishes onboarding. */
  update(id: string, patch: StripeObject): StripeObject
  /** The PaymentIntent a Checkout Session leads to, carrying its payment_intent_data. */
  paymentIntent(sessionId: string, patch?: StripeObject): StripeObject
  /** A webhook event envelope around `object`. */
  event(type: string, object: StripeObject, id?: string): StripeObject
  /** `event` as Stripe delivers it: the raw JSON body and its Stripe-Signature header. */
  signedEvent(event: StripeObject): { body: string; signature: string }
  close(): Promise<void>
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`

/** Parses Stripe's form encoding (`a[b][0][c]=v`) into nested objects and arrays. */
export function parseStripeForm(text: string): Record<string, any> {
  const root: Record<string, any> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.split(/\[|\]\[|\]/).filter((p, i) => i === 0 || p !== '')
    let node: any = root
    path.forEach((segment, i) => {
      const last = i === path.length - 1
      if (last) {
        node[segment] = value
        return
      }
      if (node[segment] === undefined) node[segment] = /^\d+$/.test(path[i + 1]!) ? [] : {}
      node = node[segment]
    })
  }
  return root
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

const now = () => Math.floor(Date.now() / 1000)
const int = (value: unknown) => (value === undefined ? undefined : Number(value))

/** Starts the stub on an ephemeral port. */
export async function startStripeStub(): Promise<StripeStub> {
  const requests: StubRequest[] = []
  const objects = new Map<string, StripeObject>()
  const byKey = new Map<string, { status: number; body: StripeObject }>()
  let failures: { count: number; status: 500 | 402 } = { count: 0, status: 500 }
  let newRefundStatus: 'succeeded' | 'pending' = 'succeeded'
  let url = ''

  const create = (req: { path: string; body: Record<string, any> }): [number, StripeObject] => {
    const b = req.body
    const metadata = b.metadata ?? {}
    switch (req.path) {
      case '/v1/checkout/sessions': {
        const sessionId = id('cs_test')
        const items = (b.line_items ?? []) as any[]
        const amount = items.reduce(
          (sum, item) =>
            sum + Number(item.price_data?.unit_amount ?? 0) * Number(item.quantity ?? 1),
          0,
        )
        return [
          200,
          {
            id: sessionId,
            object: 'checkout.session',
            mode: b.mode,
            currency: b.currency ?? items[0]?.price_data?.currency ?? null,
            amount_total: amount,
            client_reference_id: b.client_reference_id ?? null,
            success_url: b.success_url,
            cancel_url: b.cancel_url,
            metadata,
            payment_intent: null,
            payment_intent_data: b.payment_intent_data ?? {},
            line_items: items,
            status: 'open',
            payment_status: 'unpaid',
            url: `https://checkout.stripe.test/c/pay/${sessionId}`,
            expires_at: now() + 86_400,
            created: now(),
          },
        ]
      }
      case '/v1/transfers':
        return [
          200,
          {
            id: id('tr'),
            object: 'transfer',
            amount: int(b.amount),
            currency: b.currency,
            destination: b.destination,
            transfer_group: b.transfer_group ?? null,
            description: b.description ?? null,
            metadata,
            reversed: false,
            amount_reversed: 0,
            created: now(),
          },
        ]
      case '/v1/refunds':
        return [
          200,
          {
            id: id('re'),
            object: 'refund',
            amount: int(b.amount),
            currency: 'cny',
            payment_intent: b.payment_intent ?? null,
            charge: b.charge ?? null,
            metadata,
            status: newRefundStatus,
            created: now(),
          },
        ]
      case '/v1/accounts':
        return [
          200,
          {
            id: id('acct'),
            object: 'account',
            type: b.type,
            email: b.email ?? null,
            business_profile: b.business_profile ?? {},
            capabilities: {},
            metadata,
            details_submitted: false,
            charges_enabled: false,
            payouts_enabled: false,
            created: now(),
          },
        ]
      case '/v1/account_links': {
        if (!objects.has(b.account)) return [404, missing(b.account)]
        return [
          200,
          {
            object: 'account_link',
            url: `https://connect.stripe.test/setup/e/${b.account}/${randomBytes(6).toString('hex')}`,
            created: now(),
            expires_at: now() + 300,
            account: b.account,
            refresh_url: b.refresh_url,
            return_url: b.return_url,
            type: b.type,
          },
        ]
      }
      default:
        return [
          404,
          { error: { type: 'invalid_request_error', message: `No stub for ${req.path}` } },
        ]
    }
  }
  const missing = (what: string) => ({
    error: {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such object: '${what}'`,
    },
  })

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req)
      const path = new URL(req.url ?? '/', 'http://stub').pathname
      const keyHeader = req.headers['idempotency-key']
      const record: StubRequest = {
        method: req.method ?? 'GET',
        path,
        body: parseStripeForm(text),
        idempotencyKey: typeof keyHeader === 'string' ? keyHeader : null,
      }
      requests.push(record)
      if (req.headers.authorization !== `Bearer ${STUB_SECRET_KEY}`) {
        return send(res, 401, { error: { type: 'invalid_request_error', message: 'Bad API key' } })
      }
      if (failures.count > 0) {
        failures.count -= 1
        // Told not to retry, so a test decides exactly how many attempts fail.
        const headers = { 'stripe-should-retry': 'false' }
        return failures.status === 402
          ? send(
              res,
              402,
              {
                error: {
                  type: 'card_error',
                  code: 'card_declined',
                  message: 'Your card was declined.',
                },
              },
              headers,
            )
          : send(
              res,
              500,
              { error: { type: 'api_error', message: 'Stripe stub: injected failure' } },
              headers,
            )
      }
      if (record.method === 'GET') {
        const match = /^\/v1\/accounts\/([\w-]+)$/.exec(path)
        const found = match ? objects.get(match[1]!) : undefined
        return found ? send(res, 200, found) : send(res, 404, missing(match?.[1] ?? path))
      }
      if (record.method !== 'POST')
        return send(res, 405, { error: { type: 'invalid_request_error', message: 'Method' } })
      const replay = record.idempotencyKey ? byKey.get(record.idempotencyKey) : undefined
      if (replay) {
        return send(res, replay.status, replay.body, { 'idempotent-replayed': 'true' })
      }
      const [status, body] = create(record)
      if (status === 200 && typeof body.id === 'string') objects.set(body.id, body)
      if (record.idempotencyKey) byKey.set(record.idempotencyKey, { status, body })
      send(res, status, body)
    })().catch((error: unknown) =>
      send(res, 500, { error: { type: 'api_error', message: String(error) } }),
    )
  })
  server.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signer = new Stripe(STUB_SECRET_KEY)

  return {
    url,
    requests,
    objects,
    gateway: () =>
      createStripeGateway({
        secretKey: STUB_SECRET_KEY,
        webhookSecret: STUB_WEBHOOK_SECRET,
        publishableKey: 'pk_test_stub',
        apiUrl: url,
      }),
    failNext(count, status = 500) {
      failures = { count, status }
    },
    refundStatus(status) {
      newRefundStatus = status
    },
    requestsTo: (path, method = 'POST') =>
      requests.filter((r) => r.path === path && r.method === method),
    created: (kind) => [...objects.values()].filter((o) => o.object === kind),
    update(objectId, patch) {
      const found = objects.get(objectId)
      if (!found) throw new Error(`stub has no ${objectId}`)
      Object.assign(found, patch)
      return found
    },
    paymentIntent(sessionId, patch = {}) {
      const session = objects.get(sessionId)
      if (!session) throw new Error(`stub has no session ${sessionId}`)
      return {
        id: id('pi'),
        object: 'payment_intent',
        amount: session.amount_total,
        amount_received: session.amount_total,
        currency: session.currency,
        status: 'succeeded',
        metadata: { ...(session.payment_intent_data?.metadata ?? {}) },
        last_payment_error: null,
        latest_charge: id('ch'),
        created: now(),
        ...patch,
      }
    },
    event: (type, object, eventId = id('evt')) => ({
      id: eventId,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
    }),
    signedEvent(event) {
      const body = JSON.stringify(event, null, 2)
      const signature = signer.webhooks.generateTestHeaderString({
        payload: body,
        secret: STUB_WEBHOOK_SECRET,
      })
      return { body, signature }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A stub for the test file, started before its app (call this before useTestApp). */
export function useStripeStub(): { readonly current: StripeStub } {
  let stub: StripeStub | undefined
  beforeAll(async () => {
    stub = await startStripeStub()
  })
  afterAll(async () => {
    await stub?.close()
  })
  return {
    get current() {
      if (!stub) throw new Error('The Stripe stub runs only inside tests')
      return stub
    },
  }
}
