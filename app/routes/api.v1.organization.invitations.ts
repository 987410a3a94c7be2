import { inviteMember, listPendingInvitations } from '../models/organization.server.ts'
import { ForbiddenError } from '../models/errors.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, iso, parseJson, requireApiAuth } from '../utils/api.server.ts'

function invitationBody(i: {
  id: string
  email: string
  role: string
  created_at: Date
  expires_at: Date
}) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    created_at: iso(i.created_at),
    expires_at: iso(i.expires_at),
  }
}

const handler = api({
  async GET({ request, context }) {
    const auth = await requireApiAuth(request, context)
    if (auth.account.role !== 'owner') throw new ForbiddenError('Only owners can see invitations')
    const invitations = await listPendingInvitations(context.db, auth.account.organization.id)
    return apiJson({ invitations: invitations.map(invitationBody) })
  },
  async POST({ request, context }) {
    const auth = await requireApiAuth(request, context)
    const input = await parseJson(request, schemas.InvitationRequest)
    const invitation = await context.db.transaction().execute((tx) =>
      inviteMember(tx, {
        actor: auth.account,
        email: input.email,
        role: input.role,
        publicUrl: context.settings.publicUrl,
        locale: auth.account.user.locale,
      }),
    )
    return apiJson(invitationBody(invitation), { status: 201 })
  },
})

export const loader = handler
export const action = handler
