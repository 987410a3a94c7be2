import { EventEmitter } from 'node:events'
import { sql } from 'kysely'
import pg from 'pg'
import {
  Logger as WorkerLogger,
  run,
  type JobHelpers,
  type Runner,
  type TaskList,
  type WorkerEvents,
  type WorkerPool,
} from 'graphile-worker'
import type { Db } from '../db/client.ts'
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
/** A worker silent this long is taken for dead and the jobs it held are released. */
export const DEAD_WORKER_SECONDS = 60
const DEAD_WORKER_CHECK_MS = 60_000
/** How often a worker looks for periods the metrics triggers marked (the dashboard's lag). */
const METRICS_DRAIN_MS = 2_000

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
  /** graphile-worker's pool id: what it writes to jobs.locked_by, and our heartbeat row's id. */
  id: string
  runner: Runner
  /**
   * Stops taking jobs and waits for the running ones; after `timeoutMs` (default: wait for
   * them) fails the rest back to the queue, where another worker picks them up.
   */
  stop(timeoutMs?: number): Promise<void>
}

/**
 * Releases the jobs of workers whose heartbeat is older than DEAD_WORKER_SECONDS (killed,
 * say, by kill -9 or a lost machine; graphile-worker itself would wait 4 hours) and forgets
 * those workers. Returns their ids.
 */
export async function releaseDeadWorkers(db: Db, self?: string): Promise<string[]> {
  const { rows } = await sql<{ worker_id: string }>`
    with dead as (
      delete from worker_heartbeats
      where last_seen_at < now() - make_interval(secs => ${DEAD_WORKER_SECONDS})
        and worker_id is distinct from ${self ?? null}::text
      returning worker_id
    ), released as (
      select graphile_worker.force_unlock_workers(array(select worker_id from dead))
    )
    select worker_id from dead, released`.execute(db)
  return rows.map((r) => r.worker_id)
}

/**
 * Starts graphile-worker on `connectionString` and keeps a heartbeat row fresh, which
 * /healthz reads to tell whether any worker is alive and other workers read to release the
 * jobs of a dead one (at start and every minute).
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
  const concurrency = options.concurrency ?? 4
  // Our own pool, so a connection the database drops (say, during shutdown) is logged
  // instead of crashing the process with an unhandled 'error' event.
  const pgPool = new pg.Pool({ connectionString, max: concurrency + 2 })
  // Only the message: pg hangs the whole client object on these errors.
  const lost = (error: Error) =>
    deps.logger.warn({ error: error.message }, 'worker database connection lost')
  pgPool.on('error', lost)
  pgPool.on('connect', (client) => client.on('error', lost))
  // graphile-worker names its pool itself and locks jobs with that name: catch it as the
  // pool is created, to heartbeat under the same id.
  const events: WorkerEvents = new EventEmitter()
  let pool: WorkerPool | undefined
  events.on('pool:create', ({ workerPool }) => (pool ??= workerPool))
  const runner = await run({
    pgPool,
    events,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList: createTaskList(deps),
    crontab: ((options.cron ?? true) ? CRONTAB : []).join('\n'),
    logger: workerLogger(deps.logger),
  })
  if (!pool) throw new Error('graphile-worker did not report its worker pool')
  const workerPool: WorkerPool = pool
  const id = workerPool.id
  // Since when this worker's heartbeats have all succeeded. After the database was out of
  // reach, every heartbeat is stale: the others' are only proof of death once this worker has
  // been beating for as long as a heartbeat may lag (else it would release live workers' jobs).
  let beatingSince: number | undefined
  const beat = () =>
    deps.db
      .insertInto('worker_heartbeats')
      .values({ worker_id: id, mode: options.mode, last_seen_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ last_seen_at: sql<Date>`now()` }))
      .execute()
      .then(() => {
        beatingSince ??= Date.now()
      })
      .catch((error: unknown) => {
        beatingSince = undefined
        deps.logger.warn({ err: error }, 'worker heartbeat failed')
      })
  let starting = true
  const reap = () => {
    const steady =
      beatingSince !== undefined && Date.now() - beatingSince >= DEAD_WORKER_SECONDS * 1000
    // At start a worker has just connected: stale heartbeats are of workers gone before it.
    if (!starting && !steady) return Promise.resolve()
    starting = false
    return releaseDeadWorkers(deps.db, id)
      .then((dead) => {
        if (dead.length) deps.logger.warn({ dead }, 'released the jobs of dead workers')
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'dead worker check failed'))
  }
  // The metrics triggers only mark periods (metrics_dirty, a plain insert that waits for no
  // other transaction); one drain job at a time refreshes them, queued here, outside any
  // writing transaction. Every worker does this; the job key keeps it to one pending job, and
  // none is added while one waits or runs (graphile-worker would retire a running keyed job
  // for a new one: killed with its worker, it would stay behind as failed).
  const queueDrain = () =>
    sql`select graphile_worker.add_job('metrics__refresh', '{"kind":"drain"}'::json,
        job_key => 'metrics:drain', job_key_mode => 'preserve_run_at', max_attempts => 10)
      where exists (select from metrics_dirty)
        and not exists (select from graphile_worker.jobs where key = 'metrics:drain')`
      .execute(deps.db)
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'metrics drain not queued'))
  await beat()
  await reap()
  const timer = setInterval(beat, HEARTBEAT_MS)
  timer.unref()
  const reaper = setInterval(reap, DEAD_WORKER_CHECK_MS)
  reaper.unref()
  const drainer = setInterval(queueDrain, METRICS_DRAIN_MS)
  drainer.unref()
  let stopped = false
  runner.promise.catch((error: unknown) => deps.logger.error({ err: error }, 'worker stopped'))
  return {
    id,
    runner,
    async stop(timeoutMs?: number) {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      clearInterval(reaper)
      clearInterval(drainer)
      const graceful = runner.stop().then(
        () => true,
        (error: unknown) => {
          deps.logger.warn({ err: error }, 'worker stop')
          return true
        },
      )
      const finished =
        timeoutMs === undefined
          ? await graceful
          : await Promise.race([
              graceful,
              new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
            ])
      if (!finished) {
        // Jobs still running: fail them back to the queue (graphile-worker retries them after
        // its usual short backoff, on whichever worker is alive).
        deps.logger.warn({ timeoutMs }, 'jobs still running at shutdown: releasing them')
        // (runner.kill() would not: the graceful stop has already deactivated the pool.)
        await Promise.resolve(
          workerPool.forcefulShutdown('Worker shut down before the job finished'),
        )
          .then((result) => {
            const released = result.forceFailedJobs.map((job) => job.id)
            deps.logger.warn({ released }, 'released running jobs')
          })
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'worker forceful shutdown'))
      }
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
