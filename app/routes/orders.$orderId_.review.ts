import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { DomainError, isNotFoundError } from '../models/errors.ts'
import {
  BuyerReviewFormSchema,
  MAX_REVIEW_COMMENT,
  WorkshopReviewFormSchema,
} from '../models/review.schema.ts'
import { submitReview } from '../models/review.server.ts'
import { requireAccount } from '../utils/auth.server.ts'

// The review form of a completed order's page (components/order-review.tsx). It always
// redirects back to the order: on success with `reviewed=1`; when refused with the error's
// code, the fields it concerns and what was typed, so the page shows the error beside the
// field and keeps the values without JavaScript.

const notFound = () => new Response('Not found', { status: 404 })

/** Keep a typed comment in the redirect only while the URL stays short (CJK is 9 bytes). */
const KEPT_COMMENT = 500

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.orderId)
  if (!id.success) throw notFound()
  const here = `/orders/${id.data}`
  const form = Object.fromEntries(await request.formData())
  const schema =
    account.organization.kind === 'workshop' ? WorkshopReviewFormSchema : BuyerReviewFormSchema

  const refused = (code: string, fields: string[]) => {
    const query = new URLSearchParams({ reviewError: code })
    for (const field of fields) query.append('reviewField', field)
    // The typed values matter only when the form is shown again to fix a field.
    for (const name of fields.length ? Object.keys(schema.shape) : []) {
      const value = form[name]
      if (typeof value !== 'string' || !value) continue
      if (name === 'comment' && value.length > Math.min(KEPT_COMMENT, MAX_REVIEW_COMMENT)) continue
      query.set(name, value)
    }
    return redirect(`${here}?${query}#review`, 303)
  }

  const parsed = schema.safeParse(form)
  if (!parsed.success) {
    // One code per redirect: the first issue's, with every field that has it.
    const message = parsed.error.issues[0]!.message
    const fields = parsed.error.issues
      .filter((i) => i.message === message)
      .map((i) => String(i.path[0]))
    return refused(message.replace(/^error\./, ''), [...new Set(fields)])
  }
  try {
    await context.db.transaction().execute((tx) => submitReview(tx, account, id.data, parsed.data))
  } catch (error) {
    if (isNotFoundError(error)) throw notFound()
    if (!(error instanceof DomainError)) throw error
    return refused(error.code, error.field ? [error.field] : [])
  }
  return redirect(`${here}?reviewed=1#review`, 303)
}

export function loader({ params }: { params: { orderId?: string } }) {
  // The form lives on the order page.
  return redirect(`/orders/${params.orderId ?? ''}#review`)
}
