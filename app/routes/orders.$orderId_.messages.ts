import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireAccount } from '../utils/auth.server.ts'
import { postMessageForm } from '../utils/message-form.server.ts'

// Writes a message on an order from the order page's form (with JavaScript or without): back
// to the thread on the order page, with `?messageError=<code>` when it was refused.

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.orderId)
  if (!id.success) throw new Response('Not found', { status: 404 })
  const ref = { kind: 'order', orderId: id.data } as const
  const code = await postMessageForm(context, account, ref, await request.formData())
  const here = `/orders/${id.data}`
  return redirect(code ? `${here}?messageError=${code}#messages` : `${here}#messages`, 303)
}

export function loader({ params }: { params: { orderId?: string } }) {
  // The thread lives on the order page.
  return redirect(`/orders/${params.orderId ?? ''}#messages`)
}
