import { requestPasswordReset } from '../models/user.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson } from '../utils/api.server.ts'

const handler = api({
  async POST({ request, context }) {
    const input = await parseJson(request, schemas.PasswordResetRequest)
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
