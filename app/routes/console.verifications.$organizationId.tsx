import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { VerificationDecisionSchema } from '../models/workshop.schema.ts'
import { getWorkshopProfile, reviewVerification } from '../models/workshop.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { certifications, clusters, labelOf } from '../models/taxonomy.ts'
import { townName } from '../models/towns.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList } from '../components/forms.tsx'
import { TextAreaField, formatBytes } from '../components/resource-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

type Status = 'unsubmitted' | 'pending' | 'verified' | 'rejected'

function organizationIdFrom(params: { organizationId?: string }) {
  const parsed = z.uuid().safeParse(params.organizationId)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const profile = await getWorkshopProfile(context.db, organizationIdFrom(params))
  if (!profile) throw new Response('Not found', { status: 404 })
  return { profile }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const organizationId = organizationIdFrom(params)
  const submission = parseWithZod(await request.formData(), { schema: VerificationDecisionSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    await context.db.transaction().execute((tx) =>
      reviewVerification(tx, operator, {
        organizationId,
        decision: submission.value.decision,
        reason: submission.value.reason,
        publicUrl: context.settings.publicUrl,
      }),
    )
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    const locale = requestLocale(request, operator.user.locale)
    const { result, status } = replyWithError(submission, error, locale)
    return data({ result }, { status })
  }
  return redirect(`/console/verifications?reviewed=${organizationId}`)
}

export default function VerificationReviewPage() {
  const t = useT()
  const locale = useLocale()
  const { profile } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'decision',
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: VerificationDecisionSchema }),
  })
  const status = profile.verification_status as Status
  const rows: [string, string][] = [
    [t('profile.legalName'), profile.legal_name ?? ''],
    [t('profile.uscc'), profile.uscc ?? ''],
    [t('field.town'), townName(profile.town, locale)],
    [t('profile.address'), profile.address ?? ''],
    [
      `${t('profile.lat')} / ${t('profile.lng')}`,
      profile.lat !== null && profile.lng !== null ? `${profile.lat}, ${profile.lng}` : '',
    ],
    [t('profile.clusters'), profile.clusters.map((c) => labelOf(clusters, c, locale)).join('、')],
    [
      t('profile.certifications'),
      profile.certifications.map((c) => labelOf(certifications, c, locale)).join('、'),
    ],
    [t('profile.description'), profile.description ?? ''],
    [
      t('verification.requestedAt'),
      profile.verification_requested_at
        ? formatDateTime(locale, profile.verification_requested_at)
        : '',
    ],
  ]
  return (
    <>
      <p>
        <Link to="/console/verifications">← {t('verification.back')}</Link>
      </p>
      <h1>{profile.name}</h1>
      <p>
        {t('profile.status')}:{' '}
        <strong className={`badge status-${status}${status === 'verified' ? ' ok' : ''}`}>
          {t(`verification.${status}`)}
        </strong>
      </p>
      {profile.verification_note ? (
        <p className="muted">
          {t('verification.note')}
          {profile.verification_note}
        </p>
      ) : null}

      <section className="card" aria-labelledby="details">
        <h2 id="details">{t('profile.details')}</h2>
        <table>
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row" style={{ width: '14rem' }}>
                  {label}
                </th>
                <td style={{ whiteSpace: 'pre-wrap' }}>{value || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="documents">
        <h2 id="documents">{t('profile.documents')}</h2>
        {profile.files.length === 0 ? (
          <p className="empty">{t('profile.noFiles')}</p>
        ) : (
          <ul>
            {profile.files.map((file) => (
              <li key={file.id}>
                <a href={`/files/${file.id}`} target="_blank" rel="noreferrer">
                  {file.original_name}
                </a>{' '}
                · {t(`profile.purpose.${file.purpose}`)}
                {file.certification
                  ? ` (${labelOf(certifications, file.certification, locale)})`
                  : ''}{' '}
                · {formatBytes(file.size_bytes, locale)}
              </li>
            ))}
          </ul>
        )}
      </section>

      {status === 'pending' || form.errors?.length ? (
        <section className="card" aria-labelledby="decision-heading">
          <h2 id="decision-heading">{t('verification.decision')}</h2>
          <ErrorList id={form.errorId} errors={form.errors} />
          {status === 'pending' ? (
            <Form method="post" {...getFormProps(form)}>
              <CsrfInput />
              <TextAreaField
                label={t('verification.reason')}
                textareaProps={getTextareaProps(fields.reason)}
                errors={fields.reason.errors}
              />
              <ErrorList errors={fields.decision.errors} />
              <div style={{ display: 'flex', gap: '0.75rem' }}>
                <button type="submit" name="decision" value="approve" className="primary">
                  {t('verification.approve')}
                </button>
                <button type="submit" name="decision" value="reject" className="secondary danger">
                  {t('verification.reject')}
                </button>
              </div>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
