// The embedded capability index across processes (issue 10): each web process holds its own
// index and follows search_changes. Here two indexes, each with its follower and its own pool,
// stand for two web processes on one database; changes are saved through the model functions
// in transactions, as any process's request would save them.
import { randomBytes } from 'node:crypto'
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { testTaskDeps } from '../support/deps.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { createDb, type Db, type Tx } from '../../db/client.ts'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import { startSearchFollower, type SearchFollower } from '../../search/follower.server.ts'
import type { CapabilityIndex, CapabilityQuery } from '../../search/types.ts'
import { createResource, deleteResource, updateResource } from '../../app/models/resource.server.ts'
import { reactivateOrganization, suspendOrganization } from '../../app/models/suspension.server.ts'
import { reviewVerification } from '../../app/models/workshop.server.ts'
import type { ResourceInput } from '../../app/models/resource.schema.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { searchSync } from '../../workers/tasks/search__sync.ts'
import { sessionsCleanup } from '../../workers/tasks/sessions__cleanup.ts'

const t = useTestDatabase()

/** A word no other document holds: lowercase letters only, so it is one search token. */
const word = () => Array.from(randomBytes(10), (b) => String.fromCharCode(97 + (b % 26))).join('')

function machine(name: string, overrides: Partial<ResourceInput> = {}): ResourceInput {
  return {
    process: 'cnc_milling_5axis',
    name,
    make: '北京精雕',
    model: 'JDGR400',
    materials: ['al6061'],
    envelopeMm: [400, 300, 250],
    toleranceMm: 0.01,
    finishes: [],
    hourlyRateFen: 18_000,
    setupFeeFen: 0,
    minQuantity: 1,
    maxQuantity: null,
    description: '',
    active: true,
    ...overrides,
  }
}

interface Process {
  name: string
  index: CapabilityIndex
  db: Db
  follower: SearchFollower
  logs: { level: number; msg: string }[]
}

/** A follower's log lines, kept for the test to read (pino writes one JSON line each). */
function capturedLogger(logs: Process['logs']) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(JSON.parse(line) as Process['logs'][number])
      }
      done()
    },
  })
  return pino({ level: 'info' }, stream)
}

async function startProcess(name: string, url: string): Promise<Process> {
  const index = createEmbeddedIndex()
  await index.configure()
  const db = createDb(url, { max: 2 })
  const logs: Process['logs'] = []
  const follower = await startSearchFollower(db, index, { logger: capturedLogger(logs) })
  return { name, index, db, follower, logs }
}

// Process B reaches the database as a role of its own, so a test can take its read rights
// away: its polls then fail for real, as they would with the database out of reach.
const role = `sf_follower_${randomBytes(4).toString('hex')}`
let a: Process
let b: Process
let workshop: AccountView
let operator: AccountView

beforeAll(async () => {
  workshop = await createAccount(t.db, { kind: 'workshop', town: 'xiaolan' })
  operator = await createOperatorAccount(t.db)
  await sql`create role ${sql.id(role)} login password 'follower-password'`.execute(t.db)
  await sql`grant select on all tables in schema public to ${sql.id(role)}`.execute(t.db)
  const roleUrl = new URL(t.url)
  roleUrl.username = role
  roleUrl.password = 'follower-password'
  a = await startProcess('A', t.url)
  b = await startProcess('B', roleUrl.toString())
})

afterAll(async () => {
  for (const p of [a, b]) {
    await p?.follower.stop()
    await p?.db.destroy()
  }
  await sql`drop owned by ${sql.id(role)}`.execute(t.db)
  await sql`drop role if exists ${sql.id(role)}`.execute(t.db)
})

const processes = () => [a, b]

async function found(index: CapabilityIndex, query: Omit<CapabilityQuery, 'page' | 'perPage'>) {
  const result = await index.search({ ...query, page: 1, perPage: 100 })
  return result.hits.map((h) => h.document.id)
}

/**
 * Waits until `check` holds for the search in every given process; returns how long after
 * `since` each first held (ms).
 */
