import { requireWorkshop } from '../models/actor.server.ts'
import { payoutStatement } from '../models/payout.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { queryMonth, statementBody, statementCsvResponse } from '../utils/payout-api.server.ts'

const handler = api({
  /** The workshop's payout statement (a month's, or all); CSV when the caller accepts text/csv. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireWorkshop(account, 'Workshops see their payouts')
    const month = queryMonth(new URL(request.url))
    const statement = await payoutStatement(context.db, account.organization.id, month)
    if (request.headers.get('accept')?.includes('text/csv')) {
      return statementCsvResponse(statement, requestLocale(request, account.user.locale))
    }
    return apiJson(statementBody(statement))
  },
})

export const loader = handler
export const action = handler
