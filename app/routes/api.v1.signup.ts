import { signUp } from '../models/user.server.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { accountBody, api, apiJson, parseJson } from '../utils/api.server.ts'
import { startSession } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'

const handler = api({
  async POST({ request, context }) {
    const input = await parseJson(request, schemas.SignupRequest)
    await enforceRateLimits(context.db, context.settings.rateLimits, [
      ['signupIp', context.clientIp],
    ])
    const account = await context.db.transaction().execute((tx) =>
      signUp(tx, {
        kind: input.kind,
        organizationName: input.organization_name,
        town: input.town,
        name: input.name,
        email: input.email,
        password: input.password,
        locale: input.locale ?? requestLocale(request),
      }),
    )
    const { headers, csrfToken } = await startSession(request, context, account.user.id)
    return apiJson(accountBody(account, csrfToken), { status: 201, headers })
  },
})

export const loader = handler
export const action = handler
