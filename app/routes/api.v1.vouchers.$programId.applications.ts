import { applyForGrant, getGrant } from '../models/voucher-admin.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { grantBody } from '../utils/voucher-api.server.ts'

const handler = api({
  /** A design firm's owner applies for this Shanghai year. */
  async POST({ request, context, params }) {
    const { account } = await requireApiAuth(request, context)
    const programId = uuidParam(params, 'programId')
    const body = await parseJson(request, schemas.VoucherApplicationRequest)
    const grantId = await context.db
      .transaction()
      .execute((tx) => applyForGrant(tx, account, programId, { note: body.note }))
    return apiJson(grantBody((await getGrant(context.db, grantId))!), { status: 201 })
  },
})

export const loader = handler
export const action = handler
