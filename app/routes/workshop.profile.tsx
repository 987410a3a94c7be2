import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import {
  WorkshopProfileSchema,
  WorkshopUploadSchema as UploadSchema,
  documentPurposes,
} from '../models/workshop.schema.ts'
import {
  getWorkshopProfile,
  requestVerification,
  updateWorkshopProfile,
} from '../models/workshop.server.ts'
import { deleteFile, recordFile } from '../models/file.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { certifications, clusters, labelOf } from '../models/taxonomy.ts'
import { towns } from '../models/towns.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import {
  discardUpload,
  isMultipart,
  parseUploadForm,
  recordUpload,
} from '../utils/upload.server.ts'
import { CsrfInput, ErrorList, Field, SelectField } from '../components/forms.tsx'
import { CheckboxGroup, TextAreaField, formatBytes } from '../components/resource-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useRootData, useT } from '../utils/i18n.ts'

const IntentOnly = z.object({ intent: z.string() })
const FileIdSchema = z.object({ fileId: z.uuid() })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const profile = await getWorkshopProfile(context.db, account.organization.id)
  if (!profile) throw new Response('Not found', { status: 404 })
  return { profile, maxUploadMb: Math.floor(context.settings.maxUploadBytes / 1024 / 1024) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const locale = requestLocale(request, account.user.locale)

  if (isMultipart(request)) {
    const parsed = await parseUploadForm(request, context, {
      organizationId: account.organization.id,
      userId: account.user.id,
      imagesOnly: (fields) => fields.get('purpose') === 'workshop_photo',
    })
    const submission = parseWithZod(parsed.formData, { schema: UploadSchema })
    if (submission.status !== 'success') {
      await discardUpload(context, parsed.upload)
      return data({ intent: 'upload', result: submission.reply() }, { status: 400 })
    }
    if (parsed.error || !parsed.upload) {
      const { result, status } = replyWithError(submission, parsed.error, locale)
      return data({ intent: 'upload', result }, { status })
    }
    const upload = parsed.upload
    const { purpose, certification } = submission.value
    await recordUpload(context, upload, (tx) =>
      recordFile(tx, account, upload, {
        purpose,
        certification: purpose === 'certificate' ? certification : undefined,
      }),
    )
    return redirect('/workshop/profile?uploaded=1#documents')
  }

  const formData = await request.formData()
  const intent = formData.get('intent')
  switch (intent) {
    case 'save': {
      const submission = parseWithZod(formData, { schema: WorkshopProfileSchema })
      if (submission.status !== 'success') {
        return data({ intent, result: submission.reply() }, { status: 400 })
      }
      try {
        const { reverify } = await context.db
          .transaction()
          .execute((tx) => updateWorkshopProfile(tx, account, submission.value))
        return redirect(`/workshop/profile?saved=${reverify ? 'reverify' : '1'}`)
      } catch (error) {
        const { result, status } = replyWithError(submission, error, locale)
        return data({ intent, result }, { status })
      }
    }
    case 'request-verification': {
      const submission = parseWithZod(formData, { schema: IntentOnly })
      try {
        await context.db.transaction().execute((tx) => requestVerification(tx, account))
      } catch (error) {
        const { result, status } = replyWithError(submission, error, locale)
        return data({ intent, result }, { status })
      }
      return redirect('/workshop/profile?requested=1')
    }
    case 'delete-file': {
      const parsed = FileIdSchema.safeParse(Object.fromEntries(formData))
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      let storageKey: string
      try {
        storageKey = await context.db
          .transaction()
          .execute((tx) => deleteFile(tx, account, parsed.data.fileId))
      } catch (error) {
        if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
        throw error
      }
      // The row is gone for good once committed; only then remove the bytes.
      await context.storage.delete(storageKey)
      return redirect('/workshop/profile?deleted=1#documents')
    }
    default:
      throw new Response('Unknown intent', { status: 400 })
  }
}

type Status = 'unsubmitted' | 'pending' | 'verified' | 'rejected'

