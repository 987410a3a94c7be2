import { Form } from '@remix-run/react'
import type { WorkshopInsights } from '../models/workshop-insights.server.ts'
import { insightPeriods } from '../models/workshop-insights.ts'
import { formatFen } from '../models/money.ts'
import { processName } from '../models/processes.ts'
import { formatDate } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { Chart, formatPercent, type ChartData } from './chart.tsx'
import { TableHead } from './table.tsx'
import { formatNumber } from '../utils/chart-options.ts'

/**
 * The workshop dashboard's 经营概况 section: a period picker (a GET form, so it works without
 * JavaScript), the key figures, utilisation per machine, revenue and ratings per month (each
 * chart with its table beneath).
 */
export function WorkshopInsightsSection({
  insights,
  charts,
  badPeriod,
}: {
  insights: WorkshopInsights
  charts: { revenue: ChartData; rating: ChartData }
  badPeriod: boolean
}) {
  const t = useT()
  const locale = useLocale()
  const money = (fen: number) => formatFen(fen, locale)
  const percent = (ratio: number | null) =>
    ratio === null ? t('insights.none') : formatPercent(ratio)
  const { period, utilisation, revenue, on_time: onTime, ratings, quotes } = insights
  return (
    <section className="card" aria-labelledby="insights" id="insights-section">
      <h2 id="insights">{t('insights.title')}</h2>
      <p className="muted">{t('insights.lead')}</p>
      <Form method="get" className="inline-form" preventScrollReset>
        <label htmlFor="insights-period">{t('insights.period')}</label>
        <select id="insights-period" name="period" defaultValue={period.days} key={period.days}>
          {insightPeriods.map((days) => (
            <option key={days} value={days}>
              {t(`insights.period.${days}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t('insights.show')}</button>
      </Form>
      {badPeriod ? (
        <p className="alert" role="alert">
          {t('insights.badPeriod')}
        </p>
      ) : null}
      <p className="muted" id="insights-range">
        {t('insights.range', {
          from: formatDate(locale, `${period.from}T12:00:00+08:00`),
          to: formatDate(locale, `${period.to}T12:00:00+08:00`),
        })}
      </p>

      <div className="grid" aria-label={t('insights.figures')} role="group">
        <p id="insights-utilisation">
          {t('insights.utilisation')}
          <br />
          <span className="stat">{percent(utilisation.utilisation)}</span>
          <br />
          <span className="hint">
            {t('insights.utilisationOf', {
              booked: formatNumber(utilisation.booked_hours),
              offered: formatNumber(utilisation.offered_hours),
            })}
          </span>
        </p>
        <p id="insights-revenue">
          {t('insights.revenue')}
          <br />
          <span className="stat">{money(revenue.revenue_fen)}</span>
          <br />
          <span className="hint">
            {t('insights.revenueOf', {
              orders: revenue.orders,
              contract: money(revenue.contract_fen),
              refunded: money(revenue.refunded_fen),
            })}
          </span>
        </p>
        <p id="insights-on-time">
          {t('insights.onTime')}
          <br />
          <span className="stat">{percent(onTime.rate)}</span>
          <br />
          <span className="hint">
            {t('insights.onTimeOf', { onTime: onTime.on_time, completed: onTime.completed })}
          </span>
        </p>
        <p id="insights-rating">
          {t('insights.rating')}
          <br />
          <span className="stat">
            {ratings.mean === null ? t('insights.none') : ratings.mean.toFixed(1)}
          </span>
          <br />
          <span className="hint">{t('insights.ratingOf', { reviews: ratings.reviews })}</span>
        </p>
        <p id="insights-win-rate">
          {t('insights.winRate')}
          <br />
          <span className="stat">{percent(quotes.win_rate)}</span>
          <br />
          <span className="hint">
            {t('insights.winRateOf', {
              sent: quotes.sent,
              accepted: quotes.accepted,
              pending: quotes.pending,
            })}
          </span>
        </p>
      </div>

      <h3 id="insights-resources">{t('insights.byResource')}</h3>
      {utilisation.resources.length === 0 ? (
        <p className="empty">{t('insights.noResources')}</p>
      ) : (
        <div className="table-scroll">
          <table aria-labelledby="insights-resources">
            <TableHead
              columns={[
                t('insights.col.resource'),
                t('insights.col.process'),
                t('insights.col.offered'),
                t('insights.col.booked'),
                t('insights.col.utilisation'),
              ]}
            />
            <tbody>
              {utilisation.resources.map((r) => (
                <tr key={r.resource_id} id={`utilisation-${r.resource_id}`}>
                  <td>
                    {r.name}
                    {r.active ? null : <span className="muted"> ({t('insights.inactive')})</span>}
                  </td>
                  <td>{processName(r.process, locale)}</td>
                  <td className="num">{formatNumber(r.offered_hours)}</td>
                  <td className="num">{formatNumber(r.booked_hours)}</td>
                  <td className="num">{percent(r.utilisation)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Chart
        chart={charts.revenue}
        title={t('insights.byMonth')}
        label={t('insights.chartLabel', { title: t('insights.byMonth') })}
      />
      <div className="table-scroll">
        <table aria-label={t('insights.byMonth')} id="insights-revenue-months">
          <TableHead
            columns={[t('insights.col.month'), t('insights.col.revenue'), t('insights.col.orders')]}
          />
          <tbody>
            {revenue.months.map((m) => (
              <tr key={m.month}>
                <td>{m.month}</td>
                <td className="num">{money(m.revenue_fen)}</td>
                <td className="num">{m.orders}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Chart
        chart={charts.rating}
        title={t('insights.ratingTrend')}
        label={t('insights.chartLabel', { title: t('insights.ratingTrend') })}
      />
      <div className="table-scroll">
        <table aria-label={t('insights.ratingTrend')} id="insights-rating-months">
          <TableHead
            columns={[t('insights.col.month'), t('insights.col.reviews'), t('insights.col.mean')]}
          />
          <tbody>
            {ratings.months.map((m) => (
              <tr key={m.month}>
                <td>{m.month}</td>
                <td className="num">{m.reviews}</td>
                <td className="num">{m.mean === null ? t('insights.none') : m.mean.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t('insights.definitions')}</p>
    </section>
  )
}
