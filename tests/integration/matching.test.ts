// Matching (issue 6, first part): opening a job queues match__job in the same transaction; the
// worker finds the machines that can make the part, prices the job on each, ranks them with
// named reasons, records why the others fell out, and emails the matched workshops — once.
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import type { TestClient } from '../support/http.ts'
import {
  TEST_SESSION_SECRET,
  startTestServer,
  type TestServer,
  apiSession,
} from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { testTaskDeps } from '../support/deps.ts'
import { createAccount } from '../factories.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { createLocalStorage } from '../../app/models/storage.server.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { fitsEnvelope, matchJob } from '../../app/models/matching.server.ts'
import { replaceCapacity } from '../../app/models/resource.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { binaryStl, box } from '../unit/cad/models.ts'

const t = useTestDatabase()
let server: TestServer
let worker: WorkerHandle
beforeAll(async () => {
  const storage = createLocalStorage(mkdtempSync(path.join(os.tmpdir(), 'sf-match-files-')), {
    signingSecret: TEST_SESSION_SECRET,
  })
  server = await startTestServer(t.db, {}, { storage })
  worker = await startWorker(t.url, testTaskDeps(t.db, { storage }), {
    mode: 'inline',
    cron: false,
  })
})
afterAll(async () => {
  await worker.stop()
  await server.close()
})

const session = (account: AccountView) => apiSession(server.url, account)

const today = shanghaiToday()

/** A workshop with one 3-axis mill; `hours` per day of idle capacity for 40 days. */
async function workshop(
  label: string,
  machine: {
    materials?: string[]
    tolerance?: number
    envelope?: [number, number, number]
    hours?: number
    town?: string
    verified?: boolean
    rate?: number
  } = {},
) {
  const account = await createAccount(t.db, {
    kind: 'workshop',
    organizationName: `${label} 精密加工`,
    town: machine.town ?? 'guzhen',
  })
  await t.db
    .updateTable('organizations')
    .set({ verification_status: machine.verified === false ? 'pending' : 'verified' })
    .where('id', '=', account.organization.id)
    .execute()
  const resource = await t.db
    .insertInto('resources')
    .values({
      organization_id: account.organization.id,
      process: 'cnc_milling_3axis',
      name: `${label} 三轴加工中心`,
      materials: machine.materials ?? ['al6061'],
      envelope_x_mm: machine.envelope?.[0] ?? 500,
      envelope_y_mm: machine.envelope?.[1] ?? 400,
      envelope_z_mm: machine.envelope?.[2] ?? 300,
      tolerance_mm: machine.tolerance ?? 0.01,
      hourly_rate_fen: machine.rate ?? 12_000,
      max_quantity: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if ((machine.hours ?? 8) > 0) {
    await t.db
      .insertInto('capacity_windows')
      .values({
        resource_id: resource.id,
        starts_on: today,
        ends_on: addDays(today, 40),
        hours_per_day: machine.hours ?? 8,
      })
      .execute()
  }
  return { account, resourceId: resource.id }
}

async function openJobWithCube() {
  const designer = await session(await createAccount(t.db, { kind: 'design_firm' }))
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(binaryStl(box(40, 30, 20)))]), 'block.stl')
  const file = await designer.client.fetch('/api/v1/files', {
    method: 'POST',
    body: form,
    headers: designer.csrf,
  })
  const fileId = ((await file.json()) as { id: string }).id
  for (let i = 0; i < 200; i++) {
    const res = await designer.client.api('GET', `/api/v1/files/${fileId}`)
    if (res.body.analysis.status !== 'pending') break
    await new Promise((r) => setTimeout(r, 100))
  }
  const job = await designer.client.api(
    'POST',
    '/api/v1/jobs',
    {
      title: '铝块 40×30×20',
      process: 'cnc_milling_3axis',
      material: 'al6061',
      tolerance_mm: 0.02,
      deadline: addDays(today, 30),
      delivery_town: 'guzhen',
      visibility: 'invited',
      parts: [{ file_id: fileId, quantity: 10 }],
    },
    designer.csrf,
  )
  expect(job.status).toBe(201)
  const opened = await designer.client.api(
    'POST',
    `/api/v1/jobs/${job.body.id}/open`,
    undefined,
    designer.csrf,
  )
  expect(opened.status).toBe(200)
  return { designer, jobId: job.body.id as string, fileId }
}

async function matchesOf(client: TestClient, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const res = await client.api('GET', `/api/v1/jobs/${jobId}/matches`)
    expect(res.status).toBe(200)
    if (res.body.matched_at) return res.body
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('matching never ran')
}

describe('envelope fit', () => {
  test('a part fits when some axis-aligned pose fits; a sheet needs the bed', () => {
    expect(fitsEnvelope([300, 50, 20], [60, 400, 25])).toBe(true)
    expect(fitsEnvelope([300, 50, 30], [60, 400, 25])).toBe(false)
    expect(fitsEnvelope([1200, 600], [3000, 1500, 20])).toBe(true)
    expect(fitsEnvelope([1600, 1600], [3000, 1500, 20])).toBe(false)
  })
})

