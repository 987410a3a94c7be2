// Every change that moves a capability document (a machine saved, a workshop's profile,
// verification, suspension or rating, a booking that changes idle hours, a material's names)
// goes through recordSearchChange, in the transaction that makes the change.
import { sql } from 'kysely'
import type { Db, Tx } from '../db/client.ts'
import type { SearchChangeScope } from '../db/schema.ts'
import { enqueue } from '../workers/enqueue.server.ts'

export type { SearchChangeScope } from '../db/schema.ts'

/** The channel search_changes rows are announced on (LISTEN/NOTIFY). */
export const SEARCH_CHANNEL = 'search_changes'

/** One pending job per scope: a second save of the same machine replaces the queued job. */
function jobKey(scope: SearchChangeScope): string | undefined {
  if ('all' in scope) return 'search:all'
  if ('organizationId' in scope) return `search:org:${scope.organizationId}`
  return scope.resourceIds.length === 1 ? `search:resource:${scope.resourceIds[0]}` : undefined
}

/**
 * Records that the search documents in `scope` changed, in the caller's transaction: a row
 * in search_changes, which every process holding an embedded index follows
 * (search/follower.server.ts), and a search__sync job, which brings Meilisearch in line.
 * Both exist exactly when the change commits.
 */
export async function recordSearchChange(tx: Tx | Db, scope: SearchChangeScope): Promise<void> {
  await appendSearchChange(tx, scope)
  await enqueue(tx, 'search__sync', scope, { jobKey: jobKey(scope) })
}

/**
 * Only the feed row, for the search__sync task itself: the nightly full rebuild is queued by
 * cron, not by a change, and reaches embedded indexes through this row.
 */
export async function appendSearchChange(tx: Tx | Db, scope: SearchChangeScope): Promise<void> {
  // One round trip: the row, and its NOTIFY (delivered when the transaction commits, so
  // followers read the feed at once, not at their next poll).
  await sql`with change as (insert into search_changes (scope) values (${scope as Record<string, unknown>}::jsonb))
    select pg_notify(${SEARCH_CHANNEL}, '')`.execute(tx)
}
