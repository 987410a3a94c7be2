import { sql } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { Db, Tx } from '../../db/client.ts'
import type { OrganizationKind } from '../../db/schema.ts'
import { queueEmail } from './email.server.ts'
import { ForbiddenError, NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import { jobAccess } from './job.server.ts'
import { MessageInputSchema, type MessageInput } from './message.schema.ts'
import { ownersOf } from './organization.server.ts'
import type { AccountView } from './user.server.ts'

// Messages (issue 7): one thread per order ('order:<orderId>': its buyer, its workshop and
// operators, who may write as the platform) and, for questions before an order, one per job
// and workshop ('job:<jobId>:<workshopId>': the job's design firm and that workshop; operators
// read). Anyone else gets 404. Order threads carry the order's attachments; job threads are
// text only. Reads are one pointer per user and thread (the last message id they saw).

export type ThreadRef =
  { kind: 'order'; orderId: string } | { kind: 'job'; jobId: string; workshopId: string }

export function threadKey(ref: ThreadRef): string {
  return ref.kind === 'order' ? `order:${ref.orderId}` : `job:${ref.jobId}:${ref.workshopId}`
}

export type ThreadRole = 'buyer' | 'workshop' | 'owner' | 'operator'

export interface ThreadAccess {
  ref: ThreadRef
  thread: string
  role: ThreadRole
  /** Whether the viewer may write now. */
  canPost: boolean
  /** Read-only for everyone: a job thread once the job is no longer open (the order has its own). */
  closed: boolean
  /** The two parties: an order's buyer and workshop, or a job's design firm and the workshop. */
  parties: [string, string]
  /** What the thread is about, for emails: the order's number or the job's title. */
  subject: string
}

/** Who `viewer` is to a thread (see the module comment); NotFoundError for anyone else. */
export async function threadAccess(
  db: Db | Tx,
  viewer: AccountView,
  ref: ThreadRef,
): Promise<ThreadAccess> {
  const thread = threadKey(ref)
  const org = viewer.organization
  if (ref.kind === 'order') {
    const order = await db
      .selectFrom('orders')
      .select(['number', 'buyer_organization_id', 'workshop_organization_id'])
      .where('id', '=', ref.orderId)
      .executeTakeFirst()
    const role: ThreadRole | undefined = !order
      ? undefined
      : org.id === order.buyer_organization_id
        ? 'buyer'
        : org.id === order.workshop_organization_id
          ? 'workshop'
          : org.kind === 'platform'
            ? 'operator'
            : undefined
    if (!order || !role) throw new NotFoundError('No such order')
    return {
      ref,
      thread,
      role,
      canPost: true,
      closed: false,
      parties: [order.buyer_organization_id, order.workshop_organization_id],
      subject: order.number,
    }
  }
  const access = await jobAccess(db, ref.jobId, viewer)
  if (!access) throw new NotFoundError('No such job')
  if (access.role === 'workshop') {
    // A workshop has one thread per job it can see: its own.
    if (ref.workshopId !== org.id) throw new NotFoundError('No such thread')
  } else {
    // The firm and operators see the threads workshops started.
    const started = await db
      .selectFrom('messages')
      .select('id')
      .where('thread', '=', thread)
      .limit(1)
      .executeTakeFirst()
    if (!started) throw new NotFoundError('No such thread')
  }
  const closed = access.job.status !== 'open'
  return {
    ref,
    thread,
    role: access.role,
    canPost: access.role !== 'operator' && !closed,
    closed,
    parties: [access.job.organization_id, ref.workshopId],
    subject: access.job.title,
  }
}

export type Message = Awaited<ReturnType<typeof selectMessages>>[number]

function selectMessages(db: Db | Tx, thread: string, onlyId?: number) {
  return db
    .selectFrom('messages')
    .innerJoin('organizations', 'organizations.id', 'messages.sender_organization_id')
    .leftJoin('users', 'users.id', 'messages.sender_user_id')
    .select((eb) => [
      'messages.id',
      'messages.body',
      'messages.created_at',
      'messages.sender_user_id',
      'users.name as sender_name',
      'messages.sender_organization_id',
      'organizations.name as organization_name',
      sql<OrganizationKind>`organizations.kind`.as('organization_kind'),
      // The files still there, in the order they were attached.
      jsonArrayFrom(
        eb
          .selectFrom('files')
          .select(['files.id', 'files.original_name as name'])
          .whereRef('files.order_id', '=', 'messages.order_id')
          .where(sql<boolean>`files.id = any(messages.attachment_ids)`)
          .orderBy(sql`array_position(messages.attachment_ids, files.id)`),
      ).as('attachments'),
    ])
    .where('messages.thread', '=', thread)
    .$if(onlyId !== undefined, (q) => q.where('messages.id', '=', onlyId!))
    .orderBy('messages.id')
    .execute()
}

/**
 * The thread's messages, oldest first, with sender names and attachments, and how many of them
 * are unread by the viewer (from other organisations, after their read pointer). Does not mark
 * them read: the caller shows them, then calls markRead.
 */
export async function listThread(db: Db | Tx, viewer: AccountView, ref: ThreadRef) {
  const access = await threadAccess(db, viewer, ref)
  const [messages, pointer] = await Promise.all([
    selectMessages(db, access.thread),
    db
      .selectFrom('message_reads')
      .select('last_read_id')
      .where('user_id', '=', viewer.user.id)
      .where('thread', '=', access.thread)
      .executeTakeFirst(),
  ])
  const lastRead = pointer?.last_read_id ?? 0
  const unread = messages.filter(
    (m) => m.id > lastRead && m.sender_organization_id !== viewer.organization.id,
  ).length
  return { access, messages, unread }
}

/** Moves the viewer's read pointer on the thread forward to `lastId` (never back). */
export async function markRead(
  db: Db | Tx,
  viewer: AccountView,
  ref: ThreadRef,
  lastId: number,
): Promise<void> {
  await db
    .insertInto('message_reads')
    .values({ user_id: viewer.user.id, thread: threadKey(ref), last_read_id: lastId })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'thread'])
        .doUpdateSet({ last_read_id: (eb) => eb.ref('excluded.last_read_id') })
        .where('message_reads.last_read_id', '<', lastId),
    )
    .execute()
}

