import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, NavLink, useLoaderData } from '@remix-run/react'
import { listOwnJobs } from '../models/job.server.ts'
import { jobStatuses, type JobStatusFilter } from '../models/job.schema.ts'
import { processName } from '../models/processes.ts'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  const requested = new URL(request.url).searchParams.get('status')
  const status = (jobStatuses as readonly string[]).includes(requested ?? '')
    ? (requested as JobStatusFilter)
    : undefined
  const jobs = await listOwnJobs(context.db, account.organization.id, status)
  return { jobs, status: status ?? null }
}

export default function JobsPage() {
  const t = useT()
  const locale = useLocale()
  const { jobs, status } = useLoaderData<typeof loader>()
  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
        <h1>{t('jobs.title')}</h1>
        <Link to="/jobs/new" className="button primary">
          {t('jobs.new')}
        </Link>
      </div>
      <nav aria-label={t('jobs.filter')} className="tabs">
        <NavLink to="/jobs" end className={() => (status === null ? 'active' : '')}>
          {t('jobs.all')}
        </NavLink>
        {jobStatuses.map((s) => (
          <NavLink
            key={s}
            to={`/jobs?status=${s}`}
            className={() => (status === s ? 'active' : '')}
          >
            {t(`jobs.status.${s}`)}
          </NavLink>
        ))}
      </nav>
      {jobs.length === 0 ? (
        <p className="empty">{status ? t('jobs.noneWithStatus') : t('jobs.none')}</p>
      ) : (
        <ul className="job-list">
          {jobs.map((job) => (
            <li key={job.id} className="card job-card">
              {job.thumbnail_file_id ? (
                <img
                  src={`/cad/${job.thumbnail_file_id}/thumbnail.png`}
                  alt=""
                  width={96}
                  height={96}
                  loading="lazy"
                />
              ) : (
                <div className="thumb-placeholder" aria-hidden="true" />
              )}
              <div>
                <h2>
                  <Link to={`/jobs/${job.id}`}>{job.title}</Link>{' '}
                  <span className={`badge status-${job.status}`}>
                    {t(`jobs.status.${job.status}`)}
                  </span>
                </h2>
                <p className="muted">
                  {job.process ? processName(job.process, locale) : t('jobs.processSuggested')}
                  {' · '}
                  {t('jobs.partsCount', {
                    parts: Number(job.part_count),
                    quantity: Number(job.total_quantity),
                  })}
                  {' · '}
                  {t('jobs.deadlineOn', { date: formatDate(locale, job.deadline) })}
                  {Number(job.pending_parts) > 0
                    ? ` · ${t('jobs.analysing', { n: Number(job.pending_parts) })}`
                    : ''}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
