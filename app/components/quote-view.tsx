import { Form, Link } from '@remix-run/react'
import type { BreakdownLine, MatchReason } from '../../db/schema.ts'
import { fenToYuanString, formatFen } from '../models/money.ts'
import { formatDate, formatDateTime, type Locale, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { townName } from '../models/towns.ts'
import { CsrfInput } from './forms.tsx'

// How a quote reads (issue 6): its figures, what the money is for, why the platform matched
// it, and the forms a workshop answers it with. Shared by the job board and the job page.

export interface QuoteViewData {
  id: string
  source: 'auto' | 'manual'
  status: string
  confirmed: boolean
  quantity: number
  unitPriceFen: number
  setupFen: number
  samplePriceFen: number
  totalFen: number
  sampleLeadDays: number
  batchLeadDays: number
  validUntil: string
  comment: string
  declineReason: string | null
  breakdown: BreakdownLine[]
  reasons: MatchReason[] | null
  lines: { file_id: string; quantity: number; unit_price_fen: number; total_fen: number }[]
}

export function QuoteStatus({ quote }: { quote: Pick<QuoteViewData, 'status' | 'confirmed'> }) {
  const t = useT()
  const key =
    quote.status === 'pending' && !quote.confirmed
      ? 'quotes.status.estimate'
      : `quotes.status.${quote.status}`
  return <span className={`badge status-quote-${quote.status}`}>{t(key as MessageKey)}</span>
}

/** Why a quote was declined: the platform's reasons translated, a workshop's own as written. */
export function declineReasonText(t: ReturnType<typeof useT>, reason: string): string {
  return reason === 'another_quote_accepted' || reason === 'job_cancelled'
    ? t(`quotes.reason.${reason}`)
    : reason
}

export function QuoteFigures({
  quote,
  needsSample,
}: {
  quote: QuoteViewData
  needsSample: boolean
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <dl className="facts compact">
      <dt>{t('quotes.unitPrice')}</dt>
      <dd>
        {formatFen(quote.unitPriceFen, locale)}
        {quote.lines.length > 1 ? ` ${t('quotes.averagePerPart')}` : ''}
      </dd>
      <dt>{t('quotes.quantity')}</dt>
      <dd>{quote.quantity}</dd>
      <dt>{t('quotes.setup')}</dt>
      <dd>{formatFen(quote.setupFen, locale)}</dd>
      <dt>{t('quotes.total')}</dt>
      <dd>
        <strong>{formatFen(quote.totalFen, locale)}</strong>
      </dd>
      <dt>{t('quotes.samplePrice')}</dt>
      <dd>
        {formatFen(quote.samplePriceFen, locale)}
        {needsSample ? '' : ` ${t('quotes.sampleNotNeeded')}`}
      </dd>
      <dt>{t('quotes.leadTimes')}</dt>
      <dd>{t('quotes.leadDays', { sample: quote.sampleLeadDays, batch: quote.batchLeadDays })}</dd>
      <dt>{t('quotes.validUntil')}</dt>
      <dd>{formatDateTime(locale, quote.validUntil)}</dd>
    </dl>
  )
}

export function Breakdown({ lines, totalFen }: { lines: BreakdownLine[]; totalFen: number }) {
  const t = useT()
  const locale = useLocale()
  return (
    <table className="breakdown">
      <caption className="visually-hidden">{t('quotes.breakdown')}</caption>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <th scope="row">{locale === 'en' ? l.label_en : l.label_zh}</th>
            <td className="num">{formatFen(l.amount_fen, locale)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('quotes.total')}</th>
          <td className="num">
            <strong>{formatFen(totalFen, locale)}</strong>
          </td>
        </tr>
      </tbody>
    </table>
  )
}

export function MatchReasons({ reasons }: { reasons: MatchReason[] }) {
  const t = useT()
  const locale = useLocale()
  return (
    <ul className="reasons">
      {reasons.map((r) => (
        <li key={r.term}>
          {t(`match.term.${r.term}` as MessageKey)}: {reasonValue(r, locale, t)} ·{' '}
          {t('quotes.contribution', {
            points: Math.round(r.contribution * 100),
            weight: Math.round(r.weight * 100),
          })}
        </li>
      ))}
    </ul>
  )
}

function reasonValue(r: MatchReason, locale: Locale, t: ReturnType<typeof useT>): string {
  switch (r.term) {
    case 'price':
      return formatFen(r.value, locale)
    case 'lead_time':
      return t('quotes.days', { n: r.value })
    case 'distance':
      return r.value < 0 ? '—' : `${r.value} km`
    case 'rating':
      return r.value ? `${r.value} / 5` : t('quotes.noRatingYet')
    case 'on_time':
      // The workshop's on-time rate; -1: no completed order yet (and no penalty for it).
      return r.value < 0 ? t('quotes.noRecordYet') : percent(r.value, locale)
    case 'idle_share':
      return t('quotes.idleHours', { n: r.value })
    default:
      return String(r.value)
  }
}

function percent(rate: number, locale: Locale) {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate)
}

