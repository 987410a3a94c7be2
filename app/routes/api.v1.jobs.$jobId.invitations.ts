import { jobAccess, inviteWorkshop, listInvitations } from '../models/job.server.ts'
import type { AccountView } from '../models/user.server.ts'
import type { AppContext } from '../context.ts'
import { schemas } from '../utils/api-contract.ts'
import {
  api,
  apiJson,
  iso,
  notFound,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'

async function invitationsBody(context: AppContext, account: AccountView, jobId: string) {
  const viewed = await jobAccess(context.db, jobId, account)
  if (!viewed || viewed.role === 'workshop') throw notFound()
  const rows = await listInvitations(context.db, jobId)
  return {
    invitations: rows.map((r) => ({
      workshop_id: r.id,
      name: r.name,
      town: r.town,
      invited_at: iso(r.created_at),
      nda_accepted_at: iso(r.nda_accepted_at),
    })),
  }
}

const handler = api({
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    return apiJson(await invitationsBody(context, account, uuidParam(params, 'jobId')))
  },
  /** Invites a workshop; inviting it again changes nothing. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'jobId')
    const body = await parseJson(request, schemas.JobInvitationRequest)
    await context.db
      .transaction()
      .execute((tx) =>
        inviteWorkshop(tx, account, id, body.workshop_id, context.settings.publicUrl),
      )
    return apiJson(await invitationsBody(context, account, id))
  },
})

export const loader = handler
export const action = handler
