import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { expect, vi } from 'vitest'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { binaryStl, box } from '../unit/cad/models.ts'
import type { TestApp } from './app.ts'
import { apiPost, apiSession, apiUpload, TestClient, type Session } from './http.ts'
import { QUANTITY, move, quotingWorkshop, type Order } from './orders.ts'

// The world the authorisation matrix (tests/integration/authz-matrix.test.ts) runs in: six
// actors, and resources owned by "A" (designer A's firm and workshop A, the two parties of
// every A order) carrying secret markers that no response to anonymous or a B actor may hold.

export const ACTORS = [
  'anonymous',
  'designerA',
  'designerB',
  'workshopA',
  'workshopB',
  'operator',
] as const
export type Actor = (typeof ACTORS)[number]
/** The actors that must never see or change A's private data. */
export const OUTSIDERS: readonly Actor[] = ['anonymous', 'designerB', 'workshopB']

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

export interface AuthzWorld {
  clients: Record<Actor, TestClient>
  /** The CSRF header of each logged-in actor's session (anonymous: none). */
  csrf: Record<Actor, Record<string, string>>
  /** Route param name → the id (or value) of A's resource of that kind. */
  ids: Record<string, string>
  /** Strings only A's parties and operators may ever be shown. */
  markers: Record<string, string>
  /** Organisation and user ids of A's side, for the change check. */
  a: { designerOrg: string; workshopOrg: string; users: string[] }
}

/** A design firm's analysed one-part job, invited-only (and NDA unless told), opened and matched. */
async function invitedJob(
  app: TestApp,
  designer: Session,
  fields: { title: string; fileName: string; description: string; nda: boolean },
  invite: string,
) {
  const file = await apiUpload(
    designer,
    '/api/v1/files',
    {},
    { name: fields.fileName, bytes: binaryStl(box(40, 30, 20)) },
  )
  expect(file.status, JSON.stringify(file.body)).toBe(201)
  const fileId = file.body.id as string
  await vi.waitFor(
    async () => {
      const res = await designer.client.api('GET', `/api/v1/files/${fileId}`)
      if (res.body.analysis.status !== 'done') throw new Error('not analysed yet')
    },
    { timeout: 20_000, interval: 100 },
  )
  const job = await apiPost(designer, '/api/v1/jobs', {
    title: fields.title,
    description: fields.description,
    process: 'cnc_milling_3axis',
    material: 'al6061',
    tolerance_mm: 0.02,
    deadline: addDays(shanghaiToday(), 30),
    delivery_town: 'guzhen',
    visibility: 'invited',
    nda_required: fields.nda,
    needs_sample: false,
    parts: [{ file_id: fileId, quantity: QUANTITY }],
  })
  expect(job.status, JSON.stringify(job.body)).toBe(201)
  const jobId = job.body.id as string
  const invited = await apiPost(designer, `/api/v1/jobs/${jobId}/invitations`, {
    workshop_id: invite,
  })
  expect(invited.status, JSON.stringify(invited.body)).toBe(200)
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
  return { jobId, fileId }
}

/** Workshop `ws`'s quote on `jobId` (matching's estimate), confirmed with `comment`. */
async function confirmedQuote(app: TestApp, ws: Session, jobId: string, comment: string) {
  const quote = await app.db
    .selectFrom('quotes')
    .select('id')
    .where('job_id', '=', jobId)
    .where('organization_id', '=', ws.account.organization.id)
    .executeTakeFirstOrThrow()
  const confirmed = await apiPost(ws, `/api/v1/quotes/${quote.id}/confirm`, { comment })
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200)
  return quote.id
}

