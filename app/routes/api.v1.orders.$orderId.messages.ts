import { postMessage, type ThreadRef } from '../models/message.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { messageBody, threadBody } from '../utils/message-api.server.ts'

const orderThread = (params: Record<string, string | undefined>): ThreadRef => ({
  kind: 'order',
  orderId: uuidParam(params, 'orderId'),
})

const handler = api({
  /** The order's messages, oldest first, and how many were unread (now read). */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    return apiJson(await threadBody(context.db, account, orderThread(params)))
  },
  /** A message from the buyer, the workshop or an operator, with the order's files attached. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const ref = orderThread(params)
    const input = await parseJson(request, schemas.MessageRequest)
    const message = await context.db
      .transaction()
      .execute((tx) =>
        postMessage(
          tx,
          account,
          ref,
          { body: input.body, attachmentIds: input.attachment_ids },
          { publicUrl: context.settings.publicUrl },
        ),
      )
    return apiJson({ message: messageBody(message) }, { status: 201 })
  },
})

export const loader = handler
export const action = handler
