import type { Db } from '../../db/client.ts'
import type { JobRole } from '../models/job.server.ts'
import type { JobQuestionsData, MessageView } from '../components/message-thread.tsx'
import {
  listJobThreads,
  listThread,
  markRead,
  type Message,
  type ThreadRef,
} from '../models/message.server.ts'
import { listOrderAttachments } from '../models/order-attachment.server.ts'
import type { AccountView } from '../models/user.server.ts'

// What the pages' message threads (components/message-thread.tsx) show. Loading a thread for a
// page marks it read: the viewer is looking at it.

function messageView(m: Message, viewer: AccountView): MessageView {
  return {
    id: m.id,
    body: m.body,
    createdAt: new Date(m.created_at).toISOString(),
    sender: m.sender_name ?? '—',
    organization: m.organization_name,
    side:
      m.sender_organization_id === viewer.organization.id
        ? 'own'
        : m.organization_kind === 'platform'
          ? 'platform'
          : 'other',
    attachments: m.attachments,
  }
}

async function shownThread(db: Db, viewer: AccountView, ref: ThreadRef) {
  const { access, messages } = await listThread(db, viewer, ref)
  const last = messages.at(-1)
  if (last) await markRead(db, viewer, ref, last.id)
  return { access, messages: messages.map((m) => messageView(m, viewer)) }
}

/** An order's thread for its page (the caller checked the viewer may see the order). */
export async function orderMessagesView(db: Db, viewer: AccountView, orderId: string) {
  const [{ access, messages }, files] = await Promise.all([
    shownThread(db, viewer, { kind: 'order', orderId }),
    listOrderAttachments(db, orderId),
  ])
  const attachable = files.map((f) => ({ id: f.id, name: f.original_name }))
  return { messages, canPost: access.canPost, attachable }
}

/**
 * A job's questions for its page: the workshop's own thread; for the firm and operators, the
 * threads workshops started and the one chosen with `?thread=<workshopId>` (or the only one).
 */
export async function jobQuestionsView(
  db: Db,
  viewer: AccountView,
  viewed: { job: { id: string; status: string }; role: JobRole },
  chosen: string | null,
): Promise<JobQuestionsData> {
  const jobId = viewed.job.id
  if (viewed.role === 'workshop') {
    const { access, messages } = await shownThread(db, viewer, {
      kind: 'job',
      jobId,
      workshopId: viewer.organization.id,
    })
    return {
      threads: [],
      selected: {
        workshopId: viewer.organization.id,
        workshopName: viewer.organization.name,
        messages,
        canPost: access.canPost,
        closed: access.closed,
      },
    }
  }
  const threads = (await listJobThreads(db, viewer, jobId)).map((t) => ({
    workshopId: t.workshop_id,
    workshopName: t.workshop_name,
    count: t.count,
    unread: t.unread,
  }))
  const pick =
    threads.find((t) => t.workshopId === chosen) ?? (threads.length === 1 ? threads[0] : undefined)
  if (!pick) return { threads, selected: null }
  const { access, messages } = await shownThread(db, viewer, {
    kind: 'job',
    jobId,
    workshopId: pick.workshopId,
  })
  // Shown now, so read: the list's badge for it goes.
  pick.unread = 0
  return {
    threads,
    selected: {
      workshopId: pick.workshopId,
      workshopName: pick.workshopName,
      messages,
      canPost: access.canPost,
      closed: access.closed,
    },
  }
}
