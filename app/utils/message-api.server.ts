import type { Db } from '../../db/client.ts'
import { listThread, markRead, type Message, type ThreadRef } from '../models/message.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { iso } from './api.server.ts'

// The API's message bodies (api-contract.ts `Message`, `MessageList`).

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
