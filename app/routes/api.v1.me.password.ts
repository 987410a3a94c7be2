import { changePassword } from '../models/user.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async POST({ request, context }) {
    const auth = await requireApiAuth(request, context)
    const input = await parseJson(request, schemas.ChangePasswordRequest)
    await context.db.transaction().execute((tx) =>
      changePassword(tx, {
        userId: auth.account.user.id,
        currentPassword: input.current_password,
        newPassword: input.new_password,
        keepSessionId: auth.sessionId,
      }),
    )
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
