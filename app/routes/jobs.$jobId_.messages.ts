import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireAccount } from '../utils/auth.server.ts'
import { postMessageForm } from '../utils/message-form.server.ts'

// Writes a question or an answer on a job from the job page's form: a workshop writes in its
// own thread, the design firm in the thread of the workshop named by `workshopId`. Back to the
// thread on the job page, with `?messageError=<code>` when it was refused.

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.jobId)
  if (!id.success) throw new Response('Not found', { status: 404 })
  const formData = await request.formData()
  const named = z.uuid().safeParse(formData.get('workshopId'))
  const workshopId = account.organization.kind === 'workshop' ? account.organization.id : named.data
  if (!workshopId) throw new Response('Not found', { status: 404 })
  const code = await postMessageForm(
    context,
    account,
    { kind: 'job', jobId: id.data, workshopId },
    formData,
  )
  const query = new URLSearchParams({ thread: workshopId })
  if (code) query.set('messageError', code)
  return redirect(`/jobs/${id.data}?${query}#questions`, 303)
}

export function loader({ params }: { params: { jobId?: string } }) {
  // The questions live on the job page.
  return redirect(`/jobs/${params.jobId ?? ''}#questions`)
}
