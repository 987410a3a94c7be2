import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listOrders } from '../models/order.server.ts'
import { unreadCounts } from '../models/message.server.ts'
import { formatFen } from '../models/money.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { TableHead } from '../components/table.tsx'

// The organisation's orders: a design firm's purchases, a workshop's sales, all for operators.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  const [orders, unread] = await Promise.all([
    listOrders(context.db, account),
    unreadCounts(context.db, account),
  ])
  // Unread messages per order, and the job threads (questions) with unread messages.
  const unreadByOrder: Record<string, number> = {}
  for (const thread of unread.threads) {
    if (thread.order_id) unreadByOrder[thread.order_id] = thread.unread
  }
  const unreadQuestions = unread.threads
    .filter((thread) => thread.job_id)
    .map((thread) => ({
      href:
        account.organization.kind === 'workshop'
          ? `/jobs/${thread.job_id}#questions`
          : `/jobs/${thread.job_id}?thread=${thread.workshop_id}#questions`,
      title: thread.job_title ?? '',
      unread: thread.unread,
    }))
  return { kind: account.organization.kind, orders, unreadByOrder, unreadQuestions }
}

export default function Orders() {
  const t = useT()
  const locale = useLocale()
  const { kind, orders, unreadByOrder, unreadQuestions } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('orders.title')}</h1>
      {unreadQuestions.length ? (
        <section className="notice" aria-labelledby="unread-questions">
          <h2 id="unread-questions">{t('messages.questions.unreadOnJobs')}</h2>
          <ul>
            {unreadQuestions.map((q) => (
              <li key={q.href}>
                <Link to={q.href}>{q.title}</Link>{' '}
                <span className="badge unread">{t('messages.unread', { n: q.unread })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {orders.length === 0 ? (
        <p className="empty">
          {kind === 'workshop' ? t('workshop.ordersEmpty') : t('designer.ordersEmpty')}
        </p>
      ) : (
        <table>
          <TableHead
            columns={[
              t('orders.numberColumn'),
              t('orders.job'),
              kind === 'workshop' ? t('orders.buyer') : t('orders.workshop'),
              t('orders.total'),
              t('orders.statusColumn'),
              t('jobs.field.deadline'),
              t('orders.placed'),
            ]}
          />
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{o.number}</Link>
                  {unreadByOrder[o.id] ? (
                    <>
                      {' '}
                      <Link to={`/orders/${o.id}#messages`} className="badge unread">
                        {t('messages.unread', { n: unreadByOrder[o.id]! })}
                      </Link>
                    </>
                  ) : null}
                </td>
                <td>{o.job_title}</td>
                <td>
                  {kind === 'workshop'
                    ? o.buyer_name
                    : kind === 'platform'
                      ? `${o.buyer_name} → ${o.workshop_name}`
                      : o.workshop_name}
                </td>
                <td className="num">{formatFen(o.total_fen, locale)}</td>
                <td>
                  <span className={`badge status-order-${o.status}`}>
                    {t(`orders.status.${o.status}` as MessageKey)}
                  </span>
                </td>
                <td>{formatDate(locale, o.deadline)}</td>
                <td>{formatDateTime(locale, o.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
