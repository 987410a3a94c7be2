// `npm run start:worker` (alias `npm run worker`): graphile-worker alone, for production
// beside any number of web processes. Like start:web it needs DATABASE_URL and SESSION_SECRET
// and a migrated database (`npm run db:migrate`); SIGTERM lets running jobs finish (up to
// SHUTDOWN_TIMEOUT_MS), then fails the rest back to the queue for another worker.
import { loadConfig, storageEnv } from '../app/config.server.ts'
import { createLogger } from '../app/utils/logger.server.ts'
import { createDb } from '../db/client.ts'
import { pendingMigrations } from '../db/migrate.ts'
import { createMailTransport } from '../emails/transport.server.ts'
import { startWorker } from './runner.ts'
import { createStripeGateway } from '../app/models/stripe.server.ts'
import { createCapabilityIndex } from '../search/index.ts'
import { createStorage } from '../app/models/storage.server.ts'

const config = (() => {
  try {
    return loadConfig(process.env, { production: 'worker' })
  } catch (error) {
    // Say what is missing in one clear message (with the embedded database the worker runs
    // inside `npm start`).
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  }
})()
const logger = createLogger(config.logLevel)
if (!config.databaseUrl) throw new Error('unreachable: loadConfig requires DATABASE_URL')
const db = createDb(config.databaseUrl, { applicationName: 'shared-factory-worker' })
const pending = await pendingMigrations(db).catch((error: unknown) => {
  console.error(`Cannot reach the database at DATABASE_URL: ${(error as Error).message}`)
  process.exit(1)
})
if (pending.length) {
  console.error(
    `The database schema is not at the latest migration (pending: ${pending.join(', ')}): run npm run db:migrate first`,
  )
  process.exit(1)
}
// search__sync keeps Meilisearch in line. The embedded index lives in each web process, which
// follows search_changes itself (search/follower.server.ts): this worker has none to write.
const search = config.meilisearchUrl
  ? createCapabilityIndex({
      MEILISEARCH_URL: config.meilisearchUrl,
      MEILISEARCH_KEY: config.meilisearchKey,
    })
  : null
await search?.configure()
const worker = await startWorker(
  config.databaseUrl,
  {
    db,
    mail: createMailTransport(config.smtpUrl),
    mailFrom: config.mailFrom,
    logger,
    search,
    storage: await createStorage(storageEnv(config)),
    publicUrl: config.publicUrl,
    stripe: config.stripe ? createStripeGateway(config.stripe) : null,
  },
  { mode: 'standalone', concurrency: Number(process.env.WORKER_CONCURRENCY ?? 4) },
)
logger.info({ workerId: worker.id }, 'worker started')
let stopping = false
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'worker shutting down')
  setTimeout(() => {
    logger.error('worker shutdown did not finish in time')
    process.exit(1)
  }, config.shutdownTimeoutMs + 10_000).unref()
  await worker.stop(config.shutdownTimeoutMs)
  await db.destroy().catch(() => {})
  logger.info('worker shut down')
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
