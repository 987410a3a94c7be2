import { listMembers } from '../models/organization.server.ts'
import { api, apiJson, iso, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async GET({ request, context }) {
    const auth = await requireApiAuth(request, context)
    const members = await listMembers(context.db, auth.account.organization.id)
    return apiJson({
      members: members.map((m) => ({
        id: m.id,
        email: m.email,
        name: m.name,
        role: m.role,
        joined_at: iso(m.created_at),
      })),
    })
  },
})

export const loader = handler
export const action = handler