/** Only files uploaded to this order, and only on an order's thread. */
async function checkAttachments(tx: Tx, ref: ThreadRef, ids: string[]) {
  if (!ids.length) return
  if (ref.kind !== 'order') {
    throw new RuleViolationError('attachments_order_only', 'Questions on a job are text only', {
      field: 'attachment_ids',
    })
  }
  const found = await tx
    .selectFrom('files')
    .select('id')
    .where('id', 'in', ids)
    .where('order_id', '=', ref.orderId)
    .where('purpose', '=', 'order_attachment')
    .execute()
  if (found.length !== ids.length) {
    throw new RuleViolationError('invalid_attachment', 'Attach files uploaded to this order', {
      field: 'attachment_ids',
    })
  }
}

/** How long one message-received email covers a thread whose messages stay unread. */
export const EMAIL_QUIET_MINUTES = 10

/**
 * Whether `organizationId` was already emailed about this thread recently and has not read it
 * since. Kept simple: the latest earlier message from anyone else (which emailed this
 * organisation, or was itself covered by an earlier email) is under EMAIL_QUIET_MINUTES old and
 * no member's read pointer has reached it. So a burst of messages sends one email; once someone
 * of the organisation reads the thread, or after a quiet spell, the next message emails again.
 */
async function recentlyEmailed(tx: Tx, thread: string, organizationId: string) {
  const previous = await tx
    .selectFrom('messages')
    .select('id')
    .where('thread', '=', thread)
    .where('sender_organization_id', '<>', organizationId)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${EMAIL_QUIET_MINUTES})`)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!previous) return false
  const read = await tx
    .selectFrom('message_reads')
    .innerJoin('memberships', 'memberships.user_id', 'message_reads.user_id')
    .select('message_reads.user_id')
    .where('memberships.organization_id', '=', organizationId)
    .where('message_reads.thread', '=', thread)
    .where('message_reads.last_read_id', '>=', previous.id)
    .limit(1)
    .executeTakeFirst()
  return !read
}

/** Where a recipient organisation reads the thread. */
function threadPath(ref: ThreadRef, recipientId: string) {
  if (ref.kind === 'order') return `/orders/${ref.orderId}#messages`
  return recipientId === ref.workshopId
    ? `/jobs/${ref.jobId}#questions`
    : `/jobs/${ref.jobId}?thread=${ref.workshopId}#questions`
}

/**
 * Writes a message to a thread the actor may write to (404 not a party, 403 an operator on a
 * job, 409 `thread_closed`, 400 an empty or over-long body, 422 an attachment that is not this
 * order's), moves the actor's read pointer past it and emails the owners of the other party
 * (both parties when an operator writes) unless they were emailed about it moments ago.
 */
export async function postMessage(
  tx: Tx,
  actor: AccountView,
  ref: ThreadRef,
  input: MessageInput,
  options: { publicUrl: string },
): Promise<Message> {
  const access = await threadAccess(tx, actor, ref)
  if (!access.canPost) {
    if (access.role === 'operator') {
      throw new ForbiddenError('Operators read the questions on a job; the parties answer them')
    }
    throw new StateConflictError('thread_closed', 'This job no longer takes questions')
  }
  const parsed = MessageInputSchema.parse(input)
  const attachmentIds = [...new Set(parsed.attachmentIds)]
  await checkAttachments(tx, ref, attachmentIds)

  const recipients: string[] = []
  for (const party of access.parties) {
    if (party === actor.organization.id || recipients.includes(party)) continue
    if (!(await recentlyEmailed(tx, access.thread, party))) recipients.push(party)
  }
  const { id } = await tx
    .insertInto('messages')
    .values({
      thread: access.thread,
      order_id: ref.kind === 'order' ? ref.orderId : null,
      job_id: ref.kind === 'job' ? ref.jobId : null,
      workshop_organization_id: ref.kind === 'job' ? ref.workshopId : null,
      sender_user_id: actor.user.id,
      sender_organization_id: actor.organization.id,
      body: parsed.body,
      attachment_ids: attachmentIds,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await markRead(tx, actor, ref, id)

  const sender =
    actor.organization.kind === 'platform'
      ? actor.organization.name || actor.user.name
      : actor.organization.name
  const excerpt = parsed.body.length > 300 ? `${parsed.body.slice(0, 300)}…` : parsed.body
  for (const owner of await ownersOf(tx, recipients)) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template: 'message-received',
      props: {
        name: owner.name,
        sender,
        kind: ref.kind,
        subject: access.subject,
        excerpt,
        url: `${options.publicUrl}${threadPath(ref, owner.organization_id)}`,
      },
    })
  }
  const [message] = await selectMessages(tx, access.thread, id)
  return message!
}

