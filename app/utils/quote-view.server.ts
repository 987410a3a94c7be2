import type {
  BreakdownLine,
  MatchReason,
  QuoteLine,
  QuoteSource,
  QuoteStatus,
} from '../../db/schema.ts'
import type { ComparedQuote, QuoteViewData } from '../components/quote-view.tsx'
import { distanceKm } from '../models/matching.server.ts'
import { townByCode } from '../models/towns.ts'

// Quote rows (quote.server.ts listJobQuotes, jobBoard) as the pages' components read them.

/** A quote as the models read it (listJobQuotes, jobBoard): its columns and match reasons. */
export interface QuoteRow {
  id: string
  job_id: string
  resource_id: string | null
  source: QuoteSource
  status: QuoteStatus
  confirmed_at: Date | null
  quantity: number
  unit_price_fen: number
  setup_fen: number
  sample_price_fen: number
  total_fen: number
  sample_lead_days: number
  batch_lead_days: number
  valid_until: Date
  comment: string
  decline_reason: string | null
  created_at: Date
  lines: QuoteLine[]
  breakdown: BreakdownLine[]
  reasons: MatchReason[] | null
}

export function quoteViewData(q: QuoteRow): QuoteViewData {
  return {
    id: q.id,
    source: q.source,
    status: q.status,
    confirmed: q.confirmed_at !== null,
    quantity: q.quantity,
    unitPriceFen: q.unit_price_fen,
    setupFen: q.setup_fen,
    samplePriceFen: q.sample_price_fen,
    totalFen: q.total_fen,
    sampleLeadDays: q.sample_lead_days,
    batchLeadDays: q.batch_lead_days,
    validUntil: q.valid_until.toISOString(),
    comment: q.comment,
    declineReason: q.decline_reason,
    breakdown: q.breakdown,
    reasons: q.reasons,
    lines: q.lines,
  }
}

/** Kilometres from a delivery town to a workshop, one decimal; null when either is unknown. */
export function distanceFromTown(
  town: string | null,
  at: { lat: number | null; lng: number | null },
): number | null {
  const from = townByCode(town)
  if (!from || at.lat === null || at.lng === null) return null
  return Math.round(distanceKm(from, { lat: at.lat, lng: at.lng }) * 10) / 10
}

export function comparedQuote(
  q: QuoteRow & {
    organization_id: string
    workshop_name: string
    workshop_town: string | null
    workshop_lat: number | null
    workshop_lng: number | null
    workshop_rating: number | null
    workshop_on_time_rate: number | null
    workshop_verification: string
    resource_name: string | null
  },
  deliveryTown: string | null,
): ComparedQuote {
  return {
    ...quoteViewData(q),
    workshop: {
      id: q.organization_id,
      name: q.workshop_name,
      town: q.workshop_town,
      verified: q.workshop_verification === 'verified',
      rating: q.workshop_rating,
      onTimeRate: q.workshop_on_time_rate,
      distanceKm: distanceFromTown(deliveryTown, { lat: q.workshop_lat, lng: q.workshop_lng }),
    },
    resourceName: q.resource_name,
  }
}
