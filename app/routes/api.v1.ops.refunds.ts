import { requireOperator } from '../models/actor.server.ts'
import { listRefunds } from '../models/money-ops.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { opsRefundBody, queryOneOf } from '../utils/payout-api.server.ts'

const handler = api({
  /** Refunds by `status` (pending unless told), oldest first. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the refunds')
    const status = queryOneOf(new URL(request.url), 'status', ['pending', 'succeeded', 'failed'])
    const refunds = await listRefunds(context.db, status)
    return apiJson({ refunds: refunds.map(opsRefundBody) })
  },
})

export const loader = handler
export const action = handler
