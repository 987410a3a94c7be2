import { requireOperator } from '../models/actor.server.ts'
import { getDirectoryOrganization, reactivateOrganization } from '../models/suspension.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { opsOrganizationBody } from '../utils/ops-api.server.ts'

const handler = api({
  /** Lifts the suspension: members may log in again, machines return to search. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators reactivate organisations')
    const organizationId = uuidParam(params, 'organizationId')
    const organization = await context.db.transaction().execute(async (tx) => {
      await reactivateOrganization(tx, account, { organizationId })
      return (await getDirectoryOrganization(tx, organizationId))!
    })
    return apiJson(opsOrganizationBody(organization))
  },
})

export const loader = handler
export const action = handler
