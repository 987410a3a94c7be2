import { deleteOrphanCadFiles } from '../../app/models/cad-file.server.ts'
import { storageKeysOf } from '../../app/models/job.server.ts'
import type { TaskDeps } from '../context.ts'

/**
 * Deletes CAD files uploaded through the API but never attached to a job within a day, with
 * their stored bytes and previews (the rows go first: a crash leaves bytes, never a row
 * without them).
 */
export async function filesCleanup(
  _payload: unknown,
  deps: Pick<TaskDeps, 'db' | 'storage' | 'logger'>,
): Promise<void> {
  const rows = await deleteOrphanCadFiles(deps.db)
  await Promise.all(rows.flatMap(storageKeysOf).map((key) => deps.storage.delete(key)))
  if (rows.length) deps.logger.info({ files: rows.length }, 'abandoned CAD uploads deleted')
}
