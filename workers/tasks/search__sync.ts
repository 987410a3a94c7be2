import { allCapabilityDocuments, loadCapabilityDocuments } from '../../search/document.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/** Brings the capability index in line with PostgreSQL for the resources in the payload. */
export async function searchSync(rawPayload: unknown, deps: TaskDeps): Promise<void> {
  const scope = taskPayloads.search__sync.parse(rawPayload)
  if ('all' in scope) {
    await deps.search.replaceAll(allCapabilityDocuments(deps.db))
    return
  }
  const { documents, missing } = await loadCapabilityDocuments(deps.db, scope)
  if (documents.length) await deps.search.upsert(documents)
  if (missing.length) await deps.search.remove(missing)
}
