import type { BreakdownLine, VerificationStatus } from '../../db/schema.ts'
import type { Db } from '../../db/client.ts'
import type { Locale } from '../locales/index.ts'
import type { Order, listOrders, requireOrderForViewer } from '../models/order.server.ts'
import { listJobQuotes, type jobBoard } from '../models/quote.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { iso, notFound } from './api.server.ts'
import { distanceFromTown, type QuoteRow } from './quote-view.server.ts'

// The API shapes of quotes, the job board and orders (issue 6). Field names are promises to
// API users: extend, never break.

/** The workshop facts a quote shows, with where it is (lat/lng null: unknown). */
export interface QuoteWorkshop {
  id: string
  name: string
  town: string | null
  rating: number | null
  verification_status: VerificationStatus
  lat: number | null
  lng: number | null
}

/** A breakdown with its labels in `locale`. */
export function breakdownBody(lines: BreakdownLine[], locale: Locale) {
  return lines.map((l) => ({
    key: l.key,
    label: locale === 'en' ? l.label_en : l.label_zh,
    amount_fen: l.amount_fen,
  }))
}

/** A quote's promised body; `deliveryTown` is the job's, for the workshop's distance. */
export function quoteBody(
  q: QuoteRow,
  workshop: QuoteWorkshop,
  deliveryTown: string | null,
  locale: Locale,
) {
  return {
    id: q.id,
    job_id: q.job_id,
    workshop: {
      id: workshop.id,
      name: workshop.name,
      town: workshop.town,
      rating: workshop.rating,
      verified: workshop.verification_status === 'verified',
      distance_km: distanceFromTown(deliveryTown, workshop),
    },
    resource_id: q.resource_id,
    source: q.source,
    status: q.status,
    confirmed: q.confirmed_at !== null,
    quantity: q.quantity,
    unit_price_fen: q.unit_price_fen,
    setup_fen: q.setup_fen,
    sample_price_fen: q.sample_price_fen,
    total_fen: q.total_fen,
    sample_lead_days: q.sample_lead_days,
    batch_lead_days: q.batch_lead_days,
    valid_until: iso(q.valid_until),
    comment: q.comment,
    decline_reason: q.decline_reason,
    created_at: iso(q.created_at),
    lines: q.lines.map((l) => ({
      file_id: l.file_id,
      quantity: l.quantity,
      unit_price_fen: l.unit_price_fen,
      setup_fen: l.setup_fen,
      total_fen: l.total_fen,
      sample_price_fen: l.sample_price_fen,
    })),
    breakdown: breakdownBody(q.breakdown, locale),
    reasons: q.reasons,
  }
}

/** A row of listJobQuotes: the quote with its workshop's public facts. */
export function jobQuoteBody(
  q: QuoteRow & {
    organization_id: string
    workshop_name: string
    workshop_town: string | null
    workshop_rating: number | null
    workshop_verification: VerificationStatus
    workshop_lat: number | null
    workshop_lng: number | null
  },
  deliveryTown: string | null,
  locale: Locale,
) {
  return quoteBody(
    q,
    {
      id: q.organization_id,
      name: q.workshop_name,
      town: q.workshop_town,
      rating: q.workshop_rating,
      verification_status: q.workshop_verification,
      lat: q.workshop_lat,
      lng: q.workshop_lng,
    },
    deliveryTown,
    locale,
  )
}

/** The body of one quote of a job as `viewer` sees it (after a change to it), else 404. */
export async function viewedQuoteBody(
  db: Db,
  viewer: AccountView,
  quote: { id: string; job_id: string },
  locale: Locale,
) {
  const listed = await listJobQuotes(db, quote.job_id, viewer)
  const row = listed?.quotes.find((q) => q.id === quote.id)
  if (!listed || !row) throw notFound()
  return jobQuoteBody(row, listed.access.job.delivery_town, locale)
}

type Board = Awaited<ReturnType<typeof jobBoard>>

/** The job board of `workshop` (the caller): its quotes with their jobs, and open jobs. */
export function jobBoardBody(board: Board, workshop: QuoteWorkshop, locale: Locale) {
  return {
    quoted: board.quoted.map((q) => ({
      ...quoteBody(q, workshop, q.delivery_town, locale),
      job: {
        id: q.job_id,
        title: q.job_title,
        status: q.job_status,
        process: q.job_process,
        deadline: q.deadline,
        needs_sample: q.needs_sample,
        nda_required: q.nda_required,
        delivery_town: q.delivery_town,
        firm: q.firm_name,
      },
    })),
    open: board.open.map((j) => ({
      id: j.id,
      title: j.title,
      status: 'open' as const,
      process: j.process,
      material: j.material,
      deadline: j.deadline,
      needs_sample: j.needs_sample,
      nda_required: j.nda_required,
      delivery_town: j.delivery_town,
      firm: j.firm_name,
      quantity: j.quantity,
      distance_km: distanceFromTown(j.delivery_town, workshop),
      opened_at: iso(j.opened_at),
    })),
  }
}

/** An order's promised body (amounts in fen, as stored at acceptance). */
export function orderBody(o: Order) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    version: o.version,
    job_id: o.job_id,
    quote_id: o.quote_id,
    workshop_id: o.workshop_organization_id,
    buyer_id: o.buyer_organization_id,
    resource_id: o.resource_id,
    needs_sample: o.needs_sample,
    batch_fen: o.batch_fen,
    sample_fen: o.sample_fen,
    subtotal_fen: o.subtotal_fen,
    platform_fee_fen: o.platform_fee_fen,
    voucher_fen: o.voucher_fen,
    total_fen: o.total_fen,
    sample_lead_days: o.sample_lead_days,
    batch_lead_days: o.batch_lead_days,
    deadline: o.deadline,
    created_at: iso(o.created_at),
    updated_at: iso(o.updated_at),
  }
}

type ViewedOrder = Awaited<ReturnType<typeof requireOrderForViewer>>

/** One order for a party (or an operator): with its trail, parts and the quote's price. */
export function orderDetailBody({ order, role, parts, events }: ViewedOrder, locale: Locale) {
  return {
    ...orderBody(order),
    role,
    job_title: order.job_title,
    buyer_name: order.buyer_name,
    workshop_name: order.workshop_name,
    events: events.map((e) => ({
      from: e.from_status,
      to: e.to_status,
      actor: e.actor_name,
      at: iso(e.created_at),
      payload: e.payload,
    })),
    parts: parts.map((p) => ({
      file_id: p.id,
      name: p.original_name,
      format: p.format,
      quantity: p.quantity,
      thumbnail_url: p.thumbnail_key ? `/cad/${p.id}/thumbnail.png` : null,
    })),
    lines: order.lines,
    breakdown: breakdownBody(order.breakdown, locale),
  }
}

/** A row of the caller's order list. */
export function orderSummaryBody(o: Awaited<ReturnType<typeof listOrders>>[number]) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    version: o.version,
    job_id: o.job_id,
    job_title: o.job_title,
    buyer_name: o.buyer_name,
    workshop_name: o.workshop_name,
    total_fen: o.total_fen,
    deadline: o.deadline,
    created_at: iso(o.created_at),
  }
}
