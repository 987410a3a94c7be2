import { listOrders } from '../models/order.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { orderSummaryBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** The caller's orders, as buyer or workshop (operators: all), newest first. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    const orders = await listOrders(context.db, account)
    return apiJson({ orders: orders.map(orderSummaryBody) })
  },
})

export const loader = handler
export const action = handler
