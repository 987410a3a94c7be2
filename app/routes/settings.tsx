import type { LoaderFunctionArgs } from '@remix-run/node'
import { NavLink, Outlet } from '@remix-run/react'
import { requireAccount } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAccount(request, context)
  return null
}

export default function SettingsLayout() {
  const t = useT()
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <div className="settings-layout">
        <nav aria-label={t('settings.title')}>
          <NavLink to="/settings/profile">{t('settings.profile')}</NavLink>
          <NavLink to="/settings/password">{t('settings.password')}</NavLink>
          <NavLink to="/settings/organization">{t('settings.organization')}</NavLink>
          <NavLink to="/settings/tokens">{t('settings.tokens')}</NavLink>
        </nav>
        <div>
          <Outlet />
        </div>
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