/** Builds the actors, logs each in once (the sessions are reused), and A's resources. */
export async function buildAuthzWorld(app: TestApp): Promise<AuthzWorld> {
  const tag = randomBytes(4).toString('hex').toUpperCase()
  const m = (what: string) => `AUTHZ${what}${tag}`
  const markers = {
    job: m('JOBTITLE'),
    jobDescription: m('JOBDESC'),
    file: m('PARTFILE'),
    orderJob: m('ORDERJOB'),
    orderFile: m('ORDERFILE'),
    jobMessage: m('JOBMSG'),
    quoteComment: m('QUOTECOMMENT'),
    orderQuoteComment: m('ORDERQUOTE'),
    orderMessage: m('ORDERMSG'),
    attachment: m('ATTACHMENT'),
    licence: m('LICENCE'),
    tracking: m('TRACKING'),
    bankReference: m('BANKREF'),
    token: m('TOKENNAME'),
    invitee: `authz-invitee-${tag.toLowerCase()}@example.test`,
    designerEmail: `authz-designer-a-${tag.toLowerCase()}@example.test`,
  }

  const operatorAccount = await createOperatorAccount(app.db)
  const designerAAccount = await createAccount(app.db, {
    kind: 'design_firm',
    email: markers.designerEmail,
  })
  const designerBAccount = await createAccount(app.db, { kind: 'design_firm' })
  const wsA = await quotingWorkshop(app, { label: `甲方工坊${tag}` })
  // No free hours: matching passes it by, so it is never brought to A's jobs.
  const wsB = await quotingWorkshop(app, { label: `乙方工坊${tag}`, hours: 0 })
  const operator = await apiSession(app.url, operatorAccount)
  const designerA = await apiSession(app.url, designerAAccount)
  const designerB = await apiSession(app.url, designerBAccount)

  const job = await invitedJob(
    app,
    designerA,
    {
      title: markers.job,
      fileName: `${markers.file}.stl`,
      description: markers.jobDescription,
      nda: true,
    },
    wsA.account.organization.id,
  )
  expect((await apiPost(wsA.session, `/api/v1/jobs/${job.jobId}/nda`)).status).toBe(200)
  const quoteId = await confirmedQuote(app, wsA.session, job.jobId, markers.quoteComment)
  const asked = await apiPost(wsA.session, `/api/v1/jobs/${job.jobId}/messages`, {
    body: markers.jobMessage,
  })
  expect(asked.status, JSON.stringify(asked.body)).toBe(201)

  // A's order, taken to completion (so it has a payment, shipments, an inspection, a payout).
  const orderJob = await invitedJob(
    app,
    designerA,
    {
      title: markers.orderJob,
      fileName: `${markers.orderFile}.stl`,
      description: markers.jobDescription,
      nda: false,
    },
    wsA.account.organization.id,
  )
  const orderQuote = await confirmedQuote(
    app,
    wsA.session,
    orderJob.jobId,
    markers.orderQuoteComment,
  )
  const accepted = await apiPost(designerA, `/api/v1/quotes/${orderQuote}/accept`)
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
  const o: Order = {
    id: accepted.body.order.id,
    number: accepted.body.order.number,
    version: accepted.body.order.version,
    total: accepted.body.order.total_fen,
    jobId: orderJob.jobId,
    designer: designerA,
    workshop: wsA.session,
    workshopId: wsA.account.organization.id,
  }
  const said = await apiPost(designerA, `/api/v1/orders/${o.id}/messages`, {
    body: markers.orderMessage,
  })
  expect(said.status, JSON.stringify(said.body)).toBe(201)
  await move(operator, o, {
    to: 'in_production',
    bank_reference: markers.bankReference,
    amount_fen: o.total,
  })
  const photo = await apiUpload(
    wsA.session,
    `/api/v1/orders/${o.id}/attachments`,
    {},
    { name: `${markers.attachment}.png`, bytes: PNG, type: 'image/png' },
  )
  expect(photo.status, JSON.stringify(photo.body)).toBe(201)
  await move(wsA.session, o, {
    action: 'ship_batch',
    carrier: '顺丰',
    tracking_number: markers.tracking,
    quantity: QUANTITY,
  })
  await move(designerA, o, { to: 'delivered' })
  const inspected = await apiPost(designerA, `/api/v1/orders/${o.id}/inspections`, {
    version: o.version,
    defects_found: 0,
    measurements: [],
  })
  expect(inspected.status, JSON.stringify(inspected.body)).toBe(201)

  const licence = await apiUpload(
    wsA.session,
    '/api/v1/workshop/files',
    { purpose: 'business_license' },
    { name: `${markers.licence}.pdf`, bytes: PDF, type: 'application/pdf' },
  )
  expect(licence.status, JSON.stringify(licence.body)).toBe(201)
  const token = await apiPost(designerA, '/api/v1/tokens', { name: markers.token })
  expect(token.status, JSON.stringify(token.body)).toBe(201)
  const invitation = await apiPost(designerA, '/api/v1/organization/invitations', {
    email: markers.invitee,
  })
  expect(invitation.status, JSON.stringify(invitation.body)).toBe(201)

  const program = await apiPost(operator, '/api/v1/ops/voucher-programs', {
    name: `中山设计服务券 ${tag}`,
    share_bps: 5000,
    annual_cap_fen: 30_000_000,
    budget_fen: 1_000_000_000,
    valid_from: addDays(shanghaiToday(), -30),
    valid_until: addDays(shanghaiToday(), 30),
  })
  expect(program.status, JSON.stringify(program.body)).toBe(201)
  const grant = await apiPost(operator, `/api/v1/ops/voucher-programs/${program.body.id}/grants`, {
    organization_id: designerAAccount.organization.id,
  })
  expect(grant.status, JSON.stringify(grant.body)).toBe(201)

  const orderIds = [o.id]
  const row = <T>(q: Promise<T | undefined>) => q
  const payment = await row(
    app.db.selectFrom('payments').select('id').where('order_id', 'in', orderIds).executeTakeFirst(),
  )
  const payout = await vi.waitFor(
    async () =>
      app.db
        .selectFrom('payouts')
        .select('id')
        .where('order_id', 'in', orderIds)
        .executeTakeFirstOrThrow(),
    { timeout: 20_000, interval: 100 },
  )
  const email = await app.db
    .selectFrom('emails')
    .select('id')
    .where('to_address', '=', markers.invitee)
    .executeTakeFirstOrThrow()

  const NIL = '00000000-0000-4000-8000-000000000000'
  const ids: Record<string, string> = {
    jobId: job.jobId,
    fileId: job.fileId,
    quoteId,
    orderId: o.id,
    orderJobId: orderJob.jobId,
    resourceId: wsA.resourceId,
    workshopId: wsA.account.organization.id,
    organizationId: wsA.account.organization.id,
    designerOrganizationId: designerAAccount.organization.id,
    workshopFileId: licence.body.id as string,
    attachmentId: photo.body.id as string,
    tokenId: token.body.id as string,
    invitationId: invitation.body.id as string,
    userId: designerAAccount.user.id,
    programId: program.body.id as string,
    grantId: grant.body.id as string,
    paymentId: payment?.id ?? NIL,
    payoutId: payout.id,
    // A refund needs a disputed order; operators alone reach /ops/refunds, so a missing one
    // still shows who is let in.
    refundId: NIL,
    emailId: email.id,
    code: 'al6061',
    asset: 'thumbnail.png',
    // Bearer links (invitations, password resets, signed downloads): a token nobody holds.
    token: `authz-${tag.toLowerCase()}-not-a-real-token`,
    '*': 'no-such-endpoint',
  }

  const anonymous = new TestClient(app.url)
  const clients: Record<Actor, TestClient> = {
    anonymous,
    designerA: designerA.client,
    designerB: designerB.client,
    workshopA: wsA.session.client,
    workshopB: wsB.session.client,
    operator: operator.client,
  }
  const csrf: Record<Actor, Record<string, string>> = {
    anonymous: {},
    designerA: designerA.csrf,
    designerB: designerB.csrf,
    workshopA: wsA.session.csrf,
    workshopB: wsB.session.csrf,
    operator: operator.csrf,
  }
  return {
    clients,
    csrf,
    ids,
    markers,
    a: {
      designerOrg: designerAAccount.organization.id,
      workshopOrg: wsA.account.organization.id,
      users: [designerAAccount.user.id, wsA.account.user.id],
    },
  }
}

