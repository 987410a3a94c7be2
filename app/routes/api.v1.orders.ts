import { listOrders } from '../models/order.server.ts'
import { orderStatuses } from '../models/order-lifecycle.ts'
import { ApiError, api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { orderListItemBody } from '../utils/order-api.server.ts'

const roles = ['buyer', 'workshop'] as const

/** A query parameter that must be one of `values` when present (else the API's 400). */
function oneOf<T extends string>(url: URL, name: string, values: readonly T[]): T | undefined {
  const value = url.searchParams.get(name)
  if (value === null) return undefined
  if (!(values as readonly string[]).includes(value)) {
    throw new ApiError(400, 'invalid_input', `${name} is one of ${values.join(', ')}`, {
      param: name,
    })
  }
  return value as T
}

const handler = api({
  /** The caller's orders, as buyer or workshop (operators: all), newest first; `role` and `status` filter. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    const url = new URL(request.url)
    const role = oneOf(url, 'role', roles)
    const status = oneOf(url, 'status', orderStatuses)
    const orders = await listOrders(context.db, account, { role, status })
    return apiJson({ orders: orders.map((o) => orderListItemBody(o, account)) })
  },
})

export const loader = handler
export const action = handler
