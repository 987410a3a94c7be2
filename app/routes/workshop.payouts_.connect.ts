import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { StripeUnavailableError } from '../models/card-payment.server.ts'
import { connectOnboardingLink } from '../models/connect.server.ts'
import { DomainError } from '../models/errors.ts'
import { requireKind } from '../utils/auth.server.ts'

// The payouts page's "set up Stripe payouts" form (components/connect-account.tsx): 303 to
// Stripe's onboarding, or back to the page with `?connect_error=<code>`.

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  try {
    const { url } = await connectOnboardingLink(context.db, context.stripe, account, {
      publicUrl: context.settings.publicUrl,
    })
    return redirect(url, 303)
  } catch (error) {
    if (error instanceof StripeUnavailableError) {
      context.logger.warn({ err: error }, 'stripe connect onboarding failed')
      return redirect(`/workshop/payouts?connect_error=${error.code}`, 303)
    }
    if (error instanceof DomainError) {
      return redirect(`/workshop/payouts?connect_error=${error.code}`, 303)
    }
    throw error
  }
}

export function loader() {
  // The form lives on the payouts page.
  return redirect('/workshop/payouts')
}
