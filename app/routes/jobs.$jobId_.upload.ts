import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import {
  DomainError,
  RuleViolationError,
  isNotFoundError,
  retryAfterSeconds,
} from '../models/errors.ts'
import { addPart } from '../models/job.server.ts'
import { PartQuantitySchema } from '../models/job.schema.ts'
import { recordCadFile } from '../models/cad-file.server.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { discardUpload, parseCadUploadForm, recordUpload } from '../utils/upload.server.ts'
import { domainErrorMessage } from '../utils/api.server.ts'

// Adds one CAD part to a draft job from the job page's upload form. With JavaScript the
// page posts here with XMLHttpRequest (for the progress bar) and gets JSON back; without,
// the form posts here and is redirected to the job page, with the refusal's code if any.

const notFound = () => new Response('Not found', { status: 404 })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.jobId)
  if (!id.success) throw notFound()
  const here = `/jobs/${id.data}`
  const xhr = request.headers.get('x-requested-with') === 'XMLHttpRequest'

  const parsed = await parseCadUploadForm(request, context, {
    organizationId: account.organization.id,
    userId: account.user.id,
  })
  const quantity = PartQuantitySchema.safeParse(parsed.formData.get('quantity') ?? '1')
  let refusal: DomainError | undefined = parsed.error
  if (!refusal && !quantity.success) {
    refusal = new RuleViolationError('quantity', 'Quantity is at least 1', { field: 'quantity' })
    await discardUpload(context, parsed.upload)
  } else if (!refusal && quantity.success && parsed.upload) {
    const upload = parsed.upload
    try {
      await recordUpload(context, upload, async (tx) => {
        const file = await recordCadFile(tx, account, upload)
        await addPart(tx, account, id.data, { fileId: file.id, quantity: quantity.data })
      })
    } catch (error) {
      if (isNotFoundError(error)) throw notFound()
      if (!(error instanceof DomainError)) throw error
      refusal = error
    }
  }
  const code = refusal?.code
  if (xhr) {
    const message = refusal
      ? domainErrorMessage(requestLocale(request, account.user.locale), refusal)
      : undefined
    // Too many uploads: 429 and when to try again; any other refusal: 422.
    const wait = refusal ? retryAfterSeconds(refusal) : undefined
    return Response.json(
      { ok: !code, message },
      wait === undefined
        ? { status: code ? 422 : 201 }
        : { status: 429, headers: { 'Retry-After': String(wait) } },
    )
  }
  return redirect(code ? `${here}?uploadError=${code}#parts` : `${here}?uploaded=1#parts`, 303)
}

export function loader({ params }: { params: { jobId?: string } }) {
  // The form lives on the job page.
  return redirect(`/jobs/${params.jobId ?? ''}`)
}
