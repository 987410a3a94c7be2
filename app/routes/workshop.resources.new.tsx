import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ResourceFormSchema, resourceInputFromForm } from '../models/resource.schema.ts'
import { createResource } from '../models/resource.server.ts'
import { listMaterials } from '../models/material.server.ts'
import { requireKind } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { ResourceForm } from '../components/resource-form.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['workshop'])
  return { materials: await listMaterials(context.db) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const submission = parseWithZod(await request.formData(), { schema: ResourceFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  try {
    const id = await context.db
      .transaction()
      .execute((tx) => createResource(tx, account, resourceInputFromForm(submission.value)))
    return redirect(`/workshop/resources/${id}?saved=1`)
  } catch (error) {
    const { result, status } = replyWithError(
      submission,
      error,
      requestLocale(request, account.user.locale),
    )
    return data({ result }, { status })
  }
}

export default function NewResourcePage() {
  const t = useT()
  const { materials } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/workshop/resources">← {t('resources.back')}</Link>
      </p>
      <h1>{t('resources.add')}</h1>
      <section className="card">
        <ResourceForm
          id="resource"
          materials={materials}
          lastResult={actionData?.result}
          submitLabel={t('resources.save')}
        />
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
