import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { StripeUnavailableError, startCardPayment } from '../models/card-payment.server.ts'
import { DomainError, isNotFoundError } from '../models/errors.ts'
import { requireAccount } from '../utils/auth.server.ts'

// The order page's "pay by card" form (components/card-payment.tsx), CSRF-checked by the
// server's gate like every form: 303 to Stripe Checkout, or back to the order with
// `?payment_error=<code>` for the page to explain (paymentNotice).

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = z.uuid().safeParse(params.orderId)
  if (!id.success) throw new Response('Not found', { status: 404 })
  const back = (code: string) => redirect(`/orders/${id.data}?payment_error=${code}`, 303)
  try {
    const { checkoutUrl } = await startCardPayment(context.db, context.stripe, account, id.data, {
      publicUrl: context.settings.publicUrl,
    })
    return redirect(checkoutUrl, 303)
  } catch (error) {
    if (isNotFoundError(error)) throw new Response('Not found', { status: 404 })
    if (error instanceof StripeUnavailableError) {
      context.logger.warn({ err: error, orderId: id.data }, 'stripe checkout failed')
      return back(error.code)
    }
    if (error instanceof DomainError) return back(error.code)
    throw error
  }
}

export function loader({ params }: { params: { orderId?: string } }) {
  // The form lives on the order page.
  return redirect(`/orders/${params.orderId ?? ''}`)
}