async function eventually(
  query: Omit<CapabilityQuery, 'page' | 'perPage'>,
  check: (ids: string[]) => boolean,
  options: { since?: number; within?: number; among?: Process[] } = {},
): Promise<number[]> {
  const since = options.since ?? Date.now()
  const deadline = since + (options.within ?? 10_000)
  const among = options.among ?? processes()
  const lags: (number | undefined)[] = among.map(() => undefined)
  for (;;) {
    for (const [i, p] of among.entries()) {
      if (lags[i] === undefined && check(await found(p.index, query))) lags[i] = Date.now() - since
    }
    if (lags.every((l) => l !== undefined)) return lags as number[]
    if (Date.now() > deadline) {
      const missing = among.filter((_, i) => lags[i] === undefined).map((p) => p.name)
      throw new Error(`search for ${JSON.stringify(query)} never matched in ${missing.join(', ')}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Saves through the model in a transaction, as a request would, and returns when it committed. */
async function save<T>(fn: (tx: Tx) => Promise<T>) {
  const result = await t.db.transaction().execute(fn)
  return { result, committed: Date.now() }
}

/** Waits `ms`, then says whether `process` still has not found anything for `q`. */
async function stillMissing(p: Process, q: string, ms: number) {
  await new Promise((r) => setTimeout(r, ms))
  return (await found(p.index, { q })).length === 0
}

describe('two processes with embedded indexes follow one database', () => {
  test('a machine saved in one transaction is found by both within ~2 s; a change and a deletion reach both', async () => {
    const name = word()
    const { result: id, committed } = await save((tx) =>
      createResource(tx, workshop, machine(`五轴 ${name}`)),
    )
    const lags = await eventually({ q: name }, (ids) => ids.includes(id), { since: committed })
    console.log(`save → searchable in both processes: ${lags.map((l) => `${l} ms`).join(', ')}`)

    // Renamed: the new word finds it and the old one no longer does, in both.
    const renamed = word()
    await save((tx) => updateResource(tx, workshop, id, machine(`五轴 ${renamed}`)))
    await eventually({ q: renamed }, (ids) => ids.includes(id))
    for (const p of processes()) expect(await found(p.index, { q: name })).toEqual([])

    // Deactivated: gone from both; active again, then deleted: gone again.
    await save((tx) =>
      updateResource(tx, workshop, id, machine(`五轴 ${renamed}`, { active: false })),
    )
    await eventually({ q: renamed }, (ids) => !ids.includes(id))
    await save((tx) => updateResource(tx, workshop, id, machine(`五轴 ${renamed}`)))
    await eventually({ q: renamed }, (ids) => ids.includes(id))
    await save((tx) => deleteResource(tx, workshop, id))
    await eventually({ q: renamed }, (ids) => ids.length === 0)
  })

  test('a follower that LISTENs reads a change when it commits, long before its next poll', async () => {
    const index = createEmbeddedIndex()
    await index.configure()
    const db = createDb(t.url, { max: 2 })
    const follower = await startSearchFollower(db, index, {
      logger: capturedLogger([]),
      pollMs: 600_000,
      listenUrl: t.url,
    })
    try {
      const name = word()
      const { result: id, committed } = await save((tx) =>
        createResource(tx, workshop, machine(`激光 ${name}`)),
      )
      const listening: Process = { name: 'C', index, db, follower, logs: [] }
      await eventually({ q: name }, (ids) => ids.includes(id), {
        since: committed,
        among: [listening],
      })
    } finally {
      await follower.stop()
      await db.destroy()
    }
  })

  test('suspending a workshop takes its machines out of both indexes and reactivating brings them back; verification shows in both', async () => {
    const owner = await createAccount(t.db, { kind: 'workshop', town: 'guzhen' })
    const name = word()
    const { result: first } = await save((tx) => createResource(tx, owner, machine(`${name} 一号`)))
    const { result: second } = await save((tx) =>
      createResource(tx, owner, machine(`${name} 二号`, { process: 'cnc_milling_3axis' })),
    )
    const both = (ids: string[]) => ids.includes(first) && ids.includes(second)
    await eventually({ q: name }, both)
    for (const p of processes())
      expect(await found(p.index, { q: name, verified: true })).toEqual([])

    await save((tx) =>
      suspendOrganization(tx, operator, {
        organizationId: owner.organization.id,
        reason: '资质过期',
      }),
    )
    await eventually({ q: name }, (ids) => ids.length === 0)
    await save((tx) =>
      reactivateOrganization(tx, operator, { organizationId: owner.organization.id }),
    )
    await eventually({ q: name }, both)

    // An operator approves the workshop (waiting for verification): both indexes say verified.
    await t.db
      .updateTable('organizations')
      .set({ verification_status: 'pending' })
      .where('id', '=', owner.organization.id)
      .execute()
    await save((tx) =>
      reviewVerification(tx, operator, {
        organizationId: owner.organization.id,
        decision: 'approve',
        publicUrl: 'http://localhost',
      }),
    )
    await eventually({ q: name, verified: true }, both)
  })

  test('a change whose id was taken before another’s but committed after it still reaches both', async () => {
    const [early, late] = [word(), word()]
    const { result: r1 } = await save((tx) => createResource(tx, workshop, machine(`r1 ${word()}`)))
    const { result: r2 } = await save((tx) => createResource(tx, workshop, machine(`r2 ${word()}`)))

    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    let tookId!: (id: number) => void
    const earlyId = new Promise<number>((resolve) => (tookId = resolve))
    // Transaction A saves r1 (taking a change id) and stays open…
    const slow = t.db.transaction().execute(async (tx) => {
      await updateResource(tx, workshop, r1, machine(`r1 ${early}`))
      const own = await tx
        .selectFrom('search_changes')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow()
      tookId(Number(own.id))
      await gate
    })
    const aId = await earlyId
    // …while B saves r2 (a later id) and commits, and both followers move past it.
    await save((tx) => updateResource(tx, workshop, r2, machine(`r2 ${late}`)))
    await eventually({ q: late }, (ids) => ids.includes(r2))
    for (const p of processes()) expect(p.follower.position).toBeGreaterThan(aId)
    expect(await found(a.index, { q: early })).toEqual([])
    // A third process starts now: its build from PostgreSQL cannot see A's change either.
    const c = await startProcess('C', t.url)
    try {
      expect(c.follower.position).toBeGreaterThan(aId)
      expect(await found(c.index, { q: late })).toEqual([r2])

      // A commits last: its change is not lost behind any follower's position.
      release()
      await slow
      const committed = Date.now()
      await eventually({ q: early }, (ids) => ids.includes(r1), {
        since: committed,
        within: 5_000,
        among: [a, b, c],
      })
    } finally {
      release()
      await c.follower.stop()
      await c.db.destroy()
    }
  })

  test('a process whose polls fail logs it, keeps serving its index, and catches up when the database answers again', async () => {
    const kept = word()
    const { result: old } = await save((tx) => createResource(tx, workshop, machine(kept)))
    await eventually({ q: kept }, (ids) => ids.includes(old))

    // B cannot read the feed: A follows on, B misses the change but still serves what it has.
    await sql`revoke select on search_changes from ${sql.id(role)}`.execute(t.db)
    const during = word()
    const { result: id } = await save((tx) => createResource(tx, workshop, machine(during)))
    await eventually({ q: during }, (ids) => ids.includes(id), { among: [a] })
    expect(await stillMissing(b, during, 2_000)).toBe(true)
    expect(await found(b.index, { q: kept })).toEqual([old])
    const warnings = () => b.logs.filter((l) => l.level === 40 && /cannot read changes/.test(l.msg))
    expect(warnings().length).toBeGreaterThan(0)
    await sql`grant select on search_changes to ${sql.id(role)}`.execute(t.db)
    await eventually({ q: during }, (ids) => ids.includes(id), { among: [b] })

    // B reads the change but cannot load its documents: the change is retried, not skipped.
    await sql`revoke select on materials from ${sql.id(role)}`.execute(t.db)
    const later = word()
    const { result: next } = await save((tx) => createResource(tx, workshop, machine(later)))
    await eventually({ q: later }, (ids) => ids.includes(next), { among: [a] })
    const before = warnings().length
    expect(await stillMissing(b, later, 2_000)).toBe(true)
    expect(warnings().length).toBeGreaterThan(before)
    await sql`grant select on materials to ${sql.id(role)}`.execute(t.db)
    await eventually({ q: later }, (ids) => ids.includes(next), { among: [b] })
    expect(b.logs.some((l) => /search follower recovered/.test(l.msg))).toBe(true)
  })
})

describe('the worker with the embedded index', () => {
  test('the nightly search__sync from cron rebuilds every process’s index; one queued by a change adds nothing', async () => {
    const listed = word()
    const { result: id } = await save((tx) => createResource(tx, workshop, machine(listed)))
    await eventually({ q: listed }, (ids) => ids.includes(id))
    const quietly = word()
    // A change no model function recorded (as idle hours move with the calendar overnight).
    await t.db.updateTable('resources').set({ name: quietly }).where('id', '=', id).execute()
    const feed = async () =>
      Number(
        (
          await t.db
            .selectFrom('search_changes')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const deps = testTaskDeps(t.db, { search: null })
    const rows = await feed()
    await searchSync({ resourceIds: [id] }, deps)
    expect(await feed()).toBe(rows)
    expect(await stillMissing(a, quietly, 1_500)).toBe(true)

    await searchSync(
      { all: true, _cron: { ts: new Date().toISOString(), backfilled: false } },
      deps,
    )
    expect(await feed()).toBe(rows + 1)
    await eventually({ q: quietly }, (ids) => ids.includes(id))
  })

  test('the nightly cleanup deletes feed rows older than a day and keeps recent ones', async () => {
    await sql`insert into search_changes (scope, created_at)
      values (${{ all: true }}::jsonb, now() - interval '25 hours')`.execute(t.db)
    const recent = await t.db
      .insertInto('search_changes')
      .values({ scope: { resourceIds: [] } })
      .returning('id')
      .executeTakeFirstOrThrow()
    await sessionsCleanup({}, testTaskDeps(t.db))
    const left = await t.db
      .selectFrom('search_changes')
      .select(['id'])
      .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
      .execute()
    expect(left).toEqual([])
    expect(
      await t.db.selectFrom('search_changes').select('id').where('id', '=', recent.id).execute(),
    ).toHaveLength(1)
  })
})
