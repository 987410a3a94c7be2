import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireKind } from '../utils/auth.server.ts'
import { getEmail } from '../models/email.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const id = z.uuid().safeParse(params.emailId)
  const email = id.success ? await getEmail(context.db, id.data) : undefined
  if (!email) throw new Response('Not found', { status: 404 })
  return { email }
}

export default function MailPage() {
  const t = useT()
  const locale = useLocale()
  const { email } = useLoaderData<typeof loader>()
  return (
    <>
      <p>
        <Link to="/console/mailbox">← {t('mail.back')}</Link>
      </p>
      <section className="card">
        <h1>{email.subject ?? email.template}</h1>
        <dl>
          <dt>{t('mail.to')}</dt>
          <dd>{email.to_address}</dd>
          <dt>{t('mail.createdAt')}</dt>
          <dd>{formatDateTime(locale, email.created_at)}</dd>
          <dt>{t('mail.status')}</dt>
          <dd>
            {t(`mail.status.${email.status}`)}
            {email.transport ? ` · ${t(`mail.transport.${email.transport}`)}` : ''}
            {email.error ? ` · ${email.error}` : ''}
          </dd>
        </dl>
        {email.html ? (
          <iframe
            title={email.subject ?? email.template}
            className="mail-frame"
            // Scripts stay off; links open in the top window so a demo user can follow a reset link.
            sandbox="allow-top-navigation-by-user-activation allow-popups"
            srcDoc={email.html.replace(/<head>/i, '<head><base target="_top">')}
          />
        ) : null}
        {email.text ? (
          <details>
            <summary>{t('mail.textVersion')}</summary>
            <pre style={{ whiteSpace: 'pre-wrap' }}>{email.text}</pre>
          </details>
        ) : null}
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
