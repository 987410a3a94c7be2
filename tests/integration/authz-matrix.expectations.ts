// The one table of who may do what (tests/integration/authz-matrix.test.ts runs it).
//
// A row per (method, route pattern): the outcome for each actor, in the order
//   anonymous, designer A, designer B, workshop A, workshop B, operator
// where every `:param` is A's resource of that kind (jobId: designer A's NDA job that only
// workshop A is invited to; orderId: the completed order between designer A and workshop A;
// quoteId: workshop A's pending quote on that job; resourceId: workshop A's machine; …, see
// tests/support/authz-fixture.ts). Outcomes:
//   ok     2xx, or a redirect anywhere but the login page: allowed
//   login  anonymous is sent to log in (pages: redirect to /login; API: 401)
//   403    refused for its kind of account (a designer on a workshop page, …)
//   404    hidden: must not reveal that A's resource exists
//   400 409 410 422   allowed past authorisation, refused by validation or state (the body
//          here is minimal, or the order is already completed)
// Routes under /console and /api/v1/ops take the operator-only default unless a row says
// otherwise; every other route needs its own row.

export type Outcome =
  'ok' | 'login' | 'bounce' | 400 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422
export type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]

//                              anon     dA     dB     wA     wB     op
const PUBLIC: Row = /*       */ ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']
const SIGNED_IN: Row = /*    */ ['login', 'ok', 'ok', 'ok', 'ok', 'ok']
const DESIGNERS: Row = /*    */ ['login', 'ok', 'ok', 403, 403, 403]
const WORKSHOPS: Row = /*    */ ['login', 403, 403, 'ok', 'ok', 403]
const OPERATOR: Row = /*     */ ['login', 403, 403, 403, 403, 'ok']
/** Operator-only, and the operator's empty form or body is refused by validation. */
const OPERATOR_400: Row = /* */ ['login', 403, 403, 403, 403, 400]
/** A's job or order: its two parties and operators; everyone else must not learn it exists. */
const A_PARTIES: Row = /*    */ ['login', 'ok', 404, 'ok', 404, 'ok']
/** Changing designer A's job: its firm only (workshops and operators are refused by kind). */
const DESIGNER_A: Row = /*   */ ['login', 'ok', 404, 403, 403, 403]
/** Workshop A's own (its machine, its quote), refused to designers and operators by kind. */
const WORKSHOP_A: Row = /*   */ ['login', 403, 403, 'ok', 404, 403]
/** Validation refuses the minimal body whoever sends it (login, sign-up, bearer links). */
const INVALID: Row = /*      */ [400, 400, 400, 400, 400, 400]
/**
 * Action-only routes whose loader just redirects to their page (which then applies its own
 * rule): no data in the response, whoever asks.
 */
const BOUNCE: Row = PUBLIC

