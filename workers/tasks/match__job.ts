import { matchJob } from '../../app/models/matching.server.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/** Matches an opened job (idempotent: a job already matched is left alone). */
export async function matchJobTask(rawPayload: unknown, deps: TaskDeps): Promise<void> {
  const { jobId } = taskPayloads.match__job.parse(rawPayload)
  const outcome = await matchJob(deps.db, jobId, { publicUrl: deps.publicUrl })
  if (outcome) deps.logger.info({ jobId, matched: outcome.matched }, 'job matched')
}
