// `npm run db:migrate` is safe when two processes run it at once, and the production
// processes refuse a database that is not migrated (or missing settings) with a clear message.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { createDb, type Db } from '../../db/client.ts'
import { migrateToLatest, pendingMigrations } from '../../db/migrate.ts'
import { migrations } from '../../db/migrations/index.ts'
import { withDatabase } from '../support/global-setup.ts'

const adminUrl = inject('pgAdminUrl')
const name = `t_fresh_${randomBytes(5).toString('hex')}`
const url = withDatabase(adminUrl, name)
let first: Db
let second: Db

beforeAll(async () => {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  first = createDb(url, { max: 2 })
  second = createDb(url, { max: 2 })
})

afterAll(async () => {
  await first?.destroy()
  await second?.destroy()
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
})

/** Runs a production entry point and returns its exit code and output. */
function run(script: string[], env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...script], {
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

const SECRET = 'production-secret-production-secret'

describe('production processes on a database that is not migrated', () => {
  test('start:web and start:worker refuse and say to run npm run db:migrate', async () => {
    expect(await pendingMigrations(first)).toEqual([...Object.keys(migrations), 'graphile_worker'])
    const env = { DATABASE_URL: url, SESSION_SECRET: SECRET }
    const [web, worker] = await Promise.all([
      run(['server.ts', 'web'], env),
      run(['workers/main.ts'], { ...env, MEILISEARCH_URL: 'http://127.0.0.1:9' }),
    ])
    expect(web.code).toBe(1)
    expect(web.output).toContain('run npm run db:migrate')
    expect(worker.code).toBe(1)
    expect(worker.output).toContain('run npm run db:migrate')
    // Neither wrote anything.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema')`.execute(first)
    expect(rows[0]!.n).toBe(0)
  }, 60_000)

  test('start:web without DATABASE_URL or SESSION_SECRET names what is missing', async () => {
    const result = await run(['server.ts', 'web'], {
      DATABASE_URL: undefined,
      SESSION_SECRET: undefined,
    })
    expect(result.code).toBe(1)
    expect(result.output).toContain('DATABASE_URL: npm run start:web needs a PostgreSQL URL')
    expect(result.output).toContain('SESSION_SECRET: npm run start:web needs a secret')
  }, 30_000)
})

describe('two migrateToLatest at once on a fresh database', () => {
  test('both succeed, the schema is complete once, the metrics rebuild is queued once', async () => {
    const [a, b] = await Promise.all([migrateToLatest(first, url), migrateToLatest(second, url)])
    // One of them applied everything, the other waited on the lock and found nothing to do.
    expect([a.length, b.length].sort()).toEqual([0, Object.keys(migrations).length])
    expect(await pendingMigrations(first)).toEqual([])
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(first)
    expect(applied.rows.map((r) => r.name).sort()).toEqual(Object.keys(migrations).sort())
    const rebuild = await sql<{ n: number }>`select count(*)::int as n
      from graphile_worker._private_jobs where key = 'metrics:rebuild'`.execute(first)
    expect(rebuild.rows[0]!.n).toBe(1)
    // A third run (the next deploy) changes nothing.
    expect(await migrateToLatest(first, url)).toEqual([])
  }, 60_000)
})
