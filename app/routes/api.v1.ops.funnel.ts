import { requireOperator } from '../models/actor.server.ts'
import { funnel } from '../models/metrics.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { funnelCsv, metricsFilters, wantsCsv } from '../utils/metrics-api.server.ts'

const handler = api({
  /** Jobs opened in the range and how many reached each stage (or CSV). */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the platform metrics')
    const result = await funnel(context.db, metricsFilters(request))
    if (wantsCsv(request)) return funnelCsv(result, requestLocale(request, account.user.locale))
    return apiJson(result)
  },
})

export const loader = handler
export const action = handler
