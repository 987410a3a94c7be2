import { transitionOrder } from '../models/order-transition.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { inspectionBody, orderViewBody } from '../utils/order-api.server.ts'

const handler = api({
  /**
   * Records the inspection of a delivered order (its buyer or assigned inspector): the sampling
   * plan follows from the lot, the AQL and the level; the verdict from the defects found. An
   * accepted lot completes the order, a rejected one opens a dispute.
   */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'orderId')
    const { version, ...payload } = await parseJson(request, schemas.OrderInspectionRequest)
    const inspection = await context.db.transaction().execute(async (tx) => {
      await transitionOrder(
        tx,
        { kind: 'person', account },
        id,
        { action: 'record_inspection', version, payload },
        { publicUrl: context.settings.publicUrl },
      )
      return tx
        .selectFrom('inspections')
        .selectAll()
        .where('order_id', '=', id)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
    })
    const order = await orderViewBody(
      context.db,
      id,
      account,
      requestLocale(request, account.user.locale),
    )
    return apiJson(
      { inspection: inspectionBody(inspection), order },
      { status: 201, headers: { Location: `/api/v1/orders/${id}` } },
    )
  },
})

export const loader = handler
export const action = handler
