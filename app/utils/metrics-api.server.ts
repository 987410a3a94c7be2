import { shanghaiToday } from '../models/capacity.server.ts'
import type { Funnel, Metrics } from '../models/metrics.server.ts'
import { keyLabel, parseMetricsQuery, type MetricsFilters } from '../models/metrics.schema.ts'
import { translate, type Locale, type MessageKey } from '../locales/index.ts'
import { ApiError } from './api.server.ts'
import { csvDocument, type CsvCell } from './csv.ts'

// The metrics endpoints' edges: the query (400 with the reason), CSV with `.csv` or
// `Accept: text/csv`.

/** The filters of a request's query string, or a 400 `invalid_query` naming what is wrong. */
export function metricsFilters(request: Request): MetricsFilters {
  const params = new URL(request.url).searchParams
  const parsed = parseMetricsQuery(Object.fromEntries(params), shanghaiToday())
  if (!parsed.ok) throw new ApiError(400, 'invalid_query', parsed.message, parsed.details)
  return parsed.filters
}

export const wantsCsv = (request: Request) =>
  new URL(request.url).pathname.endsWith('.csv') ||
  /\btext\/csv\b/.test(request.headers.get('accept') ?? '')

const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10)

export function csvResponse(body: string, name: string) {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  })
}

/** The series, one line per key, and a total line (GMV in yuan, utilisation in per cent). */
export function metricsCsv(m: Metrics, locale: Locale) {
  const t = (key: MessageKey) => translate(locale, key)
  const rows: CsvCell[][] = [
    [
      'key',
      t('metrics.col.key'),
      t('metrics.col.orders'),
      t('metrics.col.gmv'),
      t('metrics.col.completed'),
      t('metrics.col.disputed'),
      t('metrics.col.offered'),
      t('metrics.col.booked'),
      `${t('metrics.col.utilisation')} (%)`,
    ],
  ]
  for (const s of [...m.series, { key: 'total', ...m.totals }]) {
    rows.push([
      s.key,
      s.key === 'total' ? t('metrics.total') : keyLabel(m.group_by, s.key, locale),
      s.orders,
      { fen: s.gmv_fen },
      s.completed,
      s.disputed,
      s.offered_hours,
      s.booked_hours,
      pct(s.utilisation),
    ])
  }
  return csvResponse(csvDocument(rows), `metrics-${m.group_by}-${m.from}-${m.to}.csv`)
}

export function funnelCsv(f: Funnel, locale: Locale) {
  const t = (key: MessageKey) => translate(locale, key)
  const rows: CsvCell[][] = [
    [
      'stage',
      t('metrics.col.stage'),
      t('metrics.col.count'),
      `${t('metrics.col.fromPrevious')} (%)`,
      `${t('metrics.col.fromOpened')} (%)`,
    ],
    ...f.stages.map((s): CsvCell[] => [
      s.stage,
      t(`metrics.stage.${s.stage}`),
      s.count,
      pct(s.from_previous),
      pct(s.from_opened),
    ]),
  ]
  return csvResponse(csvDocument(rows), `funnel-${f.from}-${f.to}.csv`)
}
