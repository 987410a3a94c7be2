import { requireOrderForViewer } from '../models/order.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { orderDetailBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** One order of the caller's (or any, for operators) with its events, parts and price. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const viewed = await requireOrderForViewer(context.db, uuidParam(params, 'orderId'), account)
    return apiJson({
      order: orderDetailBody(viewed, requestLocale(request, account.user.locale)),
    })
  },
})

export const loader = handler
export const action = handler
