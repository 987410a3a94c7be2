import { requireOperator } from '../models/actor.server.ts'
import { createProgram, getProgram, listPrograms } from '../models/voucher-admin.server.ts'
import { programInputFromApi, type ProgramInput } from '../models/voucher.schema.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { programBody } from '../utils/voucher-api.server.ts'

const handler = api({
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators run voucher programmes')
    return apiJson({ programs: (await listPrograms(context.db)).map(programBody) })
  },
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators run voucher programmes')
    const body = await parseJson(request, schemas.VoucherProgramCreateRequest)
    // Every field is there: the create schema gives the lists their defaults.
    const input = programInputFromApi(body) as ProgramInput
    const id = await context.db.transaction().execute((tx) => createProgram(tx, account, input))
    return apiJson(programBody((await getProgram(context.db, id))!), { status: 201 })
  },
})

export const loader = handler
export const action = handler
