import { revokeAccessToken } from '../models/access-token.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const auth = await requireApiAuth(request, context)
    const id = uuidParam(params, 'tokenId')
    await revokeAccessToken(context.db, { userId: auth.account.user.id, tokenId: id })
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
