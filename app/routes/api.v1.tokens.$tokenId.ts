import { z } from 'zod'
import { revokeAccessToken } from '../models/access-token.server.ts'
import { api, apiJson, notFound, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const auth = await requireApiAuth(request, context)
    const id = z.uuid().safeParse(params.tokenId)
    if (!id.success) throw notFound()
    await revokeAccessToken(context.db, { userId: auth.account.user.id, tokenId: id.data })
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
