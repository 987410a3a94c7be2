import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireKind } from '../utils/auth.server.ts'
import { platformCounts } from '../models/platform.server.ts'
import { listVerificationQueue } from '../models/workshop.server.ts'
import { orderQueues, UNPAID_AFTER_DAYS } from '../models/order-queue.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const [counts, queue, orders] = await Promise.all([
    platformCounts(context.db),
    listVerificationQueue(context.db),
    orderQueues(context.db),
  ])
  return {
    counts,
    verificationQueue: queue.length,
    orderQueue: {
      transfers: orders.transfers.length,
      disputes: orders.disputes.length,
      unpaid: orders.unpaid.length,
      unpaidAfterDays: UNPAID_AFTER_DAYS,
      expiring: orders.expiringQuotes.length,
      unmatched: orders.unmatchedJobs.length,
    },
  }
}

export default function ConsolePage() {
  const t = useT()
  const { counts, verificationQueue, orderQueue } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('console.title')}</h1>
      <p>
        <Link to="/console/dashboard" className="button">
          {t('metrics.dashboardLink')}
        </Link>
      </p>
      <section className="card" aria-labelledby="overview">
        <h2 id="overview">{t('console.overview')}</h2>
        <div className="grid">
          <div>
            <div className="stat">{counts.designFirms}</div>
            {t('console.designFirms')}
          </div>
          <div>
            <div className="stat">{counts.workshops}</div>
            {t('console.workshops')}
          </div>
          <div>
            <div className="stat">{counts.users}</div>
            {t('console.users')}
          </div>
        </div>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="verifications">
          <h2 id="verifications">{t('verification.queue')}</h2>
          <div className="stat" id="verification-queue-count">
            {verificationQueue}
          </div>
          <p>{t('verification.queueCount', { count: verificationQueue })}</p>
          <Link to="/console/verifications">{t('verification.openQueue')}</Link>
        </section>
        <section className="card" aria-labelledby="order-queues">
          <h2 id="order-queues">{t('orderQueue.title')}</h2>
          <div className="stat" id="order-queue-count">
            {orderQueue.transfers +
              orderQueue.disputes +
              orderQueue.unpaid +
              orderQueue.expiring +
              orderQueue.unmatched}
          </div>
          <ul>
            <li>
              <Link to="/console/orders#transfers">
                {t('orderQueue.transfersCount', { count: orderQueue.transfers })}
              </Link>
            </li>
            <li>
              <Link to="/console/orders#disputes">
                {t('orderQueue.disputesCount', { count: orderQueue.disputes })}
              </Link>
            </li>
            <li>
              <Link to="/console/orders#unpaid">
                {t('orderQueue.unpaidCount', {
                  count: orderQueue.unpaid,
                  days: orderQueue.unpaidAfterDays,
                })}
              </Link>
            </li>
            <li>
              <Link to="/console/orders#expiring">
                {t('orderQueue.expiringCount', { count: orderQueue.expiring })}
              </Link>
            </li>
            <li>
              <Link to="/console/orders#unmatched">
                {t('orderQueue.unmatchedCount', { count: orderQueue.unmatched })}
              </Link>
            </li>
          </ul>
          <Link to="/console/orders">{t('orderQueue.open')}</Link>
        </section>
        <section className="card" aria-labelledby="money">
          <h2 id="money">{t('payouts.money.title')}</h2>
          <p className="muted">{t('payouts.money.lead')}</p>
          <Link to="/console/money">{t('payouts.money.title')}</Link>
        </section>
        <section className="card" aria-labelledby="vouchers">
          <h2 id="vouchers">{t('vouchers.console.title')}</h2>
          <p className="muted">{t('vouchers.console.lead')}</p>
          <Link to="/console/vouchers">{t('vouchers.console.title')}</Link>
        </section>
        <section className="card" aria-labelledby="catalogue">
          <h2 id="catalogue">{t('materials.title')}</h2>
          <p className="muted">{t('materials.lead')}</p>
          <Link to="/console/materials">{t('materials.title')}</Link>
        </section>
        <section className="card" aria-labelledby="platform-settings">
          <h2 id="platform-settings">{t('opsSettings.title')}</h2>
          <p className="muted">{t('opsSettings.consoleLead')}</p>
          <Link to="/console/settings">{t('opsSettings.title')}</Link>
        </section>
        <section className="card" aria-labelledby="organizations">
          <h2 id="organizations">{t('ops.organizations.title')}</h2>
          <p className="muted">{t('ops.organizations.consoleLead')}</p>
          <Link to="/console/organizations">{t('ops.organizations.title')}</Link>
        </section>
        <section className="card" aria-labelledby="audit">
          <h2 id="audit">{t('ops.audit.title')}</h2>
          <p className="muted">{t('ops.audit.consoleLead')}</p>
          <Link to="/console/audit">{t('ops.audit.title')}</Link>
        </section>
        <section className="card" aria-labelledby="mailbox">
          <h2 id="mailbox">{t('console.mailbox')}</h2>
          <p className="muted">{t('console.mailboxLead')}</p>
          <Link to="/console/mailbox">{t('console.mailbox')}</Link>
        </section>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