export interface UnreadCounts {
  total: number
  /** Threads with unread messages, with what they belong to (for per-order and per-job badges). */
  threads: {
    thread: string
    order_id: string | null
    job_id: string | null
    workshop_id: string | null
    job_title: string | null
    unread: number
  }[]
}

/**
 * Unread messages (from other organisations, past the viewer's read pointer) in the viewer's
 * threads: its orders' threads and its job threads (a firm's jobs, a workshop's questions).
 * One query: the viewer's threads come from indexes (orders by party, messages by job and by
 * workshop), then each thread is counted on its own from its read pointer on along
 * messages_thread_idx (the lateral join keeps the planner from scanning every message).
 * Operators read every thread but are party to none: they have no unread counts.
 */
export async function unreadCounts(db: Db | Tx, viewer: AccountView): Promise<UnreadCounts> {
  if (viewer.organization.kind === 'platform') return { total: 0, threads: [] }
  const org = viewer.organization.id
  const threads = await db
    .with('mine', (qc) => {
      const jobThreads = () =>
        qc
          .selectFrom('messages')
          .innerJoin('jobs', 'jobs.id', 'messages.job_id')
          .select([
            'messages.thread',
            sql<string | null>`null::uuid`.as('order_id'),
            'messages.job_id',
            'messages.workshop_organization_id as workshop_id',
            'jobs.title as job_title',
          ])
      return qc
        .selectFrom('orders')
        .select([
          sql<string>`'order:' || orders.id`.as('thread'),
          sql<string | null>`orders.id`.as('order_id'),
          sql<string | null>`null::uuid`.as('job_id'),
          sql<string | null>`null::uuid`.as('workshop_id'),
          sql<string | null>`null::text`.as('job_title'),
        ])
        .where((eb) =>
          eb.or([eb('buyer_organization_id', '=', org), eb('workshop_organization_id', '=', org)]),
        )
        .union(jobThreads().where('jobs.organization_id', '=', org))
        .union(jobThreads().where('messages.workshop_organization_id', '=', org))
    })
    .selectFrom('mine')
    .leftJoin('message_reads', (join) =>
      join
        .onRef('message_reads.thread', '=', 'mine.thread')
        .on('message_reads.user_id', '=', viewer.user.id),
    )
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('messages')
          .select(sql<number>`count(*)::int`.as('unread'))
          .whereRef('messages.thread', '=', 'mine.thread')
          .where(sql<boolean>`messages.id > coalesce(message_reads.last_read_id, 0)`)
          .where('messages.sender_organization_id', '<>', org)
          .as('counted'),
      (join) => join.onTrue(),
    )
    .select([
      'mine.thread',
      'mine.order_id',
      'mine.job_id',
      'mine.workshop_id',
      'mine.job_title',
      'counted.unread',
    ])
    .where('counted.unread', '>', 0)
    .orderBy('mine.thread')
    .execute()
  return { total: threads.reduce((sum, t) => sum + t.unread, 0), threads }
}

/**
 * A job's question threads as its firm or an operator sees them: one per workshop that wrote,
 * with the number of messages and of unread ones, latest first.
 */
export function listJobThreads(db: Db | Tx, viewer: AccountView, jobId: string) {
  const org = viewer.organization.id
  return db
    .selectFrom('messages')
    .innerJoin('organizations', 'organizations.id', 'messages.workshop_organization_id')
    .leftJoin('message_reads', (join) =>
      join
        .onRef('message_reads.thread', '=', 'messages.thread')
        .on('message_reads.user_id', '=', viewer.user.id),
    )
    .select((eb) => [
      'organizations.id as workshop_id',
      'organizations.name as workshop_name',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`(count(*) filter (where messages.id > coalesce(message_reads.last_read_id, 0)
        and messages.sender_organization_id <> ${org}))::int`.as('unread'),
      eb.fn.max('messages.created_at').as('last_at'),
    ])
    .where('messages.job_id', '=', jobId)
    .groupBy(['organizations.id', 'organizations.name'])
    .orderBy('last_at', 'desc')
    .execute()
}
