// Serves the production build for Playwright on a fresh embedded PostgreSQL (with the demo
// data) in a temp DATA_DIR, and deletes that directory once the server has stopped.
// Usage: PORT=3210 node tests/e2e/serve.mjs   (`npm run build` first: this never builds)
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const STOP_GRACE_MS = 10_000

if (!existsSync(path.join(process.env.SF_BUILD_DIR ?? 'build', 'server/index.js'))) {
  console.error('No production build: run `npm run build` before the e2e tests')
  process.exit(1)
}

const port = process.env.PORT ?? '3210'
// One directory per port: a run that was killed outright leaves it behind for the next to clear.
const dataDir = path.join(os.tmpdir(), `shared-factory-e2e-${port}`)
rmSync(dataDir, { recursive: true, force: true })

// What `npm start` runs, as one process: signals reach server.ts's shutdown directly.
// Its own process group keeps Playwright's group-wide SIGTERM away from PostgreSQL, which
// the server stops itself after the worker.
const server = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
  stdio: 'inherit',
  detached: true,
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: port,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DEMO_DATA: 'auto',
    WORKER: 'inline',
    // Every browser here logs in and signs up from 127.0.0.1 (docs/security.md).
    RATE_LIMITS: process.env.RATE_LIMITS ?? 'off',
  },
})

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  server.kill(signal)
  // Keep this last resort: a server that hangs must not outlive the run with its database.
  setTimeout(() => {
    try {
      process.kill(-server.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }, STOP_GRACE_MS).unref()
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
process.on('SIGHUP', () => stop('SIGTERM'))

server.on('exit', (code, signal) => {
  rmSync(dataDir, { recursive: true, force: true })
  process.exit(code ?? (signal ? 1 : 0))
})
