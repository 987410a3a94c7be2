import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireKind } from '../utils/auth.server.ts'
import { getWorkshopProfile } from '../models/workshop.server.ts'
import { listOwnResources } from '../models/resource.server.ts'
import { listOrders } from '../models/order.server.ts'
import { RecentOrders } from '../components/recent-orders.tsx'
import { WorkshopInsightsSection } from '../components/workshop-insights.tsx'
import { DEFAULT_INSIGHT_PERIOD } from '../models/workshop-insights.ts'
import { workshopInsights } from '../models/workshop-insights.server.ts'
import { insightsQuery } from '../utils/api-contract-insights.ts'
import { insightCharts } from '../utils/insights-view.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

type Status = 'unsubmitted' | 'pending' | 'verified' | 'rejected'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  // 经营概况 over `?period=` days (30, 90 or 365); anything else shows 90 with a notice.
  const query = insightsQuery.safeParse({
    period: new URL(request.url).searchParams.get('period') ?? undefined,
  })
  const period = query.success ? query.data.period : DEFAULT_INSIGHT_PERIOD
  const [profile, resources, orders, awaiting, insights] = await Promise.all([
    getWorkshopProfile(context.db, account.organization.id),
    listOwnResources(context.db, account.organization.id),
    listOrders(context.db, account, { limit: 5 }),
    context.db
      .selectFrom('quotes')
      .innerJoin('jobs', 'jobs.id', 'quotes.job_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('quotes.organization_id', '=', account.organization.id)
      .where('quotes.status', '=', 'pending')
      .where('quotes.valid_until', '>', new Date())
      .where('jobs.status', '=', 'open')
      .executeTakeFirstOrThrow(),
    workshopInsights(context.db, account.organization.id, period),
  ])
  return {
    insights,
    charts: insightCharts(insights, requestLocale(request, account.user.locale)),
    badPeriod: !query.success,
    orders,
    awaiting: Number(awaiting.n),
    name: account.user.name,
    organization: account.organization.name,
    verification: (profile?.verification_status ?? 'unsubmitted') as Status,
    resourceCount: resources.length,
  }
}

export default function WorkshopDashboard() {
  const t = useT()
  const {
    name,
    organization,
    verification,
    resourceCount,
    orders,
    awaiting,
    insights,
    charts,
    badPeriod,
  } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('workshop.title')}</h1>
      <p className="muted">
        {t('dashboard.welcome', { name })} · {organization}
      </p>
      <section className="card" aria-labelledby="company">
        <h2 id="company">{t('profile.title')}</h2>
        <p>
          {t('profile.status')}:{' '}
          <strong
            className={`badge status-${verification}${verification === 'verified' ? ' ok' : ''}`}
          >
            {t(`verification.${verification}`)}
          </strong>
        </p>
        {verification !== 'verified' ? <p className="muted">{t('profile.lead')}</p> : null}
        <Link to="/workshop/profile">{t('profile.title')}</Link>
      </section>
      <div className="grid">
        <section className="card" aria-labelledby="board">
          <h2 id="board">{t('workshop.board')}</h2>
          {awaiting ? (
            <p>
              <span className="stat">{awaiting}</span>
              <br />
              {t('board.quoted', { n: awaiting })}
            </p>
          ) : (
            <p className="empty">{t('workshop.boardEmpty')}</p>
          )}
          <Link to="/workshop/job-board">{t('board.title')}</Link>
        </section>
        <section className="card" aria-labelledby="machines">
          <h2 id="machines">{t('workshop.machines')}</h2>
          {resourceCount === 0 ? (
            <>
              <p className="empty">{t('workshop.machinesEmpty')}</p>
              <Link to="/workshop/resources/new">{t('resources.add')}</Link>
            </>
          ) : (
            <>
              <p>
                <span className="stat">{resourceCount}</span>
                <br />
                {t('resources.count', { count: resourceCount })}
              </p>
              <Link to="/workshop/resources">{t('resources.manage')}</Link>
            </>
          )}
        </section>
        <RecentOrders
          orders={orders}
          title={t('workshop.orders')}
          empty={t('workshop.ordersEmpty')}
        />
      </div>
      <WorkshopInsightsSection insights={insights} charts={charts} badPeriod={badPeriod} />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
