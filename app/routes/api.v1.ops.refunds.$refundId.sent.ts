import { requireOperator } from '../models/actor.server.ts'
import { markBankRefundSent } from '../models/money-ops.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { opsRefundBody } from '../utils/payout-api.server.ts'

const handler = api({
  /** Records the refund sent by bank transfer with its reference; once. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators record refunds')
    const refundId = uuidParam(params, 'refundId')
    const body = await parseJson(request, schemas.OpsRefundSentRequest)
    const refund = await context.db.transaction().execute((tx) =>
      markBankRefundSent(tx, account, refundId, body.bank_reference, {
        publicUrl: context.settings.publicUrl,
      }),
    )
    return apiJson(opsRefundBody(refund))
  },
})

export const loader = handler
export const action = handler
