import type { ReactNode } from 'react'
import { data, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { sql } from 'kysely'
import { shanghaiToday } from '../models/capacity.server.ts'
import { dashboard } from '../models/metrics.server.ts'
import {
  groupings,
  histograms,
  keyLabel,
  parseMetricsQuery,
  presets,
  type MetricsFilters,
} from '../models/metrics.schema.ts'
import { processes } from '../models/processes.ts'
import { clusters } from '../models/taxonomy.ts'
import { towns } from '../models/towns.ts'
import { requireKind } from '../utils/auth.server.ts'
import { chartData } from '../utils/chart.server.ts'
import { barOption, funnelOption, lineOrBarOption } from '../utils/chart-options.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { translate, type Locale, type MessageKey } from '../locales/index.ts'
import { fenToYuanString, formatFen } from '../models/money.ts'
import { Chart } from '../components/chart.tsx'
import { TableHead } from '../components/table.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useLocale, useT } from '../utils/i18n.ts'

// The operators' dashboard (issue 9): a GET form of range and filters (works without
// JavaScript), figures from the rollups, each chart drawn to SVG on the server with its table
// beneath and a CSV link; JavaScript adds tooltips.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['platform'])
  const locale = requestLocale(request, account.user.locale)
  const url = new URL(request.url)
  const parsed = parseMetricsQuery(Object.fromEntries(url.searchParams), shanghaiToday())
  const filters: MetricsFilters = parsed.ok
    ? parsed.filters
    : (parseMetricsQuery({}, shanghaiToday()) as { ok: true; filters: MetricsFilters }).filters
  const [figures, workshops] = await Promise.all([
    dashboard(context.db, filters),
    sql<{ id: string; name: string }>`select id, name from organizations
      where kind = 'workshop' order by name limit 3000`
      .execute(context.db)
      .then((r) => r.rows),
  ])
  const t = (key: MessageKey) => translate(locale, key)
  const { overTime, byTown, byCluster, byProcess, funnel, top } = figures
  const labels = (m: typeof byTown) => m.series.map((s) => keyLabel(m.group_by, s.key, locale))
  const volume = (m: typeof overTime) =>
    chartData(
      lineOrBarOption({
        categories: labels(m),
        series: [
          { name: t('metrics.col.orders'), type: 'bar', data: m.series.map((s) => s.orders) },
          {
            name: t('metrics.kpi.gmv'),
            type: 'line',
            yAxisIndex: 1,
            data: m.series.map((s) => s.gmv_fen),
          },
        ],
        yAxes: [{ name: t('metrics.col.orders') }, { name: t('metrics.kpi.gmv'), format: 'yuan' }],
      }),
    )
  const utilisation = (m: typeof byTown) => {
    const rows = m.series.filter((s) => s.offered_hours > 0)
    return chartData(
      barOption({
        categories: rows.map((s) => keyLabel(m.group_by, s.key, locale)),
        name: t('metrics.col.utilisation'),
        data: rows.map((s) => s.utilisation ?? 0),
        format: 'percent',
      }),
      { width: 720, height: Math.max(160, 28 * rows.length + 32) },
    )
  }
  const charts = {
    overTime: volume(overTime),
    byTown: volume(byTown),
    byCluster: volume(byCluster),
    utilisationByTown: utilisation(byTown),
    utilisationByProcess: utilisation(byProcess),
    funnel: chartData(
      funnelOption({
        name: t('metrics.chart.funnel'),
        stages: funnel.stages.map((s) => ({
          name: t(`metrics.stage.${s.stage}`),
          value: s.count,
        })),
      }),
    ),
    topWorkshops: chartData(
      barOption({
        categories: top.workshops.map((w) => w.name),
        name: t('metrics.kpi.gmv'),
        data: top.workshops.map((w) => w.gmv_fen),
        format: 'yuan',
      }),
      { width: 720, height: Math.max(160, 28 * top.workshops.length + 32) },
    ),
  }
  return data(
    {
      filters,
      preset: parsed.ok ? parsed.preset : '30d',
      error: parsed.ok ? null : parsed.message,
      figures,
      charts,
      workshops,
      csvQuery: csvQuery(filters),
    },
    { status: parsed.ok ? 200 : 400 },
  )
}