/**
 * A digest per table of every row of A's side (its organisations, users, machines, files,
 * jobs and their quotes, orders and everything hanging off them): equal digests before and
 * after a request mean the request changed nothing of A's.
 */
export async function snapshotA(app: TestApp, a: AuthzWorld['a']): Promise<Record<string, string>> {
  const orgs = sql.join([sql`${a.designerOrg}::uuid`, sql`${a.workshopOrg}::uuid`])
  const users = sql.join(a.users.map((u) => sql`${u}::uuid`))
  const jobs = sql`(select id from jobs where organization_id in (${orgs}))`
  const orders = sql`(select id from orders where buyer_organization_id in (${orgs}) or workshop_organization_id in (${orgs}))`
  const digest = (table: string, where: ReturnType<typeof sql>) =>
    sql`(select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${sql.table(table)} t where ${where})`
  const parts: [string, ReturnType<typeof sql>][] = [
    ['organizations', sql`id in (${orgs})`],
    ['users', sql`id in (${users})`],
    ['memberships', sql`organization_id in (${orgs})`],
    ['invitations', sql`organization_id in (${orgs})`],
    ['personal_access_tokens', sql`user_id in (${users})`],
    ['resources', sql`organization_id in (${orgs})`],
    [
      'capacity_windows',
      sql`resource_id in (select id from resources where organization_id in (${orgs}))`,
    ],
    ['files', sql`organization_id in (${orgs})`],
    ['jobs', sql`organization_id in (${orgs})`],
    ['job_files', sql`organization_id in (${orgs})`],
    ['job_parts', sql`job_id in ${jobs}`],
    ['job_invitations', sql`job_id in ${jobs}`],
    ['nda_acceptances', sql`job_id in ${jobs}`],
    ['quotes', sql`job_id in ${jobs} or organization_id in (${orgs})`],
    ['orders', sql`id in ${orders}`],
    ['order_events', sql`order_id in ${orders}`],
    ['shipments', sql`order_id in ${orders}`],
    ['inspections', sql`order_id in ${orders}`],
    ['disputes', sql`order_id in ${orders}`],
    ['payments', sql`order_id in ${orders}`],
    ['payouts', sql`order_id in ${orders}`],
    ['refunds', sql`order_id in ${orders}`],
    ['messages', sql`order_id in ${orders} or job_id in ${jobs}`],
    ['reviews', sql`order_id in ${orders}`],
    ['voucher_grants', sql`organization_id in (${orgs})`],
  ]
  const { rows } = await sql<Record<string, string>>`select ${sql.join(
    parts.map(([table, where]) => sql`${digest(table, where)} as ${sql.ref(table)}`),
  )}`.execute(app.db)
  return rows[0]!
}
