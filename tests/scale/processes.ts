// The app's production processes as children of the scale test / bench: web processes and
// standalone workers from the built app, each in its own process group (detached), so that
// `kill -9` reaches exactly one of them (npm, sh, tsx and node alike) and nothing else.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** How a web / worker process is started: the production npm scripts. */
export function commandFor(kind: 'web' | 'worker'): { cmd: string; args: string[] } {
  return { cmd: 'npm', args: ['run', '--silent', kind === 'web' ? 'start:web' : 'start:worker'] }
}

export interface AppProcess {
  name: string
  kind: 'web' | 'worker'
  /** Web processes only. */
  port?: number
  baseUrl?: string
  /** The current child (changes on restart). */
  child: ChildProcess | undefined
  /** The last lines of output (both streams), for a failure report. */
  output: string[]
  /** How many times it exited without being asked to. */
  unexpectedExits: number
  start(): Promise<void>
  /** SIGKILL to the whole process group: no shutdown handler runs. */
  kill9(): void
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * SIGTERM to a process group, SIGKILL after `graceMs` (`onKill` says so); resolves when the
 * group is gone.
 */
export async function stopGroup(pid: number, graceMs: number, onKill?: () => void) {
  if (!groupAlive(pid)) return
  try {
    process.kill(-pid, 'SIGTERM')
  } catch {
    return
  }
  const deadline = Date.now() + graceMs
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100)
  if (!groupAlive(pid)) return
  onKill?.()
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // gone meanwhile
  }
  while (groupAlive(pid)) await sleep(50)
}

/** Web processes are ready when /healthz answers with the database up (worker may lag). */
async function waitReady(
  p: AppProcess,
  exited: () => boolean,
  timeoutMs: number,
  ready?: (since: Date) => Promise<boolean>,
): Promise<void> {
  const started = Date.now()
  const since = new Date(started - 1_000)
  for (;;) {
    if (exited()) throw new Error(`${p.name} exited during start-up:\n${p.output.join('')}`)
    if (Date.now() - started > timeoutMs) {
      throw new Error(`${p.name} not ready within ${timeoutMs / 1000} s:\n${p.output.join('')}`)
    }
    if (ready) {
      if (await ready(since).catch(() => false)) return
    } else if (p.kind === 'worker') {
      if (p.output.join('').includes('worker started')) return
    } else {
      const body = await fetch(`${p.baseUrl}/healthz`, { signal: AbortSignal.timeout(3_000) })
        .then((r) => r.json() as Promise<{ db?: string }>)
        .catch(() => undefined)
      if (body?.db === 'up') return
    }
    await sleep(200)
  }
}

export function appProcess(options: {
  name: string
  kind: 'web' | 'worker'
  port?: number
  env: Record<string, string | undefined>
  readyTimeoutMs?: number
  /** Overrides the readiness check (default: /healthz db up; a worker's start-up log line). */
  ready?: (since: Date) => Promise<boolean>
}): AppProcess {
  const { cmd, args } = commandFor(options.kind)
  let exited = true
  let expectingExit = false
  const p: AppProcess = {
    name: options.name,
    kind: options.kind,
    port: options.port,
    baseUrl: options.port ? `http://127.0.0.1:${options.port}` : undefined,
    child: undefined,
    output: [],
    unexpectedExits: 0,
    async start() {
      const child = spawn(cmd, args, {
        cwd: ROOT,
        env: {
          ...process.env,
          ...options.env,
          ...(options.port ? { PORT: String(options.port) } : {}),
        },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      exited = false
      expectingExit = false
      const keep = (chunk: Buffer) => {
        p.output.push(chunk.toString('utf8'))
        if (p.output.length > 300) p.output.shift()
      }
      child.stdout?.on('data', keep)
      child.stderr?.on('data', keep)
      child.on('exit', () => {
        exited = true
        if (!expectingExit) p.unexpectedExits++
      })
      p.child = child
      p.output.push(`--- started ${new Date().toISOString()} pid ${child.pid} ---\n`)
      await waitReady(p, () => exited, options.readyTimeoutMs ?? 90_000, options.ready)
    },
    kill9() {
      const pid = p.child?.pid
      if (pid === undefined) return
      expectingExit = true
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    },
    async stop(graceMs = 15_000) {
      const pid = p.child?.pid
      if (pid === undefined || !groupAlive(pid)) return
      expectingExit = true
      await stopGroup(pid, graceMs)
    },
  }
  return p
}

/** Runs an npm script to completion (db:migrate, db:seed, ledger:check); its output and code. */
export function runScript(
  script: string,
  env: Record<string, string | undefined>,
): { code: number; output: string } {
  const result = spawnSync('npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 300_000,
  })
  return { code: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}
