import { sql } from 'kysely'
import type { TaskDeps } from '../context.ts'

/** Deletes expired sessions, used or expired reset tokens and old login failures. */
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
  await db
    .deleteFrom('worker_heartbeats')
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute()
}
