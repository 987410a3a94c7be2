import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createDb, type Db } from '../../db/client.ts'
import { createLocalStorage, type FileStorage } from '../../app/models/storage.server.ts'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import type { TaskDeps } from '../../workers/context.ts'
import type { StripeGateway } from '../../app/models/stripe.server.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import type { TestDatabase } from './database.ts'
import { testTaskDeps } from './deps.ts'
import { TEST_SESSION_SECRET, startTestServer, type TestServer } from './http.ts'

/** The app a test file runs against: its server and worker over the file's database. */
export interface TestApp {
  /** The file's database (the worker's pool). */
  readonly db: Db
  /** The server's address. */
  readonly url: string
  /** The address links in emails point at. */
  readonly publicUrl: string
  readonly storage: FileStorage
  readonly worker: WorkerHandle
  /** Starts the worker again, with the same deps, after a test stopped it. */
  restartWorker(): Promise<void>
}

export interface TestAppOptions {
  /** For the server's settings and the worker's emails; http://localhost unless told. */
  publicUrl?: string
  /** The server's own pool of this many connections, so racing requests really run together. */
  serverPool?: number
  /** One search index for the pages and the worker, so a re-index shows in search. */
  sharedSearch?: boolean
  /** More worker deps (a mail transport, say), read when the worker starts. */
  taskDeps?: () => Partial<TaskDeps>
  /** Stripe for the server and the worker alike (a local stub's gateway); none unless told. */
  stripe?: () => StripeGateway | null
}

/**
 * Starts the real server (the production build) and an inline worker over `t`'s database,
 * with one file storage, before the file's tests, and stops them after.
 */
export function useTestApp(t: TestDatabase, options: TestAppOptions = {}): TestApp {
  const publicUrl = options.publicUrl ?? 'http://localhost'
  const storage = createLocalStorage(mkdtempSync(path.join(os.tmpdir(), 'sf-test-app-files-')), {
    signingSecret: TEST_SESSION_SECRET,
  })
  const search = options.sharedSearch ? createEmbeddedIndex() : undefined
  let serverDb: Db | undefined
  let server: TestServer | undefined
  let worker: WorkerHandle | undefined

  const start = async () => {
    const deps = testTaskDeps(t.db, {
      storage,
      publicUrl,
      stripe: options.stripe?.() ?? null,
      ...options.taskDeps?.(),
    })
    worker = await startWorker(t.url, search ? { ...deps, search } : deps, {
      mode: 'inline',
      cron: false,
    })
  }
  beforeAll(async () => {
    serverDb = options.serverPool ? createDb(t.url, { max: options.serverPool }) : undefined
    server = await startTestServer(
      serverDb ?? t.db,
      { publicUrl },
      { storage, search, stripe: options.stripe?.() ?? null },
    )
    await start()
  })
  afterAll(async () => {
    await worker?.stop()
    await server?.close()
    await serverDb?.destroy()
  })

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The test app's ${what} runs only inside tests`)
    return value
  }
  return {
    get db() {
      return t.db
    },
    get url() {
      return started(server, 'server').url
    },
    publicUrl,
    storage,
    get worker() {
      return started(worker, 'worker')
    },
    restartWorker: start,
  }
}
