import { requireWorkshop } from '../models/actor.server.ts'
import { workshopInsights } from '../models/workshop-insights.server.ts'
import { insightsQuery } from '../utils/api-contract-insights.ts'
import { ApiError, api, apiJson, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  /** The caller's workshop's insights over `?period=` 30, 90 (default) or 365 days. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireWorkshop(account, 'Workshops see their own insights')
    const query = insightsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams))
    if (!query.success) {
      throw new ApiError(400, 'invalid_input', 'period is 30, 90 or 365', {
        param: 'period',
        issues: query.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
    }
    return apiJson(await workshopInsights(context.db, account.organization.id, query.data.period))
  },
})

export const loader = handler
export const action = handler
