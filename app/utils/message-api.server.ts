import type { Db } from '../../db/client.ts'
import {
  listThread,
  markRead,
  postMessage,
  type Message,
  type ThreadRef,
} from '../models/message.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { schemas } from './api-contract.ts'
import { api, apiJson, iso, parseJson, requireApiAuth } from './api.server.ts'

// The API's message threads: their bodies (api-contract.ts `Message`, `MessageList`) and the
// one handler the order and the job thread routes share.

export function messageBody(m: Message) {
  return {
    id: m.id,
    sender: {
      user_id: m.sender_user_id,
      name: m.sender_name,
      organization_id: m.sender_organization_id,
      organization_name: m.organization_name,
    },
    body: m.body,
    attachments: m.attachments.map((a) => ({ id: a.id, name: a.name })),
    created_at: iso(m.created_at)!,
  }
}

/**
 * A thread as the API returns it: every message, oldest first, and how many of them were
 * unread by the caller; reading them through the API marks them read, as the page does.
 */
export async function threadBody(db: Db, viewer: AccountView, ref: ThreadRef) {
  const { messages, unread } = await listThread(db, viewer, ref)
  const last = messages.at(-1)
  if (last) await markRead(db, viewer, ref, last.id)
  return { messages: messages.map(messageBody), unread }
}

/**
 * The API of one message thread, the one `threadOf` names for the caller: GET reads it (and
 * marks it read), POST writes a message on it. The order and job threads differ only there.
 */
export function threadApi(
  threadOf: (
    request: Request,
    params: Record<string, string | undefined>,
    account: AccountView,
  ) => ThreadRef,
) {
  return api({
    async GET({ request, params, context }) {
      const { account } = await requireApiAuth(request, context)
      return apiJson(await threadBody(context.db, account, threadOf(request, params, account)))
    },
    async POST({ request, params, context }) {
      const { account } = await requireApiAuth(request, context)
      const ref = threadOf(request, params, account)
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
}
