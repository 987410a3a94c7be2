import { requireOperator } from '../models/actor.server.ts'
import { getDirectoryOrganization, suspendOrganization } from '../models/suspension.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { opsOrganizationBody } from '../utils/ops-api.server.ts'

const handler = api({
  /** Suspends the organisation: sessions end, login refused, machines leave search. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators suspend organisations')
    const organizationId = uuidParam(params, 'organizationId')
    const body = await parseJson(request, schemas.OpsSuspendRequest)
    const { organization, sessionsEnded } = await context.db.transaction().execute(async (tx) => {
      const { sessionsEnded } = await suspendOrganization(tx, account, {
        organizationId,
        reason: body.reason,
      })
      return { organization: (await getDirectoryOrganization(tx, organizationId))!, sessionsEnded }
    })
    return apiJson({
      organization: opsOrganizationBody(organization),
      sessions_ended: sessionsEnded,
    })
  },
})

export const loader = handler
export const action = handler
