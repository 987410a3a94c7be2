// Production worker behaviour: a killed worker's jobs run again within seconds (not after
// graphile-worker's 4-hour lock), SIGTERM's stop lets a running job finish, and past the
// shutdown timeout it hands the job back to the queue for another worker.
import { sql } from 'kysely'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { testTaskDeps } from '../support/deps.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { queueEmail } from '../../app/models/email.server.ts'
import type { MailTransport, OutgoingEmail } from '../../emails/transport.server.ts'

const t = useTestDatabase()
const running: WorkerHandle[] = []

afterEach(async () => {
  for (const worker of running.splice(0)) await worker.stop(0)
})

/** A mail transport that records what it sends; `gate` (when given) holds each send. */
function recordingMail(gate?: () => Promise<void>) {
  const sent: string[] = []
  const started: string[] = []
  const mail: MailTransport = {
    kind: 'mailbox',
    async send(email: OutgoingEmail) {
      started.push(email.to)
      if (gate) await gate()
      sent.push(email.to)
    },
    close: () => {},
  }
  return { mail, sent, started }
}

async function start(mail: MailTransport) {
  const worker = await startWorker(t.url, testTaskDeps(t.db, { mail }), {
    mode: 'standalone',
    concurrency: 2,
    cron: false,
  })
  running.push(worker)
  return worker
}

const queue = (to: string) =>
  t.db.transaction().execute((tx) =>
    queueEmail(tx, {
      to,
      locale: 'en',
      template: 'password-reset',
      props: { name: 'Kim', url: 'http://localhost/reset/x', validMinutes: 30 },
    }),
  )

async function jobFor(emailId: string) {
  const { rows } = await sql<{
    locked_by: string | null
    attempts: number
    last_error: string | null
  }>`select locked_by, attempts, last_error from graphile_worker._private_jobs
    where payload->>'emailId' = ${emailId}`.execute(t.db)
  return rows[0]
}

const emailStatus = async (id: string) =>
  (await t.db.selectFrom('emails').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status

/** Locks the job of `emailId` the way graphile-worker does when worker `workerId` takes it. */
async function lockAs(emailId: string, workerId: string) {
  await sql`update graphile_worker._private_jobs set locked_by = ${workerId}, locked_at = now()
    where payload->>'emailId' = ${emailId}`.execute(t.db)
}

describe('a worker killed mid-job (kill -9)', () => {
  test('its jobs run again on a live worker within seconds; a live worker keeps its own', async () => {
    const dead = await queue('dead@example.test')
    const alive = await queue('alive@example.test')
    await lockAs(dead, 'pool-killed')
    await lockAs(alive, 'pool-busy')
    await t.db
      .insertInto('worker_heartbeats')
      .values([
        {
          worker_id: 'pool-killed',
          mode: 'standalone',
          last_seen_at: sql<Date>`now() - interval '2 minutes'`,
        },
        { worker_id: 'pool-busy', mode: 'standalone', last_seen_at: sql<Date>`now()` },
      ])
      .execute()

    const { mail, sent } = recordingMail()
    const started = Date.now()
    await start(mail)
    await vi.waitFor(async () => expect(await emailStatus(dead)).toBe('sent'), {
      timeout: 10_000,
      interval: 100,
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(sent).toEqual(['dead@example.test'])
    // The live worker's job is still its own, and only the dead worker was forgotten.
    expect((await jobFor(alive))?.locked_by).toBe('pool-busy')
    expect(await emailStatus(alive)).toBe('queued')
    const beats = await t.db.selectFrom('worker_heartbeats').select('worker_id').execute()
    expect(beats.map((b) => b.worker_id)).not.toContain('pool-killed')
    expect(beats.map((b) => b.worker_id)).toContain('pool-busy')
    await t.db.deleteFrom('worker_heartbeats').where('worker_id', '=', 'pool-busy').execute()
  })
})

describe('stopping a worker (SIGTERM)', () => {
  test('lets the running job finish, under the id its heartbeat carries', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const { mail, sent, started } = recordingMail(() => held)
    const worker = await start(mail)
    const id = await queue('finish@example.test')
    await vi.waitFor(() => expect(started).toEqual(['finish@example.test']), { timeout: 10_000 })
    // graphile-worker locks the job with the pool id we heartbeat under, so a live worker
    // can tell this one is dead when its heartbeat stops.
    expect((await jobFor(id))?.locked_by).toBe(worker.id)
    const beat = await t.db
      .selectFrom('worker_heartbeats')
      .select('worker_id')
      .where('worker_id', '=', worker.id)
      .executeTakeFirst()
    expect(beat).toBeDefined()

    const stopping = worker.stop(10_000)
    await new Promise((r) => setTimeout(r, 500))
    expect(sent).toEqual([])
    release()
    await stopping
    expect(sent).toEqual(['finish@example.test'])
    expect(await emailStatus(id)).toBe('sent')
    expect(await jobFor(id)).toBeUndefined()
  })

  test('past the timeout hands the running job back; another worker then runs it', async () => {
    const stuck = recordingMail(() => new Promise<void>(() => {}))
    const worker = await start(stuck.mail)
    const id = await queue('handback@example.test')
    await vi.waitFor(() => expect(stuck.started).toEqual(['handback@example.test']), {
      timeout: 10_000,
    })
    const before = Date.now()
    await worker.stop(1000)
    expect(Date.now() - before).toBeLessThan(5_000)
    const job = await jobFor(id)
    expect(job?.locked_by).toBeNull()
    expect(job?.attempts).toBe(1)

    const { mail, sent } = recordingMail()
    await start(mail)
    await vi.waitFor(async () => expect(await emailStatus(id)).toBe('sent'), {
      timeout: 15_000,
      interval: 200,
    })
    expect(sent).toEqual(['handback@example.test'])
  })
})
