import { requireOperator } from '../models/actor.server.ts'
import { decideGrant, getGrant } from '../models/voucher-admin.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { grantBody } from '../utils/voucher-api.server.ts'

const handler = api({
  /** Approves or rejects an application; the firm's owners are emailed. */
  async PATCH({ request, context, params }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators decide voucher applications')
    const grantId = uuidParam(params, 'grantId')
    const body = await parseJson(request, schemas.VoucherGrantDecisionRequest)
    await context.db
      .transaction()
      .execute((tx) =>
        decideGrant(tx, account, grantId, body, { publicUrl: context.settings.publicUrl }),
      )
    return apiJson(grantBody((await getGrant(context.db, grantId))!))
  },
})

export const loader = handler
export const action = handler
