import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { connectedAccountOf } from '../models/connect.server.ts'
import { currentMonth, payoutStatement } from '../models/payout.server.ts'
import { isMonth, shiftMonth } from '../models/payout-month.ts'
import { formatFen } from '../models/money.ts'
import { requireKind } from '../utils/auth.server.ts'
import { ConnectForm } from '../components/connect-account.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { TableHead } from '../components/table.tsx'
import { formatDate } from '../locales/index.ts'
import { useLocale, useRootData, useT } from '../utils/i18n.ts'

// The workshop's payout statement (issue 8): a month's payout lines by order (this month
// unless `?month=YYYY-MM`, or `?month=all`), the month's totals, its CSV, and how payouts reach
// the workshop — by the platform's bank transfer, or to its Stripe connected account.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const param = new URL(request.url).searchParams.get('month')
  const badMonth = param !== null && param !== '' && param !== 'all' && !isMonth(param)
  const month = param === 'all' ? null : param !== null && isMonth(param) ? param : currentMonth()
  const [statement, connected] = await Promise.all([
    payoutStatement(context.db, account.organization.id, month),
    context.stripe ? connectedAccountOf(context.db, account.organization.id) : null,
  ])
  return {
    statement,
    badMonth,
    thisMonth: currentMonth(),
    stripe: context.stripe !== null,
    connected,
    canManage: account.role === 'owner',
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function WorkshopPayoutsPage() {
  const t = useT()
  const { statement, badMonth, thisMonth, stripe, connected, canManage } =
    useLoaderData<typeof loader>()
  const { csrfToken } = useRootData()
  const month = statement.month
  const csvHref = `/workshop/payouts.csv?month=${month ?? 'all'}`
  return (
    <>
      <h1>{t('payouts.title')}</h1>
      <p className="muted">{t('payouts.lead')}</p>
      {stripe ? (
        <ConnectForm csrfToken={csrfToken} account={connected} canManage={canManage} />
      ) : (
        <p className="notice">{t('payouts.bankMode')}</p>
      )}
      {badMonth ? (
        <p className="alert" role="alert">
          {t('payouts.badMonth')}
        </p>
      ) : null}

      <section className="card" aria-labelledby="period-heading">
        <h2 id="period-heading">
          {month ? t('payouts.periodMonth', { month }) : t('payouts.periodAll')}
        </h2>
        <Form method="get" className="inline-form" style={{ flexWrap: 'wrap' }}>
          <label htmlFor="payouts-month">{t('payouts.month')}</label>
          <input
            id="payouts-month"
            type="month"
            name="month"
            defaultValue={month ?? thisMonth}
            pattern="\d{4}-\d{2}"
            placeholder="2026-12"
            aria-describedby="payouts-month-hint"
          />
          <span id="payouts-month-hint" className="hint">
            {t('payouts.monthHint')}
          </span>
          <button type="submit">{t('payouts.show')}</button>
        </Form>
        <p className="actions">
          <Link to={`/workshop/payouts?month=${shiftMonth(month ?? thisMonth, -1)}`}>
            ← {t('payouts.previousMonth')}
          </Link>
          <Link to={`/workshop/payouts?month=${shiftMonth(month ?? thisMonth, 1)}`}>
            {t('payouts.nextMonth')} →
          </Link>
          <Link to="/workshop/payouts?month=all">{t('payouts.allMonths')}</Link>
          <a href={csvHref} download>
            {t('payouts.csv')}
          </a>
        </p>
        <Totals totals={statement.totals} />
      </section>

      <Statement orders={statement.orders} />
    </>
  )
}

function Totals({ totals }: { totals: Data['statement']['totals'] }) {
  const t = useT()
  const locale = useLocale()
  return (
    <div className="grid" aria-label={t('payouts.totals')} id="totals">
      <p>
        {t('payouts.totalPaid')}
        <br />
        <span className="stat">{formatFen(totals.paid_fen, locale)}</span>
      </p>
      <p>
        {t('payouts.totalPending')}
        <br />
        <span className="stat">{formatFen(totals.pending_fen, locale)}</span>
      </p>
      <p>
        {t('payouts.totalFees')}
        <br />
        <span className="stat">{formatFen(totals.fee_fen, locale)}</span>
      </p>
    </div>
  )
}

function Statement({ orders }: { orders: Data['statement']['orders'] }) {
  const t = useT()
  const locale = useLocale()
  const money = (fen: number) => formatFen(fen, locale)
  if (!orders.length) return <p className="empty">{t('payouts.empty')}</p>
  return (
    <div className="table-scroll">
      <table id="statement" aria-labelledby="period-heading">
        <TableHead
          columns={[
            t('payouts.col.order'),
            t('payouts.col.job'),
            t('payouts.col.buyer'),
            t('payouts.col.gross'),
            t('payouts.col.fee'),
            t('payouts.col.voucher'),
            t('payouts.col.refunds'),
            t('payouts.col.net'),
            t('payouts.col.held'),
            t('payouts.col.lines'),
          ]}
        />
        <tbody>
          {orders.map((o) => (
            <tr key={o.order_id} id={`order-${o.number}`}>
              <td>
                <Link to={`/orders/${o.order_id}`}>
                  <code>{o.number}</code>
                </Link>
              </td>
              <td>{o.job_title}</td>
              <td>{o.buyer}</td>
              <td>{money(o.gross_fen)}</td>
              <td>
                {money(o.fee_fen)}
                {o.fee_to_come_fen > 0 ? (
                  <>
                    <br />
                    <span className="muted">
                      {t('payouts.feeToCome', { amount: money(o.fee_to_come_fen) })}
                    </span>
                  </>
                ) : null}
              </td>
              <td>{money(o.voucher_fen)}</td>
              <td>{money(o.refunds_fen)}</td>
              <td>{money(o.net_fen)}</td>
              <td>{money(o.held_fen)}</td>
              <td>
                {o.lines.length ? (
                  <ul style={{ margin: 0, paddingLeft: '1rem' }}>
                    {o.lines.map((line) => (
                      <Line key={line.id} line={line} />
                    ))}
                  </ul>
                ) : (
                  <span className="muted">{t('payouts.noLines')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Line({ line }: { line: Data['statement']['orders'][number]['lines'][number] }) {
  const t = useT()
  const locale = useLocale()
  const money = (fen: number) => formatFen(fen, locale)
  return (
    <li>
      {t('payouts.line', {
        milestone: t(`payouts.milestone.${line.milestone}`),
        amount: money(line.amount_fen),
        gross: money(line.gross_fen),
        fee: money(line.fee_fen),
      })}{' '}
      <strong className={`badge${line.status === 'paid' ? ' ok' : ''}`}>
        {t(`payouts.status.${line.status}`)}
      </strong>
      {line.paid_at ? (
        <> {t('payouts.paidOn', { date: formatDate(locale, line.paid_at) })}</>
      ) : null}
      {line.status === 'paid' && line.reference ? (
        <> {t('payouts.reference', { reference: line.reference })}</>
      ) : null}
    </li>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
