import { z } from 'zod'
import { townCodes } from '../models/towns.ts'
import { processCodes } from '../models/processes.ts'
import { certificationCodes, clusterCodes } from '../models/taxonomy.ts'
import { isValidUscc, normalizeUscc } from '../models/uscc.ts'
import { processFamilies } from '../models/material.schema.ts'
import { documentPurposes } from '../models/workshop.schema.ts'
import {
  BankAccountSchema,
  MatchWeightsSchema,
  PricingTablesSchema,
  QuoteValidityDaysSchema,
} from '../models/settings.schema.ts'
import {
  AcceptQuoteApiSchema,
  ConfirmQuoteApiSchema,
  DeclineQuoteApiSchema,
  ManualQuoteApiSchema,
} from '../models/quote.schema.ts'
import { PostMessageApiSchema } from '../models/message.schema.ts'
import { aqlValues } from '../models/aql.ts'
import { DEFAULT_JOB_AQL } from '../models/job.schema.ts'
import { BuyerReviewApiSchema, WorkshopReviewApiSchema } from '../models/review.schema.ts'
import {
  MeasurementSchema,
  orderActions,
  orderStatuses,
  payloadSchemas,
} from '../models/order-lifecycle.ts'
import { paymentEndpoints, paymentSchemas } from './api-contract-payments.ts'
import { payoutEndpoints, payoutSchemas } from './api-contract-payouts.ts'
import { insightEndpoints, insightSchemas } from './api-contract-insights.ts'
import { metricsEndpoints, metricsSchemas } from './api-contract-metrics.ts'
import { voucherEndpoints, voucherSchemas } from './api-contract-vouchers.ts'
import { opsEndpoints, opsSchemas } from './api-contract-ops.ts'

// The /api/v1 contract: request and response shapes, used by the routes to parse and
// by /api/v1/openapi.json to document. Field names are snake_case. Shapes named in
// issues are promises to API users: extend, never break.

const email = z.string().trim().max(254).pipe(z.email())
const password = z.string().min(8).max(200)
const name = z.string().trim().min(1).max(100)
const locale = z.enum(['zh-CN', 'en'])
const kind = z.enum(['design_firm', 'workshop', 'platform'])
const role = z.enum(['owner', 'member'])
const timestamp = z.string().describe('ISO 8601, UTC')

const Token = z.object({
  id: z.uuid(),
  name: z.string(),
  token_prefix: z.string(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
})
const Member = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
  joined_at: timestamp,
})
const Invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  role,
  created_at: timestamp,
  expires_at: timestamp,
})
const dimension = z.number().gt(0).max(10_000)
const resourcePatchFields = {
  process: z.enum(processCodes),
  name: z.string().trim().min(2).max(120),
  make: z.string().trim().max(80),
  model: z.string().trim().max(80),
  materials: z.array(z.string().max(40)).min(1).max(30),
  envelope_mm: z
    .tuple([dimension, dimension, dimension])
    .describe('x, y, z in mm; each > 0 and ≤ 10,000'),
  tolerance_mm: z.number().gt(0).max(10),
  finishes: z.array(z.string().trim().min(1).max(40)).max(20),
  hourly_rate_fen: z.number().int().min(0).max(100_000_000),
  setup_fee_fen: z.number().int().min(0).max(100_000_000),
  min_quantity: z.number().int().min(1).max(10_000_000),
  max_quantity: z.number().int().min(1).max(10_000_000).nullable(),
  description: z.string().trim().max(2000),
  active: z.boolean(),
}
const resourceFields = {
  ...resourcePatchFields,
  make: resourcePatchFields.make.default(''),
  model: resourcePatchFields.model.default(''),
  finishes: resourcePatchFields.finishes.default([]),
  setup_fee_fen: resourcePatchFields.setup_fee_fen.default(0),
  min_quantity: resourcePatchFields.min_quantity.default(1),
  max_quantity: resourcePatchFields.max_quantity.default(null),
  description: resourcePatchFields.description.default(''),
  active: resourcePatchFields.active.default(true),
}
const minNotAboveMax = (v: { min_quantity: number; max_quantity: number | null }) =>
  v.max_quantity === null || v.max_quantity >= v.min_quantity
const Resource = z.object({
  id: z.uuid(),
  workshop_id: z.uuid(),
  process: z.enum(processCodes),
  name: z.string(),
  make: z.string(),
  model: z.string(),
  materials: z.array(z.string()),
  envelope_mm: z.tuple([z.number(), z.number(), z.number()]),
  tolerance_mm: z.number(),
  finishes: z.array(z.string()),
  hourly_rate_fen: z.number().int(),
  setup_fee_fen: z.number().int(),
  min_quantity: z.number().int(),
  max_quantity: z.number().int().nullable(),
  description: z.string(),
  active: z.boolean(),
  idle_hours_4w: z.number(),
  updated_at: timestamp.nullable(),
})
const day = z.iso.date()
const CapacityWindow = z
  .object({ from: day, to: day, hours_per_day: z.number().gt(0).max(24) })
  .refine((w) => w.to >= w.from, { message: 'to is before from', path: ['to'] })