/** Fields keep what was typed when a submit was refused (`values`), else the quote's own. */
export function ConfirmQuoteForm({
  quote,
  values,
  errors,
}: {
  quote: QuoteViewData
  values?: Record<string, string>
  errors?: Record<string, string>
}) {
  const t = useT()
  const id = quote.id
  return (
    <Form method="post" className="stack" aria-label={t('quotes.confirmTitle')}>
      <CsrfInput />
      <input type="hidden" name="quoteId" value={id} />
      <div className="field">
        <label htmlFor={`unit-${id}`}>{t('quotes.unitPriceYuan')}</label>
        <input
          id={`unit-${id}`}
          name="unitPrice"
          inputMode="decimal"
          defaultValue={values?.unitPrice ?? fenToYuanString(quote.unitPriceFen)}
          aria-invalid={errors?.unitPrice ? true : undefined}
          aria-describedby={errors?.unitPrice ? `unit-${id}-error` : undefined}
        />
        {errors?.unitPrice ? (
          <span id={`unit-${id}-error`} className="field-errors" role="alert">
            {errors.unitPrice}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`lead-${id}`}>{t('quotes.batchLeadDays')}</label>
        <input
          id={`lead-${id}`}
          name="batchLeadDays"
          inputMode="numeric"
          defaultValue={values?.batchLeadDays ?? String(quote.batchLeadDays)}
          aria-invalid={errors?.batchLeadDays ? true : undefined}
        />
        {errors?.batchLeadDays ? (
          <span className="field-errors" role="alert">
            {errors.batchLeadDays}
          </span>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`comment-${id}`}>{t('quotes.comment')}</label>
        <textarea
          id={`comment-${id}`}
          name="comment"
          rows={2}
          maxLength={2000}
          defaultValue={values?.comment ?? quote.comment}
        />
      </div>
      <button type="submit" name="intent" value="confirm-quote" className="primary">
        {quote.confirmed ? t('quotes.revise') : t('quotes.confirm')}
      </button>
    </Form>
  )
}

export function DeclineQuoteForm({
  quote,
  errors,
}: {
  quote: QuoteViewData
  errors?: Record<string, string>
}) {
  const t = useT()
  const id = quote.id
  return (
    <Form method="post" className="stack" aria-label={t('quotes.declineTitle')}>
      <CsrfInput />
      <input type="hidden" name="quoteId" value={id} />
      <div className="field">
        <label htmlFor={`reason-${id}`}>{t('quotes.declineReason')}</label>
        <input
          id={`reason-${id}`}
          name="reason"
          required
          maxLength={1000}
          aria-invalid={errors?.reason ? true : undefined}
        />
        {errors?.reason ? (
          <span className="field-errors" role="alert">
            {errors.reason}
          </span>
        ) : null}
      </div>
      <button type="submit" name="intent" value="decline-quote" className="secondary danger">
        {quote.confirmed ? t('quotes.withdraw') : t('quotes.decline')}
      </button>
    </Form>
  )
}

export interface ComparedQuote extends QuoteViewData {
  workshop: {
    id: string
    name: string
    town: string | null
    verified: boolean
    rating: number | null
    /** Share of its completed orders shipped by the deadline; null before the first. */
    onTimeRate: number | null
    distanceKm: number | null
  }
  resourceName: string | null
}

/** The designer's side-by-side comparison: one column per quote, one row per figure. */
export function QuoteComparison({
  quotes,
  needsSample,
  canAccept,
  vouchers = {},
}: {
  quotes: ComparedQuote[]
  needsSample: boolean
  canAccept: boolean
  /** 服务券 estimates by quote id (voucher-admin.server.ts estimateVouchers). */
  vouchers?: Record<string, { voucherFen: number; payFen: number; program: string }>
}) {
  const t = useT()
  const locale = useLocale()
  const row = (label: string, cell: (q: ComparedQuote) => React.ReactNode) => (
    <tr>
      <th scope="row">{label}</th>
      {quotes.map((q) => (
        <td key={q.id}>{cell(q)}</td>
      ))}
    </tr>
  )
  const cheapest = Math.min(...quotes.map((q) => q.totalFen))
  return (
    <div className="table-scroll">
      <table className="comparison">
        <thead>
          <tr>
            <th scope="col">{t('quotes.workshop')}</th>
            {quotes.map((q) => (
              <th scope="col" key={q.id}>
                <Link to={`/workshops/${q.workshop.id}`}>{q.workshop.name}</Link>
                {q.workshop.verified ? (
                  <>
                    {' '}
                    <span className="badge ok">{t('search.verified')}</span>
                  </>
                ) : null}
                <br />
                <QuoteStatus quote={q} />{' '}
                <span className="muted">
                  {q.source === 'auto' ? t('quotes.source.auto') : t('quotes.source.manual')}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {row(t('quotes.town'), (q) =>
            q.workshop.town
              ? `${townName(q.workshop.town, locale)}${
                  q.workshop.distanceKm !== null ? ` · ${q.workshop.distanceKm} km` : ''
                }`
              : '—',
          )}
          {row(t('quotes.rating'), (q) =>
            q.workshop.rating !== null ? `${q.workshop.rating} / 5` : t('quotes.noRatingYet'),
          )}
          {row(t('quotes.onTime'), (q) =>
            q.workshop.onTimeRate !== null
              ? percent(q.workshop.onTimeRate, locale)
              : t('quotes.noRecordYet'),
          )}
          {row(t('quotes.machine'), (q) => q.resourceName ?? '—')}
          {row(t('quotes.unitPrice'), (q) => formatFen(q.unitPriceFen, locale))}
          {row(t('quotes.setup'), (q) => formatFen(q.setupFen, locale))}
          {row(t('quotes.samplePrice'), (q) => formatFen(q.samplePriceFen, locale))}
          {row(t('quotes.total'), (q) => (
            <strong>
              {formatFen(q.totalFen, locale)}
              {q.totalFen === cheapest && quotes.length > 1 ? ` · ${t('quotes.cheapest')}` : ''}
            </strong>
          ))}
          {row(t('quotes.payable'), (q) =>
            formatFen(q.totalFen + (needsSample ? q.samplePriceFen : 0), locale),
          )}
          {Object.keys(vouchers).length ? (
            <>
              {row(t('vouchers.quote.voucher'), (q) =>
                vouchers[q.id] ? (
                  <span title={vouchers[q.id]!.program}>
                    {`−${formatFen(vouchers[q.id]!.voucherFen, locale)}`}
                  </span>
                ) : (
                  '—'
                ),
              )}
              {row(t('vouchers.quote.youPay'), (q) =>
                vouchers[q.id] ? <strong>{formatFen(vouchers[q.id]!.payFen, locale)}</strong> : '—',
              )}
            </>
          ) : null}
          {row(t('quotes.leadTimes'), (q) =>
            t('quotes.leadDays', { sample: q.sampleLeadDays, batch: q.batchLeadDays }),
          )}
          {row(t('quotes.validUntil'), (q) => formatDate(locale, q.validUntil))}
          {row(t('quotes.breakdown'), (q) => (
            <Breakdown lines={q.breakdown} totalFen={q.totalFen} />
          ))}
          {row(t('quotes.reasons'), (q) =>
            q.reasons ? <MatchReasons reasons={q.reasons} /> : t('quotes.manualNoReasons'),
          )}
          {row(t('quotes.comment'), (q) => q.comment || '—')}
          {canAccept
            ? row('', (q) =>
                q.status === 'pending' && q.confirmed ? (
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="quoteId" value={q.id} />
                    <input type="hidden" name="expectedTotal" value={q.totalFen} />
                    <button type="submit" name="intent" value="accept-quote" className="primary">
                      {t('quotes.accept')}
                    </button>
                  </Form>
                ) : q.status === 'pending' ? (
                  <span className="muted">{t('quotes.awaitingConfirmation')}</span>
                ) : null,
              )
            : null}
        </tbody>
      </table>
    </div>
  )
}
