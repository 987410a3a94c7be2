import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { JobFormSchema, jobInputFromForm } from '../models/job.schema.ts'
import { createJob } from '../models/job.server.ts'
import { listMaterials } from '../models/material.server.ts'
import { addDays, shanghaiToday } from '../models/capacity.server.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { JobForm } from '../components/job-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  return {
    materials: await listMaterials(context.db),
    defaultTown: account.organization.town ?? 'shiqi',
    defaultDeadline: addDays(shanghaiToday(), 21),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['design_firm'])
  const submission = parseWithZod(await request.formData(), { schema: JobFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    const id = await context.db
      .transaction()
      .execute((tx) => createJob(tx, account, jobInputFromForm(submission.value)))
    return redirect(`/jobs/${id}?created=1#parts`)
  } catch (error) {
    const locale = requestLocale(request, account.user.locale)
    const { result, status } = replyWithError(submission, error, locale)
    return data({ result }, { status })
  }
}

export default function NewJobPage() {
  const t = useT()
  const { materials, defaultTown, defaultDeadline } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/jobs">← {t('jobs.back')}</Link>
      </p>
      <h1>{t('jobs.new')}</h1>
      <p className="muted">{t('jobs.newLead')}</p>
      <section className="card">
        <JobForm
          materials={materials}
          lastResult={actionData?.result}
          submitLabel={t('jobs.saveDraft')}
          defaultTown={defaultTown}
          defaultDeadline={defaultDeadline}
        />
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
