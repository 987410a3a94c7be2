import { createAccessToken, listAccessTokens } from '../models/access-token.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, iso, parseJson, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  async GET({ request, context }) {
    const auth = await requireApiAuth(request, context)
    const tokens = await listAccessTokens(context.db, auth.account.user.id)
    return apiJson({
      tokens: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        token_prefix: t.token_prefix,
        created_at: iso(t.created_at),
        last_used_at: iso(t.last_used_at),
      })),
    })
  },
  async POST({ request, context }) {
    const auth = await requireApiAuth(request, context)
    const input = await parseJson(request, schemas.TokenCreateRequest)
    const created = await createAccessToken(context.db, {
      userId: auth.account.user.id,
      name: input.name,
    })
    return apiJson(
      {
        id: created.id,
        name: created.name,
        token_prefix: created.token_prefix,
        created_at: iso(created.created_at),
        token: created.token,
      },
      { status: 201 },
    )
  },
})

export const loader = handler
export const action = handler
