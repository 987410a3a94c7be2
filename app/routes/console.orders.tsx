import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import {
  EXPIRING_WITHIN_HOURS,
  orderQueues,
  UNPAID_AFTER_DAYS,
} from '../models/order-queue.server.ts'
import { formatFen } from '../models/money.ts'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { WorkQueue } from '../components/work-queue.tsx'

// The operators' order work queues (issue 7): transfers to confirm, disputes to decide,
// orders left unpaid; and before an order (issue 9): quotes about to expire unanswered, open
// jobs with no match. Each row links to the order or job page, where the action is taken.

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  return {
    queues: await orderQueues(context.db),
    unpaidAfterDays: UNPAID_AFTER_DAYS,
    expiringWithinHours: EXPIRING_WITHIN_HOURS,
  }
}

function OrderLink({ id, number }: { id: string; number: string }) {
  return (
    <Link to={`/orders/${id}`}>
      <code>{number}</code>
    </Link>
  )
}

export default function OrderQueuesPage() {
  const t = useT()
  const locale = useLocale()
  const { queues, unpaidAfterDays, expiringWithinHours } = useLoaderData<typeof loader>()
  const days = unpaidAfterDays
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('orderQueue.title')}</h1>
      <p className="muted">{t('orderQueue.lead')}</p>

      <WorkQueue
        id="transfers"
        title={t('orderQueue.transfers')}
        lead={t('orderQueue.transfersLead')}
        empty={t('orderQueue.transfersEmpty')}
        columns={[
          t('orderQueue.order'),
          t('orderQueue.buyer'),
          t('orders.payment.amount'),
          t('orders.form.payerName'),
          t('orders.form.transferredOn'),
          t('orderQueue.reportedAt'),
        ]}
        rows={queues.transfers.map((p) => (
          <tr key={p.order_id}>
            <td>
              <OrderLink id={p.order_id} number={p.number} />
            </td>
            <td>{p.buyer}</td>
            <td>{formatFen(p.amount_fen, locale)}</td>
            <td>{p.payer_name ?? ''}</td>
            <td>{p.transferred_on ? formatDate(locale, p.transferred_on) : ''}</td>
            <td>{p.reported_at ? formatDateTime(locale, p.reported_at) : ''}</td>
          </tr>
        ))}
      />

      <WorkQueue
        id="disputes"
        title={t('orderQueue.disputes')}
        lead={t('orderQueue.disputesLead')}
        empty={t('orderQueue.disputesEmpty')}
        columns={[
          t('orderQueue.order'),
          t('orders.form.reason'),
          t('orderQueue.openedAt'),
          t('orderQueue.buyer'),
          t('orderQueue.workshop'),
        ]}
        rows={queues.disputes.map((d) => (
          <tr key={d.order_id}>
            <td>
              <OrderLink id={d.order_id} number={d.number} />
            </td>
            <td>{t(`orders.dispute.reason.${d.reason}`)}</td>
            <td>{formatDateTime(locale, d.opened_at)}</td>
            <td>{d.buyer}</td>
            <td>{d.workshop}</td>
          </tr>
        ))}
      />

      <WorkQueue
        id="unpaid"
        title={t('orderQueue.unpaid', { days })}
        lead={t('orderQueue.unpaidLead', { days })}
        empty={t('orderQueue.unpaidEmpty')}
        columns={[
          t('orderQueue.order'),
          t('orderQueue.buyer'),
          t('orderQueue.workshop'),
          t('orderQueue.amount'),
          t('orderQueue.acceptedAt'),
        ]}
        rows={queues.unpaid.map((o) => (
          <tr key={o.order_id}>
            <td>
              <OrderLink id={o.order_id} number={o.number} />
            </td>
            <td>{o.buyer}</td>
            <td>{o.workshop}</td>
            <td>{formatFen(o.total_fen, locale)}</td>
            <td>
              {formatDateTime(locale, o.accepted_at)}
              <br />
              <span className="muted">{t('orderQueue.waitingDays', { days: o.waiting_days })}</span>
            </td>
          </tr>
        ))}
      />

      <WorkQueue
        id="expiring"
        title={t('orderQueue.expiring')}
        lead={t('orderQueue.expiringLead', { hours: expiringWithinHours })}
        empty={t('orderQueue.expiringEmpty')}
        columns={[
          t('orderQueue.job'),
          t('orderQueue.firm'),
          t('orderQueue.workshop'),
          t('orderQueue.total'),
          t('orderQueue.expiresAt'),
          t('orderQueue.waitingOn'),
        ]}
        rows={queues.expiringQuotes.map((q) => (
          <tr key={q.quote_id}>
            <td>
              <Link to={`/jobs/${q.job_id}#quotes`}>{q.job_title}</Link>
            </td>
            <td>{q.firm}</td>
            <td>{q.workshop}</td>
            <td>{formatFen(q.total_fen, locale)}</td>
            <td>{formatDateTime(locale, q.expires_at)}</td>
            <td>
              {t(q.confirmed ? 'orderQueue.waitingOn.designer' : 'orderQueue.waitingOn.workshop')}
            </td>
          </tr>
        ))}
      />

      <WorkQueue
        id="unmatched"
        title={t('orderQueue.unmatched')}
        lead={t('orderQueue.unmatchedLead')}
        empty={t('orderQueue.unmatchedEmpty')}
        columns={[
          t('orderQueue.job'),
          t('orderQueue.firm'),
          t('orderQueue.jobOpenedAt'),
          t('orderQueue.topMiss'),
        ]}
        rows={queues.unmatchedJobs.map((j) => (
          <tr key={j.job_id}>
            <td>
              <Link to={`/jobs/${j.job_id}`}>{j.job_title}</Link>
            </td>
            <td>{j.firm}</td>
            <td>{j.opened_at ? formatDateTime(locale, j.opened_at) : ''}</td>
            <td>
              {j.top_miss
                ? t(`match.miss.${j.top_miss.code}` as MessageKey, {
                    n: j.top_miss.count,
                    best: j.top_miss.best ?? '',
                  })
                : ''}
            </td>
          </tr>
        ))}
      />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
