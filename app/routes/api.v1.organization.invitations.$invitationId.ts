import { z } from 'zod'
import { revokeInvitation } from '../models/organization.server.ts'
import { api, apiJson, notFound, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const auth = await requireApiAuth(request, context)
    const id = z.uuid().safeParse(params.invitationId)
    if (!id.success) throw notFound()
    await revokeInvitation(context.db, { actor: auth.account, invitationId: id.data })
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
