import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import type { AccountView } from '../models/user.server.ts'
import {
  CapacityWindowSchema,
  ResourceFormSchema,
  resourceInputFromForm,
} from '../models/resource.schema.ts'
import {
  addCapacityWindow,
  deleteResource,
  getResource,
  listResourcePhotos,
  removeCapacityWindow,
  resourceCalendar,
  updateResource,
} from '../models/resource.server.ts'
import { listMaterials } from '../models/material.server.ts'
import { deleteFile, recordFile } from '../models/file.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { isMultipart, parseUploadForm, recordUpload } from '../utils/upload.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { ResourceForm, formatBytes } from '../components/resource-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import type { MessageKey } from '../locales/index.ts'
import { useLocale, useRootData, useT } from '../utils/i18n.ts'

const IntentOnly = z.object({ intent: z.string() })
const WindowIdSchema = z.object({ windowId: z.uuid() })
const FileIdSchema = z.object({ fileId: z.uuid() })

const notFound = () => new Response('Not found', { status: 404 })

/** The actor's own resource, or 404 (another workshop's resource does not exist for them). */
async function requireOwnResource(context: AppContext, account: AccountView, resourceId: string) {
  if (!z.uuid().safeParse(resourceId).success) throw notFound()
  const resource = await getResource(context.db, resourceId, account.organization.id)
  if (!resource || resource.organization_id !== account.organization.id) throw notFound()
  return resource
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const resource = await requireOwnResource(context, account, params.resourceId ?? '')
  const [materials, calendar, photos] = await Promise.all([
    listMaterials(context.db),
    resourceCalendar(context.db, account, resource.id),
    listResourcePhotos(context.db, resource.id),
  ])
  return {
    resource,
    materials,
    calendar,
    photos,
    maxUploadMb: Math.floor(context.settings.maxUploadBytes / 1024 / 1024),
  }
}

function rethrowNotFound(error: unknown): never {
  if (error instanceof NotFoundError) throw notFound()
  throw error
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const locale = requestLocale(request, account.user.locale)
  const { id } = await requireOwnResource(context, account, params.resourceId ?? '')
  const here = `/workshop/resources/${id}`

  if (isMultipart(request)) {
    const parsed = await parseUploadForm(request, context, {
      organizationId: account.organization.id,
      userId: account.user.id,
      imagesOnly: true,
    })
    const submission = parseWithZod(parsed.formData, { schema: IntentOnly })
    if (parsed.error || !parsed.upload) {
      const { result, status } = replyWithError(submission, parsed.error, locale)
      return data({ intent: 'upload', result }, { status })
    }
    const upload = parsed.upload
    await recordUpload(context, upload, (tx) =>
      recordFile(tx, account, upload, { purpose: 'resource_photo', resourceId: id }),
    ).catch(rethrowNotFound)
    return redirect(`${here}?uploaded=1#photos`)
  }

  const formData = await request.formData()
  const intent = formData.get('intent')
  switch (intent) {
    case 'save': {
      const submission = parseWithZod(formData, { schema: ResourceFormSchema })
      if (submission.status !== 'success') {
        return data({ intent, result: submission.reply() }, { status: 400 })
      }
      try {
        await context.db
          .transaction()
          .execute((tx) => updateResource(tx, account, id, resourceInputFromForm(submission.value)))
      } catch (error) {
        if (error instanceof NotFoundError) throw notFound()
        const { result, status } = replyWithError(submission, error, locale)
        return data({ intent, result }, { status })
      }
      return redirect(`${here}?saved=1`)
    }
    case 'delete': {
      const submission = parseWithZod(formData, { schema: IntentOnly })
      let storageKeys: string[]
      try {
        storageKeys = await context.db
          .transaction()
          .execute((tx) => deleteResource(tx, account, id))
      } catch (error) {
        if (error instanceof NotFoundError) throw notFound()
        const { result, status } = replyWithError(submission, error, locale)
        return data({ intent, result }, { status })
      }
      await Promise.all(storageKeys.map((key) => context.storage.delete(key)))
      return redirect('/workshop/resources?deleted=1')
    }
    case 'add-window': {
      const submission = parseWithZod(formData, { schema: CapacityWindowSchema })
      if (submission.status !== 'success') {
        return data({ intent, result: submission.reply() }, { status: 400 })
      }
      try {
        await context.db
          .transaction()
          .execute((tx) => addCapacityWindow(tx, account, id, submission.value))
      } catch (error) {
        if (error instanceof NotFoundError) throw notFound()
        const { result, status } = replyWithError(submission, error, locale)
        return data({ intent, result }, { status })
      }
      return redirect(`${here}?capacity=1#capacity`)
    }
    case 'remove-window': {
      const parsed = WindowIdSchema.safeParse(Object.fromEntries(formData))
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      const submission = parseWithZod(formData, { schema: IntentOnly })
      try {
        await context.db
          .transaction()
          .execute((tx) => removeCapacityWindow(tx, account, id, parsed.data.windowId))
      } catch (error) {
        if (error instanceof Response || error instanceof NotFoundError) throw notFound()
        const { result, status } = replyWithError(submission, error, locale)
        return data({ intent, result }, { status })
      }
      return redirect(`${here}?capacity=1#capacity`)
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
        rethrowNotFound(error)
      }
      await context.storage.delete(storageKey)
      return redirect(`${here}?photoDeleted=1#photos`)
    }
    default:
      throw new Response('Unknown intent', { status: 400 })
  }
}

