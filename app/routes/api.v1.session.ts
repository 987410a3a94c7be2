import { verifyLogin } from '../models/user.server.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { accountBody, api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { endSession, startSession } from '../utils/auth.server.ts'

const handler = api({
  async POST({ request, context }) {
    const input = await parseJson(request, schemas.LoginRequest)
    // Every attempt from one IP counts; failures per account are counted by verifyLogin.
    await enforceRateLimits(context.db, context.settings.rateLimits, [
      ['loginIp', context.clientIp],
    ])
    const account = await verifyLogin(context.db, { ...input, ip: context.clientIp })
    const { headers, csrfToken } = await startSession(request, context, account.user.id)
    return apiJson(accountBody(account, csrfToken), { status: 200, headers })
  },
  async DELETE({ request, context }) {
    await requireApiAuth(request, context)
    const headers = await endSession(request, context)
    return apiJson(null, { status: 204, headers })
  },
})

export const loader = handler
export const action = handler
