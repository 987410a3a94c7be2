import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { DomainError, NotFoundError, statusForKind } from '../models/errors.ts'
import { formatFen } from '../models/money.ts'
import { processName } from '../models/processes.ts'
import { clusters, labelOf } from '../models/taxonomy.ts'
import { applyForGrant, firmPrograms } from '../models/voucher-admin.server.ts'
import { ApplicationFormSchema } from '../models/voucher.schema.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList } from '../components/forms.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate } from '../locales/index.ts'
import { translateMessage, useLocale, useT } from '../utils/i18n.ts'

// 服务券 for design firms (issue 8): the programmes they may use or apply for, their grant this
// year, the cap left, and the application form (owners). Operators run them in the console.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  if (account.organization.kind === 'platform') throw redirect('/console/vouchers')
  if (account.organization.kind !== 'design_firm') {
    throw new Response('Forbidden', { status: 403 })
  }
  const { year, programs } = await firmPrograms(context.db, account.organization.id)
  return { year, programs, owner: account.role === 'owner' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  if (account.organization.kind !== 'design_firm') {
    throw new Response('Forbidden', { status: 403 })
  }
  const formData = await request.formData()
  if (formData.get('intent') !== 'apply') throw new Response('Unknown intent', { status: 400 })
  const programId = String(formData.get('programId') ?? '')
  const submission = parseWithZod(formData, { schema: ApplicationFormSchema })
  if (submission.status !== 'success') {
    const first = Object.values(submission.error ?? {}).flat()[0] ?? 'error.invalid'
    return data({ programId, message: first }, { status: 400 })
  }
  try {
    await context.db
      .transaction()
      .execute((tx) =>
        applyForGrant(tx, account, submission.value.programId, { note: submission.value.note }),
      )
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    if (!(error instanceof DomainError)) throw error
    const message = domainErrorMessage(requestLocale(request, account.user.locale), error)
    return data({ programId, message }, { status: statusForKind[error.kind] })
  }
  return redirect(`/vouchers?applied=1#program-${submission.value.programId}`)
}

export default function VouchersPage() {
  const t = useT()
  const locale = useLocale()
  const { year, programs, owner } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  return (
    <>
      <h1>{t('vouchers.firm.title')}</h1>
      <p className="muted">{t('vouchers.firm.lead', { year })}</p>
      {searchParams.get('applied') ? (
        <p className="notice" role="status">
          {t('vouchers.firm.applied')}
        </p>
      ) : null}
      {programs.length === 0 ? <p className="empty">{t('vouchers.firm.none')}</p> : null}
      {programs.map((p) => {
        const status = p.grant_status ?? 'none'
        const canApply = p.grant_status === null || p.grant_status === 'rejected'
        const failure =
          actionData?.programId === p.id ? translateMessage(t, actionData.message) : null
        return (
          <section
            key={p.id}
            className="card"
            id={`program-${p.id}`}
            aria-labelledby={`program-${p.id}-heading`}
          >
            <h2 id={`program-${p.id}-heading`}>{p.name}</h2>
            <p>
              <span className={`badge${status === 'approved' ? ' ok' : ''}`}>
                {t(`vouchers.status.${status}`)}
              </span>
              {p.open ? null : (
                <>
                  {' '}
                  <span className="badge">
                    {t('vouchers.firm.opensOn', { date: formatDate(locale, p.valid_from) })}
                  </span>
                </>
              )}
            </p>
            <dl>
              <dt>{t('vouchers.col.share')}</dt>
              <dd>{t('vouchers.firm.shareOf', { share: p.share_bps / 100 })}</dd>
              <dt>{t('vouchers.firm.remainingCap', { year })}</dt>
              <dd>
                <strong>{formatFen(p.remaining_cap_fen, locale)}</strong>{' '}
                <span className="muted">
                  {t('vouchers.firm.capOf', { cap: formatFen(p.annual_cap_fen, locale) })}
                </span>
              </dd>
              <dt>{t('vouchers.col.validity')}</dt>
              <dd>
                {formatDate(locale, p.valid_from)} – {formatDate(locale, p.valid_until)}
              </dd>
              <dt>{t('vouchers.field.processes')}</dt>
              <dd>
                {p.processes.length
                  ? p.processes.map((c) => processName(c, locale)).join('、')
                  : t('vouchers.all')}
              </dd>
              <dt>{t('vouchers.field.clusters')}</dt>
              <dd>
                {p.clusters.length
                  ? p.clusters.map((c) => labelOf(clusters, c, locale)).join('、')
                  : t('vouchers.all')}
              </dd>
              {p.grant_decision_note ? (
                <>
                  <dt>{t('vouchers.col.decisionNote')}</dt>
                  <dd style={{ whiteSpace: 'pre-wrap' }}>{p.grant_decision_note}</dd>
                </>
              ) : null}
            </dl>
            {canApply && owner ? (
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="intent" value="apply" />
                <input type="hidden" name="programId" value={p.id} />
                <div className="field">
                  <label htmlFor={`apply-note-${p.id}`}>{t('vouchers.firm.applyNote')}</label>
                  <textarea
                    id={`apply-note-${p.id}`}
                    name="note"
                    maxLength={1000}
                    rows={3}
                    aria-describedby={`apply-hint-${p.id}`}
                  />
                  <p id={`apply-hint-${p.id}`} className="hint">
                    {t('vouchers.firm.applyHint')}
                  </p>
                </div>
                <ErrorList errors={failure ? [failure] : null} />
                <button type="submit" className="primary">
                  {p.grant_status === 'rejected'
                    ? t('vouchers.firm.applyAgain')
                    : t('vouchers.firm.apply')}
                </button>
              </Form>
            ) : canApply ? (
              <p className="muted">{t('vouchers.firm.ownersOnly')}</p>
            ) : null}
          </section>
        )
      })}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