function notice(params: URLSearchParams): MessageKey | undefined {
  if (params.get('saved') === 'reverify') return 'profile.reverify'
  if (params.get('saved')) return 'profile.saved'
  if (params.get('requested')) return 'profile.requested'
  if (params.get('uploaded')) return 'profile.uploaded'
  if (params.get('deleted')) return 'profile.fileDeleted'
  return undefined
}

export default function WorkshopProfilePage() {
  const t = useT()
  const { profile } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const status = profile.verification_status as Status
  // A notice in the URL belongs to the last redirect, not to a failed submission since.
  const message = actionData ? undefined : notice(searchParams)
  // Derived from this submission only, so a later, different submission clears it.
  const requestErrors =
    actionData?.intent === 'request-verification' ? (actionData.result.error?.[''] ?? null) : null
  return (
    <>
      <p>
        <Link to="/workshop">← {t('workshop.title')}</Link>
      </p>
      <h1>{t('profile.title')}</h1>
      <p className="muted">{t('profile.lead')}</p>
      {message ? (
        <p className="notice" role="status">
          {t(message)}
        </p>
      ) : null}

      <section className="card" aria-labelledby="verification">
        <h2 id="verification">{t('profile.status')}</h2>
        <p>
          <strong className={`badge status-${status}${status === 'verified' ? ' ok' : ''}`}>
            {t(`verification.${status}`)}
          </strong>
        </p>
        {status === 'rejected' && profile.verification_note ? (
          <p className="alert">
            {t('verification.note')}
            {profile.verification_note}
          </p>
        ) : null}
        {status === 'unsubmitted' || status === 'rejected' ? (
          <Form method="post">
            <CsrfInput />
            <ErrorList errors={requestErrors} />
            <button type="submit" name="intent" value="request-verification" className="primary">
              {t('profile.requestVerification')}
            </button>
          </Form>
        ) : null}
      </section>

      <ProfileForm />
      <Documents />
    </>
  )
}

function ProfileForm() {
  const t = useT()
  const locale = useLocale()
  const { profile } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm<z.output<typeof WorkshopProfileSchema>>({
    id: 'profile',
    lastResult: actionData?.intent === 'save' ? actionData.result : undefined,
    defaultValue: {
      name: profile.name,
      legalName: profile.legal_name ?? '',
      uscc: profile.uscc ?? '',
      town: profile.town ?? '',
      address: profile.address ?? '',
      lat: profile.lat ?? '',
      lng: profile.lng ?? '',
      description: profile.description ?? '',
      clusters: profile.clusters,
      certifications: profile.certifications,
    },
    constraint: getZodConstraint(WorkshopProfileSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: WorkshopProfileSchema }),
  })
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">{t('profile.details')}</h2>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="save" />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={t('profile.name')}
          inputProps={getInputProps(fields.name, { type: 'text' })}
          errors={fields.name.errors}
        />
        <Field
          label={t('profile.legalName')}
          inputProps={{
            ...getInputProps(fields.legalName, { type: 'text' }),
            autoComplete: 'organization',
          }}
          errors={fields.legalName.errors}
        />
        <Field
          label={t('profile.uscc')}
          hint={t('profile.usccHint')}
          inputProps={{
            ...getInputProps(fields.uscc, { type: 'text' }),
            autoCapitalize: 'characters',
            spellCheck: false,
          }}
          errors={fields.uscc.errors}
        />
        <SelectField
          label={t('field.town')}
          selectProps={getSelectProps(fields.town)}
          options={[
            { value: '', label: '—' },
            ...towns.map((town) => ({
              value: town.code,
              label: locale === 'en' ? `${town.en} ${town.zh}` : town.zh,
            })),
          ]}
          errors={fields.town.errors}
        />
        <Field
          label={t('profile.address')}
          inputProps={{
            ...getInputProps(fields.address, { type: 'text' }),
            autoComplete: 'street-address',
          }}
          errors={fields.address.errors}
        />
        <div className="grid" style={{ gap: '0 1.25rem' }}>
          <Field
            label={t('profile.lat')}
            hint={t('profile.coordsHint')}
            inputProps={{ ...getInputProps(fields.lat, { type: 'text' }), inputMode: 'decimal' }}
            errors={fields.lat.errors}
          />
          <Field
            label={t('profile.lng')}
            inputProps={{ ...getInputProps(fields.lng, { type: 'text' }), inputMode: 'decimal' }}
            errors={fields.lng.errors}
          />
        </div>
        <TextAreaField
          label={t('profile.description')}
          textareaProps={getTextareaProps(fields.description)}
          errors={fields.description.errors}
        />
        <CheckboxGroup
          legend={t('profile.clusters')}
          field={fields.clusters}
          compact
          options={clusters.map((c) => ({ value: c.code, label: locale === 'en' ? c.en : c.zh }))}
        />
        <CheckboxGroup
          legend={t('profile.certifications')}
          field={fields.certifications}
          options={certifications.map((c) => ({
            value: c.code,
            label: locale === 'en' ? c.en : c.zh,
          }))}
        />
        <button type="submit" className="primary">
          {t('profile.save')}
        </button>
      </Form>
    </section>
  )
}

