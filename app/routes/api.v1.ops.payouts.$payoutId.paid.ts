import { requireOperator } from '../models/actor.server.ts'
import { markBankPayoutPaid } from '../models/money-ops.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { opsPayoutBody } from '../utils/payout-api.server.ts'

const handler = api({
  /** Records the payout paid by bank transfer with its reference; once. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators record payouts')
    const payoutId = uuidParam(params, 'payoutId')
    const body = await parseJson(request, schemas.OpsPayoutPaidRequest)
    const payout = await context.db.transaction().execute((tx) =>
      markBankPayoutPaid(tx, account, payoutId, body.bank_reference, {
        publicUrl: context.settings.publicUrl,
      }),
    )
    return apiJson(opsPayoutBody(payout))
  },
})

export const loader = handler
export const action = handler
