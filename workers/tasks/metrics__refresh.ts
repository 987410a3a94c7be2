import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { rebuildAll, refresh } from '../../app/models/metrics-rollup.server.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/**
 * Recomputes the console's rollup rows of one day (or month, for capacity) from the base
 * tables: enqueued by triggers in the transaction of each change; `recent` (nightly) redoes
 * yesterday and today, `rebuild` everything (after the migration that adds the rollups).
 */
export async function metricsRefresh(rawPayload: unknown, deps: TaskDeps): Promise<void> {
  const payload = taskPayloads.metrics__refresh.parse(rawPayload)
  if ('day' in payload) {
    await refresh(deps.db, payload.kind, payload.day)
    return
  }
  if (payload.kind === 'rebuild') {
    const { days } = await rebuildAll(deps.db)
    deps.logger.info({ days }, 'metrics rebuilt')
    return
  }
  const today = shanghaiToday()
  for (const day of [addDays(today, -1), today]) {
    await refresh(deps.db, 'day', day)
    await refresh(deps.db, 'funnel', day)
  }
  await refresh(deps.db, 'capacity', today)
}
