import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Fragment } from 'react'
import { auditChanges, auditValue } from '../models/audit.ts'
import { listAuditLog } from '../models/audit.server.ts'
import { BadQueryError } from '../models/errors.ts'
import { AuditQuerySchema, queryObject, type AuditQuery } from '../models/operations.schema.ts'
import { requireKind } from '../utils/auth.server.ts'
import { TableHead } from '../components/table.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// The audit log viewer (issue 9, Operations): every operator change, newest first, 50 a page
// (keyset: "older entries" starts after the page's last entry), filtered by action prefix and
// subject, each with who made it and what changed, before → after.

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const parsed = AuditQuerySchema.safeParse(queryObject(new URL(request.url).searchParams))
  // A bad filter or a cursor naming no entry (a stale or hand-edited link): the newest
  // entries, and a note saying so.
  if (!parsed.success) return { ...(await page(context, {})), badQuery: true }
  try {
    return { ...(await page(context, parsed.data)), badQuery: false }
  } catch (error) {
    if (!(error instanceof BadQueryError)) throw error
    return { ...(await page(context, { ...parsed.data, before: undefined })), badQuery: true }
  }
}

async function page(context: LoaderFunctionArgs['context'], query: AuditQuery) {
  const log = await listAuditLog(context.db, query)
  return {
    filter: { action: query.action ?? '', subject: query.subject ?? '' },
    paged: Boolean(query.before),
    nextBefore: log.nextBefore,
    entries: log.entries.map((e) => ({
      id: e.id,
      action: e.action,
      subject: e.subject,
      subjectName: e.subject_name,
      actorName: e.actor_name,
      actorEmail: e.actor_email,
      createdAt: e.created_at,
      changes: auditChanges(e.before, e.after).map((c) => ({
        path: c.path,
        before: auditValue(c.before),
        after: auditValue(c.after),
      })),
    })),
  }
}

export default function AuditLogPage() {
  const t = useT()
  const locale = useLocale()
  const { filter, paged, nextBefore, entries, badQuery } = useLoaderData<typeof loader>()
  const link = (before?: string) => {
    const params = new URLSearchParams()
    if (filter.action) params.set('action', filter.action)
    if (filter.subject) params.set('subject', filter.subject)
    if (before) params.set('before', before)
    return `?${params}`
  }
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('ops.audit.title')}</h1>
      <p className="muted">{t('ops.audit.lead')}</p>
      {badQuery ? (
        <p className="alert" role="alert">
          {t('ops.audit.badQuery')}
        </p>
      ) : null}

      <Form method="get" className="card inline-form" style={{ flexWrap: 'wrap' }}>
        <label htmlFor="audit-action">{t('ops.audit.action')}</label>
        <input
          id="audit-action"
          name="action"
          maxLength={80}
          defaultValue={filter.action}
          title={t('ops.audit.actionHint')}
          placeholder="organization."
        />
        <label htmlFor="audit-subject">{t('ops.audit.subject')}</label>
        <input
          id="audit-subject"
          name="subject"
          maxLength={200}
          defaultValue={filter.subject}
          title={t('ops.audit.subjectHint')}
        />
        <button type="submit">{t('ops.audit.filter')}</button>
        {filter.action || filter.subject ? <Link to="?">{t('ops.audit.clear')}</Link> : null}
      </Form>

      <section className="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading" className="visually-hidden">
          {t('ops.audit.title')}
        </h2>
        {entries.length === 0 ? (
          <p className="empty">{t('ops.audit.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="audit-heading">
              <TableHead
                columns={[
                  t('ops.audit.time'),
                  t('ops.audit.actor'),
                  t('ops.audit.action'),
                  t('ops.audit.subject'),
                  t('ops.audit.changes'),
                ]}
              />
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} id={`audit-${e.id}`}>
                    <td>
                      <time dateTime={new Date(e.createdAt).toISOString()}>
                        {formatDateTime(locale, e.createdAt)}
                      </time>
                    </td>
                    <td>
                      {e.actorName ?? t('ops.audit.deletedUser')}
                      {e.actorEmail ? (
                        <>
                          <br />
                          <span className="muted">{e.actorEmail}</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      {e.subjectName ? (
                        <>
                          {e.subjectName}
                          <br />
                        </>
                      ) : null}
                      <Link
                        to={`?${new URLSearchParams({ subject: e.subject })}`}
                        className={e.subjectName ? 'muted' : undefined}
                      >
                        <code>{e.subject}</code>
                      </Link>
                    </td>
                    <td>
                      {e.changes.length === 0 ? (
                        <span className="muted">{t('ops.audit.noChange')}</span>
                      ) : (
                        <dl className="facts compact">
                          {e.changes.map((c) => (
                            <Fragment key={c.path}>
                              <dt>{c.path || t('ops.audit.whole')}</dt>
                              <dd>
                                <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                                  {`${c.before}\n→ ${c.after}`}
                                </pre>
                              </dd>
                            </Fragment>
                          ))}
                        </dl>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {paged || nextBefore ? (
          <nav className="pager" aria-label={t('ops.audit.title')}>
            {paged ? <Link to={link()}>{t('ops.audit.newest')}</Link> : null}
            {nextBefore ? <Link to={link(nextBefore)}>{t('ops.audit.older')}</Link> : null}
          </nav>
        ) : null}
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
