import { requireOperator } from '../models/actor.server.ts'
import { listPayouts } from '../models/money-ops.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { opsPayoutBody, queryOneOf } from '../utils/payout-api.server.ts'

const handler = api({
  /** Payouts by `status` (pending unless told), oldest first. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the payouts')
    const status = queryOneOf(new URL(request.url), 'status', ['pending', 'paid', 'failed'])
    const payouts = await listPayouts(context.db, status)
    return apiJson({ payouts: payouts.map(opsPayoutBody) })
  },
})

export const loader = handler
export const action = handler