/** The filters as a query string for the CSV links (with from/to, never a preset). */
function csvQuery(f: MetricsFilters) {
  const q = new URLSearchParams({ from: f.from, to: f.to })
  for (const key of ['town', 'cluster', 'process', 'workshop'] as const) {
    const value = f[key]
    if (value) q.set(key, value)
  }
  return q.toString()
}

/** The current filters with a preset range instead of from/to. */
function presetQuery(f: MetricsFilters, preset: string) {
  const q = new URLSearchParams({ range: preset, group_by: f.group_by })
  for (const key of ['town', 'cluster', 'process', 'workshop'] as const) {
    const value = f[key]
    if (value) q.set(key, value)
  }
  return q.toString()
}

const percent = (share: number | null, locale: Locale) =>
  share === null
    ? '—'
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share)
const hoursText = (n: number, locale: Locale) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)

export default function DashboardPage() {
  const t = useT()
  const locale = useLocale()
  const {
    filters,
    preset,
    error,
    figures,
    charts,
    workshops,
    csvQuery: q,
  } = useLoaderData<typeof loader>()
  const { overTime, byTown, byCluster, byProcess, funnel, top, vouchers } = figures
  const totals = overTime.totals
  const csv = (path: string, extra = '') => `/api/v1/ops/${path}.csv?${q}${extra}`
  const seriesTable = (m: typeof overTime, first: MessageKey) => (
    <table className="metrics-table">
      <TableHead
        columns={[
          t(first),
          t('metrics.col.orders'),
          t('metrics.col.gmv'),
          t('metrics.col.completed'),
          t('metrics.col.disputed'),
          t('metrics.col.offered'),
          t('metrics.col.booked'),
          t('metrics.col.utilisation'),
        ]}
      />
      <tbody>
        {m.series.map((s) => (
          <tr key={s.key}>
            <th scope="row">{keyLabel(m.group_by, s.key, locale)}</th>
            <td>{s.orders}</td>
            <td>{fenToYuanString(s.gmv_fen)}</td>
            <td>{s.completed}</td>
            <td>{s.disputed}</td>
            <td>{hoursText(s.offered_hours, locale)}</td>
            <td>{hoursText(s.booked_hours, locale)}</td>
            <td>{percent(s.utilisation, locale)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('metrics.total')}</th>
          <td data-total="orders">{m.totals.orders}</td>
          <td data-total="gmv">{fenToYuanString(m.totals.gmv_fen)}</td>
          <td>{m.totals.completed}</td>
          <td>{m.totals.disputed}</td>
          <td>{hoursText(m.totals.offered_hours, locale)}</td>
          <td>{hoursText(m.totals.booked_hours, locale)}</td>
          <td>{percent(m.totals.utilisation, locale)}</td>
        </tr>
      </tfoot>
    </table>
  )
  const section = (
    id: string,
    title: MessageKey,
    chart: (typeof charts)[keyof typeof charts],
    table: ReactNode,
    csvHref?: string,
  ) => (
    <section className="card metrics-section" aria-labelledby={id} id={`section-${id}`}>
      <h2 id={id}>{t(title)}</h2>
      <Chart chart={chart} title={t(title)} />
      {table}
      {csvHref ? (
        <p>
          <a href={csvHref} download>
            {t('metrics.csv')}
          </a>
        </p>
      ) : null}
    </section>
  )
  return (
    <>
      <h1>{t('metrics.title')}</h1>
      <p>{t('metrics.lead')}</p>
      {/* Keyed by the filters: a preset link navigates without a reload, and uncontrolled
          inputs would keep the dates they were first rendered with. */}
      <Form
        key={JSON.stringify(filters)}
        method="get"
        className="card metrics-filters"
        aria-label={t('metrics.filters')}
      >
        <nav aria-label={t('metrics.range')} className="metrics-presets">
          {t('metrics.range')}:{' '}
          {presets
            .filter((p) => p !== 'custom')
            .map((p) => (
              <Link
                key={p}
                to={`?${presetQuery(filters, p)}`}
                aria-current={preset === p ? 'true' : undefined}
              >
                {t(`metrics.range.${p}`)}
              </Link>
            ))}
        </nav>
        <div className="grid">
          <label>
            {t('metrics.from')}
            <input type="date" name="from" defaultValue={filters.from} />
          </label>
          <label>
            {t('metrics.to')}
            <input type="date" name="to" defaultValue={filters.to} />
          </label>
          <label>
            {t('metrics.groupBy')}
            <select name="group_by" defaultValue={filters.group_by}>
              {groupings
                .filter((g) => g === 'day' || g === 'week' || g === 'month')
                .map((g) => (
                  <option key={g} value={g}>
                    {t(`metrics.group.${g}`)}
                  </option>
                ))}
            </select>
          </label>
          <FilterSelect
            name="town"
            label={t('metrics.town')}
            value={filters.town}
            options={towns.map((x) => ({ value: x.code, label: locale === 'en' ? x.en : x.zh }))}
          />
          <FilterSelect
            name="cluster"
            label={t('metrics.cluster')}
            value={filters.cluster}
            options={clusters.map((x) => ({ value: x.code, label: locale === 'en' ? x.en : x.zh }))}
          />
          <FilterSelect
            name="process"
            label={t('metrics.process')}
            value={filters.process}
            options={processes.map((x) => ({
              value: x.code,
              label: locale === 'en' ? x.en : x.zh,
            }))}
          />
          <FilterSelect
            name="workshop"
            label={t('metrics.workshop')}
            value={filters.workshop}
            options={workshops.map((w) => ({ value: w.id, label: w.name }))}
          />
        </div>
        <button type="submit">{t('metrics.apply')}</button>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
      </Form>
      <p id="metrics-range">{t('metrics.showing', { from: filters.from, to: filters.to })}</p>

      <section className="card" aria-label={t('metrics.title')}>
        <div className="grid metrics-kpis">
          {(
            [
              ['metrics.kpi.orders', String(totals.orders), 'orders'],
              ['metrics.kpi.gmv', formatFen(totals.gmv_fen, locale), 'gmv'],
              ['metrics.kpi.completed', String(totals.completed), 'completed'],
              ['metrics.kpi.onTime', percent(totals.on_time_rate, locale), 'on-time'],
              ['metrics.kpi.disputeRate', percent(totals.dispute_rate, locale), 'dispute-rate'],
              ['metrics.kpi.utilisation', percent(totals.utilisation, locale), 'utilisation'],
              ['metrics.kpi.refunds', formatFen(totals.refund_fen, locale), 'refunds'],
              ['metrics.kpi.vouchers', formatFen(totals.voucher_fen, locale), 'vouchers'],
              ['metrics.kpi.cancelled', String(totals.cancelled), 'cancelled'],
            ] as const
          ).map(([label, value, id]) => (
            <div key={id}>
              <div className="stat" id={`kpi-${id}`}>
                {value}
              </div>
              {t(label)}
            </div>
          ))}
        </div>
      </section>

      {section(
        'over-time',
        'metrics.chart.overTime',
        charts.overTime,
        seriesTable(overTime, 'metrics.col.day'),
        csv('metrics', `&group_by=${filters.group_by}`),
      )}
      <div className="grid">
        {section(
          'by-town',
          'metrics.chart.byTown',
          charts.byTown,
          seriesTable(byTown, 'metrics.town'),
          csv('metrics', '&group_by=town'),
        )}
        {section(
          'by-cluster',
          'metrics.chart.byCluster',
          charts.byCluster,
          seriesTable(byCluster, 'metrics.cluster'),
          csv('metrics', '&group_by=cluster'),
        )}
      </div>
      <div className="grid">
        {section(
          'utilisation-town',
          'metrics.chart.utilisationByTown',
          charts.utilisationByTown,
          null,
          csv('metrics', '&group_by=town'),
        )}
        {section(
          'utilisation-process',
          'metrics.chart.utilisationByProcess',
          charts.utilisationByProcess,
          seriesTable(byProcess, 'metrics.process'),
          csv('metrics', '&group_by=process'),
        )}
      </div>
      {section(
        'funnel',
        'metrics.chart.funnel',
        charts.funnel,
        <>
          <table className="metrics-table">
            <TableHead
              columns={[
                t('metrics.col.stage'),
                t('metrics.col.count'),
                t('metrics.col.fromPrevious'),
                t('metrics.col.fromOpened'),
              ]}
            />
            <tbody>
              {funnel.stages.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{t(`metrics.stage.${s.stage}`)}</th>
                  <td>{s.count}</td>
                  <td>{percent(s.from_previous, locale)}</td>
                  <td>{percent(s.from_opened, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('metrics.funnelNote')}</p>
        </>,
        csv('funnel'),
      )}
      <section className="card" aria-labelledby="stages">
        <h2 id="stages">{t('metrics.chart.stages')}</h2>
        <table className="metrics-table">
          <TableHead
            columns={[t('metrics.col.stage'), t('metrics.col.median'), t('metrics.col.samples')]}
          />
          <tbody>
            {histograms.map((h) => {
              const median = totals.medians[h]
              return (
                <tr key={h}>
                  <th scope="row">{t(`metrics.median.${h}`)}</th>
                  <td>
                    {median === null
                      ? '—'
                      : t(h === 'sample_rounds' ? 'metrics.unit.rounds' : 'metrics.unit.hours', {
                          n: median,
                        })}
                  </td>
                  <td>{totals.stage_counts[h]}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>
      <div className="grid">
        {section(
          'top-workshops',
          'metrics.chart.topWorkshops',
          charts.topWorkshops,
          <RankTable rows={top.workshops} />,
        )}
        <section className="card" aria-labelledby="top-firms">
          <h2 id="top-firms">{t('metrics.chart.topFirms')}</h2>
          <RankTable rows={top.firms} />
        </section>
      </div>
      <section className="card" aria-labelledby="vouchers">
        <h2 id="vouchers">{t('metrics.chart.vouchers')}</h2>
        <table className="metrics-table">
          <TableHead
            columns={[
              t('metrics.col.program'),
              t('metrics.col.budget'),
              t('metrics.col.spent'),
              t('metrics.col.spentInRange'),
              t('metrics.col.left'),
            ]}
          />
          <tbody>
            {vouchers.map((v) => (
              <tr key={v.program_id}>
                <th scope="row">
                  <Link to={`/console/vouchers/${v.program_id}`}>{v.name}</Link>
                </th>
                <td>{fenToYuanString(v.budget_fen)}</td>
                <td>{fenToYuanString(v.spent_fen)}</td>
                <td>{fenToYuanString(v.spent_in_range_fen)}</td>
                <td>{fenToYuanString(v.budget_fen - v.spent_fen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}

/** A filter: 全部 (no filter) or one of the options. */
function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string
  label: string
  value: string | undefined
  options: { value: string; label: string }[]
}) {
  const t = useT()
  return (
    <label>
      {label}
      <select name={name} defaultValue={value ?? ''}>
        <option value="">{t('metrics.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  )
}

function RankTable({
  rows,
}: {
  rows: { organization_id: string; name: string; orders: number; gmv_fen: number }[]
}) {
  const t = useT()
  if (rows.length === 0) return <p>{t('metrics.none')}</p>
  return (
    <table className="metrics-table">
      <TableHead
        columns={[
          t('metrics.col.rank'),
          t('metrics.col.name'),
          t('metrics.col.orders'),
          t('metrics.col.gmv'),
        ]}
      />
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.organization_id}>
            <td>{i + 1}</td>
            <th scope="row">{r.name}</th>
            <td>{r.orders}</td>
            <td>{fenToYuanString(r.gmv_fen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
