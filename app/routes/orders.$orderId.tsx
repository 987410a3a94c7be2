import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { getOrderForViewer } from '../models/order.server.ts'
import { jobAccess } from '../models/job.server.ts'
import { processName } from '../models/processes.ts'
import { townName } from '../models/towns.ts'
import { formatFen } from '../models/money.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { Breakdown } from '../components/quote-view.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// The order page (issue 6 creates orders in awaiting_payment; issue 7 adds the lifecycle's
// actions): status, parties, amounts stored at acceptance, parts and the event timeline.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.orderId)
  if (!id.success) throw new Response('Not found', { status: 404 })
  const viewed = await getOrderForViewer(context.db, id.data, account)
  if (!viewed) throw new Response('Not found', { status: 404 })
  const { order, role, parts, events } = viewed
  // A workshop sees the drawings under the job's own rule (invited, past the NDA).
  const filesAllowed = (await jobAccess(context.db, order.job_id, account))?.filesAllowed ?? false
  return {
    role,
    order: {
      ...order,
      delivery_address:
        role === 'workshop' && order.status === 'awaiting_payment' ? '' : order.delivery_address,
    },
    filesAllowed,
    parts: parts.map((p, i) => ({
      id: p.id,
      format: p.format,
      quantity: p.quantity,
      thumbnail: filesAllowed && p.thumbnail_key !== null,
      name: filesAllowed ? p.original_name : `#${i + 1}`,
    })),
    events,
  }
}

export default function OrderPage() {
  const t = useT()
  const locale = useLocale()
  const { order, role, parts, events, filesAllowed } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <>
      <p>
        <Link to="/orders">← {t('orders.back')}</Link>
      </p>
      <h1>
        {t('orders.number', { number: order.number })}{' '}
        <span className={`badge status-order-${order.status}`} data-status={order.status}>
          {t(`orders.status.${order.status}` as MessageKey)}
        </span>
      </h1>
      {searchParams.has('accepted') ? (
        <p className="notice" role="status">
          {t('orders.notice.accepted')}
        </p>
      ) : null}
      {order.status === 'awaiting_payment' ? (
        <p className="notice">
          {role === 'workshop'
            ? t('orders.next.awaitingPaymentWorkshop')
            : t('orders.next.awaitingPayment')}
        </p>
      ) : null}

      <section className="card" aria-labelledby="order-facts">
        <h2 id="order-facts">{t('orders.facts')}</h2>
        <dl className="facts">
          <dt>{t('orders.job')}</dt>
          <dd>
            <Link to={`/jobs/${order.job_id}`}>{order.job_title}</Link>
            {order.job_process ? ` · ${processName(order.job_process, locale)}` : ''}
          </dd>
          <dt>{t('orders.buyer')}</dt>
          <dd>{order.buyer_name}</dd>
          <dt>{t('orders.workshop')}</dt>
          <dd>
            <Link to={`/workshops/${order.workshop_organization_id}`}>{order.workshop_name}</Link>
            {order.workshop_town ? ` · ${townName(order.workshop_town, locale)}` : ''}
            {order.resource_name ? ` · ${order.resource_name}` : ''}
          </dd>
          <dt>{t('orders.delivery')}</dt>
          <dd>
            {townName(order.delivery_town, locale)}
            {order.delivery_address ? ` · ${order.delivery_address}` : ''}
          </dd>
          <dt>{t('jobs.field.deadline')}</dt>
          <dd>{formatDate(locale, order.deadline)}</dd>
          <dt>{t('quotes.leadTimes')}</dt>
          <dd>
            {t('quotes.leadDays', { sample: order.sample_lead_days, batch: order.batch_lead_days })}
          </dd>
          <dt>{t('orders.placed')}</dt>
          <dd>{formatDateTime(locale, order.created_at)}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="order-amounts">
        <h2 id="order-amounts">{t('orders.amounts')}</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">{t('orders.batch')}</th>
              <td className="num">{formatFen(order.batch_fen, locale)}</td>
            </tr>
            {order.needs_sample ? (
              <tr>
                <th scope="row">{t('orders.sample')}</th>
                <td className="num">{formatFen(order.sample_fen, locale)}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">{t('orders.subtotal')}</th>
              <td className="num">{formatFen(order.subtotal_fen, locale)}</td>
            </tr>
            <tr>
              <th scope="row">{t('orders.platformFee')}</th>
              <td className="num muted">{formatFen(order.platform_fee_fen, locale)}</td>
            </tr>
            {order.voucher_fen ? (
              <tr>
                <th scope="row">{t('orders.voucher')}</th>
                <td className="num">−{formatFen(order.voucher_fen, locale)}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">{t('orders.total')}</th>
              <td className="num">
                <strong data-testid="order-total">{formatFen(order.total_fen, locale)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
        <details>
          <summary>{t('quotes.breakdown')}</summary>
          <Breakdown lines={order.breakdown} totalFen={order.batch_fen} />
        </details>
        {order.quote_comment ? (
          <p className="muted">
            {t('orders.workshopComment')}: {order.quote_comment}
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="order-parts">
        <h2 id="order-parts">{t('jobs.parts')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('orders.part')}</th>
              <th scope="col">{t('quotes.quantity')}</th>
              <th scope="col">{t('quotes.unitPrice')}</th>
              <th scope="col">{t('quotes.total')}</th>
            </tr>
          </thead>
          <tbody>
            {parts.map((p) => {
              const line = order.lines.find((l) => l.file_id === p.id)
              return (
                <tr key={p.id}>
                  <td>
                    {p.thumbnail ? (
                      <img
                        src={`/cad/${p.id}/thumbnail.png`}
                        alt=""
                        width={48}
                        height={48}
                        className="thumb"
                      />
                    ) : null}{' '}
                    {filesAllowed ? (
                      <Link to={`/jobs/${order.job_id}/parts/${p.id}`}>{p.name}</Link>
                    ) : (
                      p.name
                    )}
                  </td>
                  <td>{p.quantity}</td>
                  <td>{line ? formatFen(line.unit_price_fen, locale) : '—'}</td>
                  <td>{line ? formatFen(line.total_fen, locale) : '—'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="order-timeline">
        <h2 id="order-timeline">{t('orders.timeline')}</h2>
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={new Date(e.created_at).toISOString()}>
                {formatDateTime(locale, e.created_at)}
              </time>{' '}
              {e.from_status
                ? t('orders.event.moved', {
                    from: t(`orders.status.${e.from_status}` as MessageKey),
                    to: t(`orders.status.${e.to_status}` as MessageKey),
                  })
                : t('orders.event.created')}
              {e.actor_name ? <span className="muted"> · {e.actor_name}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
