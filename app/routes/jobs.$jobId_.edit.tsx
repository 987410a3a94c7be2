import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { JobFormSchema, jobInputFromForm } from '../models/job.schema.ts'
import { jobAccess, updateJob } from '../models/job.server.ts'
import { listMaterials } from '../models/material.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { JobForm } from '../components/job-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

const notFound = () => new Response('Not found', { status: 404 })

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  const id = z.uuid().safeParse(params.jobId)
  if (!id.success) throw notFound()
  const viewed = await jobAccess(context.db, id.data, account)
  if (!viewed || viewed.role !== 'owner') throw notFound()
  // Only a draft is edited; an open job's page says so.
  if (viewed.job.status !== 'draft') throw redirect(`/jobs/${id.data}?locked=1`)
  return { job: viewed.job, materials: await listMaterials(context.db) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  const id = z.uuid().safeParse(params.jobId)
  if (!id.success) throw notFound()
  const submission = parseWithZod(await request.formData(), { schema: JobFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    await context.db
      .transaction()
      .execute((tx) => updateJob(tx, account, id.data, jobInputFromForm(submission.value)))
    return redirect(`/jobs/${id.data}?saved=1`)
  } catch (error) {
    if (error instanceof NotFoundError) throw notFound()
    const locale = requestLocale(request, account.user.locale)
    const { result, status } = replyWithError(submission, error, locale)
    return data({ result }, { status })
  }
}

export default function EditJobPage() {
  const t = useT()
  const { job, materials } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to={`/jobs/${job.id}`}>← {job.title}</Link>
      </p>
      <h1>{t('jobs.edit')}</h1>
      <section className="card">
        <JobForm
          job={job}
          materials={materials}
          lastResult={actionData?.result}
          submitLabel={t('jobs.save')}
          defaultTown={job.delivery_town}
          defaultDeadline={job.deadline}
        />
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
