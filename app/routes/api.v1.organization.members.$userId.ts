import { z } from 'zod'
import { removeMember } from '../models/organization.server.ts'
import { api, apiJson, notFound, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const auth = await requireApiAuth(request, context)
    const id = z.uuid().safeParse(params.userId)
    if (!id.success) throw notFound()
    await context.db
      .transaction()
      .execute((tx) => removeMember(tx, { actor: auth.account, userId: id.data }))
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
