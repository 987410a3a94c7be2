import type { LoaderFunctionArgs } from '@remix-run/node'
import { currentMonth, isMonth, payoutStatement } from '../models/payout.server.ts'
import { requireKind } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { statementCsvResponse } from '../utils/payout-api.server.ts'

/** The payout statement's CSV: `?month=YYYY-MM` (this month unless told), or `all`. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const param = new URL(request.url).searchParams.get('month')
  if (param !== null && param !== 'all' && !isMonth(param)) {
    throw new Response('month is YYYY-MM or all', { status: 400 })
  }
  const month = param === 'all' ? null : (param ?? currentMonth())
  const statement = await payoutStatement(context.db, account.organization.id, month)
  return statementCsvResponse(statement, requestLocale(request, account.user.locale))
}
