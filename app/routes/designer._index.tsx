import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  return { name: account.user.name, organization: account.organization.name }
}

export default function DesignerDashboard() {
  const t = useT()
  const { name, organization } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('designer.title')}</h1>
      <p className="muted">
        {t('dashboard.welcome', { name })} · {organization}
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="jobs">
          <h2 id="jobs">{t('designer.jobs')}</h2>
          <p className="empty">{t('designer.jobsEmpty')}</p>
        </section>
        <section className="card" aria-labelledby="orders">
          <h2 id="orders">{t('designer.orders')}</h2>
          <p className="empty">{t('designer.ordersEmpty')}</p>
        </section>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
