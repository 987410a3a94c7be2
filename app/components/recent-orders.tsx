import { Link } from '@remix-run/react'
import { formatFen } from '../models/money.ts'
import type { MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

/** A dashboard card of the latest orders, or `empty` when there are none. */
export function RecentOrders({
  orders,
  empty,
  title,
}: {
  orders: { id: string; number: string; job_title: string; status: string; total_fen: number }[]
  empty: string
  title: string
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <section className="card" aria-labelledby="orders">
      <h2 id="orders">{title}</h2>
      {orders.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <>
          <ul>
            {orders.map((o) => (
              <li key={o.id}>
                <Link to={`/orders/${o.id}`}>{o.number}</Link> · {o.job_title} ·{' '}
                {formatFen(o.total_fen, locale)}{' '}
                <span className={`badge status-order-${o.status}`}>
                  {t(`orders.status.${o.status}` as MessageKey)}
                </span>
              </li>
            ))}
          </ul>
          <Link to="/orders">{t('orders.title')}</Link>
        </>
      )}
    </section>
  )
}
