import { uuidParam } from '../utils/api.server.ts'
import { threadApi } from '../utils/message-api.server.ts'

/**
 * The order's messages, oldest first, and how many were unread (now read); a message from the
 * buyer, the workshop or an operator, with the order's files attached.
 */
const handler = threadApi((_request, params) => ({
  kind: 'order',
  orderId: uuidParam(params, 'orderId'),
}))

export const loader = handler
export const action = handler
