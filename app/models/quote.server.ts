import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { BreakdownLine, QuoteLine, QuoteStatus } from '../../db/schema.ts'
import { requireDesignFirm, requireWorkshop } from './actor.server.ts'
import { queueEmail } from './email.server.ts'
import { NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import { jobAccess } from './job.server.ts'
import { formatFen } from './money.ts'
import { ownersOf } from './organization.server.ts'
import type { Quote } from './pricing.ts'
import { getPlatformSettings } from './settings.server.ts'
import type { AccountView } from './user.server.ts'

// Quotes (报价, issue 6). A quote prices a whole job on one workshop's machine: one line per
// part (unit price × quantity + that part's one-off charges) and a breakdown of what the money
// is for. Matching writes an *auto* quote per matched workshop: the platform's estimate, which
// the workshop confirms (as is, or adjusted with a comment) or declines; only a confirmed quote
// can be accepted. A workshop may also send a *manual* quote on a public job in its processes.
// A quote is valid for the operator's number of days from when it was written or confirmed;
// an hourly task marks the lapsed ones expired, and every read treats them as expired already.

/** Largest accepted job total (¥1,000,000,000); per part: MAX_UNIT_PRICE_FEN (quote.schema). */
export const MAX_TOTAL_FEN = 100_000_000_000

export interface PricedPart {
  fileId: string
  quantity: number
  quote: Quote
}

/** What a quote stores, in fen and days. */
export interface QuoteFigures {
  quantity: number
  unitPriceFen: number
  setupFen: number
  samplePriceFen: number
  totalFen: number
  machineHours: number
  sampleLeadDays: number
  batchLeadDays: number
  lines: QuoteLine[]
  breakdown: BreakdownLine[]
}

/**
 * A quote's lines and figures from its lines. One part: the quote's unit price is the part's.
 * Several parts: it is the average per part (rounded); the lines hold each part's own, and
 * the total is always Σ lines.
 */
export function figuresOfLines(
  lines: QuoteLine[],
  rest: Pick<QuoteFigures, 'machineHours' | 'sampleLeadDays' | 'batchLeadDays' | 'breakdown'>,
): QuoteFigures {
  const quantity = lines.reduce((s, l) => s + l.quantity, 0)
  const setupFen = lines.reduce((s, l) => s + l.setup_fen, 0)
  const totalFen = lines.reduce((s, l) => s + l.total_fen, 0)
  return {
    quantity,
    unitPriceFen:
      lines.length === 1 ? lines[0]!.unit_price_fen : Math.round((totalFen - setupFen) / quantity),
    setupFen,
    samplePriceFen: lines.reduce((s, l) => s + l.sample_price_fen, 0),
    totalFen,
    lines,
    ...rest,
  }
}

/** The figures of the pricing model's per-part quotes; the breakdown sums lines by kind. */
export function figuresFromPricing(parts: PricedPart[]): QuoteFigures {
  const breakdown = new Map<string, BreakdownLine>()
  for (const { quote } of parts) {
    for (const line of quote.breakdown) {
      const entry = breakdown.get(line.key) ?? {
        key: line.key,
        label_zh: line.label_zh,
        label_en: line.label_en,
        amount_fen: 0,
      }
      entry.amount_fen += line.amountFen
      breakdown.set(line.key, entry)
    }
  }
  return figuresOfLines(
    parts.map((p) => ({
      file_id: p.fileId,
      quantity: p.quantity,
      unit_price_fen: p.quote.unitPriceFen,
      setup_fen: p.quote.setupFen,
      total_fen: p.quote.totalFen,
      sample_price_fen: p.quote.samplePriceFen,
    })),
    {
      machineHours: Math.round(parts.reduce((s, p) => s + p.quote.machineHours, 0) * 100) / 100,
      sampleLeadDays: Math.max(...parts.map((p) => p.quote.sampleLeadDays)),
      batchLeadDays: Math.max(...parts.map((p) => p.quote.batchLeadDays)),
      breakdown: [...breakdown.values()].filter((l) => l.amount_fen !== 0),
    },
  )
}

/** The platform fee inside an amount that includes it at `bps`. */
export function platformFeeIn(amountFen: number, bps: number): number {
  return amountFen - Math.round((amountFen * 10000) / (10000 + bps))
}

function figureColumns(f: QuoteFigures) {
  return {
    quantity: f.quantity,
    unit_price_fen: f.unitPriceFen,
    setup_fen: f.setupFen,
    sample_price_fen: f.samplePriceFen,
    total_fen: f.totalFen,
    machine_hours: f.machineHours,
    sample_lead_days: f.sampleLeadDays,
    batch_lead_days: f.batchLeadDays,
    lines: f.lines,
    breakdown: f.breakdown,
  }
}

const validUntil = (days: number) => sql<Date>`now() + make_interval(days => ${days}::int)`

/**
 * Writes the auto quotes of a job's matches (in matching's transaction): the platform's
 * estimate, pending until the workshop confirms it. A workshop that already has a live quote
 * on the job keeps it.
 */
export async function createAutoQuotes(
  tx: Tx,
  jobId: string,
  entries: {
    matchId: string
    organizationId: string
    resourceId: string
    material: string
    parts: PricedPart[]
  }[],
  settings: { platformFeeBps: number; validityDays: number },
) {
  if (!entries.length) return
  await tx
    .insertInto('quotes')
    .values(
      entries.map((e) => {
        const figures = figuresFromPricing(e.parts)
        return {
          job_id: jobId,
          organization_id: e.organizationId,
          resource_id: e.resourceId,
          match_id: e.matchId,
          source: 'auto' as const,
          material: e.material,
          platform_fee_bps: settings.platformFeeBps,
          ...figureColumns(figures),
          estimate: {
            unit_price_fen: figures.unitPriceFen,
            total_fen: figures.totalFen,
            batch_lead_days: figures.batchLeadDays,
            breakdown: figures.breakdown,
          },
          valid_until: validUntil(settings.validityDays),
        }
      }),
    )
    .onConflict((oc) =>
      oc
        .columns(['job_id', 'organization_id'])
        .where('status', 'in', ['pending', 'accepted'])
        .doNothing(),
    )
    .execute()
}

/** A quote's status as people see it: a pending quote past its validity is expired. */
export const effectiveStatus = sql<QuoteStatus>`case when quotes.status = 'pending'
  and quotes.valid_until <= now() then 'expired' else quotes.status end`

/** Locks a quote of the actor's workshop (404 for anyone else's). */
async function lockOwnQuote(tx: Tx, actor: AccountView, quoteId: string) {
  requireWorkshop(actor, 'Only the quoting workshop changes its quote')
  const quote = await tx
    .selectFrom('quotes')
    .selectAll()
    .select(sql<boolean>`valid_until <= now()`.as('lapsed'))
    .where('id', '=', quoteId)
    .where('organization_id', '=', actor.organization.id)
    .forUpdate()
    .executeTakeFirst()
  if (!quote) throw new NotFoundError('No such quote')
  return quote
}

function requirePending(quote: { status: QuoteStatus; lapsed: boolean }) {
  if (quote.status === 'pending' && quote.lapsed) {
    throw new StateConflictError('quote_expired', 'This quote has expired')
  }
  if (quote.status !== 'pending') {
    throw new StateConflictError(`quote_${quote.status}`, `This quote is ${quote.status}`, {
      details: { status: quote.status },
    })
  }
}

async function requireOpenJob(tx: Tx, jobId: string) {
  const job = await tx
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow()
  if (job.status !== 'open') {
    throw new StateConflictError('job_not_open', 'This job no longer takes quotes', {
      details: { status: job.status },
    })
  }
  return job
}

function checkTotal(totalFen: number) {
  if (totalFen > MAX_TOTAL_FEN) {
    throw new RuleViolationError('quote_total_too_large', 'The quote total is too large', {
      field: 'unit_price_fen',
    })
  }
}

export interface ConfirmInput {
  unitPriceFen?: number
  batchLeadDays?: number
  comment?: string
}

/**
 * The workshop confirms its quote, as estimated or adjusted (unit price, batch lead days, a
 * comment); confirming again revises it. Validity restarts from the confirmation. The designer
 * is told.
 */
export async function confirmQuote(
  tx: Tx,
  actor: AccountView,
  quoteId: string,
  input: ConfirmInput,
  options: { publicUrl: string },
) {
  const quote = await lockOwnQuote(tx, actor, quoteId)
  requirePending(quote)
  const job = await requireOpenJob(tx, quote.job_id)
  const { quoteValidityDays } = await getPlatformSettings(tx)
  let figures: QuoteFigures = {
    quantity: quote.quantity,
    unitPriceFen: quote.unit_price_fen,
    setupFen: quote.setup_fen,
    samplePriceFen: quote.sample_price_fen,
    totalFen: quote.total_fen,
    machineHours: quote.machine_hours,
    sampleLeadDays: quote.sample_lead_days,
    batchLeadDays: quote.batch_lead_days,
    lines: quote.lines,
    breakdown: quote.breakdown,
  }
  if (input.unitPriceFen !== undefined && input.unitPriceFen !== figures.unitPriceFen) {
    // One part: the new unit price. Several: every part's unit price scaled alike.
    const factor = input.unitPriceFen / figures.unitPriceFen
    const lines = figures.lines.map((l) => {
      const unit =
        figures.lines.length === 1 ? input.unitPriceFen! : Math.round(l.unit_price_fen * factor)
      return { ...l, unit_price_fen: unit, total_fen: unit * l.quantity + l.setup_fen }
    })
    const after = lines.reduce((s, l) => s + l.total_fen, 0)
    const breakdown = figures.breakdown.filter((l) => l.key !== 'workshop_adjustment')
    const estimated = breakdown.reduce((s, l) => s + l.amount_fen, 0)
    checkTotal(after)
    figures = figuresOfLines(lines, {
      machineHours: figures.machineHours,
      sampleLeadDays: figures.sampleLeadDays,
      batchLeadDays: figures.batchLeadDays,
      breakdown:
        after === estimated
          ? breakdown
          : [
              ...breakdown,
              {
                key: 'workshop_adjustment',
                label_zh: '工厂调整',
                label_en: 'Workshop adjustment',
                amount_fen: after - estimated,
              },
            ],
    })
  }
  if (input.batchLeadDays !== undefined) figures.batchLeadDays = input.batchLeadDays
  if (figures.sampleLeadDays > figures.batchLeadDays) {
    figures.sampleLeadDays = figures.batchLeadDays
  }
  const updated = await tx
    .updateTable('quotes')
    .set({
      ...figureColumns(figures),
      comment: input.comment ?? quote.comment,
      confirmed_at: sql<Date>`now()`,
      confirmed_by: actor.user.id,
      valid_until: validUntil(quoteValidityDays),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', quoteId)
    .returningAll()
    .executeTakeFirstOrThrow()
  await emailQuoteToFirm(tx, job, actor.organization.name, updated.total_fen, options.publicUrl)
  return updated
}

/**
 * The workshop turns the job down with a reason: an unconfirmed quote is declined, a
 * confirmed one withdrawn. Either way it can no longer be accepted.
 */
export async function declineQuote(tx: Tx, actor: AccountView, quoteId: string, reason: string) {
  const quote = await lockOwnQuote(tx, actor, quoteId)
  if (quote.status !== 'pending') requirePending(quote)
  return tx
    .updateTable('quotes')
    .set({
      status: quote.confirmed_at ? 'withdrawn' : 'declined',
      decline_reason: reason,
      decided_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', quoteId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export interface ManualQuoteInput {
  resourceId: string
  /** Per part (every part of the job, by file id). */
  parts: { fileId: string; unitPriceFen: number }[]
  setupFen: number
  samplePriceFen: number
  sampleLeadDays: number
  batchLeadDays: number
  machineHours: number
  comment: string
}

/**
 * A workshop's own quote on an open job it can see (public, or invited or matched), made on
 * one of its active machines in the job's process. One live quote per workshop and job: with
 * an auto quote already there, the workshop confirms or adjusts that one instead.
 */
export async function createManualQuote(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  input: ManualQuoteInput,
  options: { publicUrl: string },
) {
  requireWorkshop(actor, 'Only workshops quote')
  const access = await jobAccess(tx, jobId, actor)
  if (!access) throw new NotFoundError('No such job')
  const org = await tx
    .selectFrom('organizations')
    .select('verification_status')
    .where('id', '=', actor.organization.id)
    .executeTakeFirstOrThrow()
  if (org.verification_status !== 'verified') {
    throw new RuleViolationError('workshop_not_verified', 'Only verified workshops quote')
  }
  // Serialise with accepts and other quotes on the job.
  await tx.selectFrom('jobs').select('id').where('id', '=', jobId).forUpdate().execute()
  const job = await requireOpenJob(tx, jobId)
  const resource = await tx
    .selectFrom('resources')
    .select(['id', 'process', 'materials', 'active'])
    .where('id', '=', input.resourceId)
    .where('organization_id', '=', actor.organization.id)
    .executeTakeFirst()
  if (!resource || !resource.active) {
    throw new RuleViolationError('invalidChoice', 'Choose one of your active machines', {
      field: 'resource_id',
    })
  }
  if (job.process && resource.process !== job.process) {
    throw new RuleViolationError(
      'quote_wrong_process',
      "This machine is not in the job's process",
      {
        field: 'resource_id',
        details: { process: job.process },
      },
    )
  }
  const existing = await tx
    .selectFrom('quotes')
    .select('id')
    .where('job_id', '=', jobId)
    .where('organization_id', '=', actor.organization.id)
    .where('status', 'in', ['pending', 'accepted'])
    .executeTakeFirst()
  if (existing) {
    throw new StateConflictError('quote_exists', 'You already have a quote on this job', {
      details: { quote_id: existing.id },
    })
  }
  const parts = await tx
    .selectFrom('job_parts')
    .select(['file_id', 'quantity'])
    .where('job_id', '=', jobId)
    .orderBy('position')
    .execute()
  const prices = new Map(input.parts.map((p) => [p.fileId, p.unitPriceFen]))
  const missing = parts.filter((p) => !prices.has(p.file_id))
  if (missing.length || prices.size !== parts.length || input.parts.length !== parts.length) {
    throw new RuleViolationError('quote_parts', 'Give a unit price for every part of the job', {
      field: 'parts',
      details: { file_ids: parts.map((p) => p.file_id) },
    })
  }
  // The one-off charge and the sample price sit on the first line.
  const lines: QuoteLine[] = parts.map((p, i) => {
    const unit = prices.get(p.file_id)!
    const setup = i === 0 ? input.setupFen : 0
    return {
      file_id: p.file_id,
      quantity: p.quantity,
      unit_price_fen: unit,
      setup_fen: setup,
      total_fen: unit * p.quantity + setup,
      sample_price_fen: i === 0 ? input.samplePriceFen : 0,
    }
  })
  const partsFen = lines.reduce((s, l) => s + l.unit_price_fen * l.quantity, 0)
  const total = partsFen + input.setupFen
  checkTotal(total)
  const settings = await getPlatformSettings(tx)
  const feeBps = settings.pricingTables.platformFeeBps
  const fee = platformFeeIn(total, feeBps)
  const figures = figuresOfLines(lines, {
    machineHours: input.machineHours,
    sampleLeadDays: Math.min(input.sampleLeadDays, input.batchLeadDays),
    batchLeadDays: input.batchLeadDays,
    breakdown: [
      {
        key: 'parts',
        label_zh: '零件加工（单价 × 数量）',
        label_en: 'Parts (unit price × quantity)',
        amount_fen: partsFen - platformFeeIn(partsFen, feeBps),
      },
      ...(input.setupFen
        ? [
            {
              key: 'setup',
              label_zh: '一次性费用（编程、装夹、治具）',
              label_en: 'One-off charges (programming, set-up, fixtures)',
              amount_fen: input.setupFen - platformFeeIn(input.setupFen, feeBps),
            },
          ]
        : []),
      {
        key: 'platform_fee',
        label_zh: '平台服务费（已含）',
        label_en: 'Platform fee (included)',
        amount_fen: fee,
      },
    ].map((l, i, all) =>
      // Rounding: the first line takes what the per-line rounding left over.
      i === 0
        ? { ...l, amount_fen: total - all.slice(1).reduce((s, x) => s + x.amount_fen, 0) }
        : l,
    ),
  })
  const quote = await tx
    .insertInto('quotes')
    .values({
      job_id: jobId,
      organization_id: actor.organization.id,
      resource_id: resource.id,
      source: 'manual',
      material: job.material,
      platform_fee_bps: feeBps,
      ...figureColumns(figures),
      estimate: null,
      comment: input.comment,
      valid_until: validUntil(settings.quoteValidityDays),
      confirmed_at: sql<Date>`now()`,
      confirmed_by: actor.user.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await emailQuoteToFirm(tx, job, actor.organization.name, quote.total_fen, options.publicUrl)
  return quote
}

/** Tells the job's firm (its owners) that a workshop sent or confirmed a quote. */
async function emailQuoteToFirm(
  tx: Tx,
  job: { id: string; title: string; organization_id: string },
  workshop: string,
  totalFen: number,
  publicUrl: string,
) {
  for (const owner of await ownersOf(tx, [job.organization_id])) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template: 'quote-received',
      props: {
        name: owner.name,
        workshop,
        job: job.title,
        total: formatFen(totalFen, owner.locale),
        url: `${publicUrl}/jobs/${job.id}#quotes`,
      },
    })
  }
}

/** Marks pending quotes past their validity expired; returns how many. */
export async function expireQuotes(db: Db | Tx): Promise<number> {
  const rows = await db
    .updateTable('quotes')
    .set({ status: 'expired', decided_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('status', '=', 'pending')
    .where('valid_until', '<=', sql<Date>`now()`)
    .returning('id')
    .execute()
  return rows.length
}

/** Declines a job's live quotes (the job was cancelled, or another quote accepted). */
export function declineOpenQuotes(tx: Tx, jobId: string, reason: string, except?: string) {
  let query = tx
    .updateTable('quotes')
    .set({
      status: 'declined',
      decline_reason: reason,
      decided_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
  if (except) query = query.where('id', '!=', except)
  return query.returning(['id', 'organization_id']).execute()
}

const quoteColumns = [
  'quotes.id',
  'quotes.job_id',
  'quotes.organization_id',
  'quotes.resource_id',
  'quotes.match_id',
  'quotes.source',
  'quotes.material',
  'quotes.quantity',
  'quotes.unit_price_fen',
  'quotes.setup_fen',
  'quotes.sample_price_fen',
  'quotes.total_fen',
  'quotes.platform_fee_bps',
  'quotes.machine_hours',
  'quotes.sample_lead_days',
  'quotes.batch_lead_days',
  'quotes.lines',
  'quotes.breakdown',
  'quotes.estimate',
  'quotes.comment',
  'quotes.decline_reason',
  'quotes.valid_until',
  'quotes.confirmed_at',
  'quotes.created_at',
] as const

/**
 * A job's quotes as `viewer` may see them: the owning firm and operators all of them, a
 * workshop only its own (none: an empty list, or undefined when it cannot see the job).
 * With the workshop's public facts, the machine and the match reasons; best first.
 */
export async function listJobQuotes(db: Db | Tx, jobId: string, viewer: AccountView) {
  const access = await jobAccess(db, jobId, viewer)
  if (!access) return undefined
  let query = db
    .selectFrom('quotes')
    .innerJoin('organizations', 'organizations.id', 'quotes.organization_id')
    .leftJoin('resources', 'resources.id', 'quotes.resource_id')
    .leftJoin('matches', 'matches.id', 'quotes.match_id')
    .select(quoteColumns)
    .select([
      effectiveStatus.as('status'),
      'organizations.name as workshop_name',
      'organizations.town as workshop_town',
      'organizations.lat as workshop_lat',
      'organizations.lng as workshop_lng',
      'organizations.rating as workshop_rating',
      'organizations.on_time_rate as workshop_on_time_rate',
      'organizations.verification_status as workshop_verification',
      'resources.name as resource_name',
      'resources.process as resource_process',
      'matches.reasons',
      'matches.rank',
    ])
    .where('quotes.job_id', '=', jobId)
  if (access.role === 'workshop') {
    query = query.where('quotes.organization_id', '=', viewer.organization.id)
  }
  const rows = await query
    .orderBy(
      sql`case when quotes.status = 'accepted' then 0 when quotes.status = 'pending'
      and quotes.valid_until > now() then 1 else 2 end`,
    )
    .orderBy('quotes.total_fen')
    .orderBy('quotes.id')
    .execute()
  return { access, quotes: rows }
}
export type JobQuote = NonNullable<Awaited<ReturnType<typeof listJobQuotes>>>['quotes'][number]

/**
 * The workshop's job board (接单大厅): its quotes on open jobs (auto quotes from matching,
 * its manual ones), newest first, and the open public jobs in its processes it has not
 * quoted on yet.
 */
export async function jobBoard(db: Db, actor: AccountView) {
  requireWorkshop(actor, 'The job board is for workshops')
  const [quoted, open] = await Promise.all([
    db
      .selectFrom('quotes')
      .innerJoin('jobs', 'jobs.id', 'quotes.job_id')
      .innerJoin('organizations as firm', 'firm.id', 'jobs.organization_id')
      .leftJoin('resources', 'resources.id', 'quotes.resource_id')
      .leftJoin('matches', 'matches.id', 'quotes.match_id')
      .select(quoteColumns)
      .select([
        effectiveStatus.as('status'),
        'jobs.title as job_title',
        'jobs.status as job_status',
        'jobs.process as job_process',
        'jobs.deadline',
        'jobs.needs_sample',
        'jobs.nda_required',
        'jobs.delivery_town',
        'firm.name as firm_name',
        'resources.name as resource_name',
        'matches.reasons',
      ])
      .where('quotes.organization_id', '=', actor.organization.id)
      .where((eb) => eb.or([eb('jobs.status', '=', 'open'), eb('quotes.status', '=', 'accepted')]))
      .orderBy('quotes.created_at', 'desc')
      .limit(200)
      .execute(),
    db
      .selectFrom('jobs')
      .innerJoin('organizations as firm', 'firm.id', 'jobs.organization_id')
      .select([
        'jobs.id',
        'jobs.title',
        'jobs.process',
        'jobs.material',
        'jobs.deadline',
        'jobs.needs_sample',
        'jobs.nda_required',
        'jobs.delivery_town',
        'jobs.opened_at',
        'firm.name as firm_name',
        sql<number>`(select coalesce(sum(quantity), 0) from job_parts
          where job_parts.job_id = jobs.id)::int`.as('quantity'),
      ])
      .where('jobs.status', '=', 'open')
      .where('jobs.visibility', '=', 'public')
      .where('firm.suspended_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('jobs.process', 'is', null),
          eb(
            'jobs.process',
            'in',
            eb
              .selectFrom('resources')
              .select('resources.process')
              .where('resources.organization_id', '=', actor.organization.id)
              .where('resources.active', '=', true),
          ),
        ]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('quotes')
              .select('quotes.id')
              .whereRef('quotes.job_id', '=', 'jobs.id')
              .where('quotes.organization_id', '=', actor.organization.id),
          ),
        ),
      )
      .orderBy('jobs.opened_at', 'desc')
      .limit(100)
      .execute(),
  ])
  return { quoted, open }
}

/** Does the design firm `actor` own this quote's job? The quote's ids, else 404. */
export async function lockQuoteForBuyer(tx: Tx, actor: AccountView, quoteId: string) {
  requireDesignFirm(actor, 'Only the job’s design firm accepts a quote')
  const quote = await tx
    .selectFrom('quotes')
    .innerJoin('jobs', 'jobs.id', 'quotes.job_id')
    .select(['quotes.id', 'quotes.job_id'])
    .where('quotes.id', '=', quoteId)
    .where('jobs.organization_id', '=', actor.organization.id)
    .executeTakeFirst()
  if (!quote) throw new NotFoundError('No such quote')
  return quote
}

export { requirePending as requirePendingQuote }
