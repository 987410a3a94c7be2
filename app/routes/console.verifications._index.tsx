import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { getWorkshopProfile, listVerificationQueue } from '../models/workshop.server.ts'
import { townName } from '../models/towns.ts'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const reviewed = z.uuid().safeParse(new URL(request.url).searchParams.get('reviewed'))
  const [queue, done] = await Promise.all([
    listVerificationQueue(context.db),
    reviewed.success ? getWorkshopProfile(context.db, reviewed.data) : undefined,
  ])
  return {
    queue,
    done: done ? { name: done.name, status: done.verification_status } : null,
  }
}

export default function VerificationQueuePage() {
  const t = useT()
  const locale = useLocale()
  const { queue, done } = useLoaderData<typeof loader>()
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('verification.queue')}</h1>
      {done ? (
        <p className="notice" role="status">
          {t('verification.done', { workshop: done.name })} ·{' '}
          {t(`verification.${done.status as 'unsubmitted' | 'pending' | 'verified' | 'rejected'}`)}
        </p>
      ) : null}
      <section className="card">
        {queue.length === 0 ? (
          <p className="empty">{t('verification.queueEmpty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('verification.workshop')}</th>
                <th scope="col">{t('profile.legalName')}</th>
                <th scope="col">{t('profile.uscc')}</th>
                <th scope="col">{t('field.town')}</th>
                <th scope="col">{t('verification.requestedAt')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {queue.map((w) => (
                <tr key={w.id}>
                  <td>{w.name}</td>
                  <td>{w.legal_name}</td>
                  <td>
                    <code>{w.uscc}</code>
                  </td>
                  <td>{townName(w.town, locale)}</td>
                  <td>
                    {w.verification_requested_at
                      ? formatDateTime(locale, w.verification_requested_at)
                      : ''}
                  </td>
                  <td>
                    <Link
                      to={`/console/verifications/${w.id}`}
                      aria-label={`${t('verification.review')} ${w.name}`}
                    >
                      {t('verification.review')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