type ActionData = ReturnType<typeof useActionData<typeof action>>

// Errors of the submission just made, if it was this form's; a later one clears them.
function errorsOf(actionData: ActionData, intent: string, name = '') {
  return actionData?.intent === intent ? (actionData.result.error?.[name] ?? null) : null
}

function notice(params: URLSearchParams): MessageKey | undefined {
  if (params.get('saved')) return 'resources.saved'
  if (params.get('capacity')) return 'capacity.saved'
  if (params.get('uploaded')) return 'profile.uploaded'
  if (params.get('photoDeleted')) return 'profile.fileDeleted'
  return undefined
}

export default function EditResourcePage() {
  const t = useT()
  const { resource, materials } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  // A notice in the URL belongs to the last redirect, not to a failed submission since.
  const message = actionData ? undefined : notice(searchParams)
  const deleteErrors = errorsOf(actionData, 'delete')
  return (
    <>
      <p>
        <Link to="/workshop/resources">← {t('resources.back')}</Link>
      </p>
      <h1>
        {t('resources.edit')} · {resource.name}
      </h1>
      {message ? (
        <p className="notice" role="status">
          {t(message)}
        </p>
      ) : null}
      <section className="card">
        <ResourceForm
          id="resource"
          resource={resource}
          materials={materials}
          lastResult={actionData?.intent === 'save' ? actionData.result : undefined}
          submitLabel={t('resources.save')}
        />
      </section>
      <Capacity />
      <Photos />
      <section className="card" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t('resources.delete')}</h2>
        <p className="muted">{t('resources.deleteLead')}</p>
        <Form method="post">
          <CsrfInput />
          <ErrorList errors={deleteErrors} />
          <button type="submit" name="intent" value="delete" className="secondary danger">
            {t('resources.delete')}
          </button>
        </Form>
      </section>
    </>
  )
}

