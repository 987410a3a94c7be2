import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  return { name: account.user.name, organization: account.organization.name }
}

export default function WorkshopDashboard() {
  const t = useT()
  const { name, organization } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('workshop.title')}</h1>
      <p className="muted">
        {t('dashboard.welcome', { name })} · {organization}
      </p>
      <div className="grid">
        <section className="card" aria-labelledby="board">
          <h2 id="board">{t('workshop.board')}</h2>
          <p className="empty">{t('workshop.boardEmpty')}</p>
        </section>
        <section className="card" aria-labelledby="machines">
          <h2 id="machines">{t('workshop.machines')}</h2>
          <p className="empty">{t('workshop.machinesEmpty')}</p>
        </section>
        <section className="card" aria-labelledby="orders">
          <h2 id="orders">{t('workshop.orders')}</h2>
          <p className="empty">{t('workshop.ordersEmpty')}</p>
        </section>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
