import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireKind } from '../utils/auth.server.ts'
import { MAILBOX_PAGE_SIZE, listEmails } from '../models/email.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

const PageSchema = z.coerce.number().int().min(1).max(10_000).catch(1)

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const page = PageSchema.parse(new URL(request.url).searchParams.get('page') ?? 1)
  const rows = await listEmails(context.db, { page })
  return {
    emails: rows.slice(0, MAILBOX_PAGE_SIZE),
    page,
    hasMore: rows.length > MAILBOX_PAGE_SIZE,
  }
}

export default function MailboxPage() {
  const t = useT()
  const locale = useLocale()
  const { emails, page, hasMore } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>{t('console.mailbox')}</h1>
      <p className="muted">{t('console.mailboxLead')}</p>
      <section className="card">
        {emails.length === 0 ? (
          <p className="empty">{t('console.mailboxEmpty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('mail.createdAt')}</th>
                <th scope="col">{t('mail.to')}</th>
                <th scope="col">{t('mail.subject')}</th>
                <th scope="col">{t('mail.status')}</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((email) => (
                <tr key={email.id}>
                  <td>{formatDateTime(locale, email.created_at)}</td>
                  <td>{email.to_address}</td>
                  <td>
                    <Link to={`/console/mailbox/${email.id}`}>
                      {email.subject ?? email.template}
                    </Link>
                  </td>
                  <td>{t(`mail.status.${email.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          {page > 1 ? <Link to={`?page=${page - 1}`}>←</Link> : null}{' '}
          {hasMore ? <Link to={`?page=${page + 1}`}>→</Link> : null}
        </p>
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
