import { requireOperator } from '../models/actor.server.ts'
import { escrowFigures } from '../models/escrow.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  /** Exactly {escrow_fen, released_fen, refunded_fen, paid_fen} (issue 8 promises this shape). */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the ledger')
    const f = await escrowFigures(context.db)
    return apiJson({
      escrow_fen: f.escrow_fen,
      released_fen: f.released_fen,
      refunded_fen: f.refunded_fen,
      paid_fen: f.paid_fen,
    })
  },
})

export const loader = handler
export const action = handler
