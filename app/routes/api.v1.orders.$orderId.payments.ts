import {
  StripeUnavailableError,
  bankTransferDetails,
  startCardPayment,
} from '../models/card-payment.server.ts'
import { translate } from '../locales/index.ts'
import { schemas } from '../utils/api-contract.ts'
import { requestLocale } from '../utils/locale.server.ts'
import {
  ApiError,
  api,
  apiJson,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'

const handler = api({
  /** Pays the order by card (a Stripe Checkout link) or tells where to send a bank transfer. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'orderId')
    const { method } = await parseJson(request, schemas.PaymentRequest)
    if (method === 'bank_transfer') {
      return apiJson({ method, ...(await bankTransferDetails(context.db, account, id)) })
    }
    try {
      const started = await startCardPayment(context.db, context.stripe, account, id, {
        publicUrl: context.settings.publicUrl,
      })
      return apiJson(
        { method, payment: started.payment, checkout_url: started.checkoutUrl },
        { status: 201 },
      )
    } catch (error) {
      if (error instanceof StripeUnavailableError) {
        context.logger.warn({ err: error, orderId: id }, 'stripe checkout failed')
        const locale = requestLocale(request, account.user.locale)
        throw new ApiError(502, error.code, translate(locale, 'payments.error.stripe_unavailable'))
      }
      throw error
    }
  },
})

export const loader = handler
export const action = handler
