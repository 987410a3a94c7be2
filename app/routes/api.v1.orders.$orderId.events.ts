import { requireOrderForViewer } from '../models/order.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { orderEventBody } from '../utils/order-api.server.ts'

const handler = api({
  /** The order's audit log, oldest first: who moved it from what to what, and how. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const { events } = await requireOrderForViewer(
      context.db,
      uuidParam(params, 'orderId'),
      account,
    )
    return apiJson({ events: events.map(orderEventBody) })
  },
})

export const loader = handler
export const action = handler
