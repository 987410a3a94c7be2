import { allCapabilityDocuments, loadCapabilityDocuments } from '../../search/document.ts'
import { appendSearchChange } from '../../search/changes.server.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/** Brings the capability index in line with PostgreSQL for the resources in the payload. */
export async function searchSync(rawPayload: unknown, deps: TaskDeps): Promise<void> {
  const scope = taskPayloads.search__sync.parse(rawPayload)
  if (!deps.search) {
    // The embedded index: each web process follows search_changes (search/follower.server.ts),
    // where the change that queued this job wrote its row. The nightly rebuild comes from cron
    // (graphile-worker marks its payload `_cron`), not from a change: pass it on to the feed.
    if (typeof rawPayload === 'object' && rawPayload !== null && '_cron' in rawPayload) {
      await appendSearchChange(deps.db, scope)
    }
    return
  }
  if ('all' in scope) {
    await deps.search.replaceAll(allCapabilityDocuments(deps.db))
    return
  }
  const { documents, missing } = await loadCapabilityDocuments(deps.db, scope)
  if (documents.length) await deps.search.upsert(documents)
  if (missing.length) await deps.search.remove(missing)
}