function Capacity() {
  const t = useT()
  const locale = useLocale()
  const { calendar } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'add-window',
    lastResult: actionData?.intent === 'add-window' ? actionData.result : undefined,
    constraint: getZodConstraint(CapacityWindowSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CapacityWindowSchema }),
  })
  const removeErrors = errorsOf(actionData, 'remove-window')
  const hours = (h: number) => t('resources.hours', { hours: h })
  const day = (d: string) =>
    new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${d}T00:00:00Z`),
    )
  return (
    <section className="card" aria-labelledby="capacity">
      <h2 id="capacity">{t('resources.capacity')}</h2>
      <p className="muted">{t('capacity.lead')}</p>
      <h3>{t('capacity.windows')}</h3>
      <ErrorList errors={removeErrors} />
      {calendar.windows.length === 0 ? (
        <p className="empty">{t('capacity.noWindows')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('capacity.from')}</th>
              <th scope="col">{t('capacity.to')}</th>
              <th scope="col">{t('capacity.hoursPerDay')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {calendar.windows.map((w) => (
              <tr key={w.id}>
                <td>{w.starts_on}</td>
                <td>{w.ends_on}</td>
                <td>{hours(w.hours_per_day)}</td>
                <td>
                  <Form method="post">
                    <CsrfInput />
                    <input type="hidden" name="windowId" value={w.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="remove-window"
                      className="secondary danger"
                      aria-label={`${t('capacity.remove')} ${w.starts_on} – ${w.ends_on}`}
                    >
                      {t('capacity.remove')}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('capacity.add')}</h3>
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value="add-window" />
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="grid" style={{ gap: '0 1.25rem', alignItems: 'end' }}>
          <Field
            label={t('capacity.from')}
            inputProps={getInputProps(fields.from, { type: 'date' })}
            errors={fields.from.errors}
          />
          <Field
            label={t('capacity.to')}
            inputProps={getInputProps(fields.to, { type: 'date' })}
            errors={fields.to.errors}
          />
          <Field
            label={t('capacity.hoursPerDay')}
            inputProps={{
              ...getInputProps(fields.hoursPerDay, { type: 'number' }),
              step: '0.5',
              inputMode: 'decimal',
            }}
            errors={fields.hoursPerDay.errors}
          />
        </div>
        <button type="submit" className="primary">
          {t('capacity.add')}
        </button>
      </Form>

      <h3>{t('capacity.calendar')}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('capacity.week')}</th>
            <th scope="col">{t('capacity.offered')}</th>
            <th scope="col">{t('capacity.booked')}</th>
            <th scope="col">{t('capacity.idle')}</th>
          </tr>
        </thead>
        <tbody>
          {calendar.weeks.map((week) => (
            <tr key={week.from}>
              <th scope="row" style={{ color: 'inherit', fontSize: 'inherit', fontWeight: 400 }}>
                <time dateTime={week.from}>{day(week.from)}</time> –{' '}
                <time dateTime={week.to}>{day(week.to)}</time>
              </th>
              <td>{hours(week.offered)}</td>
              <td>{hours(week.booked)}</td>
              <td>
                <strong>{hours(week.idle)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function Photos() {
  const t = useT()
  const locale = useLocale()
  const { csrfToken } = useRootData()
  const { photos, maxUploadMb } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card" aria-labelledby="photos">
      <h2 id="photos">{t('resources.photos')}</h2>
      {photos.length === 0 ? (
        <p className="empty">{t('resources.noPhotos')}</p>
      ) : (
        <ul
          style={{
            listStyle: 'none',
            padding: 0,
            display: 'grid',
            gap: '1rem',
            gridTemplateColumns: 'repeat(auto-fill, minmax(10rem, 1fr))',
          }}
        >
          {photos.map((photo) => (
            <li key={photo.id}>
              <a href={`/files/${photo.id}`} target="_blank" rel="noreferrer">
                <img
                  src={`/files/${photo.id}`}
                  alt={photo.original_name}
                  loading="lazy"
                  style={{
                    width: '100%',
                    aspectRatio: '4 / 3',
                    objectFit: 'cover',
                    borderRadius: 6,
                    border: '1px solid var(--line)',
                  }}
                />
              </a>
              <div className="muted" style={{ fontSize: '0.85rem', wordBreak: 'break-all' }}>
                {photo.original_name} · {formatBytes(photo.size_bytes, locale)}
              </div>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="fileId" value={photo.id} />
                <button
                  type="submit"
                  name="intent"
                  value="delete-file"
                  className="secondary danger"
                  aria-label={`${t('profile.deleteFile')} ${photo.original_name}`}
                >
                  {t('profile.deleteFile')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {/* The CSRF gate does not read multipart bodies: the token travels in the URL. */}
      <Form
        method="post"
        encType="multipart/form-data"
        action={`?csrf=${encodeURIComponent(csrfToken)}`}
      >
        <input type="hidden" name="intent" value="upload" />
        <ErrorList errors={errorsOf(actionData, 'upload')} />
        <Field
          label={t('profile.file')}
          hint={t('resources.photoHint', { mb: maxUploadMb })}
          inputProps={{
            id: 'photo-file',
            type: 'file',
            name: 'file',
            required: true,
            accept: 'image/png,image/jpeg,image/webp',
          }}
          errors={errorsOf(actionData, 'upload', 'file')}
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
