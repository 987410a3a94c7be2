import { confirmQuote } from '../models/quote.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { viewedQuoteBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** The quoting workshop confirms its quote, as estimated or adjusted; again to revise. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'quoteId')
    const input = await parseJson(request, schemas.ConfirmQuoteRequest)
    const quote = await context.db.transaction().execute((tx) =>
      confirmQuote(
        tx,
        account,
        id,
        {
          unitPriceFen: input.unit_price_fen,
          batchLeadDays: input.batch_lead_days,
          comment: input.comment,
        },
        { publicUrl: context.settings.publicUrl },
      ),
    )
    const locale = requestLocale(request, account.user.locale)
    return apiJson({ quote: await viewedQuoteBody(context.db, account, quote, locale) })
  },
})

export const loader = handler
export const action = handler
