import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator } from 'kysely'
import { runMigrations as runWorkerMigrations } from 'graphile-worker'
import type { Db } from './client.ts'

const migrationFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Applies our forward-only migrations, then graphile-worker's own schema. */
export async function migrateToLatest(db: Db, connectionString: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(
      `migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  await runWorkerMigrations({ connectionString, logger: undefined })
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
