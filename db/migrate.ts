import { Migrator, sql, type MigrationProvider } from 'kysely'
import { runMigrations as runWorkerMigrations } from 'graphile-worker'
import type { Db } from './client.ts'
import { migrations } from './migrations/index.ts'

const provider: MigrationProvider = { getMigrations: async () => migrations }

/**
 * Applies our forward-only migrations, then graphile-worker's own schema. Safe when several
 * processes run it at once: Kysely's Migrator holds a PostgreSQL advisory lock (session
 * level, taken on the connection its migration transaction runs on) while it reads and
 * applies migrations, so a second caller waits and then finds nothing to do; graphile-worker
 * records each of its migrations by id first and treats a clash as "another process did
 * it"; the metrics rebuild job below has a job_key, so it is queued once whoever gets there.
 */
export async function migrateToLatest(db: Db, connectionString: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  await runWorkerMigrations({ connectionString })
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  // The console's rollups start empty (or without their levels): the worker fills them from
  // what the database holds.
  if (applied.some((m) => m === '20261203T1000_metrics' || m === '20261204T0900_metrics_levels')) {
    await sql`select graphile_worker.add_job('metrics__refresh', '{"kind":"rebuild"}'::json,
      job_key => 'metrics:rebuild')`.execute(db)
  }
  return applied
}

/**
 * The migrations this code knows that the database has not applied (all of them on an empty
 * database), without writing anything; graphile-worker's schema counts as one
 * ('graphile_worker') when missing. A web process refuses to start while any are pending.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ ours: boolean; worker: boolean }>`
    select to_regclass('public.kysely_migration') is not null as ours,
      to_regclass('graphile_worker.migrations') is not null as worker`.execute(db)
  const present = rows[0]!
  const applied = new Set<string>()
  if (present.ours) {
    const done = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    for (const row of done.rows) applied.add(row.name)
  }
  const pending = Object.keys(migrations).filter((name) => !applied.has(name))
  if (!present.worker) pending.push('graphile_worker')
  return pending
}
