import { ForbiddenError } from '../models/errors.ts'
import { getWorkshopProfile, reviewVerification } from '../models/workshop.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { schemas } from '../utils/api-contract.ts'
import {
  api,
  apiJson,
  notFound,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'
import { profileBody } from '../utils/workshop-api.server.ts'

function requireOperator(account: AccountView) {
  if (account.organization.kind !== 'platform') throw new ForbiddenError('Operators only')
}

function idFrom(params: Record<string, string | undefined>) {
  const id = uuidParam(params, 'organizationId')
  return id
}

const handler = api({
  /** The profile and documents an operator reviews. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account)
    const profile = await getWorkshopProfile(context.db, idFrom(params))
    if (!profile) throw notFound()
    return apiJson(profileBody(profile))
  },
  /** Approve or reject a pending workshop; refused (409) once it is no longer pending. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account)
    const organizationId = idFrom(params)
    const body = await parseJson(request, schemas.VerificationDecisionRequest)
    await context.db.transaction().execute((tx) =>
      reviewVerification(tx, account, {
        organizationId,
        decision: body.decision,
        reason: body.reason || undefined,
        publicUrl: context.settings.publicUrl,
      }),
    )
    return apiJson(profileBody((await getWorkshopProfile(context.db, organizationId))!))
  },
})

export const loader = handler
export const action = handler
