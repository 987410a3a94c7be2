import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import type { Db } from '../../db/client.ts'
import { DomainError, NotFoundError, statusForKind } from '../models/errors.ts'
import {
  MAX_SUSPEND_REASON,
  OrganizationQuerySchema,
  SuspendReasonSchema,
  organizationKinds,
  queryObject,
} from '../models/operations.schema.ts'
import {
  getDirectoryOrganization,
  listOrganizations,
  reactivateOrganization,
  suspendOrganization,
  type DirectoryOrganization,
} from '../models/suspension.server.ts'
import { townName } from '../models/towns.ts'
import { requireKind } from '../utils/auth.server.ts'
import { rowIntent } from '../utils/row-form.server.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput } from '../components/forms.tsx'
import { TableHead } from '../components/table.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime, translate, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// The operators' organisation directory (issue 9, Operations): find an organisation by name
// or credit code and kind, suspend it with a reason or reactivate it. Each row's form posts its
// intent and id; the model acts once and audits, so a second submit or a stale page gets a
// clear "already done" and changes nothing.

const intents = ['suspend', 'reactivate'] as const
type Intent = (typeof intents)[number]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const params = new URL(request.url).searchParams
  const parsed = OrganizationQuerySchema.safeParse(queryObject(params))
  // A bad filter (a hand-edited URL) shows everything and says so.
  const query = parsed.success ? parsed.data : OrganizationQuerySchema.parse({})
  const [directory, done] = await Promise.all([
    listOrganizations(context.db, query),
    doneNotice(context.db, params),
  ])
  return {
    directory,
    filter: { q: query.q ?? '', kind: query.kind ?? '' },
    badQuery: !parsed.success,
    done,
  }
}

/** What the last successful action did (the redirect after it names it), to say so. */
async function doneNotice(
  db: Db,
  params: URLSearchParams,
): Promise<{ key: MessageKey; vars: Record<string, string> } | null> {
  const done = params.get('done')
  const id = z.uuid().safeParse(params.get('id'))
  if (!id.success || (done !== 'suspended' && done !== 'reactivated')) return null
  const org = await getDirectoryOrganization(db, id.data)
  if (!org) return null
  return {
    key: `ops.organizations.done.${done}`,
    vars: { name: org.name, sessions: String(Number(params.get('sessions')) || 0) },
  }
}

interface Failure {
  intent: Intent
  id: string
  message: string
  value?: string
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const locale = requestLocale(request, operator.user.locale)
  const form = await request.formData()
  const { intent, id } = rowIntent(form, intents, 'organizationId')
  const rawReason = String(form.get('reason') ?? '')
  const fail = (status: number, failure: Omit<Failure, 'intent' | 'id'>) =>
    data({ intent, id, ...failure } satisfies Failure, { status })

  let sessionsEnded = 0
  try {
    if (intent === 'suspend') {
      const reason = SuspendReasonSchema.safeParse(rawReason)
      if (!reason.success) {
        const key = reason.error.issues[0]?.message ?? 'error.required'
        return fail(400, { message: translate(locale, key as MessageKey), value: rawReason })
      }
      const result = await context.db
        .transaction()
        .execute((tx) =>
          suspendOrganization(tx, operator, { organizationId: id, reason: reason.data }),
        )
      sessionsEnded = result.sessionsEnded
    } else {
      await context.db
        .transaction()
        .execute((tx) => reactivateOrganization(tx, operator, { organizationId: id }))
    }
  } catch (error) {
    if (error instanceof NotFoundError) {
      return fail(404, { message: translate(locale, 'ops.organizations.error.notFound') })
    }
    if (!(error instanceof DomainError)) throw error
    return fail(statusForKind[error.kind], {
      message: domainErrorMessage(locale, error),
      value: rawReason,
    })
  }
  // Back to the same search and page, saying what was done.
  const back = new URL(request.url).searchParams
  back.delete('index')
  back.set('done', intent === 'suspend' ? 'suspended' : 'reactivated')
  back.set('id', id)
  if (intent === 'suspend') back.set('sessions', String(sessionsEnded))
  else back.delete('sessions')
  return redirect(`/console/organizations?${back}#org-${id}`)
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function OrganizationsPage() {
  const t = useT()
  const { directory, filter, badQuery, done } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  const pageLink = (page: number) => {
    const params = new URLSearchParams()
    if (filter.q) params.set('q', filter.q)
    if (filter.kind) params.set('kind', filter.kind)
    params.set('page', String(page))
    return `?${params}`
  }
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('ops.organizations.title')}</h1>
      <p className="muted">{t('ops.organizations.lead')}</p>
      {done ? (
        <p className="notice" role="status">
          {t(done.key, done.vars)}
        </p>
      ) : null}
      {badQuery ? (
        <p className="alert" role="alert">
          {t('ops.organizations.error.badQuery')}
        </p>
      ) : null}
      {failure && !directory.organizations.some((o) => o.id === failure.id) ? (
        <p className="alert" role="alert">
          {failure.message}
        </p>
      ) : null}

