import { acceptQuote } from '../models/order.server.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { AcceptQuoteApiSchema } from '../models/quote.schema.ts'
import { orderBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** The job's design firm accepts a confirmed quote: 201 and the order; again: 200, same order. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'quoteId')
    const input = await parseJson(request, AcceptQuoteApiSchema)
    const { order, created } = await context.db.transaction().execute((tx) =>
      acceptQuote(tx, account, id, {
        publicUrl: context.settings.publicUrl,
        expectedTotalFen: input.expected_total_fen,
      }),
    )
    return apiJson(
      { order: orderBody(order) },
      { status: created ? 201 : 200, headers: { Location: `/api/v1/orders/${order.id}` } },
    )
  },
})

export const loader = handler
export const action = handler
