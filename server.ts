// Starts the marketplace: database (DATABASE_URL or embedded), migrations, demo data,
// the worker (inline unless WORKER=off) and the web server on PORT.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { loadConfig, storageEnv } from './app/config.server.ts'
import { createLogger } from './app/utils/logger.server.ts'
import { openDatabase, prepareDatabase } from './app/server/boot.server.ts'
import { createHttpApp } from './app/server/http.server.ts'
import { createMailTransport } from './emails/transport.server.ts'
import { startWorker, type WorkerHandle } from './workers/runner.ts'
import { createCapabilityIndex } from './search/index.ts'
import { allCapabilityDocuments } from './search/document.ts'
import { createStorage } from './app/models/storage.server.ts'
import { createStripeGateway } from './app/models/stripe.server.ts'

const root = path.dirname(fileURLToPath(import.meta.url))

async function main() {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const database = await openDatabase(config, logger)
  const storage = await createStorage(storageEnv(config))
  const { demoMode } = await prepareDatabase(database, config, logger, storage)

  const search = createCapabilityIndex({
    MEILISEARCH_URL: config.meilisearchUrl,
    MEILISEARCH_KEY: config.meilisearchKey,
  })
  await search.configure()
  if (search.kind === 'embedded') {
    // The embedded index lives in this process: rebuild it from PostgreSQL before serving.
    const started = Date.now()
    await search.replaceAll(allCapabilityDocuments(database.db))
    const { documents } = await search.health()
    logger.info({ documents, ms: Date.now() - started }, 'search index built')
  }

  const mail = createMailTransport(config.smtpUrl)
  const stripe = config.stripe ? createStripeGateway(config.stripe) : null
  let worker: WorkerHandle | undefined
  if (config.worker === 'inline') {
    worker = await startWorker(
      database.connectionString,
      {
        db: database.db,
        mail,
        mailFrom: config.mailFrom,
        logger: logger.child({ worker: true }),
        search,
        storage,
        publicUrl: config.publicUrl,
        stripe,
      },
      { mode: 'inline' },
    )
  }

  const settings = {
    publicUrl: config.publicUrl,
    demoMode,
    secureCookies: config.secureCookies,
    sessionSecrets: config.sessionSecrets,
    maxFormBytes: config.maxFormBytes,
    maxUploadBytes: config.maxUploadBytes,
  }
  let app
  if (config.env === 'production') {
    const buildDir = path.join(root, process.env.SF_BUILD_DIR ?? 'build')
    const buildPath = path.join(buildDir, 'server/index.js')
    const build = (await import(buildPath).catch((error: unknown) => {
      throw new Error('No production build found: run `npm run build` first', { cause: error })
    })) as ServerBuild
    app = createHttpApp({
      db: database.db,
      search,
      storage,
      stripe,
      settings,
      logger,
      trustProxy: config.trustProxy,
      build,
      mode: 'production',
      clientDir: path.join(buildDir, 'client'),
    })
  } else {
    const vite = await import('vite').then((v) =>
      v.createServer({ server: { middlewareMode: true } }),
    )
    app = createHttpApp({
      db: database.db,
      search,
      storage,
      stripe,
      settings,
      logger,
      trustProxy: config.trustProxy,
      build: () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
      mode: 'development',
      devMiddleware: vite.middlewares,
    })
  }

  const server = app.listen(config.port, () => {
    logger.info(
      {
        url: `http://localhost:${config.port}`,
        demoMode,
        worker: config.worker,
        embeddedDb: database.embedded,
      },
      '共享工厂 Shared Factory is listening',
    )
  })

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    // A database that is already gone can make pool shutdown wait forever.
    setTimeout(() => process.exit(0), 10_000).unref()
    server.close()
    server.closeAllConnections()
    await worker?.stop().catch(() => {})
    await database.stop().catch(() => {})
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
