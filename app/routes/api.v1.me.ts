import { getAccount, updateProfile } from '../models/user.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { accountBody, api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async GET({ request, context }) {
    const auth = await requireApiAuth(request, context)
    return apiJson(accountBody(auth.account, auth.via === 'session' ? context.csrfToken : null))
  },
  async PATCH({ request, context }) {
    const auth = await requireApiAuth(request, context)
    const input = await parseJson(request, schemas.UpdateMeRequest)
    await updateProfile(context.db, auth.account.user.id, input)
    const account = (await getAccount(context.db, auth.account.user.id))!
    return apiJson(accountBody(account, auth.via === 'session' ? context.csrfToken : null))
  },
})

export const loader = handler
export const action = handler
