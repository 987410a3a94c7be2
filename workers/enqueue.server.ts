import { sql } from 'kysely'
import type { Db, Tx } from '../db/client.ts'
import type { TaskName, TaskPayload } from './payloads.ts'

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding a second one. */
  jobKey?: string
  runAt?: Date
  maxAttempts?: number
}

// The payload goes as an object: postgres.js serialises json parameters itself.
/**
 * Adds a graphile-worker job through `tx`, so the job exists exactly when the change
 * that needs it commits.
 */
export async function enqueue<N extends TaskName>(
  tx: Tx | Db,
  task: N,
  payload: TaskPayload<N>,
  options: EnqueueOptions = {},
): Promise<void> {
  await sql`select graphile_worker.add_job(
    ${task}::text,
    ${payload as Record<string, unknown>}::json,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 25}::int,
    job_key => ${options.jobKey ?? null}::text
  )`.execute(tx)
}
