// `npm run worker`: graphile-worker alone, for production beside any number of web processes.
import { loadConfig, storageEnv } from '../app/config.server.ts'
import { createLogger } from '../app/utils/logger.server.ts'
import { createDb } from '../db/client.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createMailTransport } from '../emails/transport.server.ts'
import { startWorker } from './runner.ts'
import { createStripeGateway } from '../app/models/stripe.server.ts'
import { createCapabilityIndex } from '../search/index.ts'
import { createStorage } from '../app/models/storage.server.ts'

const config = loadConfig()
const logger = createLogger(config.logLevel)
if (!config.databaseUrl) {
  logger.fatal(
    'npm run worker needs DATABASE_URL; with the embedded database the worker runs inside `npm start`',
  )
  process.exit(1)
}
const db = createDb(config.databaseUrl, { applicationName: 'shared-factory-worker' })
await migrateToLatest(db, config.databaseUrl)
if (!config.meilisearchUrl) {
  // The embedded index lives inside the web process; a separate worker cannot update it.
  logger.fatal(
    'npm run worker needs MEILISEARCH_URL: with the embedded index the worker runs inside `npm start`',
  )
  process.exit(1)
}
const search = createCapabilityIndex({
  MEILISEARCH_URL: config.meilisearchUrl,
  MEILISEARCH_KEY: config.meilisearchKey,
})
await search.configure()
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
const stop = async () => {
  await worker.stop()
  await db.destroy()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
