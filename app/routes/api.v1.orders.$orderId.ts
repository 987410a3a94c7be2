import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { orderViewBody } from '../utils/order-api.server.ts'

const handler = api({
  /** One order of the caller's (or any, for operators): events, parts, price and lifecycle. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const order = await orderViewBody(
      context.db,
      uuidParam(params, 'orderId'),
      account,
      requestLocale(request, account.user.locale),
    )
    return apiJson({ order })
  },
})

export const loader = handler
export const action = handler