const Material = z.object({
  code: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  families: z.array(z.string()),
  density_g_cm3: z.number(),
  price_fen_per_kg: z.number().int(),
  active: z.boolean().describe('Inactive materials are listed to operators only'),
})
const materialName = z.string().trim().min(1).max(80)
const materialPatchFields = {
  name_zh: materialName,
  name_en: materialName,
  families: z.array(z.enum(processFamilies)).min(1).max(processFamilies.length),
  density_g_cm3: z.number().gt(0).max(25),
  price_fen_per_kg: z.number().int().min(0).max(100_000_000),
  active: z.boolean(),
}
const verificationStatus = z.enum(['unsubmitted', 'pending', 'verified', 'rejected'])
const fileUrl = z.string().describe('Download path (GET; photos are public, documents private)')
const WorkshopFile = z.object({
  id: z.uuid(),
  purpose: z.enum([...documentPurposes, 'resource_photo']),
  certification: z.string().nullable(),
  name: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int(),
  created_at: timestamp,
  url: fileUrl,
})
const WorkshopProfile = z.object({
  id: z.uuid(),
  name: z.string(),
  legal_name: z.string().nullable(),
  uscc: z.string().nullable(),
  town: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  description: z.string().nullable(),
  clusters: z.array(z.string()),
  certifications: z.array(z.string()),
  rating: z.number().nullable(),
  verification: z.object({
    status: verificationStatus,
    note: z.string().nullable().describe("The operator's reason"),
    requested_at: timestamp.nullable(),
    verified_at: timestamp.nullable(),
  }),
  files: z.array(WorkshopFile),
})
const Photo = z.object({ id: z.uuid(), name: z.string(), url: fileUrl })
const cadFormat = z.enum(['stl', '3mf', 'obj', 'step', 'dxf'])
const CadAnalysis = z.object({
  status: z.enum(['pending', 'done', 'failed']),
  units: z.enum(['mm', 'inch']).describe('What the file was drawn in; figures below are in mm'),
  volume_mm3: z.number().nullable(),
  surface_area_mm2: z.number().nullable(),
  bbox_mm: z.tuple([z.number(), z.number(), z.number()]).nullable(),
  triangles: z.number().int().nullable(),
  watertight: z.boolean().nullable().describe('false: the volume is unreliable'),
  extents_mm: z.tuple([z.number(), z.number()]).nullable().describe('DXF: sheet width, height'),
  cut_length_mm: z.number().nullable().describe('DXF'),
  pierces: z.number().int().nullable().describe('DXF'),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  error_code: z.string().optional(),
  error: z.string().optional().describe('Why analysis failed, for the designer'),
})
const CadFile = z.object({
  id: z.uuid(),
  name: z.string(),
  format: cadFormat,
  size_bytes: z.number().int(),
  sha256: z.string(),
  created_at: timestamp,
  analysis: CadAnalysis,
  thumbnail_url: z.string().nullable().describe('PNG, 256×256, same access as the file'),
  download_url: z.string().describe('GET: 302 to a short-lived signed URL; logged'),
})
const jobStatus = z.enum(['draft', 'open', 'closed', 'cancelled'])
const JobPart = z.object({
  quantity: z.number().int(),
  format: cadFormat,
  file: CadFile.nullable().describe('null when you may not open the files (invitation, NDA)'),
})
const Job = z.object({
  id: z.uuid(),
  organization_id: z.uuid(),
  title: z.string(),
  description: z.string(),
  process: z.string().nullable().describe('null: not sure, suggest one'),
  material: z.string().nullable(),
  tolerance_mm: z.number(),
  thickness_mm: z.number().nullable(),
  finish: z.string(),
  needs_sample: z.boolean(),
  deadline: z.iso.date(),
  budget_fen: z.number().int().nullable(),
  delivery_town: z.string(),
  delivery_address: z.string(),
  visibility: z.enum(['public', 'invited']),
  nda_required: z.boolean(),
  aql: z.number().describe('Acceptance quality limit for the inspection; the order copies it'),
  status: jobStatus,
  opened_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  parts: z.array(JobPart),
  access: z.object({
    role: z.enum(['owner', 'operator', 'workshop']),
    files_allowed: z.boolean(),
    invited: z.boolean(),
    nda_accepted_at: timestamp.nullable(),
  }),
})
const jobFields = {
  title: z.string().trim().min(2).max(120),
  description: z.string().trim().max(5000),
  process: z.enum(processCodes).nullable().describe('null: not sure, suggest one'),
  material: z.string().max(40).nullable(),
  tolerance_mm: z.number().gt(0).max(10),
  thickness_mm: z.number().gt(0).max(100).nullable().describe('Sheet thickness for DXF parts'),
  finish: z.string().trim().max(200),
  needs_sample: z.boolean(),
  deadline: z.iso.date().describe('YYYY-MM-DD (Asia/Shanghai), after today'),
  budget_fen: z.number().int().positive().max(100_000_000_000).nullable(),
  delivery_town: z.enum(townCodes),
  delivery_address: z.string().trim().max(300),
  visibility: z.enum(['public', 'invited']),
  nda_required: z.boolean(),
  aql: z
    .literal(aqlValues)
    .describe('Acceptance quality limit (GB/T 2828.1 series) the order is inspected at'),
  parts: z
    .array(z.object({ file_id: z.uuid(), quantity: z.number().int().min(1).max(10_000_000) }))
    .max(50)
    .describe('Files from POST /api/v1/files; replaces the parts'),
}
// A stored setting keeps the model's field names inside its top-level key, as pricing_tables
// does: one schema validates the console form's value, the API and the stored jsonb.
const bankAccountDescription =
  "The platform's escrow account buyers transfer to (shown to buyers awaiting payment); " +
  'null until set. Field names as in the settings model (camelCase), like pricing_tables'
const CapabilityHit = z.object({
  resource_id: z.uuid(),
  name: z.string(),
  make: z.string(),
  model: z.string(),
  workshop: z.object({
    id: z.uuid(),
    name: z.string(),
    town: z.string(),
    verified: z.boolean(),
    rating: z.number().nullable(),
  }),
  process: z.string(),
  materials: z.array(z.string()),
  envelope_mm: z.tuple([z.number(), z.number(), z.number()]),
  tolerance_mm: z.number(),
  idle_hours_4w: z.number(),
  distance_km: z.number().optional(),
})
const facetCounts = z.record(z.string(), z.number().int())

const quoteStatus = z.enum(['pending', 'accepted', 'declined', 'expired', 'withdrawn'])
const Breakdown = z
  .array(z.object({ key: z.string(), label: z.string(), amount_fen: z.number().int() }))
  .describe("What the money is for, in the request's language; sums to total_fen")
