import { ForbiddenError } from '../models/errors.ts'
import { updateWorkshopProfile } from '../models/workshop.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { ownProfileBody, profileInputFromApi } from '../utils/workshop-api.server.ts'

const handler = api({
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    return apiJson(await ownProfileBody(context, account))
  },
  /** The whole profile, as the form sends it. */
  async PUT({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'workshop') {
      throw new ForbiddenError('Only workshops have this profile')
    }
    const body = await parseJson(request, schemas.WorkshopProfileRequest)
    await context.db
      .transaction()
      .execute((tx) => updateWorkshopProfile(tx, account, profileInputFromApi(body)))
    return apiJson(await ownProfileBody(context, account))
  },
})

export const loader = handler
export const action = handler