function Documents() {
  const t = useT()
  const locale = useLocale()
  const { csrfToken } = useRootData()
  const { profile, maxUploadMb } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'upload',
    lastResult: actionData?.intent === 'upload' ? actionData.result : undefined,
    defaultValue: { purpose: 'business_license' },
    constraint: getZodConstraint(UploadSchema),
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UploadSchema }),
  })
  const fileErrors =
    actionData?.intent === 'upload' ? (actionData.result.error?.file ?? null) : null
  return (
    <section className="card" aria-labelledby="documents">
      <h2 id="documents">{t('profile.documents')}</h2>
      {profile.files.length === 0 ? (
        <p className="empty">{t('profile.noFiles')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('profile.file')}</th>
              <th scope="col">{t('profile.purpose')}</th>
              <th scope="col">{t('profile.size')}</th>
              <th scope="col">{t('profile.uploadedAt')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {profile.files.map((file) => (
              <tr key={file.id}>
                <td>
                  <a href={`/files/${file.id}`} target="_blank" rel="noreferrer">
                    {file.original_name}
                  </a>
                </td>
                <td>
                  {t(`profile.purpose.${file.purpose}`)}
                  {file.certification
                    ? ` · ${labelOf(certifications, file.certification, locale)}`
                    : ''}
                </td>
                <td>{formatBytes(file.size_bytes, locale)}</td>
                <td>{formatDateTime(locale, file.created_at)}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="fileId" value={file.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="delete-file"
                      className="secondary danger"
                      aria-label={`${t('profile.deleteFile')} ${file.original_name}`}
                    >
                      {t('profile.deleteFile')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('profile.upload')}</h3>
      {/* The CSRF gate does not read multipart bodies: the token travels in the URL. */}
      <Form
        method="post"
        encType="multipart/form-data"
        action={`?csrf=${encodeURIComponent(csrfToken)}`}
        {...getFormProps(form)}
      >
        <input type="hidden" name="intent" value="upload" />
        <ErrorList id={form.errorId} errors={form.errors} />
        <SelectField
          label={t('profile.purpose')}
          selectProps={getSelectProps(fields.purpose)}
          options={documentPurposes.map((p) => ({ value: p, label: t(`profile.purpose.${p}`) }))}
          errors={fields.purpose.errors}
        />
        <SelectField
          label={t('profile.certificationFor')}
          selectProps={getSelectProps(fields.certification)}
          options={[
            { value: '', label: t('profile.certificationNone') },
            ...certifications.map((c) => ({
              value: c.code,
              label: locale === 'en' ? c.en : c.zh,
            })),
          ]}
          errors={fields.certification.errors}
        />
        <Field
          label={t('profile.file')}
          hint={t('profile.uploadHint', { mb: maxUploadMb })}
          inputProps={{
            id: 'upload-file',
            type: 'file',
            name: 'file',
            required: true,
            accept: 'application/pdf,image/png,image/jpeg,image/webp',
          }}
          errors={fileErrors}
        />
        <button type="submit" className="primary">
          {t('profile.upload')}
        </button>
      </Form>
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
