// analyseCadFile in a worker thread with a time limit: a hostile or huge file cannot hold
// the job runner, and a worker that runs out of time is terminated, memory and all.
// Finished workers are kept (one idle, unref'd, for IDLE_MS) so the next file skips the
// thread start (~1 s of loading TypeScript) and OpenCascade's WASM warm-up (seconds on
// the first STEP file); each worker is retired after MAX_JOBS files to bound what the
// WASM heap (which never shrinks) can keep.
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { CadError, isCadErrorCode, type CadFormat, type CadResult } from './types.ts'
import type { WorkerReply, WorkerRequest } from './worker.ts'

export const DEFAULT_TIMEOUT_MS = 60_000
const IDLE_MS = 30_000
const MAX_JOBS = 25
const HEAP_MB = 1024

// The worker runs worker.ts from source, like the rest of the app. `--import tsx` in a
// worker's execArgv does not reach its entry on Node 20 ("Unknown file extension .ts"),
// so a two-line bootstrap loads tsx's ESM API by absolute path and imports the entry
// through tsImport. Resolved on first use: importing this module (the web build does,
// through index.ts) has no side effects.
const BOOTSTRAP = `const { workerData } = require('node:worker_threads')
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.entry, workerData.entry))`

let resolved: { entry: string; tsx: string } | undefined
function workerFiles(): { entry: string; tsx: string } {
  if (!resolved) {
    const file = './worker.ts'
    const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json')
    resolved = {
      entry: new URL(file, import.meta.url).href,
      tsx: pathToFileURL(tsxPackage.replace(/package\.json$/, 'dist/esm/api/index.mjs')).href,
    }
  }
  return resolved
}

export interface ThreadOptions {
  /** Default 60 s (thread start included); the worker is terminated when it runs out. */
  timeoutMs?: number
  /** 3MF inflate limit, default 1 GiB. */
  maxUncompressedBytes?: number
  maxTriangles?: number
}

interface PooledWorker {
  worker: Worker
  ready: Promise<void>
  jobs: number
  idleTimer?: NodeJS.Timeout
}

let idle: PooledWorker | undefined
let nextId = 1

function startWorker(): PooledWorker {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    // Not the parent's flags (the tsx CLI's loader): the bootstrap brings what it needs.
    execArgv: [],
    workerData: workerFiles(),
    // The JS heap; geometry lives in typed arrays bounded by maxTriangles and
    // maxUncompressedBytes.
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
  })
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message === 'ready') {
        worker.off('message', onMessage)
        worker.off('error', reject)
        resolve()
      }
    }
    worker.on('message', onMessage)
    worker.once('error', reject)
  })
  ready.catch(() => {}) // observed by the job that waits for it
  const pooled: PooledWorker = { worker, ready, jobs: 0 }
  // Errors during a job reach that job's listener; without this one, an error while idle
  // would be an unhandled 'error' event and take the whole process down.
  worker.on('error', () => {})
  // A worker that dies while idle must not be handed the next file.
  worker.once('exit', () => {
    if (idle === pooled) {
      clearTimeout(pooled.idleTimer)
      idle = undefined
    }
  })
  return pooled
}

function takeWorker(): PooledWorker {
  const pooled = idle
  if (pooled) {
    idle = undefined
    clearTimeout(pooled.idleTimer)
    pooled.worker.ref()
    return pooled
  }
  return startWorker()
}

function release(pooled: PooledWorker): void {
  if (idle || pooled.jobs >= MAX_JOBS) {
    void pooled.worker.terminate()
    return
  }
  pooled.worker.unref()
  pooled.idleTimer = setTimeout(() => {
    if (idle === pooled) idle = undefined
    void pooled.worker.terminate()
  }, IDLE_MS)
  pooled.idleTimer.unref()
  idle = pooled
}

/** Terminates the idle worker (shutdown, tests). */
export async function closeCadThreads(): Promise<void> {
  const pooled = idle
  idle = undefined
  if (pooled) {
    clearTimeout(pooled.idleTimer)
    await pooled.worker.terminate()
  }
}

/** analyseCadFile in a worker thread; CadError('timeout') when it takes longer than allowed. */
export async function analyseInThread(
  path: string,
  format: CadFormat,
  options: ThreadOptions = {},
): Promise<CadResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const pooled = takeWorker()
  const { worker } = pooled
  const id = nextId++
  const request: WorkerRequest = {
    id,
    path,
    format,
    options: {
      maxUncompressedBytes: options.maxUncompressedBytes,
      maxTriangles: options.maxTriangles,
    },
  }
  return new Promise<CadResult>((resolve, reject) => {
    let settled = false
    const finish = (keep: boolean, action: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      worker.off('message', onMessage)
      worker.off('error', onError)
      worker.off('exit', onExit)
      if (keep) release(pooled)
      else void worker.terminate()
      action()
    }
    const onMessage = (reply: WorkerReply | 'ready') => {
      if (reply === 'ready' || reply.id !== id) return
      pooled.jobs++
      if (reply.ok) {
        finish(true, () => resolve(reply.result))
      } else if (isCadErrorCode(reply.code)) {
        finish(true, () => reject(new CadError(reply.code as CadError['code'], reply.message)))
      } else {
        // A bug, not a bad file: do not reuse a thread in an unknown state.
        finish(false, () => reject(new Error(`CAD analysis failed: ${reply.message}`)))
      }
    }
    const onError = (error: Error & { code?: string }) =>
      finish(false, () =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new CadError('too_complex', 'the analysis ran out of memory')
            : error,
        ),
      )
    const onExit = (code: number) =>
      finish(false, () => reject(new Error(`CAD worker exited with code ${code} before answering`)))
    const timer = setTimeout(
      () =>
        finish(false, () =>
          reject(new CadError('timeout', `analysis took longer than ${timeoutMs} ms`)),
        ),
      timeoutMs,
    )
    worker.on('message', onMessage)
    worker.on('error', onError)
    worker.on('exit', onExit)
    pooled.ready.then(
      () => {
        if (!settled) worker.postMessage(request)
      },
      (error: unknown) =>
        finish(false, () => reject(error instanceof Error ? error : new Error(String(error)))),
    )
  })
}
