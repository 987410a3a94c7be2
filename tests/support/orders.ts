import { expect, vi } from 'vitest'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { createManualQuote } from '../../app/models/quote.server.ts'
import { townByCode } from '../../app/models/towns.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'
import { createAccount } from '../factories.ts'
import { binaryStl, box } from '../unit/cad/models.ts'
import type { TestApp } from './app.ts'
import { apiPost, apiSession, apiUpload, type Session } from './http.ts'

// Orders made the way the app makes them, against a test file's app (tests/support/app.ts):
// verified workshops with a machine and free hours; design firms' jobs with one part uploaded
// through the API, analysed and matched by the file's worker; quotes sent by hand (through the
// model, to set up many quickly) or confirmed from matching's estimates, accepted through the
// API; and orders moved through the lifecycle by their parties through the API.

/** How many parts every job here asks for: one 40×30×20 mm block. */
export const QUANTITY = 10

export interface Workshop {
  account: AccountView
  /** Its 3-axis mill. */
  resourceId: string
  session: Session
}

export interface WorkshopOptions {
  /** Names it `${label} 精密加工` and its mill `${label} 三轴加工中心`; faker names it otherwise. */
  label?: string
  town?: string
  locale?: 'zh-CN' | 'en'
  /** false: still waiting for verification, so it may not quote. */
  verified?: boolean
  /** At its town's coordinates, so its quotes say how far away it is. */
  located?: boolean
  /** A seeded rating, as the demo workshops have before their first review. */
  rating?: number
  /** Free hours a day on its mill for the next 40 days (8 unless told); 0: matching passes it by. */
  hours?: number
}

/** A verified workshop with one active 3-axis mill for al6061 and free hours, logged in. */
export async function quotingWorkshop(
  app: TestApp,
  options: WorkshopOptions = {},
): Promise<Workshop> {
  const town = options.town ?? 'guzhen'
  const account = await createAccount(app.db, {
    kind: 'workshop',
    town,
    locale: options.locale ?? 'zh-CN',
    ...(options.label === undefined ? {} : { organizationName: `${options.label} 精密加工` }),
  })
  const place = townByCode(town)!
  await app.db
    .updateTable('organizations')
    .set({
      verification_status: options.verified === false ? 'pending' : 'verified',
      ...(options.located ? { lat: place.lat, lng: place.lng } : {}),
      ...(options.rating === undefined ? {} : { rating: options.rating }),
    })
    .where('id', '=', account.organization.id)
    .execute()
  const resourceId = await addMachine(app, account, {
    name: `${options.label ?? account.organization.name} 三轴加工中心`,
  })
  const hours = options.hours ?? 8
  if (hours > 0) {
    const today = shanghaiToday()
    await app.db
      .insertInto('capacity_windows')
      .values({
        resource_id: resourceId,
        starts_on: today,
        ends_on: addDays(today, 40),
        hours_per_day: hours,
      })
      .execute()
  }
  return { account, resourceId, session: await apiSession(app.url, account) }
}

