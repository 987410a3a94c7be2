import { transitionOrder } from '../models/order-transition.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { orderViewBody } from '../utils/order-api.server.ts'

const handler = api({
  /**
   * Moves the order: `action` names the step, or `to` the status (the caller's one action that
   * leads there); `version` is the one the caller saw; the payload's fields sit beside them.
   */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'orderId')
    const { to, action, version, ...payload } = await parseJson(
      request,
      schemas.OrderTransitionRequest,
    )
    await context.db
      .transaction()
      .execute((tx) =>
        transitionOrder(
          tx,
          { kind: 'person', account },
          id,
          { to, action, version, payload },
          { publicUrl: context.settings.publicUrl },
        ),
      )
    const order = await orderViewBody(
      context.db,
      id,
      account,
      requestLocale(request, account.user.locale),
    )
    return apiJson({ order })
  },
})

export const loader = handler
export const action = handler
