import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { BadQueryError } from './errors.ts'
import { AUDIT_PER_PAGE, type AuditQuery } from './operations.schema.ts'
import type { AccountView } from './user.server.ts'

// The audit log (issue 9): every operator change — settings, catalogue, money marks, voucher
// decisions, suspensions — writes one row in the transaction of the change, with the subject's
// state before and after. Operators read it newest first.

/** Writes one audit entry through `tx`, so it exists exactly when the change commits. */
export async function audit(
  tx: Tx,
  actor: AccountView,
  action: string,
  subject: string,
  before: unknown,
  after: unknown,
) {
  await tx
    .insertInto('audit_log')
    .values({ actor_user_id: actor.user.id, action, subject, before, after })
    .execute()
}

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A page of the log, newest first, filtered by action prefix and exact subject: keyset pages
 * of `limit`, `before` naming the last entry of the previous page (400 when there is no such
 * entry). With who did it (null name: a deleted user) and, for a subject that is an
 * organisation, its name. `nextBefore` is set when there are older entries.
 */
export async function listAuditLog(db: Db | Tx, query: AuditQuery, limit = AUDIT_PER_PAGE) {
  let select = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select([
      'audit_log.id',
      'audit_log.action',
      'audit_log.subject',
      'audit_log.before',
      'audit_log.after',
      'audit_log.created_at',
      'audit_log.actor_user_id',
      'users.name as actor_name',
      'users.email as actor_email',
    ])
  if (query.action) select = select.where('audit_log.action', 'like', likePrefix(query.action))
  if (query.subject) select = select.where('audit_log.subject', '=', query.subject)
  if (query.before) {
    const cursor = await db
      .selectFrom('audit_log')
      .select('id')
      .where('id', '=', query.before)
      .executeTakeFirst()
    if (!cursor) throw new BadQueryError('before names no audit entry')
    // Compared in SQL: created_at has microseconds a JS Date would drop.
    select = select.where(
      sql<boolean>`(audit_log.created_at, audit_log.id) < (select created_at, id from audit_log
        where id = ${query.before})`,
    )
  }
  const rows = await select
    .orderBy('audit_log.created_at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit + 1)
    .execute()
  const entries = rows.slice(0, limit)
  const orgIds = [...new Set(entries.map((e) => e.subject).filter((s) => uuidPattern.test(s)))]
  const orgs = orgIds.length
    ? await db
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where('id', 'in', orgIds)
        .execute()
    : []
  const names = new Map(orgs.map((o) => [o.id, o.name]))
  return {
    entries: entries.map((e) => ({ ...e, subject_name: names.get(e.subject) ?? null })),
    nextBefore: rows.length > limit ? entries[entries.length - 1]!.id : null,
  }
}

export type AuditEntry = Awaited<ReturnType<typeof listAuditLog>>['entries'][number]