const QuoteLine = z.object({
  file_id: z.uuid(),
  quantity: z.number().int(),
  unit_price_fen: z.number().int(),
  setup_fen: z.number().int(),
  total_fen: z.number().int().describe('unit_price_fen × quantity + setup_fen'),
  sample_price_fen: z.number().int(),
})
const Quote = z.object({
  id: z.uuid(),
  job_id: z.uuid(),
  workshop: z.object({
    id: z.uuid(),
    name: z.string(),
    town: z.string().nullable(),
    rating: z.number().nullable(),
    verified: z.boolean(),
    distance_km: z.number().nullable().describe("From the job's delivery town; null: unknown"),
  }),
  resource_id: z.uuid().nullable(),
  source: z.enum(['auto', 'manual']).describe("auto: the platform's estimate from matching"),
  status: quoteStatus.describe('A pending quote past valid_until reads as expired'),
  confirmed: z.boolean().describe('Only a confirmed quote can be accepted'),
  quantity: z.number().int(),
  unit_price_fen: z.number().int().describe('Several parts: the average per part'),
  setup_fen: z.number().int(),
  sample_price_fen: z.number().int(),
  total_fen: z.number().int().describe('The batch: Σ lines (the sample is extra)'),
  sample_lead_days: z.number().int(),
  batch_lead_days: z.number().int(),
  valid_until: timestamp,
  comment: z.string(),
  decline_reason: z.string().nullable(),
  created_at: timestamp,
  lines: z.array(QuoteLine).describe('One per part'),
  breakdown: Breakdown,
  reasons: z
    .array(
      z.object({
        term: z.string(),
        value: z.number(),
        weight: z.number(),
        contribution: z.number(),
      }),
    )
    .nullable()
    .describe('Why matching chose this workshop; null for a manual quote'),
})
const jobBoardJob = {
  id: z.uuid(),
  title: z.string(),
  status: jobStatus,
  process: z.string().nullable(),
  deadline: z.iso.date(),
  needs_sample: z.boolean(),
  nda_required: z.boolean(),
  delivery_town: z.string(),
  firm: z.string().describe("The design firm's name"),
}
const orderStatus = z.enum(orderStatuses)
const Order = z.object({
  id: z.uuid(),
  number: z.string().describe('SF + date + sequence; the bank-transfer reference'),
  status: orderStatus,
  version: z.number().int(),
  job_id: z.uuid(),
  quote_id: z.uuid(),
  workshop_id: z.uuid(),
  buyer_id: z.uuid(),
  resource_id: z.uuid().nullable(),
  needs_sample: z.boolean(),
  batch_fen: z.number().int(),
  sample_fen: z.number().int().describe('0 when the job needs no sample'),
  subtotal_fen: z.number().int().describe('batch_fen + sample_fen'),
  platform_fee_fen: z.number().int().describe('Included in subtotal_fen'),
  voucher_fen: z.number().int(),
  total_fen: z.number().int().describe('subtotal_fen − voucher_fen: what the buyer pays'),
  sample_lead_days: z.number().int(),
  batch_lead_days: z.number().int(),
  deadline: z.iso.date(),
  created_at: timestamp,
  updated_at: timestamp,
})
// The order lifecycle (issue 7).
const orderAction = z.enum(orderActions)
const orderLifecycleFields = {
  needs_sample: z.boolean(),
  sample_round: z.number().int().describe('0 without a sample; the current round (1, 2, …)'),
  max_sample_rounds: z.number().int().describe('A rejection in this round opens a dispute'),
  quantity: z.number().int().describe('The lot: batch shipments add up to it'),
  amounts: z.object({
    subtotal_fen: z.number().int(),
    platform_fee_fen: z.number().int().describe('Included in subtotal_fen'),
    voucher_fen: z.number().int(),
    total_fen: z.number().int().describe('What the buyer pays'),
    refunded_fen: z.number().int().describe('Refunded by a resolved dispute'),
  }),
  buyer: z.object({ id: z.uuid(), name: z.string() }),
  workshop: z.object({ id: z.uuid(), name: z.string() }),
  inspector_user_id: z.uuid().nullable().describe('The inspector an operator assigned'),
  cancel_requested_by: z
    .enum(['buyer', 'workshop'])
    .nullable()
    .describe('A cancellation waiting for the other party to agree'),
  allowed_transitions: z
    .array(
      z.object({
        action: orderAction,
        to: z.array(orderStatus).describe('Where it can lead (which one depends on the payload)'),
      }),
    )
    .describe('What you may do now; payload rules are checked when you do it'),
}
const Measurement = MeasurementSchema.extend({
  pass: z
    .boolean()
    .describe('Every measured value within nominal − tol_minus … nominal + tol_plus'),
})
const Inspection = z.object({
  id: z.uuid(),
  inspector_user_id: z.uuid().nullable(),
  lot_size: z.number().int(),
  aql: z.number(),
  level: z.string().describe('GB/T 2828.1 inspection level'),
  code_letter: z.string(),
  sample_size: z.number().int(),
  accept_number: z.number().int().describe('Ac'),
  reject_number: z.number().int().describe('Re'),
  defects_found: z.number().int(),
  measurements: z.array(Measurement),
  result: z.enum(['accept', 'reject']).describe('accept: defects ≤ Ac; reject: defects ≥ Re'),
  notes: z.string(),
  attachment_ids: z.array(z.uuid()),
  automatic: z.boolean(),
  created_at: timestamp,
})
const attachmentIds = z.array(z.uuid()).describe('Files from POST /orders/{orderId}/attachments')
const orderDetailFields = {
  ...orderLifecycleFields,
  batch_round: z.number().int().describe('1, then +1 per rework'),
  aql: z.number(),
  inspection_level: z.string(),
  paid_at: timestamp.nullable(),
  shipped_at: timestamp.nullable(),
  delivered_at: timestamp.nullable(),
  completed_at: timestamp.nullable(),
  cancelled_at: timestamp.nullable(),
  automatic: z
    .object({ action: z.enum(['auto_confirm_delivery', 'auto_accept']), at: timestamp })
    .nullable()
    .describe('When the order moves on by itself if nobody acts'),
  shipped_quantity: z.number().int().describe('Shipped in the current batch round'),
  payments: z.array(
    z.object({
      id: z.uuid(),
      provider: z.enum(['bank_transfer', 'stripe']),
      amount_fen: z.number().int(),
      status: z
        .enum(['pending', 'reported', 'confirmed', 'failed', 'refunded'])
        .describe('pending: a card payment waiting for Stripe; reported: a transfer announced'),
      payer_name: z.string().nullable(),
      transferred_on: z.iso.date().nullable(),
      note: z.string(),
      bank_reference: z.string().nullable(),
      reported_at: timestamp.nullable(),
      confirmed_at: timestamp.nullable(),
    }),
  ),
  shipments: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['sample', 'batch']),
      round: z.number().int(),
      quantity: z.number().int(),
      carrier: z.string(),
      tracking_number: z.string(),
      note: z.string(),
      attachment_ids: attachmentIds,
      created_at: timestamp,
    }),
  ),
  sample_reviews: z.array(
    z.object({
      id: z.uuid(),
      round: z.number().int(),
      decision: z.enum(['approved', 'rejected']),
      feedback: z.string(),
      attachment_ids: attachmentIds,
      created_at: timestamp,
    }),
  ),
  inspections: z.array(Inspection),
  dispute: z
    .object({
      id: z.uuid(),
      reason: z.enum(['inspection_rejected', 'sample_rounds_exhausted']),
      status: z.literal('open'),
      created_at: timestamp,
      evidence: z.array(
        z.object({
          id: z.uuid(),
          organization_id: z.uuid(),
          organization_name: z.string(),
          author_user_id: z.uuid().nullable(),
          note: z.string(),
          attachment_ids: attachmentIds,
          created_at: timestamp,
        }),
      ),
    })
    .nullable()
    .describe('The open dispute, with both parties’ evidence'),
}
const OrderAttachment = z.object({
  id: z.uuid(),
  name: z.string(),
  content_type: z.string().describe('image/png, image/jpeg, image/webp or application/pdf'),
  size: z.number().int().describe('Bytes'),
  created_at: timestamp,
  url: z.string().describe('GET: the file, for the order’s parties, inspector and operators'),
})

const OrderDetail = Order.extend({
  role: z.enum(['buyer', 'workshop', 'operator']).describe('Who you are on this order'),
  job_title: z.string(),
  buyer_name: z.string(),
  workshop_name: z.string(),
  events: z.array(
    z.object({
      from: orderStatus.nullable(),
      to: orderStatus,
      actor: z.string().nullable().describe("The user's name; null: the system"),
      at: timestamp,
      payload: z.record(z.string(), z.unknown()),
    }),
  ),
  parts: z.array(
    z.object({
      file_id: z.uuid(),
      name: z.string(),
      format: cadFormat,
      quantity: z.number().int(),
      thumbnail_url: z.string().nullable(),
    }),
  ),
  lines: z.array(QuoteLine),
  breakdown: Breakdown,
  ...orderDetailFields,
})

const Review = z.object({
  id: z.uuid(),
  order_id: z.uuid(),
  direction: z
    .enum(['buyer_to_workshop', 'workshop_to_buyer'])
    .describe('The design firm rates the workshop, or the workshop the buyer'),
  author_id: z.uuid().describe('The reviewing organisation'),
  author_name: z.string(),
  subject_id: z.uuid().describe('The reviewed organisation'),
  quality: z.number().int().nullable().describe('1–5; the design firm’s review only'),
  communication: z.number().int().nullable().describe('1–5; the design firm’s review only'),
  on_time: z.number().int().nullable().describe('1–5; the design firm’s review only'),
  overall: z
    .number()
    .describe('1–5: the mean of the three (design firm), or the workshop’s one score'),
  comment: z.string(),
  created_at: timestamp,
})

const Message = z.object({
  id: z.number().int().describe('Increasing within a thread'),
  sender: z.object({
    user_id: z.uuid().nullable().describe('null once the person left the platform'),
    name: z.string().nullable(),
    organization_id: z.uuid(),
    organization_name: z.string(),
  }),
  body: z.string(),
  attachments: z
    .array(z.object({ id: z.uuid(), name: z.string() }))
    .describe('Files of the order (order threads only; job threads are text only)'),
  created_at: timestamp,
})

