import { Link, isRouteErrorResponse, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useT } from '../utils/i18n.ts'

type StatusHandler = (info: { status: number }) => ReactNode

/** The error UI every route with params exports; 403 and 404 get their own message. */
export function GeneralErrorBoundary(props: { statusHandlers?: Record<number, StatusHandler> }) {
  const error = useRouteError()
  const t = useT()
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (!isRouteErrorResponse(error) && typeof document !== 'undefined') console.error(error)
  const custom = props.statusHandlers?.[status]
  const message = status === 403 ? t('error.403') : status === 404 ? t('error.404') : t('error.500')
  return (
    <section className="card error-page">
      <h1>{t('error.pageTitle')}</h1>
      {custom ? custom({ status }) : <p role="alert">{message}</p>}
      <p>
        <Link to="/">{t('error.backHome')}</Link>
      </p>
    </section>
  )
}
