import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

// Kept in step with db/migrations by hand; one interface per table.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>
// postgres.js serialises json/jsonb parameters itself: pass objects, never JSON text.
type Json<T> = ColumnType<T, T, T>

export type Locale = 'zh-CN' | 'en'
export type OrganizationKind = 'design_firm' | 'workshop' | 'platform'
export type MembershipRole = 'owner' | 'member'

export interface UsersTable {
  id: Generated<string>
  email: string
  name: string
  password_hash: string
  locale: ColumnType<Locale, Locale | undefined, Locale>
  created_at: Generated<Date>
  updated_at: Timestamp
}

export type VerificationStatus = 'unsubmitted' | 'pending' | 'verified' | 'rejected'

export interface OrganizationsTable {
  id: Generated<string>
  kind: OrganizationKind
  name: string
  town: string | null
  created_at: Generated<Date>
  legal_name: string | null
  /** 统一社会信用代码 */
  uscc: string | null
  address: string | null
  lat: number | null
  lng: number | null
  description: string | null
  clusters: Generated<string[]>
  certifications: Generated<string[]>
  verification_status: Generated<VerificationStatus>
  verification_note: string | null
  verification_requested_at: NullableTimestamp
  verified_at: NullableTimestamp
  verified_by: string | null
  rating: number | null
  updated_at: Generated<Date>
  /** Share of completed orders shipped by their deadline; null before the first. */
  on_time_rate: number | null
  completed_orders: Generated<number>
  /** Workshops' rating of this design firm as a buyer. */
  buyer_rating: number | null
  /** Set by an operator: members cannot log in, its machines leave search and matching. */
  suspended_at: NullableTimestamp
  /** Why, for the operators; set exactly when suspended_at is. */
  suspended_reason: string | null
}

export interface MembershipsTable {
  user_id: string
  organization_id: string
  role: MembershipRole
  created_at: Generated<Date>
}

export interface SessionsTable {
  id: string
  user_id: string
  created_at: Generated<Date>
  expires_at: Timestamp
  ip: string | null
  user_agent: string | null
}

