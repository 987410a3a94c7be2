import { removeMember } from '../models/organization.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const auth = await requireApiAuth(request, context)
    const id = uuidParam(params, 'userId')
    await context.db
      .transaction()
      .execute((tx) => removeMember(tx, { actor: auth.account, userId: id }))
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
