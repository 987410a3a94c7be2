import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireKind } from '../utils/auth.server.ts'
import { listOwnJobs } from '../models/job.server.ts'
import { listOrders } from '../models/order.server.ts'
import { RecentOrders } from '../components/recent-orders.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  const [jobs, orders] = await Promise.all([
    listOwnJobs(context.db, account.organization.id),
    listOrders(context.db, account, { limit: 5 }),
  ])
  return {
    orders,
    name: account.user.name,
    organization: account.organization.name,
    jobs: jobs.slice(0, 5).map((j) => ({ id: j.id, title: j.title, status: j.status })),
    total: jobs.length,
  }
}

export default function DesignerDashboard() {
  const t = useT()
  const { name, organization, jobs, total, orders } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('designer.title')}</h1>
      <p className="muted">
        {t('dashboard.welcome', { name })} · {organization}
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="jobs">
          <h2 id="jobs">{t('designer.jobs')}</h2>
          {jobs.length === 0 ? (
            <p className="empty">{t('designer.jobsEmpty')}</p>
          ) : (
            <ul>
              {jobs.map((job) => (
                <li key={job.id}>
                  <Link to={`/jobs/${job.id}`}>{job.title}</Link>{' '}
                  <span className={`badge status-${job.status}`}>
                    {t(`jobs.status.${job.status}`)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link to="/jobs/new" className="button primary">
              {t('jobs.new')}
            </Link>{' '}
            {total > jobs.length ? <Link to="/jobs">{t('jobs.all')}</Link> : null}
          </p>
        </section>
        <RecentOrders
          orders={orders}
          title={t('designer.orders')}
          empty={t('designer.ordersEmpty')}
        />
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