export const table: Record<string, Row> = {
  // Public pages, the session and the account's own settings.
  'GET /': PUBLIC,
  'GET /healthz': PUBLIC,
  'GET /capabilities': PUBLIC,
  'GET /workshops/:workshopId': PUBLIC, // a workshop's public profile
  'GET /login': PUBLIC,
  'POST /login': [400, 'ok', 'ok', 'ok', 'ok', 'ok'], // signed in: sent to the dashboard
  'GET /logout': PUBLIC,
  'POST /logout': ['login', 'login', 'login', 'login', 'login', 'login'], // ends the session
  'GET /signup': PUBLIC,
  'POST /signup': [400, 'ok', 'ok', 'ok', 'ok', 'ok'], // signed in: sent to the dashboard
  'GET /forgot-password': PUBLIC,
  'POST /forgot-password': INVALID,
  'GET /reset-password/:token': PUBLIC, // says the link is invalid
  'POST /reset-password/:token': INVALID,
  'GET /invitations/:token': PUBLIC, // says the link is invalid
  'POST /invitations/:token': INVALID,
  'GET /downloads/:token': [410, 410, 410, 410, 410, 410], // a signed link nobody was given
  'GET /language': PUBLIC,
  'POST /language': PUBLIC,
  'GET /dashboard': SIGNED_IN,
  'GET /settings': PUBLIC, // redirects to /settings/profile, which asks to log in
  'GET /settings/profile': SIGNED_IN,
  'POST /settings/profile': ['login', 400, 400, 400, 400, 400],
  'GET /settings/password': SIGNED_IN,
  'POST /settings/password': ['login', 400, 400, 400, 400, 400],
  'GET /settings/organization': SIGNED_IN,
  // Revoking A's invitation / A's token (the API already revoked them: 404 for A too).
  'POST /settings/organization': ['login', 404, 404, 404, 404, 403],
  'GET /settings/tokens': SIGNED_IN,
  'POST /settings/tokens': ['login', 404, 404, 404, 404, 404],

  // Designers: jobs, parts, orders, vouchers.
  'GET /designer': DESIGNERS,
  'GET /jobs': DESIGNERS,
  'GET /jobs/new': DESIGNERS,
  'POST /jobs/new': ['login', 400, 400, 403, 403, 403],
  'GET /jobs/:jobId': A_PARTIES,
  // Cancel (after the API cancelled it: 409 for A). Workshops and operators: 403, a refusal by
  // kind ("only design firms") that says nothing of A's job.
  'POST /jobs/:jobId': ['login', 409, 404, 403, 403, 403],
  'POST /jobs/:jobId #confirm-quote': WORKSHOP_A,
  'GET /jobs/:jobId/edit': DESIGNER_A,
  'POST /jobs/:jobId/edit': DESIGNER_A,
  'GET /jobs/:jobId/messages': BOUNCE,
  'POST /jobs/:jobId/messages': ['login', 'ok', 404, 'ok', 404, 403], // operators read only
  'GET /jobs/:jobId/upload': BOUNCE,
  // An empty STL for an open job: A's own upload is refused with a message, like workshops'.
  'POST /jobs/:jobId/upload': ['login', 'bounce', 404, 'bounce', 'bounce', 'bounce'],
  'GET /jobs/:jobId/parts/:fileId': A_PARTIES,
  'GET /cad/:fileId/:asset': [404, 'ok', 404, 'ok', 404, 'ok'],
  'GET /files/:fileId': [404, 404, 404, 'ok', 404, 'ok'], // workshop A's business licence
  'GET /files/:fileId #order-attachment': [404, 'ok', 404, 'ok', 404, 'ok'],
  'GET /orders': SIGNED_IN,
  'GET /orders/:orderId': A_PARTIES,
  'POST /orders/:orderId': ['login', 409, 404, 409, 404, 409], // the order is completed
  'GET /orders/:orderId/attachments': BOUNCE,
  'POST /orders/:orderId/attachments': A_PARTIES,
  'GET /orders/:orderId/messages': BOUNCE,
  'POST /orders/:orderId/messages': A_PARTIES,
  'GET /orders/:orderId/pay-card': BOUNCE,
  'POST /orders/:orderId/pay-card': ['login', 'bounce', 404, 'bounce', 404, 'bounce'],
  'GET /orders/:orderId/review': BOUNCE,
  'POST /orders/:orderId/review': ['login', 'ok', 404, 'ok', 404, 'bounce'],
  'GET /vouchers': ['login', 'ok', 'ok', 403, 403, 'ok'], // operators go to the console
  'POST /vouchers': ['login', 409, 'ok', 403, 403, 403], // A holds this programme already

  // Workshops.
  'GET /workshop': WORKSHOPS,
  'GET /workshop/job-board': WORKSHOPS,
  'POST /workshop/job-board': WORKSHOP_A, // declines workshop A's quote
  'GET /workshop/payouts': WORKSHOPS,
  'GET /workshop/payouts.csv': WORKSHOPS,
  'GET /workshop/payouts/connect': BOUNCE,
  'POST /workshop/payouts/connect': ['login', 403, 403, 'bounce', 'bounce', 403], // no Stripe
  'GET /workshop/profile': WORKSHOPS,
  // Deletes A's licence (the API deleted it already: 404 for A too).
  'POST /workshop/profile': ['login', 403, 403, 404, 404, 403],
  'GET /workshop/resources': WORKSHOPS,
  'GET /workshop/resources/new': WORKSHOPS,
  'POST /workshop/resources/new': ['login', 403, 403, 400, 400, 403],
  'GET /workshop/resources/:resourceId': WORKSHOP_A,
  'POST /workshop/resources/:resourceId': ['login', 403, 403, 409, 404, 403], // booked: kept

  // The API: the session and the account.
  'GET /api/v1/*': [404, 404, 404, 404, 404, 404],
  'GET /api/v1/openapi.json': PUBLIC,
  'POST /api/v1/session': INVALID,
  // Workshop A: suspended by the operator just before, so its session is gone.
  'DELETE /api/v1/session': ['login', 'ok', 'ok', 'login', 'ok', 'ok'],
  'POST /api/v1/signup': INVALID,
  'POST /api/v1/password-resets': INVALID,
  'POST /api/v1/password-resets/confirm': INVALID,
  'POST /api/v1/invitations/:token/accept': INVALID,
  'GET /api/v1/me': SIGNED_IN,
  'PATCH /api/v1/me': SIGNED_IN,
  'POST /api/v1/me/password': ['login', 400, 400, 400, 400, 400],
  'GET /api/v1/tokens': SIGNED_IN,
  'POST /api/v1/tokens': SIGNED_IN,
  'DELETE /api/v1/tokens/:tokenId': ['login', 'ok', 404, 404, 404, 404],
  'GET /api/v1/organization/members': SIGNED_IN,
  // Designer A's owner: A may not remove itself (409); nobody else finds it.
  'DELETE /api/v1/organization/members/:userId': ['login', 409, 404, 404, 404, 403],
  'GET /api/v1/organization/invitations': ['login', 'ok', 'ok', 'ok', 'ok', 403],
  'POST /api/v1/organization/invitations': ['login', 'ok', 'ok', 'ok', 'ok', 403],
  'DELETE /api/v1/organization/invitations/:invitationId': ['login', 'ok', 404, 404, 404, 403],

  // Reference data and public profiles.
  'GET /api/v1/capabilities': PUBLIC,
  'GET /api/v1/materials': PUBLIC,
  'POST /api/v1/materials': ['login', 400, 400, 400, 400, 400], // body checked first
  'PATCH /api/v1/materials/:code': OPERATOR,
  'GET /api/v1/towns': PUBLIC,
  'GET /api/v1/workshops/:workshopId': PUBLIC,

  // Workshops' supply side. Active machines and their photos are public (search lists them).
  'GET /api/v1/workshop/profile': WORKSHOPS,
  'PUT /api/v1/workshop/profile': ['login', 403, 403, 400, 400, 403],
  'POST /api/v1/workshop/verification-request': ['login', 403, 403, 409, 409, 403], // verified
  'POST /api/v1/workshop/files': WORKSHOPS,
  'DELETE /api/v1/workshop/files/:fileId': ['login', 404, 404, 'ok', 404, 404],
  'GET /api/v1/workshop/insights': WORKSHOPS,
  'GET /api/v1/resources': WORKSHOPS,
  'POST /api/v1/resources': ['login', 400, 400, 400, 400, 400], // body checked first
  'GET /api/v1/resources/:resourceId': PUBLIC,
  'PATCH /api/v1/resources/:resourceId': ['login', 404, 404, 'ok', 404, 404],
  'DELETE /api/v1/resources/:resourceId': ['login', 403, 403, 409, 404, 403], // booked: kept
  'GET /api/v1/resources/:resourceId/capacity': ['login', 404, 404, 'ok', 404, 404],
  'PUT /api/v1/resources/:resourceId/capacity': WORKSHOP_A,
  'GET /api/v1/resources/:resourceId/photos': PUBLIC,
  'POST /api/v1/resources/:resourceId/photos': ['login', 404, 404, 'ok', 404, 404],
  'GET /api/v1/verifications': OPERATOR,
  'GET /api/v1/verifications/:organizationId': OPERATOR,
  'POST /api/v1/verifications/:organizationId': OPERATOR_400,
  'GET /api/v1/payouts': WORKSHOPS,
  'GET /api/v1/payouts/connect': WORKSHOPS,
  'POST /api/v1/payouts/connect': ['login', 403, 403, 409, 409, 403], // no Stripe here

  // Designers' demand side: files, jobs, quotes.
  'POST /api/v1/files': DESIGNERS,
  'GET /api/v1/files/:fileId': A_PARTIES,
  'PATCH /api/v1/files/:fileId': ['login', 409, 404, 404, 404, 404], // open job: parts fixed
  'GET /api/v1/files/:fileId/download': A_PARTIES,
  'GET /api/v1/jobs': DESIGNERS,
  'POST /api/v1/jobs': ['login', 400, 400, 403, 403, 403],
  'GET /api/v1/jobs/:jobId': A_PARTIES,
  'PATCH /api/v1/jobs/:jobId': ['login', 409, 404, 403, 404, 403], // open: no longer editable
  'POST /api/v1/jobs/:jobId/open': ['login', 409, 404, 403, 403, 403], // already open
  'POST /api/v1/jobs/:jobId/cancel': DESIGNER_A,
  'POST /api/v1/jobs/:jobId/nda': WORKSHOP_A,
  'GET /api/v1/jobs/:jobId/invitations': ['login', 'ok', 404, 404, 404, 'ok'],
  'POST /api/v1/jobs/:jobId/invitations': DESIGNER_A,
  'DELETE /api/v1/jobs/:jobId/invitations/:workshopId': DESIGNER_A,
  'GET /api/v1/jobs/:jobId/matches': ['login', 'ok', 404, 404, 404, 'ok'],
  'GET /api/v1/jobs/:jobId/downloads': ['login', 'ok', 404, 404, 404, 'ok'],
  'GET /api/v1/jobs/:jobId/quotes': A_PARTIES,
  'POST /api/v1/jobs/:jobId/quotes': ['login', 403, 403, 409, 404, 403], // A quoted already
  'GET /api/v1/jobs/:jobId/messages': A_PARTIES,
  'POST /api/v1/jobs/:jobId/messages': ['login', 'ok', 404, 'ok', 404, 403],
  'GET /api/v1/job-board': WORKSHOPS,
  'POST /api/v1/quotes/:quoteId/confirm': WORKSHOP_A,
  'POST /api/v1/quotes/:quoteId/decline': ['login', 403, 403, 409, 404, 403], // job cancelled
  'POST /api/v1/quotes/:quoteId/accept': ['login', 409, 404, 403, 403, 403], // job cancelled

  // Orders (A's is completed: its transitions are refused by state).
  'GET /api/v1/orders': SIGNED_IN,
  'GET /api/v1/orders/:orderId': A_PARTIES,
  'GET /api/v1/orders/:orderId/events': A_PARTIES,
  'POST /api/v1/orders/:orderId/transitions': ['login', 409, 404, 409, 404, 409],
  'POST /api/v1/orders/:orderId/inspections': ['login', 409, 404, 409, 404, 409],
  'GET /api/v1/orders/:orderId/attachments': A_PARTIES,
  'POST /api/v1/orders/:orderId/attachments': A_PARTIES,
  'GET /api/v1/orders/:orderId/reviews': A_PARTIES,
  'POST /api/v1/orders/:orderId/reviews': ['login', 409, 404, 409, 404, 403], // page reviewed
  'GET /api/v1/orders/:orderId/messages': A_PARTIES,
  'POST /api/v1/orders/:orderId/messages': A_PARTIES,
  'POST /api/v1/orders/:orderId/payments': ['login', 409, 404, 403, 404, 403], // paid
  'POST /api/v1/payments/stripe/webhook': [404, 404, 404, 404, 404, 404], // Stripe is off

  // Vouchers (programmes are open to every design firm).
  'GET /api/v1/vouchers': ['login', 'ok', 'ok', 403, 403, 'ok'],
  'POST /api/v1/vouchers/:programId/applications': ['login', 409, 409, 403, 403, 403],

  // Operator rows that differ from the default (their empty body is refused, or the thing
  // is already done).
  'POST /api/v1/ops/payments/:paymentId/confirm': ['login', 403, 403, 403, 403, 409],
  'POST /api/v1/ops/refunds/:refundId/sent': OPERATOR_400,
  'POST /api/v1/ops/voucher-programs': OPERATOR_400,
  'POST /api/v1/ops/voucher-programs/:programId/grants': ['login', 403, 403, 403, 403, 409],
  'PATCH /api/v1/ops/voucher-grants/:grantId': ['login', 403, 403, 403, 403, 409],
}