export interface InvitationsTable {
  id: Generated<string>
  organization_id: string
  email: string
  role: MembershipRole
  token_hash: string
  invited_by: string | null
  created_at: Generated<Date>
  expires_at: Timestamp
  accepted_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface PasswordResetsTable {
  token_hash: string
  user_id: string
  created_at: Generated<Date>
  expires_at: Timestamp
  used_at: NullableTimestamp
}

export interface PersonalAccessTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  token_hash: string
  token_prefix: string
  created_at: Generated<Date>
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface LoginAttemptsTable {
  id: Generated<number>
  email: string
  ip: string
  attempted_at: Generated<Date>
}

/** One fixed window of one rate limit key (app/models/rate-limit.server.ts). */
export interface RateLimitsTable {
  key: string
  window_start: Date
  /** When the window ends. */
  expires_at: Date
  hits: number
}

export type EmailStatus = 'queued' | 'sent' | 'failed'

export interface EmailsTable {
  id: Generated<string>
  to_address: string
  template: string
  props: Json<Record<string, unknown>>
  locale: Locale
  status: Generated<EmailStatus>
  transport: 'smtp' | 'mailbox' | null
  subject: string | null
  html: string | null
  text: string | null
  message_id: string | null
  error: string | null
  created_at: Generated<Date>
  sent_at: NullableTimestamp
}

export interface WorkerHeartbeatsTable {
  worker_id: string
  mode: string
  started_at: Generated<Date>
  last_seen_at: Timestamp
}

/** What one change re-indexes (the search__sync payload): resources, a workshop's, or all. */
export type SearchChangeScope =
  { resourceIds: string[] } | { organizationId: string } | { all: true }

/** The capability index's change feed, followed by every process holding an embedded index. */
export interface MetricsDirtyTable {
  id: Generated<number>
  kind: 'day' | 'funnel' | 'capacity'
  day: string
  created_at: Generated<Date>
}

export interface SearchChangesTable {
  id: Generated<number>
  scope: Json<SearchChangeScope>
  created_at: Generated<Date>
}

export interface MaterialsTable {
  code: string
  name_zh: string
  name_en: string
  families: string[]
  density_g_cm3: number
  price_fen_per_kg: number
  active: Generated<boolean>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface ResourcesTable {
  id: Generated<string>
  organization_id: string
  process: string
  name: string
  make: Generated<string>
  model: Generated<string>
  materials: string[]
  envelope_x_mm: number
  envelope_y_mm: number
  envelope_z_mm: number
  tolerance_mm: number
  finishes: Generated<string[]>
  hourly_rate_fen: number
  setup_fee_fen: Generated<number>
  min_quantity: Generated<number>
  max_quantity: number | null
  description: Generated<string>
  active: Generated<boolean>
  /** The most hours a day any of its capacity windows offers (0 without); kept by a trigger. */
  peak_hours_per_day: Generated<number>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Dates are 'YYYY-MM-DD' strings (days in Asia/Shanghai); ends_on is inclusive. */
export interface CapacityWindowsTable {
  id: Generated<string>
  resource_id: string
  starts_on: string
  ends_on: string
  hours_per_day: number
  created_at: Generated<Date>
}

export interface CapacityBookingsTable {
  id: Generated<string>
  resource_id: string
  order_id: string | null
  starts_on: string
  ends_on: string
  hours: number
  created_at: Generated<Date>
}

export type FilePurpose =
  'certificate' | 'business_license' | 'workshop_photo' | 'resource_photo' | 'order_attachment'

export interface FilesTable {
  id: Generated<string>
  organization_id: string
  purpose: FilePurpose
  resource_id: string | null
  certification: string | null
  storage_key: string
  original_name: string
  content_type: string
  size_bytes: number
  sha256: string
  uploaded_by: string | null
  created_at: Generated<Date>
  order_id: string | null
}

export type JobStatus = 'draft' | 'open' | 'closed' | 'cancelled'
export type JobVisibility = 'public' | 'invited'

export interface JobsTable {
  id: Generated<string>
  organization_id: string
  created_by: string | null
  title: string
  description: Generated<string>
  process: string | null
  material: string | null
  tolerance_mm: number
  finish: Generated<string>
  needs_sample: Generated<boolean>
  /** 'YYYY-MM-DD' (a Shanghai calendar day). */
  deadline: string
  budget_fen: number | null
  delivery_town: string
  delivery_address: Generated<string>
  visibility: Generated<JobVisibility>
  nda_required: Generated<boolean>
  status: Generated<JobStatus>
  opened_at: NullableTimestamp
  created_at: Generated<Date>
  updated_at: Timestamp
  /** Sheet thickness for DXF parts, mm. */
  thickness_mm: number | null
  match_summary: Json<MatchSummary | null>
  matched_at: NullableTimestamp
  /** Acceptance quality limit for the inspection (GB/T 2828.1), default 1.0. */
  aql: Generated<number>
}

export interface MatchSummary {
  matched: number
  /** Why resources fell out, stage by stage, with the best value seen where it helps. */
  misses: { code: string; count: number; best?: string }[]
}

export interface MatchReason {
  term: string
  /** The figure behind the term (fen, days, km, rating, hours, share). */
  value: number
  weight: number
  contribution: number
}

export interface MatchesTable {
  id: Generated<string>
  job_id: string
  resource_id: string
  organization_id: string
  rank: number
  score: number
  reasons: Json<MatchReason[]>
  estimate: Json<Record<string, unknown>>
  created_at: Generated<Date>
}

export type CadFormatColumn = 'stl' | '3mf' | 'obj' | 'step' | 'dxf'
export type AnalysisStatus = 'pending' | 'done' | 'failed'

export interface JobFilesTable {
  id: Generated<string>
  organization_id: string
  uploaded_by: string | null
  storage_key: string
  original_name: string
  format: CadFormatColumn
  size_bytes: number
  sha256: string
  units: Generated<'mm' | 'inch'>
  analysis_status: Generated<AnalysisStatus>
  /** As measured, in file units (search app/models/cad for the shape). */
  analysis: Json<Record<string, unknown> | null>
  analysis_error_code: string | null
  analysis_error: string | null
  analysed_at: NullableTimestamp
  preview_key: string | null
  thumbnail_key: string | null
  svg_key: string | null
  created_at: Generated<Date>
}

export interface JobPartsTable {
  job_id: string
  file_id: string
  quantity: number
  position: number
}

export interface JobInvitationsTable {
  job_id: string
  organization_id: string
  invited_by: string | null
  created_at: Generated<Date>
}

export interface NdaAcceptancesTable {
  job_id: string
  organization_id: string
  user_id: string | null
  accepted_at: Generated<Date>
}

export interface FileDownloadsTable {
  id: Generated<string>
  file_id: string
  user_id: string | null
  organization_id: string | null
  ip: string | null
  created_at: Generated<Date>
}

export type QuoteSource = 'auto' | 'manual'
export type QuoteStatus = 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn'

export interface QuoteLine {
  file_id: string
  quantity: number
  unit_price_fen: number
  setup_fen: number
  total_fen: number
  sample_price_fen: number
}

/** A line of a quote's price: what it is for (zh/en) and its amount for the whole job. */
export interface BreakdownLine {
  key: string
  label_zh: string
  label_en: string
  amount_fen: number
}

export interface QuotesTable {
  id: Generated<string>
  job_id: string
  organization_id: string
  resource_id: string | null
  match_id: string | null
  source: QuoteSource
  status: Generated<QuoteStatus>
  material: string | null
  quantity: number
  unit_price_fen: number
  setup_fen: number
  sample_price_fen: number
  total_fen: number
  platform_fee_bps: number
  machine_hours: Generated<number>
  sample_lead_days: number
  batch_lead_days: number
  lines: Json<QuoteLine[]>
  breakdown: Json<BreakdownLine[]>
  estimate: Json<Record<string, unknown> | null>
  comment: Generated<string>
  decline_reason: string | null
  valid_until: Timestamp
  confirmed_at: NullableTimestamp
  confirmed_by: string | null
  decided_at: NullableTimestamp
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export type OrderStatus =
  | 'awaiting_payment'
  | 'cancelled'
  | 'sampling'
  | 'sample_shipped'
  | 'in_production'
  | 'shipped'
  | 'delivered'
  | 'inspecting'
  | 'disputed'
  | 'completed'
  | 'refunded'

export interface OrdersTable {
  id: Generated<string>
  number: string
  job_id: string
  quote_id: string
  buyer_organization_id: string
  workshop_organization_id: string
  resource_id: string | null
  status: OrderStatus
  needs_sample: boolean
  batch_fen: number
  sample_fen: number
  subtotal_fen: number
  platform_fee_fen: number
  voucher_fen: Generated<number>
  total_fen: number
  sample_lead_days: number
  batch_lead_days: number
  deadline: string
  version: Generated<number>
  accepted_by: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  quantity: Generated<number>
  sample_round: Generated<number>
  /** 1, then +1 per rework a dispute sends back to production. */
  batch_round: Generated<number>
  max_sample_rounds: Generated<number>
  aql: Generated<number>
  inspection_level: Generated<string>
  paid_at: NullableTimestamp
  shipped_at: NullableTimestamp
  delivered_at: NullableTimestamp
  completed_at: NullableTimestamp
  cancelled_at: NullableTimestamp
  inspector_user_id: string | null
  cancel_requested_by: 'buyer' | 'workshop' | null
  refunded_fen: Generated<number>
  related_party: Generated<boolean>
  /** Reminder emails sent, by key (e.g. 'delivery', 'inspection'), as ISO times. */
  reminders: ColumnType<
    Record<string, string>,
    Record<string, string> | undefined,
    Record<string, string>
  >
  /** What the console counts the order under, fixed at acceptance ('' unknown). */
  process: Generated<string>
  town: Generated<string>
  cluster: Generated<string>
}

export interface OrderEventsTable {
  id: Generated<number>
  order_id: string
  actor_user_id: string | null
  from_status: string | null
  to_status: string
  payload: ColumnType<
    Record<string, unknown>,
    Record<string, unknown> | undefined,
    Record<string, unknown>
  >
  created_at: Generated<Date>
}

export interface PlatformSettingsTable {
  key: string
  value: Json<unknown>
  updated_by: string | null
  updated_at: Generated<Date>
}

export interface AuditLogTable {
  id: Generated<string>
  actor_user_id: string | null
  action: string
  subject: string
  before: Json<unknown>
  after: Json<unknown>
  created_at: Generated<Date>
}

export interface PaymentsTable {
  id: Generated<string>
  order_id: string
  provider: 'bank_transfer' | 'stripe'
  amount_fen: number
  status: PaymentStatus
  payer_name: string | null
  transferred_on: string | null
  note: Generated<string>
  bank_reference: string | null
  provider_ref: string | null
  reported_by: string | null
  reported_at: NullableTimestamp
  confirmed_by: string | null
  confirmed_at: NullableTimestamp
  created_at: Generated<Date>
  /** Card attempts are numbered per order; the idempotency key to Stripe names the payment. */
  attempt: Generated<number>
  checkout_session_id: string | null
  checkout_url: string | null
  payment_intent_id: string | null
  failure_message: string | null
  updated_at: Generated<Date>
}

export type PaymentStatus = 'pending' | 'reported' | 'confirmed' | 'failed' | 'refunded'
export type MoneyProvider = 'bank_transfer' | 'stripe'

export interface ProcessedWebhookEventsTable {
  id: string
  provider: Generated<string>
  type: string
  payload: Record<string, unknown>
  received_at: Generated<Date>
  processed_at: NullableTimestamp
  outcome: string | null
}

export interface ConnectedAccountsTable {
  organization_id: string
  account_id: string
  details_submitted: Generated<boolean>
  payouts_enabled: Generated<boolean>
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface PayoutsTable {
  id: Generated<string>
  order_id: string
  organization_id: string
  milestone: 'sample' | 'final'
  gross_fen: number
  fee_fen: number
  amount_fen: number
  provider: MoneyProvider | null
  status: 'pending' | 'paid' | 'failed'
  provider_ref: string | null
  bank_reference: string | null
  failure_message: string | null
  paid_by: string | null
  paid_at: NullableTimestamp
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export type RefundReason = 'cancelled' | 'partial_refund' | 'full_refund' | 'duplicate_payment'

export interface RefundsTable {
  id: Generated<string>
  order_id: string
  payment_id: string | null
  reason: RefundReason
  amount_fen: number
  voucher_fen: Generated<number>
  provider: MoneyProvider | null
  status: 'pending' | 'succeeded' | 'failed'
  provider_ref: string | null
  bank_reference: string | null
  failure_message: string | null
  recorded_by: string | null
  created_at: Generated<Date>
  completed_at: NullableTimestamp
}

export type LedgerAccount =
  | 'buyer'
  | 'voucher_fund'
  | 'escrow'
  | 'platform_fee'
  | 'workshop_payable'
  | 'workshop'
  | 'refund_payable'

export interface LedgerEntriesTable {
  id: Generated<number>
  order_id: string | null
  from_account: LedgerAccount
  to_account: LedgerAccount
  amount_fen: number
  kind: string
  payment_id: string | null
  payout_id: string | null
  refund_id: string | null
  created_at: Generated<Date>
}

export interface VoucherProgramsTable {
  id: Generated<string>
  name: string
  share_bps: number
  annual_cap_fen: number
  budget_fen: number
  processes: Generated<string[]>
  clusters: Generated<string[]>
  valid_from: string
  valid_until: string
  created_by: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

export interface VoucherGrantsTable {
  id: Generated<string>
  program_id: string
  organization_id: string
  year: number
  status: 'applied' | 'approved' | 'rejected'
  note: Generated<string>
  decision_note: Generated<string>
  applied_by: string | null
  decided_by: string | null
  decided_at: NullableTimestamp
  created_at: Generated<Date>
}

export interface VoucherRedemptionsTable {
  id: Generated<string>
  order_id: string
  program_id: string
  grant_id: string
  organization_id: string
  year: number
  amount_fen: number
  reversed_fen: Generated<number>
  created_at: Generated<Date>
}

export interface ShipmentsTable {
  id: Generated<string>
  order_id: string
  kind: 'sample' | 'batch'
  round: number
  quantity: number
  carrier: string
  tracking_number: string
  note: Generated<string>
  attachment_ids: Generated<string[]>
  shipped_by: string | null
  created_at: Generated<Date>
}

export interface SampleReviewsTable {
  id: Generated<string>
  order_id: string
  round: number
  decision: 'approved' | 'rejected'
  feedback: Generated<string>
  attachment_ids: Generated<string[]>
  reviewed_by: string | null
  created_at: Generated<Date>
}

export interface Measurement {
  feature: string
  nominal: number
  tol_minus: number
  tol_plus: number
  measured: number[]
  pass: boolean
}

export interface InspectionsTable {
  id: Generated<string>
  order_id: string
  inspector_user_id: string | null
  lot_size: number
  aql: number
  level: string
  code_letter: string
  sample_size: number
  accept_number: number
  reject_number: number
  defects_found: number
  measurements: Json<Measurement[]>
  result: 'accept' | 'reject'
  notes: Generated<string>
  attachment_ids: Generated<string[]>
  automatic: Generated<boolean>
  created_at: Generated<Date>
}

export interface DisputesTable {
  id: Generated<string>
  order_id: string
  reason: 'inspection_rejected' | 'sample_rounds_exhausted'
  status: 'open' | 'resolved'
  resolution: 'rework' | 'partial_refund' | 'full_refund' | null
  refund_fen: Generated<number>
  note: Generated<string>
  opened_by: string | null
  resolved_by: string | null
  resolved_at: NullableTimestamp
  created_at: Generated<Date>
}

export interface DisputeEvidenceTable {
  id: Generated<string>
  dispute_id: string
  organization_id: string
  author_user_id: string | null
  note: string
  attachment_ids: Generated<string[]>
  created_at: Generated<Date>
}

export interface MessagesTable {
  id: Generated<number>
  thread: string
  order_id: string | null
  job_id: string | null
  workshop_organization_id: string | null
  sender_user_id: string | null
  sender_organization_id: string
  body: string
  attachment_ids: Generated<string[]>
  created_at: Generated<Date>
}

export interface MessageReadsTable {
  user_id: string
  thread: string
  last_read_id: number
}

export interface ReviewsTable {
  id: Generated<string>
  order_id: string
  direction: 'buyer_to_workshop' | 'workshop_to_buyer'
  author_organization_id: string
  subject_organization_id: string
  author_user_id: string | null
  quality: number | null
  communication: number | null
  on_time: number | null
  overall: number
  comment: Generated<string>
  created_at: Generated<Date>
}

export interface Database {
  users: UsersTable
  organizations: OrganizationsTable
  memberships: MembershipsTable
  sessions: SessionsTable
  invitations: InvitationsTable
  password_resets: PasswordResetsTable
  personal_access_tokens: PersonalAccessTokensTable
  login_attempts: LoginAttemptsTable
  rate_limits: RateLimitsTable
  emails: EmailsTable
  worker_heartbeats: WorkerHeartbeatsTable
  search_changes: SearchChangesTable
  metrics_dirty: MetricsDirtyTable
  materials: MaterialsTable
  resources: ResourcesTable
  capacity_windows: CapacityWindowsTable
  capacity_bookings: CapacityBookingsTable
  files: FilesTable
  jobs: JobsTable
  job_files: JobFilesTable
  job_parts: JobPartsTable
  job_invitations: JobInvitationsTable
  nda_acceptances: NdaAcceptancesTable
  file_downloads: FileDownloadsTable
  matches: MatchesTable
  quotes: QuotesTable
  orders: OrdersTable
  order_events: OrderEventsTable
  platform_settings: PlatformSettingsTable
  audit_log: AuditLogTable
  payments: PaymentsTable
  shipments: ShipmentsTable
  sample_reviews: SampleReviewsTable
  inspections: InspectionsTable
  disputes: DisputesTable
  dispute_evidence: DisputeEvidenceTable
  messages: MessagesTable
  message_reads: MessageReadsTable
  reviews: ReviewsTable
  processed_webhook_events: ProcessedWebhookEventsTable
  connected_accounts: ConnectedAccountsTable
  payouts: PayoutsTable
  refunds: RefundsTable
  ledger_entries: LedgerEntriesTable
  voucher_programs: VoucherProgramsTable
  voucher_grants: VoucherGrantsTable
  voucher_redemptions: VoucherRedemptionsTable
  metrics_rollup: MetricsRollupTable
  party_rollup: PartyRollupTable
  funnel_rollup: FunnelRollupTable
  capacity_rollup: CapacityRollupTable
}

/** 'd': one Shanghai day (period is the day); 'm': one month (period is its first day). */
export type RollupGrain = 'd' | 'm'

interface RollupDims {
  town: string
  cluster: string
  process: string
}

export interface MetricsRollupTable extends RollupDims {
  grain: RollupGrain
  period: string
  orders: number
  gmv_fen: number
  voucher_fen: number
  refund_fen: number
  cancelled: number
  paid: number
  completed: number
  on_time: number
  disputed: number
  /** Histograms: counts per bucket (metrics-rollup.server.ts HOUR_BUCKETS, rounds 1…5+). */
  quote_to_paid: number[]
  sample_rounds: number[]
  shipped_to_delivered: number[]
  inspection: number[]
}

export interface PartyRollupTable {
  grain: RollupGrain
  period: string
  organization_id: string
  /** 'w' the workshop, 'b' the buying design firm. */
  role: 'w' | 'b'
  orders: number
  gmv_fen: number
  refund_fen: number
  completed: number
}

export interface FunnelRollupTable extends RollupDims {
  grain: RollupGrain
  period: string
  opened: number
  matched: number
  quoted: number
  ordered: number
  sample_ok: number
  completed: number
}

export interface CapacityRollupTable extends RollupDims {
  period: string
  offered_hours: number
  booked_hours: number
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type Organization = Selectable<OrganizationsTable>
