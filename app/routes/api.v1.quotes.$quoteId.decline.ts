import { declineQuote } from '../models/quote.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { viewedQuoteBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** The quoting workshop turns the job down with a reason (a confirmed quote: withdrawn). */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'quoteId')
    const { reason } = await parseJson(request, schemas.DeclineQuoteRequest)
    const quote = await context.db
      .transaction()
      .execute((tx) => declineQuote(tx, account, id, reason))
    const locale = requestLocale(request, account.user.locale)
    return apiJson({ quote: await viewedQuoteBody(context.db, account, quote, locale) })
  },
})

export const loader = handler
export const action = handler
