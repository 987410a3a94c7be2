import { normalizeEmail, requestPasswordReset } from '../models/user.server.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson } from '../utils/api.server.ts'

const handler = api({
  async POST({ request, context }) {
    const input = await parseJson(request, schemas.PasswordResetRequest)
    // Per address too, so nobody floods one mailbox; refused alike whether it has an account.
    await enforceRateLimits(context.db, context.settings.rateLimits, [
      ['passwordResetIp', context.clientIp],
      ['passwordResetEmail', normalizeEmail(input.email)],
    ])
    await context.db
      .transaction()
      .execute((tx) =>
        requestPasswordReset(tx, { email: input.email, publicUrl: context.settings.publicUrl }),
      )
    return apiJson(null, { status: 202 })
  },
})

export const loader = handler
export const action = handler
