import { requireOperator } from '../models/actor.server.ts'
import { getProgram, listGrants, updateProgram } from '../models/voucher-admin.server.ts'
import { programInputFromApi } from '../models/voucher.schema.ts'
import { schemas } from '../utils/api-contract.ts'
import {
  ApiError,
  api,
  apiJson,
  notFound,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'
import { grantBody, programBody } from '../utils/voucher-api.server.ts'

const handler = api({
  async GET({ request, context, params }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators run voucher programmes')
    const programId = uuidParam(params, 'programId')
    const program = await getProgram(context.db, programId)
    if (!program) throw notFound()
    const grants = await listGrants(context.db, programId)
    return apiJson({ program: programBody(program), grants: grants.map(grantBody) })
  },
  /** Each key sent replaces that field; the programme is checked whole (400 with the field). */
  async PATCH({ request, context, params }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators run voucher programmes')
    const programId = uuidParam(params, 'programId')
    const patch = programInputFromApi(await parseJson(request, schemas.VoucherProgramPatchRequest))
    const current = await getProgram(context.db, programId)
    if (!current) throw notFound()
    // One date sent: in order with the stored other one, named as the API names it (the model
    // checks again under its lock).
    const from = patch.validFrom ?? current.valid_from
    const until = patch.validUntil ?? current.valid_until
    if (until < from) {
      throw new ApiError(400, 'invalid_input', 'The request body is not valid', {
        issues: [
          {
            path: patch.validUntil ? 'valid_until' : 'valid_from',
            message: 'valid_until is before valid_from',
          },
        ],
      })
    }
    await context.db.transaction().execute((tx) => updateProgram(tx, account, programId, patch))
    return apiJson(programBody((await getProgram(context.db, programId))!))
  },
})

export const loader = handler
export const action = handler
