import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireKind } from '../utils/auth.server.ts'
import { platformCounts } from '../models/platform.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  return { counts: await platformCounts(context.db) }
}

export default function ConsolePage() {
  const t = useT()
  const { counts } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('console.title')}</h1>
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
      <section className="card">
        <p className="empty">{t('console.queuesEmpty')}</p>
        <Link to="/console/mailbox">{t('console.mailbox')}</Link>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
