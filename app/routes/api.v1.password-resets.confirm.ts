import { resetPassword } from '../models/user.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson } from '../utils/api.server.ts'

const handler = api({
  async POST({ request, context }) {
    const input = await parseJson(request, schemas.PasswordResetConfirm)
    await context.db.transaction().execute((tx) => resetPassword(tx, input))
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
