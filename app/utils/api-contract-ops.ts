import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'
import { SuspendReasonSchema, organizationKinds } from '../models/operations.schema.ts'

// The /api/v1 contract for operations (issue 9), merged into api-contract.ts: the operators'
// organisation directory with suspension, the audit log, and every work queue at once.

const timestamp = z.string().describe('ISO 8601, UTC')
const fen = z.number().int()

const OpsOrganization = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(organizationKinds),
  town: z.string().nullable(),
  verification_status: z.enum(['unsubmitted', 'pending', 'verified', 'rejected']),
  members: z.number().int(),
  suspended: z.boolean(),
  suspended_at: timestamp.nullable(),
  suspended_reason: z.string().nullable().describe('Seen by operators only'),
  created_at: timestamp,
})

const AuditChange = z.object({
  path: z.string().describe("Dotted path of the changed value; '' for the whole value"),
  before: z.unknown().describe('Absent: the key did not exist before'),
  after: z.unknown().describe('Absent: the key was removed'),
})

const OpsAuditEntry = z.object({
  id: z.uuid(),
  action: z.string().describe('Such as organization.suspend, settings.update, material.update'),
  subject: z.string().describe("The changed thing's id, key or code"),
  subject_name: z.string().nullable().describe("The organisation's name when subject is one"),
  actor: z
    .object({ id: z.uuid(), name: z.string(), email: z.string() })
    .nullable()
    .describe('null: the user was deleted'),
  before: z.unknown(),
  after: z.unknown(),
  changes: z.array(AuditChange),
  created_at: timestamp,
})

export const opsSchemas = {
  OpsOrganization,
  OpsOrganizationList: z.object({
    organizations: z.array(OpsOrganization),
    page: z.number().int(),
    per_page: z.number().int(),
    total: z.number().int(),
  }),
  OpsSuspendRequest: z
    .object({ reason: SuspendReasonSchema.describe('1 to 500 characters') })
    .strict(),
  OpsSuspension: z.object({
    organization: OpsOrganization,
    sessions_ended: z.number().int().describe('Sessions of its members this ended'),
  }),
  OpsAuditPage: z.object({
    entries: z.array(OpsAuditEntry),
    next_before: z
      .uuid()
      .nullable()
      .describe('Pass as `before` for the next (older) page; null on the last page'),
  }),
  OpsQueues: z.object({
    verifications: z.array(
      z.object({
        organization_id: z.uuid(),
        name: z.string(),
        town: z.string().nullable(),
        requested_at: timestamp.nullable(),
      }),
    ),
    transfers: z.array(
      z.object({
        order_id: z.uuid(),
        number: z.string(),
        buyer: z.string(),
        amount_fen: fen,
        payer_name: z.string().nullable(),
        transferred_on: z.iso.date().nullable(),
        reported_at: timestamp.nullable(),
      }),
    ),
    disputes: z.array(
      z.object({
        order_id: z.uuid(),
        number: z.string(),
        reason: z.enum(['inspection_rejected', 'sample_rounds_exhausted']),
        opened_at: timestamp,
        buyer: z.string(),
        workshop: z.string(),
      }),
    ),
    unpaid: z.array(
      z.object({
        order_id: z.uuid(),
        number: z.string(),
        buyer: z.string(),
        workshop: z.string(),
        total_fen: fen,
        accepted_at: timestamp,
        waiting_days: z.number().int(),
      }),
    ),
    expiring_quotes: z.array(
      z.object({
        quote_id: z.uuid(),
        job_id: z.uuid(),
        job_title: z.string(),
        firm: z.string(),
        workshop: z.string(),
        total_fen: fen,
        expires_at: timestamp,
        waiting_on: z
          .enum(['designer', 'workshop'])
          .describe('designer: confirmed, to accept; workshop: an estimate to confirm'),
      }),
    ),
    unmatched_jobs: z.array(
      z.object({
        job_id: z.uuid(),
        title: z.string(),
        firm: z.string(),
        opened_at: timestamp.nullable(),
        matched_at: timestamp,
        top_miss: z
          .object({ code: z.string(), count: z.number().int(), best: z.string().optional() })
          .nullable()
          .describe('The stage that turned most machines away (match_summary.misses)'),
      }),
    ),
  }),
} satisfies Record<string, z.ZodType>

export const opsEndpoints: EndpointOf<keyof typeof opsSchemas>[] = [
  {
    method: 'get',
    path: '/api/v1/ops/organizations',
    query: [
      { name: 'q', description: 'Part of the name, legal name or unified social credit code' },
      { name: 'kind', description: 'design_firm, workshop or platform' },
      { name: 'page', description: '1 unless told; 25 a page' },
    ],
    summary: 'Organisations by name, with whether each is suspended (operators)',
    auth: true,
    response: { status: 200, schema: 'OpsOrganizationList' },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/ops/organizations/{organizationId}/suspend',
    summary:
      "Suspend an organisation (operators), audited: its members' sessions and access tokens stop working and they cannot log in, its machines leave search and matching; 409 already_suspended on a repeat, cannot_suspend_platform for the platform",
    auth: true,
    body: 'OpsSuspendRequest',
    response: { status: 200, schema: 'OpsSuspension' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/ops/organizations/{organizationId}/reactivate',
    summary:
      'Lift a suspension (operators), audited: members can log in again and its machines return to search; 409 not_suspended',
    auth: true,
    response: { status: 200, schema: 'OpsOrganization' },
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/ops/audit',
    query: [
      { name: 'action', description: 'A prefix of the action, such as organization.' },
      { name: 'subject', description: 'The subject exactly' },
      { name: 'before', description: "The previous page's next_before: older entries" },
    ],
    summary: 'The audit log, newest first, 50 a page, with what each entry changed (operators)',
    auth: true,
    response: { status: 200, schema: 'OpsAuditPage' },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/ops/queues',
    summary:
      'Every work queue, oldest first: workshops to verify, transfers to confirm, open disputes, unpaid orders, quotes expiring within 24 h, open jobs with no match (operators)',
    auth: true,
    response: { status: 200, schema: 'OpsQueues' },
    errors: [401, 403],
  },
]
