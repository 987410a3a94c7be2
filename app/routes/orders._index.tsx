import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listOrders } from '../models/order.server.ts'
import { formatFen } from '../models/money.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// The organisation's orders: a design firm's purchases, a workshop's sales, all for operators.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  return { kind: account.organization.kind, orders: await listOrders(context.db, account) }
}

export default function Orders() {
  const t = useT()
  const locale = useLocale()
  const { kind, orders } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('orders.title')}</h1>
      {orders.length === 0 ? (
        <p className="empty">
          {kind === 'workshop' ? t('workshop.ordersEmpty') : t('designer.ordersEmpty')}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('orders.numberColumn')}</th>
              <th scope="col">{t('orders.job')}</th>
              <th scope="col">{kind === 'workshop' ? t('orders.buyer') : t('orders.workshop')}</th>
              <th scope="col">{t('orders.total')}</th>
              <th scope="col">{t('orders.statusColumn')}</th>
              <th scope="col">{t('jobs.field.deadline')}</th>
              <th scope="col">{t('orders.placed')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{o.number}</Link>
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
