import { z } from 'zod'
import { translate, type Locale } from '../locales/index.ts'
import { clusterCodes, clusters, labelOf } from './taxonomy.ts'
import { processCodes, processes } from './processes.ts'
import { townCodes, towns } from './towns.ts'

// The console's metric queries (issue 9): a Shanghai date range and filters, the same for
// the dashboard page, GET /api/v1/ops/metrics and /api/v1/ops/funnel and their CSV files.

export const groupings = ['day', 'week', 'month', 'town', 'cluster', 'process'] as const
export type Grouping = (typeof groupings)[number]
export const presets = ['today', '7d', '30d', '90d', 'custom'] as const
export type Preset = (typeof presets)[number]

/** Bucket edges in hours for the stage-time histograms; the last bucket is open. */
export const HOUR_BUCKETS = [
  0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440,
] as const
/** Sample rounds 1…5, the last counting 5 or more. */
export const ROUND_BUCKETS = 5

export const histograms = [
  'quote_to_paid',
  'sample_rounds',
  'shipped_to_delivered',
  'inspection',
] as const
export type Histogram = (typeof histograms)[number]
export const bucketsOf = (h: Histogram) =>
  h === 'sample_rounds' ? ROUND_BUCKETS : HOUR_BUCKETS.length

/** What a rollup row counts (fen sums among them), besides the histograms. */
/** How far the jobs opened in a range got (funnel_rollup's columns). */
export const funnelStages = [
  'opened',
  'matched',
  'quoted',
  'ordered',
  'sample_ok',
  'completed',
] as const
export type FunnelStage = (typeof funnelStages)[number]

export const counters = [
  'orders',
  'gmv_fen',
  'voucher_fen',
  'refund_fen',
  'cancelled',
  'paid',
  'completed',
  'on_time',
  'disputed',
] as const
export type Counter = (typeof counters)[number]

/** The longest range a query may span (three years). */
export const MAX_RANGE_DAYS = 3 * 366

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a calendar date',
  )

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(values, { error: (issue) => `unknown ${what}: ${String(issue.input)}` }).optional(),
  )

export const MetricsQuerySchema = z
  .object({
    from: z.preprocess((v) => (v === '' ? undefined : v), day.optional()),
    to: z.preprocess((v) => (v === '' ? undefined : v), day.optional()),
    range: z.preprocess((v) => (v === '' ? undefined : v), z.enum(presets).optional()),
    group_by: z.preprocess((v) => (v === '' ? undefined : v), z.enum(groupings).default('day')),
    town: optionalEnum(townCodes, 'town'),
    cluster: optionalEnum(clusterCodes, 'cluster'),
    process: optionalEnum(processCodes, 'process'),
    workshop: z.preprocess((v) => (v === '' ? undefined : v), z.uuid().optional()),
  })
  .strict()

export type MetricsQueryInput = z.input<typeof MetricsQuerySchema>

export interface MetricsFilters {
  from: string
  to: string
  group_by: Grouping
  town?: string
  cluster?: string
  process?: string
  workshop?: string
}

const addDays = (d: string, n: number) => {
  const t = new Date(`${d}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + n)
  return t.toISOString().slice(0, 10)
}
const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)

export type ParsedMetricsQuery =
  | { ok: true; filters: MetricsFilters; preset: Preset }
  | { ok: false; message: string; details: Record<string, string> }

/**
 * Reads a query (URL search params as an object): a preset range ending today (default 30
 * days) or from/to; refuses from after to, ranges over three years and unknown filters.
 */
export function parseMetricsQuery(
  input: Record<string, unknown>,
  today: string,
): ParsedMetricsQuery {
  const parsed = MetricsQuerySchema.safeParse(input)
  if (!parsed.success) {
    const details: Record<string, string> = {}
    for (const issue of parsed.error.issues) {
      details[issue.path.join('.') || 'query'] = issue.message
    }
    return { ok: false, message: Object.values(details)[0] ?? 'invalid query', details }
  }
  const q = parsed.data
  const preset: Preset = q.range ?? (q.from !== undefined || q.to !== undefined ? 'custom' : '30d')
  let from: string
  let to: string
  if (preset === 'custom') {
    to = q.to ?? today
    from = q.from ?? addDays(to, -29)
  } else {
    to = today
    from = addDays(today, -({ today: 1, '7d': 7, '30d': 30, '90d': 90 }[preset] - 1))
  }
  if (from > to) {
    return {
      ok: false,
      message: `from (${from}) is after to (${to})`,
      details: { from: 'after to' },
    }
  }
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    return {
      ok: false,
      message: `the range spans more than three years (${daysBetween(from, to) + 1} days)`,
      details: { to: 'range over three years' },
    }
  }
  return {
    ok: true,
    preset,
    filters: {
      from,
      to,
      group_by: q.group_by,
      ...(q.town ? { town: q.town } : {}),
      ...(q.cluster ? { cluster: q.cluster } : {}),
      ...(q.process ? { process: q.process } : {}),
      ...(q.workshop ? { workshop: q.workshop } : {}),
    },
  }
}

/** What a series key reads as: a town, cluster or process name, or the period itself. */
export function keyLabel(group: Grouping, key: string, locale: Locale) {
  const unspecified = translate(locale, 'metrics.unspecified')
  if (group === 'town') return key ? labelOf(towns, key, locale) : unspecified
  if (group === 'cluster') return key ? labelOf(clusters, key, locale) : unspecified
  if (group === 'process') return key ? labelOf(processes, key, locale) : unspecified
  return key
}