/** One more active machine of the workshop's (a 3-axis mill unless told), without free hours. */
export async function addMachine(
  app: TestApp,
  account: AccountView,
  machine: { name: string; process?: string },
) {
  const row = await app.db
    .insertInto('resources')
    .values({
      organization_id: account.organization.id,
      process: machine.process ?? 'cnc_milling_3axis',
      name: machine.name,
      materials: ['al6061'],
      envelope_x_mm: 500,
      envelope_y_mm: 400,
      envelope_z_mm: 300,
      tolerance_mm: 0.01,
      hourly_rate_fen: 12_000,
      max_quantity: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Fields of the POST /api/v1/jobs body a test may set. */
export interface JobFields {
  title?: string
  tolerance_mm?: number
  needs_sample?: boolean
  aql?: number
}

/**
 * A design firm's public job for one analysed 40×30×20 mm al6061 block, quantity 10, 3-axis
 * milled to ±0.02 mm, due in 30 days, with a sample: opened, and matched by the worker (a
 * tolerance tighter than 0.01 mm matches no machine here). `designer` posts it (a new design
 * firm otherwise); the other options override those fields.
 */
export async function openJob(app: TestApp, options: JobFields & { designer?: Session } = {}) {
  const { designer: given, ...fields } = options
  const designer =
    given ?? (await apiSession(app.url, await createAccount(app.db, { kind: 'design_firm' })))
  const file = await apiUpload(
    designer,
    '/api/v1/files',
    {},
    { name: 'block.stl', bytes: binaryStl(box(40, 30, 20)) },
  )
  expect(file.status).toBe(201)
  const fileId = file.body.id as string
  await vi.waitFor(
    async () => {
      const res = await designer.client.api('GET', `/api/v1/files/${fileId}`)
      if (res.body.analysis.status !== 'done') throw new Error('not analysed yet')
    },
    { timeout: 20_000, interval: 100 },
  )
  const title = fields.title ?? '铝块 40×30×20'
  const job = await apiPost(designer, '/api/v1/jobs', {
    process: 'cnc_milling_3axis',
    material: 'al6061',
    tolerance_mm: 0.02,
    deadline: addDays(shanghaiToday(), 30),
    delivery_town: 'guzhen',
    visibility: 'public',
    needs_sample: true,
    parts: [{ file_id: fileId, quantity: QUANTITY }],
    ...fields,
    title,
  })
  expect(job.status, JSON.stringify(job.body)).toBe(201)
  const jobId = job.body.id as string
  expect((await apiPost(designer, `/api/v1/jobs/${jobId}/open`)).status).toBe(200)
  await vi.waitFor(
    async () => {
      const row = await app.db
        .selectFrom('jobs')
        .select('matched_at')
        .where('id', '=', jobId)
        .executeTakeFirstOrThrow()
      if (!row.matched_at) throw new Error('not matched yet')
    },
    { timeout: 20_000, interval: 100 },
  )
  return { designer, jobId, fileId, title }
}

/** The quote `ws` holds on `jobId` (matching wrote it, or the workshop sent it). */
export function quoteOf(app: TestApp, ws: { account: AccountView }, jobId: string) {
  return app.db
    .selectFrom('quotes')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('organization_id', '=', ws.account.organization.id)
    .executeTakeFirstOrThrow()
}

/**
 * A manual quote by `ws` on its mill, confirmed as it is sent: `unitPriceFen` a part, 200 yuan
 * set-up, a 50 yuan sample in 3 days, the batch in 10, 4 machine hours. Written through the
 * model, for setting up many at once.
 */
export async function manualQuote(
  app: TestApp,
  ws: { account: AccountView; resourceId: string },
  jobId: string,
  fileId: string,
  unitPriceFen: number,
) {
  return app.db.transaction().execute((tx) =>
    createManualQuote(
      tx,
      ws.account,
      jobId,
      {
        resourceId: ws.resourceId,
        parts: [{ fileId, unitPriceFen }],
        setupFen: 20_000,
        samplePriceFen: 5_000,
        sampleLeadDays: 3,
        batchLeadDays: 10,
        machineHours: 4,
        comment: '',
      },
      { publicUrl: app.publicUrl },
    ),
  )
}

/** An order and its parties; `version` follows the transitions made through move(). */
export interface Order {
  id: string
  number: string
  version: number
  total: number
  jobId: string
  designer: Session
  workshop: Session
  workshopId: string
}

/**
 * An accepted order in awaiting_payment on a new job (see openJob) of `designer`'s, without
 * a sample unless `job` says so. With `workshop`, it confirms the estimate matching gave it
 * (so it must have free hours); otherwise a new quoting workshop sends a manual quote at
 * 10 yuan a part.
 */
export async function acceptedOrder(
  app: TestApp,
  options: { designer?: Session; workshop?: Workshop; job?: JobFields } = {},
): Promise<Order> {
  const { designer, jobId, fileId } = await openJob(app, {
    designer: options.designer,
    needs_sample: false,
    ...options.job,
  })
  let ws: Workshop
  let quoteId: string
  if (options.workshop) {
    ws = options.workshop
    quoteId = (await quoteOf(app, ws, jobId)).id
    const confirmed = await apiPost(ws.session, `/api/v1/quotes/${quoteId}/confirm`, {})
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200)
  } else {
    ws = await quotingWorkshop(app)
    quoteId = (await manualQuote(app, ws, jobId, fileId, 1_000)).id
  }
  const accepted = await apiPost(designer, `/api/v1/quotes/${quoteId}/accept`)
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
  const order = accepted.body.order
  return {
    id: order.id,
    number: order.number,
    version: order.version,
    total: order.total_fen,
    jobId,
    designer,
    workshop: ws.session,
    workshopId: ws.account.organization.id,
  }
}

/** A transition of `o` at the version the test last saw, as `s`. */
export const transition = (s: Session, o: Order, body: Record<string, unknown>) =>
  apiPost(s, `/api/v1/orders/${o.id}/transitions`, { version: o.version, ...body })

/** A transition that must succeed: the order body, its contract checked; `o.version` follows. */
export async function move(s: Session, o: Order, body: Record<string, unknown>) {
  const res = await transition(s, o, body)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(schemas.OrderDetailResponse.parse(res.body)).toEqual(res.body)
  o.version = res.body.order.version
  return res.body.order
}

/** `operator` confirms the bank transfer of the order's total: on to the sample or the batch. */
export const pay = (operator: Session, o: Order, to: 'sampling' | 'in_production') =>
  move(operator, o, { to, bank_reference: 'ICBC-20261130', amount_fen: o.total })

/** The workshop ships `quantity` parts of the batch. */
export const shipBatch = (o: Order, quantity: number) =>
  move(o.workshop, o, {
    action: 'ship_batch',
    carrier: '顺丰',
    tracking_number: `SF${quantity}${o.version}`,
    quantity,
  })

/**
 * Takes `o`, awaiting payment without a sample, along the lifecycle to `status`: `operator`
 * confirms the payment, the workshop ships the whole batch, the designer confirms delivery and
 * inspects the lot (finding a defect, to dispute it). Each step must succeed and reach its
 * status; the order body after the last.
 */
export async function moveTo(
  o: Order,
  status: 'in_production' | 'shipped' | 'delivered' | 'disputed' | 'completed',
  operator: Session,
) {
  let order = await pay(operator, o, 'in_production')
  expect(order.status).toBe('in_production')
  if (status === 'in_production') return order
  order = await shipBatch(o, QUANTITY)
  expect(order.status).toBe('shipped')
  if (status === 'shipped') return order
  order = await move(o.designer, o, { to: 'delivered' })
  expect(order.status).toBe('delivered')
  if (status === 'delivered') return order
  order = await inspect(o, status === 'disputed' ? 1 : 0)
  expect(order.status).toBe(status)
  return order
}

/** The designer inspects the delivered lot (no measurements) and finds `defects`: the order body. */
export async function inspect(o: Order, defects: number) {
  const res = await apiPost(o.designer, `/api/v1/orders/${o.id}/inspections`, {
    version: o.version,
    defects_found: defects,
    measurements: [],
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  o.version = res.body.order.version
  return res.body.order
}
