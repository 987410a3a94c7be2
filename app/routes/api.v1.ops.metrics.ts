import { requireOperator } from '../models/actor.server.ts'
import { metrics } from '../models/metrics.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { metricsCsv, metricsFilters, wantsCsv } from '../utils/metrics-api.server.ts'

const handler = api({
  /** Orders, GMV, completions, disputes and utilisation per group, with totals (or CSV). */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the platform metrics')
    const result = await metrics(context.db, metricsFilters(request))
    if (wantsCsv(request)) return metricsCsv(result, requestLocale(request, account.user.locale))
    return apiJson(result)
  },
})

export const loader = handler
export const action = handler
