import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import {
  Logger as WorkerLogger,
  run,
  type JobHelpers,
  type Runner,
  type TaskList,
} from 'graphile-worker'
import type { Logger } from '../app/utils/logger.server.ts'
import type { TaskName } from './payloads.ts'
import type { TaskDeps } from './context.ts'
import { emailSend } from './tasks/email__send.ts'
import { sessionsCleanup } from './tasks/sessions__cleanup.ts'
import { searchSync } from './tasks/search__sync.ts'
import { cadAnalyse } from './tasks/cad__analyse.ts'
import { matchJobTask } from './tasks/match__job.ts'
import { filesCleanup } from './tasks/files__cleanup.ts'
import { quotesExpire } from './tasks/quotes__expire.ts'
import { ordersSchedule } from './tasks/orders__schedule.ts'
import { payoutsSend } from './tasks/payouts__send.ts'
import { refundsSend } from './tasks/refunds__send.ts'
import { paymentsStripeEvent } from './tasks/payments__stripe_event.ts'
import { metricsRefresh } from './tasks/metrics__refresh.ts'

const HEARTBEAT_MS = 5_000

// Idle hours move with the calendar: re-index everything just after midnight in Shanghai (16:05 UTC).
const CRONTAB = [
  '17 3 * * * sessions__cleanup',
  '27 3 * * * files__cleanup',
  '7 * * * * quotes__expire',
  '*/15 * * * * orders__schedule',
  '5 16 * * * search__sync ?jobKey=search:all {all:true}',
  '45 16 * * * metrics__refresh ?jobKey=metrics:recent {kind:"recent"}',
]

export function createTaskList(deps: TaskDeps): TaskList {
  const tasks: Record<
    TaskName,
    (payload: unknown, deps: TaskDeps, helpers: JobHelpers) => Promise<void>
  > = {
    email__send: emailSend,
    sessions__cleanup: sessionsCleanup,
    search__sync: searchSync,
    cad__analyse: cadAnalyse,
    match__job: matchJobTask,
    files__cleanup: filesCleanup,
    quotes__expire: quotesExpire,
    orders__schedule: ordersSchedule,
    payouts__send: payoutsSend,
    refunds__send: refundsSend,
    payments__stripe_event: paymentsStripeEvent,
    metrics__refresh: metricsRefresh,
  }
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      (payload: unknown, helpers: JobHelpers) => task(payload, deps, helpers),
    ]),
  )
}

/** graphile-worker's log lines, into our structured log. */
function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method =
      level === 'error'
        ? 'error'
        : level === 'warning'
          ? 'warn'
          : level === 'debug'
            ? 'debug'
            : 'info'
    logger[method]({ scope, ...meta }, message)
  })
}

export interface WorkerHandle {
  id: string
  runner: Runner
  stop(): Promise<void>
}

/**
 * Starts graphile-worker on `connectionString` and keeps a heartbeat row fresh, which
 * /healthz reads to tell whether any worker is alive.
 */
export async function startWorker(
  connectionString: string,
  deps: TaskDeps,
  options: {
    mode: 'inline' | 'standalone'
    concurrency?: number
    /** Run the schedule below (default). Tests turn it off and call the tasks themselves. */
    cron?: boolean
  },
): Promise<WorkerHandle> {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const concurrency = options.concurrency ?? 4
  // Our own pool, so a connection the database drops (say, during shutdown) is logged
  // instead of crashing the process with an unhandled 'error' event.
  const pgPool = new pg.Pool({ connectionString, max: concurrency + 2 })
  // Only the message: pg hangs the whole client object on these errors.
  const lost = (error: Error) =>
    deps.logger.warn({ error: error.message }, 'worker database connection lost')
  pgPool.on('error', lost)
  pgPool.on('connect', (client) => client.on('error', lost))
  const runner = await run({
    pgPool,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: createTaskList(deps),
    crontab: ((options.cron ?? true) ? CRONTAB : []).join('\n'),
    logger: workerLogger(deps.logger),
  })
  const beat = () =>
    deps.db
      .insertInto('worker_heartbeats')
      .values({ worker_id: id, mode: options.mode, last_seen_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ last_seen_at: sql<Date>`now()` }))
      .execute()
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'worker heartbeat failed'))
  await beat()
  const timer = setInterval(beat, HEARTBEAT_MS)
  timer.unref()
  let stopped = false
  runner.promise.catch((error: unknown) => deps.logger.error({ err: error }, 'worker stopped'))
  return {
    id,
    runner,
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      await runner.stop().catch((error: unknown) => deps.logger.warn({ err: error }, 'worker stop'))
      await deps.db
        .deleteFrom('worker_heartbeats')
        .where('worker_id', '=', id)
        .execute()
        .catch(() => {})
      // graphile-worker only ends pools it created.
      await pgPool.end().catch(() => {})
    },
  }
}