const Town = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  lat: z.number(),
  lng: z.number(),
})

export const schemas = {
  CadFile,
  CadFilePatchRequest: z.object({ units: z.enum(['mm', 'inch']) }),
  Job,
  JobList: z.object({
    jobs: z.array(
      z.object({
        id: z.uuid(),
        title: z.string(),
        status: jobStatus,
        process: z.string().nullable(),
        deadline: z.iso.date(),
        part_count: z.number().int(),
        total_quantity: z.number().int(),
        pending_parts: z.number().int(),
        created_at: timestamp,
        opened_at: timestamp.nullable(),
      }),
    ),
  }),
  JobRequest: z.object({
    ...jobFields,
    description: jobFields.description.default(''),
    process: jobFields.process.default(null),
    material: jobFields.material.default(null),
    thickness_mm: jobFields.thickness_mm.default(null),
    finish: jobFields.finish.default(''),
    needs_sample: jobFields.needs_sample.default(true),
    budget_fen: jobFields.budget_fen.default(null),
    delivery_address: jobFields.delivery_address.default(''),
    visibility: jobFields.visibility.default('public'),
    nda_required: jobFields.nda_required.default(false),
    aql: jobFields.aql.default(DEFAULT_JOB_AQL),
    parts: jobFields.parts.default([]),
  }),
  JobPatchRequest: z.object(jobFields).partial(),
  JobInvitationRequest: z.object({ workshop_id: z.uuid() }),
  MatchList: z.object({
    matched_at: timestamp.nullable().describe('null while matching is still running'),
    summary: z
      .object({
        matched: z.number().int(),
        misses: z.array(
          z.object({ code: z.string(), count: z.number().int(), best: z.string().optional() }),
        ),
      })
      .nullable(),
    matches: z.array(
      z.object({
        resource_id: z.uuid(),
        workshop_id: z.uuid(),
        workshop_name: z.string(),
        rank: z.number().int(),
        score: z.number(),
        reasons: z.array(
          z.object({
            term: z.string(),
            value: z.number(),
            weight: z.number(),
            contribution: z.number(),
          }),
        ),
        estimate: z.record(z.string(), z.unknown()).describe('total_fen, batch_lead_days, parts…'),
      }),
    ),
  }),
  JobInvitationList: z.object({
    invitations: z.array(
      z.object({
        workshop_id: z.uuid(),
        name: z.string(),
        town: z.string().nullable(),
        invited_at: timestamp,
        nda_accepted_at: timestamp.nullable(),
      }),
    ),
  }),
  DownloadLog: z.object({
    downloads: z.array(
      z.object({
        id: z.uuid(),
        at: timestamp,
        file_id: z.uuid(),
        file_name: z.string(),
        user_name: z.string().nullable(),
        user_email: z.string().nullable(),
        organization_id: z.uuid().nullable(),
        organization_name: z.string().nullable(),
        ip: z.string().nullable(),
      }),
    ),
  }),
  Quote,
  QuoteList: z.object({ quotes: z.array(Quote) }),
  QuoteResponse: z.object({ quote: Quote }),
  ManualQuoteRequest: ManualQuoteApiSchema,
  ConfirmQuoteRequest: ConfirmQuoteApiSchema,
  AcceptQuoteRequest: AcceptQuoteApiSchema,
  DeclineQuoteRequest: DeclineQuoteApiSchema,
  JobBoard: z.object({
    quoted: z.array(Quote.extend({ job: z.object(jobBoardJob) })),
    open: z.array(
      z.object({
        ...jobBoardJob,
        material: z.string().nullable(),
        quantity: z.number().int().describe('Σ of the parts’ quantities'),
        distance_km: z.number().nullable().describe('From your workshop to the delivery town'),
        opened_at: timestamp.nullable(),
      }),
    ),
  }),
  Order,
  OrderResponse: z.object({ order: Order }),
  OrderEventList: z.object({
    events: z
      .array(
        z.object({
          id: z.number().int(),
          from: orderStatus.nullable().describe('null: the order was created'),
          to: orderStatus,
          action: orderAction.nullable().describe('null: accepting the quote created the order'),
          actor: z
            .object({ user_id: z.uuid(), name: z.string().nullable() })
            .nullable()
            .describe('null: the platform, on its own (see automatic)'),
          automatic: z.boolean().describe('A scheduled transition (delivery or inspection window)'),
          payload: z.record(z.string(), z.unknown()).describe("The action's details"),
          at: timestamp,
        }),
      )
      .describe('Oldest first'),
  }),
  OrderTransitionRequest: z
    .looseObject({
      to: orderStatus
        .optional()
        .describe('The status to move to: your one action that leads there'),
      action: orderAction
        .optional()
        .describe('The action to take (needed where several lead to `to`)'),
      version: z.number().int().describe('The version of the order you saw (409 stale_version)'),
    })
    .refine((b) => b.to !== undefined || b.action !== undefined, {
      message: 'Send `to` or `action`',
      path: ['to'],
    })
    .describe(
      "The action's payload fields go beside to/action/version, e.g. ship_batch: carrier, tracking_number, quantity, note, attachment_ids",
    ),
  OrderInspectionRequest: payloadSchemas.record_inspection.extend({
    version: z.number().int().describe('The version of the order you saw'),
  }),
  OrderInspectionResponse: z.object({
    inspection: Inspection,
    order: OrderDetail,
  }),
  OrderAttachment,
  OrderAttachmentList: z.object({
    attachments: z
      .array(
        OrderAttachment.extend({
          organization: z.object({ id: z.uuid(), name: z.string() }),
          uploaded_by: z.object({ user_id: z.uuid(), name: z.string().nullable() }).nullable(),
        }),
      )
      .describe('Oldest first'),
  }),
  OrderDetailResponse: z.object({ order: OrderDetail }),
  OrderList: z.object({
    orders: z.array(
      z.object({
        id: z.uuid(),
        number: z.string(),
        status: orderStatus,
        version: z.number().int(),
        job_id: z.uuid(),
        job_title: z.string(),
        buyer_name: z.string(),
        workshop_name: z.string(),
        total_fen: z.number().int(),
        deadline: z.iso.date(),
        created_at: timestamp,
        ...orderLifecycleFields,
      }),
    ),
  }),
  Review,
  ReviewList: z.object({ reviews: z.array(Review) }),
  ReviewResponse: z.object({ review: Review }),
  ReviewRequest: z
    .union([BuyerReviewApiSchema, WorkshopReviewApiSchema])
    .describe(
      'The design firm: quality, communication, on_time (1–5). The workshop: overall (1–5). Both: an optional comment (≤ 2000)',
    ),
  Message,
  MessageList: z.object({
    messages: z.array(Message).describe('Oldest first'),
    unread: z
      .number()
      .int()
      .describe('How many of them (from the other side) you had not read; now read'),
  }),
  MessageResponse: z.object({ message: Message }),
  MessageRequest: PostMessageApiSchema.describe(
    'body: 1–5000 characters (trimmed); attachment_ids: up to 10 files uploaded to the order',
  ),
  WorkshopProfileRequest: z
    .object({
      name: z.string().trim().min(2).max(120),
      legal_name: z.string().trim().min(2).max(200).describe('As on the business licence'),
      uscc: z
        .string()
        .max(40)
        .transform(normalizeUscc)
        .refine(isValidUscc, 'error.uscc')
        .describe('统一社会信用代码, 18 characters with its check character'),
      town: z.enum(townCodes),
      address: z.string().trim().min(4).max(300),
      lat: z.number().min(20).max(26).nullable().default(null),
      lng: z.number().min(109).max(118).nullable().default(null),
      description: z.string().trim().max(2000).default(''),
      clusters: z.array(z.enum(clusterCodes)).max(20).default([]),
      certifications: z.array(z.enum(certificationCodes)).max(20).default([]),
    })
    .refine((v) => (v.lat === null) === (v.lng === null), {
      message: 'error.coordinates',
      path: ['lng'],
    }),
  WorkshopProfile,
  WorkshopFile,
  WorkshopPublic: z.object({
    id: z.uuid(),
    name: z.string(),
    town: z.string().nullable(),
    address: z.string().nullable(),
    description: z.string().nullable(),
    clusters: z.array(z.string()),
    certifications: z.array(z.string()),
    verified: z.boolean(),
    verified_at: timestamp.nullable(),
    rating: z.number().nullable(),
    resources: z.array(
      z.object({
        id: z.uuid(),
        process: z.string(),
        name: z.string(),
        make: z.string(),
        model: z.string(),
        materials: z.array(z.string()),
        envelope_mm: z.tuple([z.number(), z.number(), z.number()]),
        tolerance_mm: z.number(),
        finishes: z.array(z.string()),
        idle_hours_4w: z.number(),
      }),
    ),
    photos: z.array(Photo),
  }),
  VerificationQueue: z.object({
    workshops: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        legal_name: z.string().nullable(),
        uscc: z.string().nullable(),
        town: z.string().nullable(),
        requested_at: timestamp.nullable(),
      }),
    ),
  }),
  VerificationDecisionRequest: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), reason: z.string().trim().max(1000).optional() }),
    z.object({
      decision: z.literal('reject'),
      reason: z.string().trim().min(4, 'error.reasonRequired').max(1000),
    }),
  ]),
  ResourcePhotoList: z.object({ photos: z.array(WorkshopFile) }),
  MaterialRequest: z.object({
    code: z.string().regex(/^[a-z0-9_]{2,40}$/, 'error.materialCode'),
    ...materialPatchFields,
    active: materialPatchFields.active.default(true),
  }),
  MaterialPatchRequest: z.object(materialPatchFields).partial(),
  Material,
  LoginRequest: z.object({ email, password: z.string().min(1).max(200) }),
  SignupRequest: z.object({
    kind: z.enum(['design_firm', 'workshop']),
    organization_name: z.string().trim().min(2).max(120),
    town: z.enum(townCodes),
    name,
    email,
    password,
    locale: locale.optional(),
  }),
  Account: z.object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), locale }),
    organization: z.object({ id: z.uuid(), kind, name: z.string() }),
    csrf_token: z
      .string()
      .nullable()
      .describe(
        'Send as X-CSRF-Token on state-changing calls made with the session cookie; null with a Bearer token',
      ),
  }),
  UpdateMeRequest: z.object({ name: name.optional(), locale: locale.optional() }),
  ChangePasswordRequest: z.object({
    current_password: z.string().min(1).max(200),
    new_password: password,
  }),
  PasswordResetRequest: z.object({ email }),
  PasswordResetConfirm: z.object({ token: z.string().min(10).max(200), password }),
  TokenCreateRequest: z.object({ name: z.string().trim().min(1).max(80) }),
  Token,
  TokenCreated: z.object({
    id: z.uuid(),
    name: z.string(),
    token_prefix: z.string(),
    created_at: timestamp,
    token: z.string().describe('Shown once; send as Authorization: Bearer <token>'),
  }),
  TokenList: z.object({ tokens: z.array(Token) }),
  Member,
  MemberList: z.object({ members: z.array(Member) }),
  InvitationRequest: z.object({ email, role: role.default('member') }),
  Invitation,
  InvitationList: z.object({ invitations: z.array(Invitation) }),
  AcceptInvitationRequest: z.object({ name, password, locale: locale.optional() }),
  Town,
  TownList: z.object({ towns: z.array(Town) }),
  ResourceRequest: z.object(resourceFields).refine(minNotAboveMax, {
    message: 'max_quantity is below min_quantity',
    path: ['max_quantity'],
  }),
  // The fields without their defaults: under zod 4 a default still fills in an optional
  // field, and a PATCH must leave alone what it was not sent.
  ResourcePatchRequest: z.object(resourcePatchFields).partial(),
  Resource,
  ResourceList: z.object({ resources: z.array(Resource) }),
  CapacityRequest: z.object({ windows: z.array(CapacityWindow).max(200) }),
  Capacity: z.object({
    windows: z.array(CapacityWindow),
    weeks: z.array(
      z.object({ from: day, to: day, offered: z.number(), booked: z.number(), idle: z.number() }),
    ),
  }),
  MaterialList: z.object({ materials: z.array(Material) }),
  PlatformSettings: z.object({
    pricing_tables: PricingTablesSchema.describe(
      'Money in integer fen, rates in basis points; field names as in the pricing model',
    ),
    weights: MatchWeightsSchema.describe('Score term → weight; stored scaled to sum to 1'),
    quote_validity_days: QuoteValidityDaysSchema,
    bank_account: BankAccountSchema.nullable().describe(bankAccountDescription),
  }),
  // Strict: a misspelt key is a 400, not a PATCH that silently changes nothing.
  PlatformSettingsPatchRequest: z
    .object({
      pricing_tables: PricingTablesSchema.optional(),
      weights: MatchWeightsSchema.optional(),
      quote_validity_days: QuoteValidityDaysSchema.optional(),
      bank_account: BankAccountSchema.optional().describe(bankAccountDescription),
    })
    .strict(),
  CapabilitySearch: z.object({
    hits: z.array(CapabilityHit),
    facets: z.object({
      process: facetCounts,
      material: facetCounts,
      town: facetCounts,
      cluster: facetCounts,
      certification: facetCounts,
      verified: facetCounts,
    }),
    total: z.number().int(),
    page: z.number().int(),
    per_page: z.number().int(),
  }),
  Health: z.object({
    status: z.enum(['ok', 'error']),
    db: z.enum(['up', 'down']),
    worker: z.enum(['up', 'down', 'unknown']),
    search: z.enum(['embedded', 'meilisearch']),
    search_status: z.enum(['up', 'down']),
    search_documents: z.number().int().optional(),
  }),
  Error: z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().nullable(),
    }),
  }),
  // Money (issue 8), each area in its own file.
  ...paymentSchemas,
  ...payoutSchemas,
  ...voucherSchemas,
  // A workshop's insights (issue 9).
  ...insightSchemas,
  // Operations (issue 9): organisations and suspension, the audit log, the work queues.
  ...opsSchemas,
  ...metricsSchemas,
} as const

