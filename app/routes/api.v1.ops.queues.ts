import { requireOperator } from '../models/actor.server.ts'
import { orderQueues } from '../models/order-queue.server.ts'
import { listVerificationQueue } from '../models/workshop.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { queuesBody } from '../utils/ops-api.server.ts'

const handler = api({
  /** Every work queue of the console, oldest first. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the work queues')
    const [verifications, queues] = await Promise.all([
      listVerificationQueue(context.db),
      orderQueues(context.db),
    ])
    return apiJson(queuesBody(verifications, queues))
  },
})

export const loader = handler
export const action = handler
