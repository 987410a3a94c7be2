import { requireOperator } from '../models/actor.server.ts'
import { confirmReportedPayment } from '../models/money-ops.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, iso, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  /** Confirms the reported bank transfer: the order's confirm_payment at its current version. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators confirm payments')
    const paymentId = uuidParam(params, 'paymentId')
    const body = await parseJson(request, schemas.OpsPaymentConfirmRequest)
    const { payment, order } = await context.db.transaction().execute((tx) =>
      confirmReportedPayment(tx, account, paymentId, body, {
        publicUrl: context.settings.publicUrl,
      }),
    )
    return apiJson({
      payment: {
        id: payment.id,
        order_id: payment.order_id,
        status: payment.status,
        amount_fen: payment.amount_fen,
        bank_reference: payment.bank_reference,
        payer_name: payment.payer_name,
        transferred_on: payment.transferred_on,
        confirmed_at: iso(payment.confirmed_at),
      },
      order: { id: order.id, number: order.number, status: order.status, version: order.version },
    })
  },
})

export const loader = handler
export const action = handler