describe('match-job', () => {
  test('ranks the machines that can make it, says why the others cannot, emails once', async () => {
    const near = await workshop('古镇近', { town: 'guzhen' })
    const far = await workshop('坦洲远', { town: 'tanzhou', rate: 11_000 })
    await workshop('粗公差', { tolerance: 0.05 })
    await workshop('不锈钢', { materials: ['ss304'] })
    await workshop('小行程', { envelope: [30, 30, 30] })
    await workshop('满负荷', { hours: 0 })
    const unverified = await workshop('未核验', { verified: false })

    const { designer, jobId, fileId } = await openJobWithCube()
    const result = await matchesOf(designer.client, jobId)
    const workshops = result.matches.map((m: { workshop_id: string }) => m.workshop_id)
    expect(workshops).toHaveLength(2)
    expect(new Set(workshops)).toEqual(
      new Set([near.account.organization.id, far.account.organization.id]),
    )
    expect(workshops).not.toContain(unverified.account.organization.id)
    expect(result.matches.map((m: { rank: number }) => m.rank)).toEqual([1, 2])
    const [first] = result.matches
    expect(first.reasons.map((r: { term: string }) => r.term)).toEqual([
      'price',
      'lead_time',
      'distance',
      'rating',
      'on_time',
      'idle_share',
    ])
    const sum = first.reasons.reduce(
      (s: number, r: { contribution: number }) => s + r.contribution,
      0,
    )
    expect(first.score).toBeCloseTo(sum, 3)
    expect(first.estimate).toMatchObject({
      material: 'al6061',
      parts: [{ file_id: fileId, quantity: 10 }],
    })
    expect(first.estimate.total_fen).toBeGreaterThan(0)
    expect(Number.isInteger(first.estimate.total_fen)).toBe(true)

    const misses = Object.fromEntries(
      result.summary.misses.map((m: { code: string }) => [m.code, m]),
    )
    expect(result.summary.matched).toBe(2)
    expect(misses.tolerance).toMatchObject({ count: 1, best: '0.05 mm' })
    expect(misses.material).toMatchObject({ count: 1 })
    expect(misses.envelope).toMatchObject({ count: 1 })
    expect(misses.idle_hours).toMatchObject({ count: 1 })

    // Matched workshops were emailed, once; running the match again changes nothing.
    const emails = async () =>
      (
        await t.db
          .selectFrom('emails')
          .select('to_address')
          .where('template', '=', 'job-matched')
          .execute()
      )
        .map((e) => e.to_address)
        .sort()
    expect(await emails()).toEqual([near.account.user.email, far.account.user.email].sort())
    expect(await matchJob(t.db, jobId, { publicUrl: 'http://localhost' })).toBeUndefined()
    expect(await emails()).toHaveLength(2)
    const rows = await t.db.selectFrom('matches').select('id').where('job_id', '=', jobId).execute()
    expect(rows).toHaveLength(2)

    // A matched workshop may see this invited-only job and open its drawings.
    const ws = await session(far.account)
    const seen = await ws.client.api('GET', `/api/v1/jobs/${jobId}`)
    expect(seen.body.access).toMatchObject({ invited: true, files_allowed: true })
    expect((await ws.client.fetch(`/api/v1/files/${fileId}/download`)).status).toBe(302)
    // …but not the other workshops' matches.
    expectError(await ws.client.api('GET', `/api/v1/jobs/${jobId}/matches`), 404, 'not_found')
    // The designer's page lists them.
    const page = await designer.client.get(`/jobs/${jobId}`)
    const html = await page.text()
    expect(html).toContain('已匹配 2 家工厂')
    expect(html).toContain('古镇近 精密加工')
  })

  test('nothing matches: the summary says what is missing', async () => {
    const { designer, jobId } = await openJobWithCube()
    // Let the worker's run finish, then make the job impossible and match it again.
    await matchesOf(designer.client, jobId)
    await t.db.deleteFrom('matches').where('job_id', '=', jobId).execute()
    await t.db
      .updateTable('jobs')
      .set({ tolerance_mm: 0.001, matched_at: null, match_summary: null })
      .where('id', '=', jobId)
      .execute()
    const outcome = await matchJob(t.db, jobId, { publicUrl: 'http://localhost' })
    expect(outcome?.matched).toBe(0)
    const result = await matchesOf(designer.client, jobId)
    expect(result.matches).toEqual([])
    expect(
      result.summary.misses.find((m: { code: string }) => m.code === 'tolerance'),
    ).toMatchObject({
      best: '0.01 mm',
    })
    const html = await (await designer.client.get(`/jobs/${jobId}`)).text()
    expect(html).toContain('暂时没有符合全部条件的设备')

    // Relax it (the form on that page, no JavaScript): never tighter, then matched again.
    await t.db.deleteFrom('quotes').where('job_id', '=', jobId).execute()
    const tighter = await designer.client.postForm(`/jobs/${jobId}`, {
      intent: 'relax',
      toleranceMm: '0.0005',
    })
    expect(tighter.status).toBe(422)
    expect(await tighter.text()).toContain('放宽后的公差不能比原来更严')
    const relaxed = await designer.client.postForm(`/jobs/${jobId}`, {
      intent: 'relax',
      toleranceMm: '0.01',
    })
    expect(relaxed.status).toBe(302)
    expect(relaxed.headers.get('location')).toBe(`/jobs/${jobId}?relaxed=1#matches`)
    const again = await matchesOf(designer.client, jobId)
    expect(again.matches.length).toBeGreaterThan(0)
    const job = await t.db
      .selectFrom('jobs')
      .select('tolerance_mm')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow()
    expect(job.tolerance_mm).toBe(0.01)
    // Once workshops have quoted, the job stays as they priced it.
    const late = await designer.client.postForm(`/jobs/${jobId}`, {
      intent: 'relax',
      toleranceMm: '0.05',
    })
    expect(late.status).toBe(422)
    expect(await late.text()).toContain('已有工厂按现在的要求报价')
  })

  test('a heavy job matches a machine once its capacity offers the hours, and not before', async () => {
    // 1000 blocks take about 375 machine hours: more than 8 h a day for 30 days (240 h),
    // less than 20 (600 h). Matching skips the calendar of a machine whose peak hours a day
    // cannot reach them, so the peak must follow every edit of the windows.
    const { account, resourceId } = await workshop('重活', { hours: 8 })
    const firm = await createAccount(t.db, { kind: 'design_firm' })
    const heavyJob = async () => {
      const file = await t.db
        .insertInto('job_files')
        .values({
          organization_id: firm.organization.id,
          storage_key: `heavy/${Math.random()}`,
          original_name: 'block.stl',
          format: 'stl',
          size_bytes: 684,
          sha256: 'heavy',
          analysis_status: 'done',
          analysis: {
            kind: 'mesh',
            volumeMm3: 40 * 30 * 20,
            surfaceAreaMm2: 2 * (40 * 30 + 30 * 20 + 40 * 20),
            bboxMm: [40, 30, 20],
            bboxMinMm: [0, 0, 0],
            triangles: 12,
            watertight: true,
            warnings: [],
          },
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const job = await t.db
        .insertInto('jobs')
        .values({
          organization_id: firm.organization.id,
          title: '铝块 ×1000',
          process: 'cnc_milling_3axis',
          material: 'al6061',
          tolerance_mm: 0.02,
          deadline: addDays(today, 30),
          delivery_town: 'guzhen',
          status: 'open',
          opened_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await t.db
        .insertInto('job_parts')
        .values({ job_id: job.id, file_id: file.id, quantity: 1000, position: 0 })
        .execute()
      const outcome = await matchJob(t.db, job.id, { publicUrl: 'http://localhost', today })
      const matches = await t.db
        .selectFrom('matches')
        .select(['resource_id', 'reasons'])
        .where('job_id', '=', job.id)
        .execute()
      return { outcome, mine: matches.find((m) => m.resource_id === resourceId) }
    }
    const capacity = (hoursPerDay: number) =>
      t.db
        .transaction()
        .execute((tx) =>
          replaceCapacity(tx, account, resourceId, [
            { from: today, to: addDays(today, 40), hoursPerDay },
          ]),
        )
    const peak = async () =>
      (
        await t.db
          .selectFrom('resources')
          .select('peak_hours_per_day')
          .where('id', '=', resourceId)
          .executeTakeFirstOrThrow()
      ).peak_hours_per_day

    const short = await heavyJob()
    expect(short.mine).toBeUndefined()
    expect(short.outcome?.summary.misses).toContainEqual(
      expect.objectContaining({ code: 'idle_hours', best: '375.5 h' }),
    )

    await capacity(20)
    expect(await peak()).toBe(20)
    const enough = await heavyJob()
    expect(enough.mine?.reasons).toContainEqual(
      expect.objectContaining({ term: 'idle_share', value: 600 }),
    )

    await capacity(12)
    expect(await peak()).toBe(12)
    expect((await heavyJob()).mine).toBeUndefined()

    // Whoever writes the windows: changed and removed directly, the peak follows.
    await t.db
      .updateTable('capacity_windows')
      .set({ hours_per_day: 22 })
      .where('resource_id', '=', resourceId)
      .execute()
    expect(await peak()).toBe(22)
    expect((await heavyJob()).mine).toBeDefined()
    await t.db.deleteFrom('capacity_windows').where('resource_id', '=', resourceId).execute()
    expect(await peak()).toBe(0)
    expect((await heavyJob()).mine).toBeUndefined()
  })
})
