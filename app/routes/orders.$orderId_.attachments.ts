import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { DomainError, isNotFoundError, retryAfterSeconds } from '../models/errors.ts'
import { addOrderAttachment, requireOrderParty } from '../models/order-attachment.server.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { attachmentBody } from '../utils/order-api.server.ts'
import { parseUploadForm, recordUpload } from '../utils/upload.server.ts'

// Attaches a photo or PDF to an order from the order page's upload form. Without JavaScript
// the form posts here and is redirected back to the page's attachments, with the refusal's
// code if any; a script asking for JSON (Accept: application/json) gets the file or the
// refusal as JSON.

const notFound = () => new Response('Not found', { status: 404 })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.orderId)
  if (!id.success) throw notFound()
  try {
    await requireOrderParty(context.db, id.data, account)
  } catch (error) {
    if (isNotFoundError(error)) throw notFound()
    throw error
  }
  const json = (request.headers.get('accept') ?? '').includes('application/json')

  const parsed = await parseUploadForm(request, context, {
    organizationId: account.organization.id,
    userId: account.user.id,
  })
  let refusal: DomainError | undefined = parsed.error
  let file: Awaited<ReturnType<typeof addOrderAttachment>> | undefined
  const upload = parsed.upload
  if (!refusal && upload) {
    try {
      file = await recordUpload(context, upload, (tx) =>
        addOrderAttachment(tx, account, id.data, upload),
      )
    } catch (error) {
      if (isNotFoundError(error)) throw notFound()
      if (!(error instanceof DomainError)) throw error
      refusal = error
    }
  }
  if (json) {
    if (file) return Response.json({ ok: true, attachment: attachmentBody(file) }, { status: 201 })
    const locale = requestLocale(request, account.user.locale)
    const wait = refusal ? retryAfterSeconds(refusal) : undefined
    return Response.json(
      {
        ok: false,
        code: refusal?.code ?? 'file_empty',
        message: refusal ? domainErrorMessage(locale, refusal) : undefined,
      },
      wait === undefined
        ? { status: 422 }
        : { status: 429, headers: { 'Retry-After': String(wait) } },
    )
  }
  const here = `/orders/${id.data}`
  return redirect(
    file
      ? `${here}?attached=1#attachments`
      : `${here}?attachError=${refusal?.code ?? 'file_empty'}#attachments`,
    303,
  )
}

export function loader({ params }: { params: { orderId?: string } }) {
  // The form lives on the order page.
  return redirect(`/orders/${params.orderId ?? ''}`)
}
