import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'
import {
  ApplicationApiSchema,
  DirectGrantApiSchema,
  GrantDecisionApiSchema,
  ProgramCreateApiSchema,
  ProgramPatchApiSchema,
} from '../models/voucher.schema.ts'

// The /api/v1 contract for vouchers (issue 8), merged into api-contract.ts. Promised by the
// issue: GET /api/v1/vouchers gives "programmes and the firm's remaining cap".

const timestamp = z.string().describe('ISO 8601, UTC')
const day = z.iso.date()
const grantStatus = z.enum(['applied', 'approved', 'rejected'])

const programFields = {
  id: z.uuid(),
  name: z.string(),
  share_bps: z.number().int().describe('Share of the contract, basis points (5000 = 50 %)'),
  annual_cap_fen: z.number().int().describe('Per design firm and Shanghai calendar year'),
  processes: z.array(z.string()).describe('Eligible processes; empty: all'),
  clusters: z.array(z.string()).describe('Eligible workshop clusters; empty: all'),
  valid_from: day,
  valid_until: day,
}

const VoucherProgram = z.object({
  ...programFields,
  budget_fen: z.number().int(),
  used_fen: z.number().int().describe('Redeemed net of reversals, all years'),
  left_fen: z.number().int().describe('budget_fen − used_fen, never below 0'),
  created_at: timestamp,
  updated_at: timestamp,
})

const FirmGrant = z.object({
  id: z.uuid(),
  status: grantStatus,
  note: z.string(),
  decision_note: z.string(),
  decided_at: timestamp.nullable(),
})

const FirmVoucherProgram = z.object({
  ...programFields,
  open: z.boolean().describe('false: valid_from is still ahead'),
  remaining_cap_fen: z
    .number()
    .int()
    .describe('annual_cap_fen less what the firm redeemed from it this year, never below 0'),
  grant: FirmGrant.nullable().describe("The firm's application or grant for this year"),
})

const VoucherGrant = z.object({
  id: z.uuid(),
  program_id: z.uuid(),
  organization: z.object({
    id: z.uuid(),
    name: z.string(),
    legal_name: z.string().nullable(),
    uscc: z.string().nullable().describe('统一社会信用代码'),
  }),
  year: z.number().int(),
  status: grantStatus,
  note: z.string().describe("The firm's application note"),
  decision_note: z.string(),
  decided_at: timestamp.nullable(),
  created_at: timestamp,
  used_fen: z.number().int().describe('Redeemed this grant year, net of reversals'),
  remaining_cap_fen: z.number().int(),
})

export const voucherSchemas = {
  VoucherOverview: z.object({
    year: z.number().int().describe('The Shanghai calendar year caps count against'),
    programs: z
      .array(z.union([FirmVoucherProgram, VoucherProgram]))
      .describe(
        'Design firms: programmes not ended, with remaining_cap_fen and grant; operators: every programme with budget used and left',
      ),
  }),
  VoucherProgram,
  VoucherProgramList: z.object({ programs: z.array(VoucherProgram) }),
  VoucherProgramDetail: z.object({ program: VoucherProgram, grants: z.array(VoucherGrant) }),
  VoucherGrant,
  VoucherProgramCreateRequest: ProgramCreateApiSchema,
  VoucherProgramPatchRequest: ProgramPatchApiSchema,
  VoucherApplicationRequest: ApplicationApiSchema,
  VoucherGrantCreateRequest: DirectGrantApiSchema,
  VoucherGrantDecisionRequest: GrantDecisionApiSchema,
} satisfies Record<string, z.ZodType>

export const voucherEndpoints: EndpointOf<keyof typeof voucherSchemas>[] = [
  {
    method: 'get',
    path: '/api/v1/vouchers',
    summary:
      "服务券: a design firm sees the programmes not ended with its grant and remaining cap this year; an operator sees every programme's budget used and left",
    auth: true,
    response: { status: 200, schema: 'VoucherOverview' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{programId}/applications',
    summary:
      "A design firm's owner applies for this year (409 voucher_already_applied / voucher_already_granted; a rejected firm may apply again; 409 voucher_program_closed after the end)",
    auth: true,
    body: 'VoucherApplicationRequest',
    response: { status: 201, schema: 'VoucherGrant' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/ops/voucher-programs',
    summary: 'Every voucher programme with its budget used and left (operators)',
    auth: true,
    response: { status: 200, schema: 'VoucherProgramList' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/ops/voucher-programs',
    summary: 'Create a voucher programme (operators; share at most 90 %), audited',
    auth: true,
    body: 'VoucherProgramCreateRequest',
    response: { status: 201, schema: 'VoucherProgram' },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/ops/voucher-programs/{programId}',
    summary: 'A voucher programme with its applications and grants (operators)',
    auth: true,
    response: { status: 200, schema: 'VoucherProgramDetail' },
    errors: [401, 403, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/ops/voucher-programs/{programId}',
    summary:
      'Change a voucher programme (operators): each key sent replaces that field, checked whole; 422 voucher_budget_below_used; audited',
    auth: true,
    body: 'VoucherProgramPatchRequest',
    response: { status: 200, schema: 'VoucherProgram' },
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/ops/voucher-programs/{programId}/grants',
    summary:
      "Grant a design firm directly for this year (operators); a waiting or rejected application becomes the grant; the firm's owners are emailed",
    auth: true,
    body: 'VoucherGrantCreateRequest',
    response: { status: 201, schema: 'VoucherGrant' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'patch',
    path: '/api/v1/ops/voucher-grants/{grantId}',
    summary:
      "Approve or reject an application (operators; a note is required to reject); the firm's owners are emailed",
    auth: true,
    body: 'VoucherGrantDecisionRequest',
    response: { status: 200, schema: 'VoucherGrant' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/ops/voucher-programs/{programId}/reimbursement',
    query: [
      { name: 'from', description: 'First completion day, YYYY-MM-DD (Shanghai)' },
      { name: 'to', description: 'Last completion day, YYYY-MM-DD (Shanghai)' },
      {
        name: 'format',
        description:
          'csv (UTF-8 with BOM, CRLF) or xlsx; without it, Accept: text/csv or the xlsx media type; csv otherwise',
      },
    ],
    summary:
      'The reimbursement file of a programme for orders completed in the period (operators): an attachment, CSV or XLSX; related-party orders flagged apart, without a voucher',
    auth: true,
    response: { status: 200 },
    errors: [400, 401, 403, 404],
  },
]