      <Form method="get" className="card inline-form" style={{ flexWrap: 'wrap' }}>
        <label htmlFor="org-q">{t('ops.organizations.q')}</label>
        <input id="org-q" name="q" type="search" maxLength={100} defaultValue={filter.q} />
        <label htmlFor="org-kind">{t('ops.organizations.kind')}</label>
        <select id="org-kind" name="kind" defaultValue={filter.kind}>
          <option value="">{t('ops.organizations.allKinds')}</option>
          {organizationKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`kind.${kind}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t('search.submit')}</button>
      </Form>

      <section className="card" aria-labelledby="directory-heading">
        <h2 id="directory-heading">{t('ops.organizations.total', { total: directory.total })}</h2>
        {directory.organizations.length === 0 ? (
          <p className="empty">{t('ops.organizations.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="directory-heading">
              <TableHead
                columns={[
                  t('ops.organizations.name'),
                  t('ops.organizations.kind'),
                  t('field.town'),
                  t('ops.organizations.verification'),
                  t('ops.organizations.members'),
                  t('ops.organizations.status'),
                  t('ops.organizations.action'),
                ]}
              />
              <tbody>
                {directory.organizations.map((org) => (
                  <OrganizationRow key={org.id} org={org} failure={failure} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {directory.pages > 1 ? (
          <nav
            className="pager"
            aria-label={t('search.page', { page: directory.page, pages: directory.pages })}
          >
            {directory.page > 1 ? (
              <Link to={pageLink(directory.page - 1)}>{t('search.prev')}</Link>
            ) : null}
            <span>{t('search.page', { page: directory.page, pages: directory.pages })}</span>
            {directory.page < directory.pages ? (
              <Link to={pageLink(directory.page + 1)}>{t('search.next')}</Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  )
}

function OrganizationRow({
  org,
  failure,
}: {
  org: Data['directory']['organizations'][number]
  failure: Failure | undefined
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <tr id={`org-${org.id}`}>
      <td>
        {org.name}
        <br />
        <Link
          className="muted"
          to={`/console/audit?${new URLSearchParams({ subject: org.id })}`}
          aria-label={`${t('ops.organizations.history')} ${org.name}`}
        >
          {t('ops.organizations.history')}
        </Link>
      </td>
      <td>{t(`kind.${org.kind}`)}</td>
      <td>{org.town ? townName(org.town, locale) : '—'}</td>
      <td>{org.kind === 'workshop' ? t(`verification.${org.verification_status}`) : '—'}</td>
      <td className="num">{org.members}</td>
      <td>
        {org.suspended_at ? (
          <>
            <strong className="badge">{t('ops.organizations.suspended')}</strong>
            <br />
            <span className="muted">
              {t('ops.organizations.suspendedSince', {
                time: formatDateTime(locale, org.suspended_at),
              })}
            </span>
            <br />
            <span style={{ whiteSpace: 'pre-wrap' }}>{org.suspended_reason}</span>
          </>
        ) : (
          t('ops.organizations.active')
        )}
      </td>
      <td>
        <SuspensionForm org={org} failure={failure} />
      </td>
    </tr>
  )
}

/** A row's form: suspend with a reason, or reactivate; none for the platform itself. */
function SuspensionForm({
  org,
  failure,
}: {
  org: Pick<DirectoryOrganization, 'id' | 'name' | 'kind'> & { suspended_at: unknown }
  failure: Failure | undefined
}) {
  const t = useT()
  const mine = failure?.id === org.id
  const errorId = `org-error-${org.id}`
  if (org.kind === 'platform') {
    return (
      <>
        <span className="muted">{t('ops.organizations.platform')}</span>
        {mine ? (
          <span id={errorId} className="field-errors" role="alert">
            {failure?.message}
          </span>
        ) : null}
      </>
    )
  }
  const intent: Intent = org.suspended_at ? 'reactivate' : 'suspend'
  const inputId = `reason-${org.id}`
  const label = t(`ops.organizations.${intent}`)
  return (
    <Form method="post" className="inline-form" style={{ flexWrap: 'wrap' }}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="organizationId" value={org.id} />
      {intent === 'suspend' ? (
        <>
          <label htmlFor={inputId}>{t('ops.organizations.reason')}</label>
          <input
            id={inputId}
            name="reason"
            required
            maxLength={MAX_SUSPEND_REASON}
            autoComplete="off"
            title={t('ops.organizations.reasonHint')}
            defaultValue={mine && failure?.intent === 'suspend' ? failure.value : undefined}
            aria-invalid={mine ? true : undefined}
            aria-describedby={mine ? errorId : undefined}
          />
        </>
      ) : null}
      <button
        type="submit"
        className={intent === 'suspend' ? 'danger' : 'primary'}
        aria-label={`${label} ${org.name}`}
      >
        {label}
      </button>
      {mine ? (
        <span id={errorId} className="field-errors" role="alert">
          {failure?.message}
        </span>
      ) : null}
    </Form>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
