import { acceptInvitation } from '../models/organization.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { accountBody, api, apiJson, parseJson } from '../utils/api.server.ts'
import { startSession } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'

const handler = api({
  async POST({ request, params, context }) {
    const input = await parseJson(request, schemas.AcceptInvitationRequest)
    const account = await context.db.transaction().execute((tx) =>
      acceptInvitation(tx, {
        token: params.token ?? '',
        name: input.name,
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
