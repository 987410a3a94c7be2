import { Migrator, sql, type MigrationProvider } from 'kysely'
import { runMigrations as runWorkerMigrations } from 'graphile-worker'
import type { Db } from './client.ts'
import { migrations } from './migrations/index.ts'

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** Applies our forward-only migrations, then graphile-worker's own schema. */
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
