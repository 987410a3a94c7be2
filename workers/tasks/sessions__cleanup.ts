import { sql } from 'kysely'
import type { TaskDeps } from '../context.ts'

/**
 * Deletes expired sessions, used or expired reset tokens, old login failures and ended
 * rate-limit windows.
 */
export async function sessionsCleanup(_payload: unknown, deps: TaskDeps): Promise<void> {
  const { db } = deps
  await db
    .deleteFrom('sessions')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute()
  await db
    .deleteFrom('password_resets')
    .where('expires_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute()
  await db
    .deleteFrom('login_attempts')
    .where('attempted_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute()
  // Rate-limit windows that have ended count nothing any more.
  await db
    .deleteFrom('rate_limits')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute()
  await db
    .deleteFrom('worker_heartbeats')
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute()
  // Followers read the feed within seconds; one cut off for long rebuilds its index instead.
  await db
    .deleteFrom('search_changes')
    .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute()
}