/** Defaults by prefix, for routes without a row of their own. */
const defaults: [RegExp, Row][] = [
  [/^GET \/console(\/|$)/, OPERATOR],
  // The console's forms, posted empty.
  [/^POST \/console(\/|$)/, OPERATOR_400],
  [/^(GET|POST|PUT|PATCH|DELETE) \/api\/v1\/ops\//, OPERATOR],
]

/** The keys written in `table` (each must name a route that exists). */
export const tableKeys = () => Object.keys(table).map((k) => k.replace(/ #.*$/, ''))

/** The row for `key` ("METHOD /pattern"), its own or its prefix's default. */
export function expectationFor(key: string): Row | undefined {
  return table[key] ?? defaults.find(([re]) => re.test(key))?.[1]
}

/** Extra cells for a route: the same route sent another body ("METHOD /pattern #label"). */
export const variantsOf = (key: string) =>
  Object.keys(table).filter((k) => k.startsWith(`${key} #`))

type Ids = Record<string, string>
export interface RequestSpec {
  /** JSON for the API, form fields for pages (the CSRF field is added). */
  body?: (ids: Ids, actor: string) => Record<string, unknown>
  query?: (ids: Ids) => Record<string, string>
  /** Route params that are not the default of their name. */
  params?: (ids: Ids) => Ids
  /** Sent as multipart with this file. */
  upload?: { name: string; type: string; bytes: Uint8Array }
  /**
   * Runs after every cell without (in increasing order): 1 destroys or closes A's thing when
   * allowed, 2 suspends A, 3 and 4 end the actor's session.
   */
  last?: 1 | 2 | 3 | 4
}

const PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
)
const png = { name: 'authz.png', type: 'image/png', bytes: PNG }
const pdf = {
  name: 'authz.pdf',
  type: 'application/pdf',
  bytes: Uint8Array.from(Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')),
}
const stl = {
  name: 'authz.stl',
  type: 'model/stl',
  bytes: Uint8Array.from(Buffer.from('solid a\nendsolid a\n')),
}
const reimbursementPeriod = () => {
  const year = new Date().getFullYear()
  return { from: `${year}-01-01`, to: `${year}-12-31` }
}
const workshopFile = (ids: Ids) => ({ fileId: ids.workshopFileId! })

/**
 * What each cell sends, where an empty request would not show whether an outsider may act on
 * A's thing: the body a party would send, aimed at A's resource.
 */
export const requests: Record<string, RequestSpec> = {
  'POST /logout': { last: 4 },
  'DELETE /api/v1/session': { last: 3 },
  'POST /language': { body: () => ({ locale: 'zh-CN', redirectTo: '/' }) },
  'POST /settings/organization': {
    body: (ids) => ({ intent: 'revoke', id: ids.invitationId! }),
    last: 2,
  },
  'POST /settings/tokens': { body: (ids) => ({ intent: 'revoke', id: ids.tokenId! }), last: 2 },
  'POST /jobs/:jobId': { body: () => ({ intent: 'cancel' }), last: 2 },
  'POST /jobs/:jobId #confirm-quote': {
    body: (ids) => ({ intent: 'confirm-quote', quoteId: ids.quoteId!, comment: 'authz' }),
  },
  'POST /jobs/:jobId/edit': {
    body: () => ({
      title: 'authz renamed',
      process: 'cnc_milling_3axis',
      material: 'al6061',
      toleranceMm: '0.05',
      deadline: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10),
      deliveryTown: 'guzhen',
      visibility: 'invited',
    }),
  },
  'POST /jobs/:jobId/messages': {
    body: (ids) => ({ body: 'authz message', workshopId: ids.workshopId! }),
  },
  'POST /jobs/:jobId/upload': { upload: stl },
  'GET /jobs/:jobId/parts/:fileId': {},
  'GET /files/:fileId': { params: workshopFile },
  'GET /files/:fileId #order-attachment': { params: (ids) => ({ fileId: ids.attachmentId! }) },
  'POST /orders/:orderId': {
    body: () => ({ intent: 'add_evidence', version: '1', note: 'authz' }),
  },
  'POST /orders/:orderId/attachments': { upload: png },
  'POST /orders/:orderId/messages': { body: () => ({ body: 'authz message' }) },
  'POST /orders/:orderId/review': {
    body: (_ids, actor) =>
      actor.startsWith('workshop')
        ? { overall: '1', comment: 'authz' }
        : { quality: '1', communication: '1', on_time: '1', comment: 'authz' },
  },
  'POST /vouchers': { body: (ids) => ({ intent: 'apply', programId: ids.programId! }) },
  'POST /workshop/job-board': {
    body: (ids) => ({ intent: 'decline-quote', quoteId: ids.quoteId!, reason: 'authz' }),
    last: 1,
  },
  'POST /workshop/profile': {
    body: (ids) => ({ intent: 'delete-file', fileId: ids.workshopFileId! }),
    last: 2,
  },
  'POST /workshop/resources/:resourceId': { body: () => ({ intent: 'delete' }), last: 1 },

  'PATCH /api/v1/me': { body: () => ({}) },
  'POST /api/v1/tokens': { body: () => ({ name: 'authz token' }) },
  'DELETE /api/v1/tokens/:tokenId': { last: 1 },
  'DELETE /api/v1/organization/invitations/:invitationId': { last: 1 },
  'POST /api/v1/organization/invitations': {
    body: () => ({ email: `authz-${Math.random().toString(36).slice(2)}@example.test` }),
  },
  'DELETE /api/v1/workshop/files/:fileId': { params: workshopFile, last: 1 },
  'POST /api/v1/workshop/files': { upload: pdf, body: () => ({ purpose: 'business_license' }) },
  'POST /api/v1/resources/:resourceId/photos': { upload: png },
  'PATCH /api/v1/resources/:resourceId': { body: () => ({ name: 'authz renamed' }) },
  'DELETE /api/v1/resources/:resourceId': { last: 1 },
  'PUT /api/v1/resources/:resourceId/capacity': { body: () => ({ windows: [] }) },
  'POST /api/v1/files': { upload: stl },
  'PATCH /api/v1/files/:fileId': { body: () => ({ units: 'inch' }) },
  'PATCH /api/v1/jobs/:jobId': { body: () => ({ title: 'authz renamed' }) },
  'POST /api/v1/jobs/:jobId/cancel': { last: 1 },
  'POST /api/v1/jobs/:jobId/invitations': { body: (ids) => ({ workshop_id: ids.workshopId! }) },
  'DELETE /api/v1/jobs/:jobId/invitations/:workshopId': { last: 1 },
  'POST /api/v1/jobs/:jobId/quotes': {
    body: (ids) => ({
      resource_id: ids.resourceId!,
      sample_lead_days: 3,
      batch_lead_days: 10,
      machine_hours: 4,
      parts: [{ file_id: ids.fileId!, unit_price_fen: 1000 }],
    }),
  },
  'GET /api/v1/jobs/:jobId/messages': { query: (ids) => ({ workshop_id: ids.workshopId! }) },
  'POST /api/v1/jobs/:jobId/messages': {
    query: (ids) => ({ workshop_id: ids.workshopId! }),
    body: () => ({ body: 'authz message' }),
  },
  'POST /api/v1/quotes/:quoteId/confirm': { body: () => ({ comment: 'authz' }) },
  'POST /api/v1/quotes/:quoteId/decline': { body: () => ({ reason: 'authz' }), last: 1 },
  'POST /api/v1/quotes/:quoteId/accept': { body: () => ({}), last: 1 },
  'POST /api/v1/orders/:orderId/transitions': {
    body: () => ({ version: 1, action: 'add_evidence', note: 'authz' }),
  },
  'POST /api/v1/orders/:orderId/inspections': {
    body: () => ({ version: 1, defects_found: 1, measurements: [] }),
  },
  'POST /api/v1/orders/:orderId/attachments': { upload: png },
  'POST /api/v1/orders/:orderId/reviews': {
    body: (_ids, actor) =>
      actor.startsWith('workshop')
        ? { overall: 1, comment: 'authz' }
        : { quality: 1, communication: 1, on_time: 1, comment: 'authz' },
  },
  'POST /api/v1/orders/:orderId/messages': { body: () => ({ body: 'authz message' }) },
  'POST /api/v1/orders/:orderId/payments': { body: () => ({ method: 'bank_transfer' }) },
  'POST /api/v1/vouchers/:programId/applications': { body: () => ({}) },
  'POST /api/v1/ops/payments/:paymentId/confirm': {
    body: () => ({ bank_reference: 'authz', amount_fen: 1 }),
  },
  'POST /api/v1/ops/payouts/:payoutId/paid': { body: () => ({ bank_reference: 'authz' }) },
  'POST /api/v1/ops/voucher-programs/:programId/grants': {
    body: (ids) => ({ organization_id: ids.designerOrganizationId! }),
  },
  'PATCH /api/v1/ops/voucher-grants/:grantId': {
    body: () => ({ decision: 'reject', note: 'authz' }),
  },
  'GET /api/v1/ops/voucher-programs/:programId/reimbursement': { query: reimbursementPeriod },
  'GET /console/vouchers/:programId/reimbursement': { query: reimbursementPeriod },
  'POST /api/v1/ops/organizations/:organizationId/suspend': {
    body: () => ({ reason: 'authz' }),
    last: 2,
  },
  'POST /api/v1/ops/organizations/:organizationId/reactivate': { last: 2 },
}

export const requestFor = (key: string): RequestSpec => requests[key] ?? {}
