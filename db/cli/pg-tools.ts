// Finding pg_dump / pg_restore for the database's server version, and calling them without
// putting the password on the command line. Used by db:backup and db:restore.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { sql } from 'kysely'
import type { Db } from '../client.ts'

export type PgTool = 'pg_dump' | 'pg_restore'

/** The server's major version (15, 16, 18 …). */
export async function serverMajor(db: Db): Promise<number> {
  const { rows } = await sql<{
    v: string
  }>`select current_setting('server_version_num') as v`.execute(db)
  return Math.floor(Number(rows[0]!.v) / 10_000)
}

function toolMajor(binary: string): number | undefined {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8' })
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(out)
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/**
 * The `tool` binary to use against a server of major version `major`: $PG_DUMP / $PG_RESTORE
 * when set, else the newest of the one on PATH and Debian's /usr/lib/postgresql/N/bin. Throws
 * a message that says which version is needed when none is new enough (pg_dump refuses a
 * newer server; pg_restore cannot read a newer pg_dump's archive).
 */
export function findTool(tool: PgTool, major: number): { binary: string; major: number } {
  const envName = tool === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE'
  const chosen = process.env[envName]
  const candidates = chosen ? [chosen] : [tool, ...debianTools(tool)]
  const found = candidates
    .map((binary) => ({ binary, major: toolMajor(binary) }))
    .filter((c): c is { binary: string; major: number } => c.major !== undefined)
    .sort((a, b) => b.major - a.major)
  const best = found[0]
  if (best && best.major >= major) return best
  const seen = best
    ? `the newest ${tool} found is ${best.major} (${best.binary})`
    : chosen
      ? `${envName}=${chosen} does not run`
      : `no ${tool} was found`
  throw new Error(
    `The database runs PostgreSQL ${major}, but ${seen}. ${tool} must be version ${major} or newer: ` +
      `install it (Debian/Ubuntu: the postgresql-client-${major} package, from the PostgreSQL apt ` +
      `repository when the distribution has no such version) and set ${envName} to its path, e.g. ` +
      `${envName}=/usr/lib/postgresql/${major}/bin/${tool}`,
  )
}

function debianTools(tool: PgTool): string[] {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return []
  return readdirSync(base)
    .map((version) => `${base}/${version}/bin/${tool}`)
    .filter((file) => existsSync(file))
}

/** The connection for libpq tools: a URL without its password, which goes in PGPASSWORD. */
export function libpqConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url)
  const password = decodeURIComponent(u.password)
  u.password = ''
  return {
    dbname: u.toString(),
    env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env },
  }
}

/** Runs `binary args`, passing its output through; rejects with its exit code. */
export function runTool(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${binary} failed (${signal ?? `exit code ${code}`})`)),
    )
  })
}
