import { requireWorkshop } from '../models/actor.server.ts'
import { StripeUnavailableError } from '../models/card-payment.server.ts'
import { connectOnboardingLink, connectedAccountOf } from '../models/connect.server.ts'
import { translate } from '../locales/index.ts'
import { ApiError, api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'

const handler = api({
  /** The workshop's connected account as Stripe last reported it. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireWorkshop(account, 'Workshops receive payouts')
    return apiJson({
      stripe_configured: context.stripe !== null,
      account: await connectedAccountOf(context.db, account.organization.id),
    })
  },
  /** An onboarding link for the workshop's payout account (created the first time). */
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    try {
      return apiJson(
        await connectOnboardingLink(context.db, context.stripe, account, {
          publicUrl: context.settings.publicUrl,
        }),
      )
    } catch (error) {
      if (error instanceof StripeUnavailableError) {
        context.logger.warn({ err: error }, 'stripe connect onboarding failed')
        const locale = requestLocale(request, account.user.locale)
        throw new ApiError(
          502,
          error.code,
          translate(locale, 'payments.connect.error.stripe_unavailable'),
        )
      }
      throw error
    }
  },
})

export const loader = handler
export const action = handler
