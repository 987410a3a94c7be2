import { requireOperator } from '../models/actor.server.ts'
import { getGrant, grantDirectly } from '../models/voucher-admin.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { grantBody } from '../utils/voucher-api.server.ts'

const handler = api({
  /** Grants a design firm directly for this year; its owners are emailed. */
  async POST({ request, context, params }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators grant service vouchers')
    const programId = uuidParam(params, 'programId')
    const body = await parseJson(request, schemas.VoucherGrantCreateRequest)
    const grantId = await context.db
      .transaction()
      .execute((tx) =>
        grantDirectly(
          tx,
          account,
          programId,
          { organizationId: body.organization_id, note: body.note },
          { publicUrl: context.settings.publicUrl },
        ),
      )
    return apiJson(grantBody((await getGrant(context.db, grantId))!), { status: 201 })
  },
})

export const loader = handler
export const action = handler