export type SchemaName = keyof typeof schemas

/** An endpoint whose body and response name schemas of `S` (the money files use their own). */
export type EndpointOf<S extends string> = Omit<Endpoint, 'body' | 'response'> & {
  body?: S
  response?: { status: number; schema?: S }
}

export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete'
  /** Query parameters, documented by name. */
  query?: { name: string; description: string; array?: boolean }[]
  path: string
  summary: string
  auth: boolean
  body?: SchemaName
  /** A multipart/form-data body: a part named `file` and these text fields. */
  upload?: { fields: { name: string; description: string; required?: boolean }[] }
  response?: { status: number; schema?: SchemaName }
  errors: number[]
}

export const endpoints: Endpoint[] = [
  {
    method: 'post',
    path: '/api/v1/session',
    summary: 'Log in; sets the session cookie',
    auth: false,
    body: 'LoginRequest',
    response: { status: 200, schema: 'Account' },
    errors: [400, 401, 415, 429],
  },
  {
    method: 'delete',
    path: '/api/v1/session',
    summary: 'Log out',
    auth: true,
    response: { status: 204 },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/signup',
    summary: 'Create a design firm or workshop with its owner; logs in',
    auth: false,
    body: 'SignupRequest',
    response: { status: 201, schema: 'Account' },
    errors: [400, 409, 415, 429],
  },
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'The caller and their organisation',
    auth: true,
    response: { status: 200, schema: 'Account' },
    errors: [401],
  },
  {
    method: 'patch',
    path: '/api/v1/me',
    summary: 'Change name or language',
    auth: true,
    body: 'UpdateMeRequest',
    response: { status: 200, schema: 'Account' },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/me/password',
    summary: 'Change password; other sessions end',
    auth: true,
    body: 'ChangePasswordRequest',
    response: { status: 204 },
    errors: [400, 401, 403, 422],
  },
  {
    method: 'post',
    path: '/api/v1/password-resets',
    summary: 'Email a reset link (202 whether or not the email has an account)',
    auth: false,
    body: 'PasswordResetRequest',
    response: { status: 202 },
    errors: [400, 429],
  },
  {
    method: 'post',
    path: '/api/v1/password-resets/confirm',
    summary: 'Set a new password with an emailed token',
    auth: false,
    body: 'PasswordResetConfirm',
    response: { status: 204 },
    errors: [400, 422],
  },
  {
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'Your personal access tokens',
    auth: true,
    response: { status: 200, schema: 'TokenList' },
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create a personal access token (shown once)',
    auth: true,
    body: 'TokenCreateRequest',
    response: { status: 201, schema: 'TokenCreated' },
    errors: [400, 401, 403],
  },
  {
    method: 'delete',
    path: '/api/v1/tokens/{tokenId}',
    summary: 'Revoke a token',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/organization/members',
    summary: 'Members of your organisation',
    auth: true,
    response: { status: 200, schema: 'MemberList' },
    errors: [401],
  },
  {
    method: 'delete',
    path: '/api/v1/organization/members/{userId}',
    summary: 'Remove a member (owners)',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/organization/invitations',
    summary: 'Pending invitations (owners)',
    auth: true,
    response: { status: 200, schema: 'InvitationList' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/organization/invitations',
    summary: 'Invite a member by email (owners)',
    auth: true,
    body: 'InvitationRequest',
    response: { status: 201, schema: 'Invitation' },
    errors: [400, 401, 403, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/organization/invitations/{invitationId}',
    summary: 'Revoke an invitation (owners)',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/invitations/{token}/accept',
    summary: 'Accept an invitation: creates the account and logs in',
    auth: false,
    body: 'AcceptInvitationRequest',
    response: { status: 201, schema: 'Account' },
    errors: [400, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/capabilities',
    summary: 'Search machines and lines by capability (anyone)',
    auth: false,
    query: [
      { name: 'q', description: 'Free text, zh or en, at most 200 characters' },
      { name: 'process', description: 'Process code; repeat for OR', array: true },
      { name: 'material', description: 'Material code; repeat for OR', array: true },
      { name: 'town', description: 'Town code; repeat for OR', array: true },
      { name: 'cluster', description: 'Industry cluster code; repeat for OR', array: true },
      { name: 'certification', description: 'Certification code; repeat for OR', array: true },
      { name: 'verified', description: 'true or false' },
      {
        name: 'min_envelope_mm',
        description: 'Part size x,y,z: the envelope must fit it in some orientation',
      },
      { name: 'max_tolerance_mm', description: 'Best tolerance at most this' },
      { name: 'min_idle_hours', description: 'Idle hours in the next 4 weeks at least this' },
      { name: 'near', description: 'lat,lng for distance and radius' },
      { name: 'near_town', description: 'A town code instead of near' },
      { name: 'radius_km', description: 'Only within this distance of near' },
      { name: 'sort', description: 'relevance (default) | rating | idle | distance' },
      { name: 'page', description: '1-based' },
      { name: 'per_page', description: 'Default 20, capped at 100' },
    ],
    response: { status: 200, schema: 'CapabilitySearch' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/api/v1/materials',
    summary: 'The material catalogue (active materials; operators may ask for all)',
    auth: false,
    query: [{ name: 'include_inactive', description: 'true: inactive ones too (operators)' }],
    response: { status: 200, schema: 'MaterialList' },
    errors: [400, 403],
  },
  {
    method: 'post',
    path: '/api/v1/materials',
    summary: 'Add a material to the catalogue (operators)',
    auth: true,
    body: 'MaterialRequest',
    response: { status: 201, schema: 'Material' },
    errors: [400, 401, 403, 409],
  },
  {
    method: 'patch',
    path: '/api/v1/materials/{code}',
    summary: 'Change a material (operators); every resource is re-indexed',
    auth: true,
    body: 'MaterialPatchRequest',
    response: { status: 200, schema: 'Material' },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/ops/settings',
    summary:
      'The platform settings in force: pricing tables, matching weights, quote validity, escrow bank account (operators)',
    auth: true,
    response: { status: 200, schema: 'PlatformSettings' },
    errors: [401, 403],
  },
  {
    method: 'patch',
    path: '/api/v1/ops/settings',
    summary:
      'Change platform settings (operators): each key sent replaces that setting, in one transaction, audited',
    auth: true,
    body: 'PlatformSettingsPatchRequest',
    response: { status: 200, schema: 'PlatformSettings' },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/workshops/{workshopId}',
    summary: "A workshop's public page: profile, active machines with idle hours, photos",
    auth: false,
    response: { status: 200, schema: 'WorkshopPublic' },
    errors: [404],
  },
  {
    method: 'get',
    path: '/api/v1/workshop/profile',
    summary: "Your workshop's profile, verification status and documents",
    auth: true,
    response: { status: 200, schema: 'WorkshopProfile' },
    errors: [401, 403],
  },
  {
    method: 'put',
    path: '/api/v1/workshop/profile',
    summary:
      'Save the profile; changing legal name or credit code of a verified workshop sends it back to verification',
    auth: true,
    body: 'WorkshopProfileRequest',
    response: { status: 200, schema: 'WorkshopProfile' },
    errors: [400, 401, 403, 409],
  },
  {
    method: 'post',
    path: '/api/v1/workshop/verification-request',
    summary: 'Ask operators to verify the workshop (complete profile and business licence first)',
    auth: true,
    response: { status: 200, schema: 'WorkshopProfile' },
    errors: [401, 403, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/workshop/files',
    summary: 'Upload a business licence, certificate (PDF or image) or workshop photo (image)',
    auth: true,
    upload: {
      fields: [
        {
          name: 'purpose',
          description: 'business_license | certificate | workshop_photo',
          required: true,
        },
        { name: 'certification', description: 'Certification code, for a certificate' },
      ],
    },
    response: { status: 201, schema: 'WorkshopFile' },
    errors: [400, 401, 403, 413, 415, 422, 429],
  },
  {
    method: 'delete',
    path: '/api/v1/workshop/files/{fileId}',
    summary: 'Delete one of your documents or photos',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/resources/{resourceId}/photos',
    summary: "A resource's photos (anyone, while the resource is active)",
    auth: false,
    response: { status: 200, schema: 'ResourcePhotoList' },
    errors: [404],
  },
  {
    method: 'post',
    path: '/api/v1/resources/{resourceId}/photos',
    summary: 'Add a photo (PNG, JPEG or WebP) to your resource',
    auth: true,
    upload: { fields: [] },
    response: { status: 201, schema: 'WorkshopFile' },
    errors: [400, 401, 403, 404, 413, 415, 422, 429],
  },
  {
    method: 'get',
    path: '/api/v1/verifications',
    summary: 'Workshops waiting for verification, oldest first (operators)',
    auth: true,
    response: { status: 200, schema: 'VerificationQueue' },
    errors: [401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/verifications/{organizationId}',
    summary: "A workshop's profile and documents for review (operators)",
    auth: true,
    response: { status: 200, schema: 'WorkshopProfile' },
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/verifications/{organizationId}',
    summary: 'Approve or reject a pending workshop (a reason is required to reject); emails it',
    auth: true,
    body: 'VerificationDecisionRequest',
    response: { status: 200, schema: 'WorkshopProfile' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/resources',
    summary: "Your workshop's resources",
    auth: true,
    response: { status: 200, schema: 'ResourceList' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/resources',
    summary: 'List a machine or line (workshop members)',
    auth: true,
    body: 'ResourceRequest',
    response: { status: 201, schema: 'Resource' },
    errors: [400, 401, 403, 422],
  },
  {
    method: 'get',
    path: '/api/v1/resources/{resourceId}',
    summary: 'One resource with idle hours in the next 4 weeks',
    auth: false,
    response: { status: 200, schema: 'Resource' },
    errors: [404],
  },
  {
    method: 'patch',
    path: '/api/v1/resources/{resourceId}',
    summary: 'Change a resource (your own); fields left out keep their values',
    auth: true,
    body: 'ResourcePatchRequest',
    response: { status: 200, schema: 'Resource' },
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/resources/{resourceId}',
    summary: 'Delete a resource without bookings (your own)',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/resources/{resourceId}/capacity',
    summary: 'Capacity windows and the 8-week offered/booked/idle calendar (your own)',
    auth: true,
    response: { status: 200, schema: 'Capacity' },
    errors: [401, 404],
  },
  {
    method: 'put',
    path: '/api/v1/resources/{resourceId}/capacity',
    summary: 'Replace the capacity windows (no overlaps, at most 24 h a day)',
    auth: true,
    body: 'CapacityRequest',
    response: { status: 200, schema: 'Capacity' },
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/api/v1/files',
    summary: 'Upload a CAD part (STL, 3MF, OBJ, STEP, DXF; decided by content); analysis follows',
    auth: true,
    upload: { fields: [] },
    response: { status: 201, schema: 'CadFile' },
    errors: [400, 401, 403, 413, 415, 422, 429],
  },
  {
    method: 'get',
    path: '/api/v1/files/{fileId}',
    summary: 'A CAD file and its analysis (poll until status is done or failed)',
    auth: true,
    response: { status: 200, schema: 'CadFile' },
    errors: [401, 403, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/files/{fileId}',
    summary: 'Say which units the file was drawn in (mm or inch); the analysis is rescaled',
    auth: true,
    body: 'CadFilePatchRequest',
    response: { status: 200, schema: 'CadFile' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/files/{fileId}/download',
    summary: 'Download: 302 to a short-lived signed URL; logged for the job owner',
    auth: true,
    response: { status: 302 },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/jobs',
    summary: "Your organisation's jobs, newest first",
    auth: true,
    query: [{ name: 'status', description: 'draft | open | closed | cancelled' }],
    response: { status: 200, schema: 'JobList' },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/jobs',
    summary: 'Create a draft job (design firms), optionally with parts',
    auth: true,
    body: 'JobRequest',
    response: { status: 201, schema: 'Job' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{jobId}',
    summary: 'A job you may see; part files only where you may open them',
    auth: true,
    response: { status: 200, schema: 'Job' },
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/jobs/{jobId}',
    summary: 'Change a draft job (409 once open); parts, when sent, replace the parts',
    auth: true,
    body: 'JobPatchRequest',
    response: { status: 200, schema: 'Job' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/jobs/{jobId}/open',
    summary: 'Open a draft job: every part must be analysed; invited workshops are emailed',
    auth: true,
    response: { status: 200, schema: 'Job' },
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/jobs/{jobId}/cancel',
    summary: 'Cancel a draft or open job',
    auth: true,
    response: { status: 200, schema: 'Job' },
    errors: [401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/jobs/{jobId}/nda',
    summary: "Accept the job's NDA (workshops; recorded with user and time)",
    auth: true,
    response: { status: 200, schema: 'Job' },
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{jobId}/invitations',
    summary: 'Workshops invited to your job',
    auth: true,
    response: { status: 200, schema: 'JobInvitationList' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/jobs/{jobId}/invitations',
    summary: 'Invite a workshop to your job (emailed when the job is open)',
    auth: true,
    body: 'JobInvitationRequest',
    response: { status: 200, schema: 'JobInvitationList' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/jobs/{jobId}/invitations/{workshopId}',
    summary: 'Withdraw an invitation',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{jobId}/matches',
    summary: 'Matched resources of an open job, best first, with score reasons and estimates',
    auth: true,
    response: { status: 200, schema: 'MatchList' },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{jobId}/downloads',
    summary: "Who downloaded your job's files, and when",
    auth: true,
    response: { status: 200, schema: 'DownloadLog' },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{jobId}/quotes',
    summary: "A job's quotes, best first: all for its firm and operators, a workshop's own for it",
    auth: true,
    response: { status: 200, schema: 'QuoteList' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/jobs/{jobId}/quotes',
    summary:
      "Quote an open job (verified workshops, on an active machine in the job's process): unit_price_fen for every part, or parts",
    auth: true,
    body: 'ManualQuoteRequest',
    response: { status: 201, schema: 'QuoteResponse' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/job-board',
    summary: 'Your quotes on open jobs, and open public jobs in your processes (workshops)',
    auth: true,
    response: { status: 200, schema: 'JobBoard' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/quotes/{quoteId}/confirm',
    summary:
      'Confirm your quote as estimated or adjusted (unit price, batch lead days, comment); validity restarts',
    auth: true,
    body: 'ConfirmQuoteRequest',
    response: { status: 200, schema: 'QuoteResponse' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/quotes/{quoteId}/decline',
    summary: 'Turn a job down with a reason (a confirmed quote is withdrawn)',
    auth: true,
    body: 'DeclineQuoteRequest',
    response: { status: 200, schema: 'QuoteResponse' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/quotes/{quoteId}/accept',
    summary:
      "Accept a confirmed quote on your job: 201 and the order (awaiting payment); the job's other quotes are declined. Again: 200, the same order. With expected_total_fen, a quote revised since you saw it is refused (409 quote_changed)",
    auth: true,
    body: 'AcceptQuoteRequest',
    response: { status: 201, schema: 'OrderResponse' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/orders',
    summary: 'Your orders, as buyer or workshop (operators: all), newest first',
    auth: true,
    query: [
      { name: 'role', description: 'buyer | workshop: only orders where you are that party' },
      {
        name: 'status',
        description:
          'awaiting_payment | cancelled | sampling | sample_shipped | in_production | shipped | delivered | inspecting | disputed | completed | refunded',
      },
    ],
    response: { status: 200, schema: 'OrderList' },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/orders/{orderId}',
    summary:
      'An order you are party to, with its events, parts, price breakdown, lifecycle records and the actions you may take now',
    auth: true,
    response: { status: 200, schema: 'OrderDetailResponse' },
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/orders/{orderId}/events',
    summary: "The order's audit log: who moved it from what to what, by which action, and when",
    auth: true,
    response: { status: 200, schema: 'OrderEventList' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/orders/{orderId}/transitions',
    summary:
      "Move the order (to a status, or by an action) from the version you saw; the action's payload beside. 409 stale_version, illegal_transition or a rule's code (shipment_exceeds_order, refund_out_of_range, cancel_needs_agreement, …); 403 not your move; 400/422 a payload the action refuses. The party who must act next is emailed",
    auth: true,
    body: 'OrderTransitionRequest',
    response: { status: 200, schema: 'OrderDetailResponse' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'post',
    path: '/api/v1/orders/{orderId}/inspections',
    summary:
      'Record the inspection of a delivered order (its buyer or assigned inspector): the GB/T 2828.1 sampling plan from lot, AQL and level; accept (defects ≤ Ac) completes the order, reject (≥ Re) opens a dispute',
    auth: true,
    body: 'OrderInspectionRequest',
    response: { status: 201, schema: 'OrderInspectionResponse' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/orders/{orderId}/attachments',
    summary: "The order's attachments (its parties, its inspector and operators)",
    auth: true,
    response: { status: 200, schema: 'OrderAttachmentList' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/orders/{orderId}/attachments',
    summary:
      "Attach a photo (PNG, JPEG, WebP) or PDF to the order, for an action's attachment_ids (its parties and operators)",
    auth: true,
    upload: { fields: [] },
    response: { status: 201, schema: 'OrderAttachment' },
    errors: [400, 401, 403, 404, 413, 415, 422, 429],
  },
  {
    method: 'get',
    path: '/api/v1/orders/{orderId}/reviews',
    summary: "Both sides' reviews of an order you are party to",
    auth: true,
    response: { status: 200, schema: 'ReviewList' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/orders/{orderId}/reviews',
    summary:
      'Review the other party of a completed order, once (409 review_exists): the design firm rates the workshop, the workshop the buyer. Updates their rating',
    auth: true,
    body: 'ReviewRequest',
    response: { status: 201, schema: 'ReviewResponse' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/orders/{orderId}/messages',
    summary:
      "The order's messages (buyer, workshop, operators), oldest first, and how many were unread; marks them read",
    auth: true,
    response: { status: 200, schema: 'MessageList' },
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/orders/{orderId}/messages',
    summary:
      "Write on the order's thread (its buyer, its workshop, or an operator for the platform), attaching files uploaded to the order; the other side's owners are emailed",
    auth: true,
    body: 'MessageRequest',
    response: { status: 201, schema: 'MessageResponse' },
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/api/v1/jobs/{jobId}/messages',
    query: [
      {
        name: 'workshop_id',
        description:
          "The workshop whose questions to read: required of the job's design firm and operators, implied for a workshop",
      },
    ],
    summary:
      "Questions before an order: the thread between the job's design firm and one workshop that can see the job, oldest first; marks them read",
    auth: true,
    response: { status: 200, schema: 'MessageList' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/jobs/{jobId}/messages',
    query: [
      {
        name: 'workshop_id',
        description: "The workshop to answer (the job's design firm); implied for a workshop",
      },
    ],
    summary:
      'Ask (a workshop) or answer (the design firm) about an open job (409 thread_closed otherwise); text only (422 attachments_order_only); the design firm answers threads workshops started',
    auth: true,
    body: 'MessageRequest',
    response: { status: 201, schema: 'MessageResponse' },
    errors: [400, 401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/towns',
    summary: "Zhongshan's towns (镇街) with coordinates",
    auth: false,
    response: { status: 200, schema: 'TownList' },
    errors: [],
  },
  ...paymentEndpoints,
  ...payoutEndpoints,
  ...voucherEndpoints,
  ...insightEndpoints,
  ...opsEndpoints,
  ...metricsEndpoints,
]

const statusText: Record<number, string> = {
  400: 'Bad input or malformed JSON',
  401: 'Not authenticated',
  403: 'Forbidden, or missing/stale X-CSRF-Token with a cookie session',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body or file too large',
  415: 'Body is not JSON (or, for uploads, not multipart/form-data)',
  422: 'Rejected (e.g. invalid token, wrong password)',
  429: 'Too many requests; see Retry-After',
}

function uploadBody(fields: NonNullable<Endpoint['upload']>['fields']) {
  const properties: Record<string, unknown> = {
    file: {
      type: 'string',
      contentMediaType: 'application/octet-stream',
      description: 'The file; its type is decided from its content, not its name',
    },
  }
  for (const f of fields) properties[f.name] = { type: 'string', description: f.description }
  return {
    required: true,
    content: {
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['file', ...fields.filter((f) => f.required).map((f) => f.name)],
          properties,
        },
      },
    },
  }
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with. */
export function openApiDocument(serverUrl: string) {
  const components: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(schemas)) {
    components[key] = z.toJSONSchema(schema, {
      io: key.endsWith('Request') || key.endsWith('Confirm') ? 'input' : 'output',
      unrepresentable: 'any',
    })
  }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const e of endpoints) {
    const params: Record<string, unknown>[] = [
      ...[...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...(e.query ?? []).map((q) => ({
        name: q.name,
        in: 'query',
        required: false,
        description: q.description,
        schema: q.array ? { type: 'array', items: { type: 'string' } } : { type: 'string' },
        ...(q.array ? { style: 'form', explode: true } : {}),
      })),
    ]
    const responses: Record<string, unknown> = {}
    if (e.response) {
      responses[String(e.response.status)] = e.response.schema
        ? {
            description: 'OK',
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${e.response.schema}` } },
            },
          }
        : {
            description:
              e.response.status === 302
                ? 'Found: Location is a short-lived signed URL'
                : 'OK, no body',
          }
    }
    for (const status of e.errors) {
      responses[String(status)] = {
        description: statusText[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      }
    }
    paths[e.path] ??= {}
    paths[e.path]![e.method] = {
      summary: e.summary,
      operationId: `${e.method}${e.path
        .replace(/\/api\/v1/, '')
        .replace(/[{}]/g, '')
        .replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())
        .replace(/[^\w]/g, '')}`,
      ...(params.length ? { parameters: params } : {}),
      ...(e.auth ? {} : { security: [] }),
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { $ref: `#/components/schemas/${e.body}` } },
              },
            },
          }
        : {}),
      ...(e.upload ? { requestBody: uploadBody(e.upload.fields) } : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '共享工厂 Shared Factory API',
      version: '1',
      description:
        'Errors are always {"error":{"code","message","details"}}. Authenticate with the session cookie from POST /api/v1/session (send X-CSRF-Token on state-changing calls) or with Authorization: Bearer <personal access token>.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'sf_session' },
      },
    },
  }
}
