import { requestVerification } from '../models/workshop.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { ownProfileBody } from '../utils/workshop-api.server.ts'

const handler = api({
  /** Puts the workshop in the operators' queue; the profile comes back as `pending`. */
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    await context.db.transaction().execute((tx) => requestVerification(tx, account))
    return apiJson(await ownProfileBody(context, account))
  },
})

export const loader = handler
export const action = handler
