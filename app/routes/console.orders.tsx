import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { orderQueues, UNPAID_AFTER_DAYS } from '../models/order-queue.server.ts'
import { formatFen } from '../models/money.ts'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate, formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// The operators' order work queues (issue 7): transfers to confirm, disputes to decide,
// orders left unpaid. Each row links to the order page, where the action is taken.

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  return { queues: await orderQueues(context.db), unpaidAfterDays: UNPAID_AFTER_DAYS }
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
  const { queues, unpaidAfterDays } = useLoaderData<typeof loader>()
  const days = unpaidAfterDays
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('orderQueue.title')}</h1>
      <p className="muted">{t('orderQueue.lead')}</p>

      <section className="card" id="transfers" aria-labelledby="transfers-heading">
        <h2 id="transfers-heading">{t('orderQueue.transfers')}</h2>
        <p className="muted">{t('orderQueue.transfersLead')}</p>
        {queues.transfers.length === 0 ? (
          <p className="empty">{t('orderQueue.transfersEmpty')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="transfers-heading">
              <thead>
                <tr>
                  <th scope="col">{t('orderQueue.order')}</th>
                  <th scope="col">{t('orderQueue.buyer')}</th>
                  <th scope="col">{t('orders.payment.amount')}</th>
                  <th scope="col">{t('orders.form.payerName')}</th>
                  <th scope="col">{t('orders.form.transferredOn')}</th>
                  <th scope="col">{t('orderQueue.reportedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {queues.transfers.map((p) => (
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
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" id="disputes" aria-labelledby="disputes-heading">
        <h2 id="disputes-heading">{t('orderQueue.disputes')}</h2>
        <p className="muted">{t('orderQueue.disputesLead')}</p>
        {queues.disputes.length === 0 ? (
          <p className="empty">{t('orderQueue.disputesEmpty')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="disputes-heading">
              <thead>
                <tr>
                  <th scope="col">{t('orderQueue.order')}</th>
                  <th scope="col">{t('orders.form.reason')}</th>
                  <th scope="col">{t('orderQueue.openedAt')}</th>
                  <th scope="col">{t('orderQueue.buyer')}</th>
                  <th scope="col">{t('orderQueue.workshop')}</th>
                </tr>
              </thead>
              <tbody>
                {queues.disputes.map((d) => (
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
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" id="unpaid" aria-labelledby="unpaid-heading">
        <h2 id="unpaid-heading">{t('orderQueue.unpaid', { days })}</h2>
        <p className="muted">{t('orderQueue.unpaidLead', { days })}</p>
        {queues.unpaid.length === 0 ? (
          <p className="empty">{t('orderQueue.unpaidEmpty')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="unpaid-heading">
              <thead>
                <tr>
                  <th scope="col">{t('orderQueue.order')}</th>
                  <th scope="col">{t('orderQueue.buyer')}</th>
                  <th scope="col">{t('orderQueue.workshop')}</th>
                  <th scope="col">{t('orderQueue.amount')}</th>
                  <th scope="col">{t('orderQueue.acceptedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {queues.unpaid.map((o) => (
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
                      <span className="muted">
                        {t('orderQueue.waitingDays', { days: o.waiting_days })}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
