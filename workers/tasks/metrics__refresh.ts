import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { drainDirty, rebuildAll, refresh } from '../../app/models/metrics-rollup.server.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/**
 * Recomputes the console's rollup rows from the base tables: `drain` the days (months, for
 * capacity) the triggers marked in metrics_dirty (queued by the workers every few seconds
 * while marks wait); one day; `recent` (nightly) yesterday and today; `rebuild` everything
 * (after the migrations that add or reshape the rollups).
 */
export async function metricsRefresh(rawPayload: unknown, deps: TaskDeps): Promise<void> {
  const payload = taskPayloads.metrics__refresh.parse(rawPayload)
  if ('day' in payload) {
    await refresh(deps.db, payload.kind, payload.day)
    return
  }
  if (payload.kind === 'drain') {
    await drainDirty(deps.db)
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
