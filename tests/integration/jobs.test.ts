// Jobs with CAD parts end to end: uploads streamed to the local storage, analysed by the
// cad__analyse task in a real graphile-worker, jobs drafted, opened and locked, and the
// files reaching only those allowed (owner, operators, invited workshops after the NDA),
// with signed downloads and their log.
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import {
  TEST_SESSION_SECRET,
  TestClient,
  startTestServer,
  type TestServer,
  apiSession,
  apiUpload,
  type Session,
} from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { expectError } from '../support/api-errors.ts'
import { testTaskDeps } from '../support/deps.ts'
import { TEST_PASSWORD, createAccount, createOperatorAccount } from '../factories.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { filesCleanup } from '../../workers/tasks/files__cleanup.ts'
import { createLogger } from '../../app/utils/logger.server.ts'
import { createLocalStorage } from '../../app/models/storage.server.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { asciiStl, binaryStl, box, cylinder, dxf, lwpolyline, circle } from '../unit/cad/models.ts'

const t = useTestDatabase()
const MAX_UPLOAD = 256 * 1024
let server: TestServer
let worker: WorkerHandle
let filesDir: string
beforeAll(async () => {
  filesDir = mkdtempSync(path.join(os.tmpdir(), 'sf-jobs-files-'))
  const storage = createLocalStorage(filesDir, { signingSecret: TEST_SESSION_SECRET })
  server = await startTestServer(t.db, { maxUploadBytes: MAX_UPLOAD }, { storage })
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
const designer = async () => session(await createAccount(t.db, { kind: 'design_firm' }))
const workshop = async () => session(await createAccount(t.db, { kind: 'workshop' }))

const uploadFile = (s: Session, name: string, bytes: Uint8Array | string) =>
  apiUpload(s, '/api/v1/files', {}, { name, bytes })

/** Polls the file until its analysis is no longer pending (the worker runs it). */
async function analysed(s: Session, id: string) {
  const deadline = Date.now() + 20_000
  for (;;) {
    const res = await s.client.api('GET', `/api/v1/files/${id}`)
    expect(res.status).toBe(200)
    if (res.body.analysis.status !== 'pending') return res.body
    if (Date.now() > deadline) throw new Error(`analysis of ${id} still pending`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const cube = (size = 10) => binaryStl(box(size, size, size))

function jobBody(overrides: Record<string, unknown> = {}) {
  return {
    title: '铝合金灯饰支架',
    description: '古镇灯饰，阳极氧化黑色',
    process: 'cnc_milling_3axis',
    material: 'al6061',
    tolerance_mm: 0.05,
    finish: '阳极氧化',
    deadline: addDays(shanghaiToday(), 30),
    budget_fen: 500_000,
    delivery_town: 'guzhen',
    ...overrides,
  }
}

/** A designer's job with one analysed cube, opened unless `open: false`. */
async function postedJob(options: { nda?: boolean; visibility?: string; open?: boolean } = {}) {
  const owner = await designer()
  const file = await uploadFile(owner, 'bracket.stl', cube())
  expect(file.status).toBe(201)
  await analysed(owner, file.body.id)
  const created = await owner.client.api(
    'POST',
    '/api/v1/jobs',
    jobBody({
      nda_required: options.nda ?? false,
      visibility: options.visibility ?? 'public',
      parts: [{ file_id: file.body.id, quantity: 50 }],
    }),
    owner.csrf,
  )
  expect(created.status).toBe(201)
  if (options.open !== false) {
    const opened = await owner.client.api(
      'POST',
      `/api/v1/jobs/${created.body.id}/open`,
      undefined,
      owner.csrf,
    )
    expect(opened.status).toBe(200)
  }
  return { owner, jobId: created.body.id as string, fileId: file.body.id as string }
}

function storedFiles(): string[] {
  return readdirSync(filesDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
}

describe('uploads and analysis', () => {
  test('a binary STL is stored, hashed and measured: a 10 mm cube is 1000 mm³', async () => {
    const s = await designer()
    const bytes = cube()
    const res = await uploadFile(s, '立方体.stl', bytes)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      name: '立方体.stl',
      format: 'stl',
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      analysis: { status: 'pending' },
    })
    expect(res.headers.get('location')).toBe(`/api/v1/files/${res.body.id}`)
    const done = await analysed(s, res.body.id)
    expect(done.analysis).toMatchObject({
      status: 'done',
      units: 'mm',
      triangles: 12,
      watertight: true,
      extents_mm: null,
    })
    expect(done.analysis.volume_mm3).toBeCloseTo(1000, 6)
    expect(done.analysis.surface_area_mm2).toBeCloseTo(600, 6)
    expect(done.analysis.bbox_mm).toEqual([10, 10, 10])
    expect(done.thumbnail_url).toBe(`/cad/${res.body.id}/thumbnail.png`)
    const thumb = await s.client.get(done.thumbnail_url)
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/png')
    // A binary STL is its own 3D preview.
    const preview = await s.client.get(`/cad/${res.body.id}/preview.stl`)
    expect(Buffer.from(await preview.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  })

  test('ASCII STL gives the same figures; a tiny part offers inches and rescales', async () => {
    const s = await designer()
    // A 2 × 1 × 0.5 block: drawn in inches, most likely.
    const res = await uploadFile(s, 'inch-part.stl', asciiStl(box(2, 1, 0.5)))
    expect(res.status).toBe(201)
    const done = await analysed(s, res.body.id)
    expect(done.analysis.volume_mm3).toBeCloseTo(1, 9)
    expect(done.analysis.warnings.map((w: { code: string }) => w.code)).toContain('maybe_inches')
    const inch = await s.client.api(
      'PATCH',
      `/api/v1/files/${res.body.id}`,
      { units: 'inch' },
      s.csrf,
    )
    expect(inch.status).toBe(200)
    expect(inch.body.analysis.units).toBe('inch')
    expect(inch.body.analysis.bbox_mm[0]).toBeCloseTo(50.8, 9)
    expect(inch.body.analysis.volume_mm3).toBeCloseTo(25.4 ** 3, 6)
    expect(inch.body.analysis.surface_area_mm2).toBeCloseTo(7 * 25.4 ** 2, 6)
    expectError(
      await s.client.api('PATCH', `/api/v1/files/${res.body.id}`, { units: 'cubit' }, s.csrf),
      400,
      'invalid_input',
    )
  })

  test('DXF: sheet extents, cut length and pierces', async () => {
    const s = await designer()
    const plate = dxf([
      lwpolyline(
        [
          [0, 0],
          [100, 0],
          [100, 50],
          [0, 50],
        ],
        true,
      ),
      circle(50, 25, 10),
    ])
    const res = await uploadFile(s, 'plate.dxf', plate)
    expect(res.status).toBe(201)
    expect(res.body.format).toBe('dxf')
    const done = await analysed(s, res.body.id)
    expect(done.analysis).toMatchObject({ status: 'done', extents_mm: [100, 50], pierces: 2 })
    expect(done.analysis.cut_length_mm).toBeCloseTo(300 + 2 * Math.PI * 10, 1)
    expect(done.analysis.volume_mm3).toBeNull()
    const svg = await s.client.get(`/cad/${res.body.id}/preview.svg`)
    expect(svg.status).toBe(200)
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    expect(await svg.text()).toContain('viewBox')
  })

  test('an open mesh is accepted with a warning that its volume is unreliable', async () => {
    const s = await designer()
    const closed = box(10, 10, 10)
    const open = { vertices: closed.vertices, triangles: closed.triangles.slice(0, -3) }
    const res = await uploadFile(s, 'open.stl', binaryStl(open))
    const done = await analysed(s, res.body.id)
    expect(done.analysis.status).toBe('done')
    expect(done.analysis.watertight).toBe(false)
    expect(done.analysis.warnings.map((w: { code: string }) => w.code)).toContain('not_watertight')
  })

  test('bad files: refused at upload, or failed with a message; nothing half-stored', async () => {
    const s = await designer()
    const before = storedFiles().length
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(200, 1),
    ])
    expectError(await uploadFile(s, 'part.stl', png), 422, 'cad_format')
    expectError(await uploadFile(s, 'empty.stl', ''), 422, 'file_empty')
    const tooBig = await uploadFile(s, 'big.stl', binaryStl(cylinder(50, 10, 3000)))
    expectError(tooBig, 413, 'file_too_large')
    expect(storedFiles().length).toBe(before)
    expect(
      await t.db
        .selectFrom('job_files')
        .select('id')
        .where('organization_id', '=', s.account.organization.id)
        .execute(),
    ).toEqual([])

    const cases: [string, Uint8Array | string, string][] = [
      // A binary STL cut short: its length no longer matches the triangle count.
      ['truncated.stl', cube().slice(0, 84 + 50 * 12 - 7), 'truncated'],
      ['nothing.stl', 'solid empty\nendsolid empty\n', 'empty'],
      [
        'nan.stl',
        'solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex NaN 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid x\n',
        'non_finite',
      ],
      ['garbage.step', 'ISO-10303-21;\nHEADER;\nthis is not a step file\nENDSEC;\n', 'corrupt'],
      ['empty.dxf', dxf([]), 'empty'],
    ]
    for (const [name, bytes, code] of cases) {
      const res = await uploadFile(s, name, bytes)
      if (res.status !== 201) {
        // Refused at the door is fine too, as long as it says why.
        expect(res.status, name).toBe(422)
        continue
      }
      const done = await analysed(s, res.body.id)
      expect(done.analysis.status, name).toBe('failed')
      expect(done.analysis.error_code, name).toBe(code)
      expect(done.analysis.error.length, name).toBeGreaterThan(0)
    }
  })

  test('a 3MF zip bomb fails without unpacking it', async () => {
    // The limit is 1 GiB by default; a smaller one keeps the test's own zip small.
    process.env.CAD_MAX_UNCOMPRESSED_MB = '50'
    onTestFinished(() => {
      delete process.env.CAD_MAX_UNCOMPRESSED_MB
    })
    const huge = new Uint8Array(200 * 1024 * 1024) // zeros: compresses to almost nothing
    const bomb = zipSync({ '3D/3dmodel.model': [huge, { level: 9 }] })
    expect(bomb.length).toBeLessThan(MAX_UPLOAD)
    // Logged in only now: building the zip takes seconds, longer than a kept-alive socket lives.
    const s = await designer()
    const res = await uploadFile(s, 'bomb.3mf', bomb)
    expect(res.status).toBe(201)
    expect(res.body.format).toBe('3mf')
    const done = await analysed(s, res.body.id)
    expect(done.analysis).toMatchObject({ status: 'failed', error_code: 'zip_bomb' })
  })

  test('only design firms upload; a workshop gets 403', async () => {
    const ws = await workshop()
    expectError(await uploadFile(ws, 'x.stl', cube()), 403, 'forbidden')
  })
})

describe('abandoned uploads', () => {
  test('files__cleanup deletes files never attached to a job after a day, with their bytes', async () => {
    const s = await designer()
    const orphan = await uploadFile(s, 'orphan.stl', cube())
    const kept = await uploadFile(s, 'kept.stl', cube())
    const fresh = await uploadFile(s, 'fresh.stl', cube())
    await analysed(s, orphan.body.id)
    await analysed(s, kept.body.id)
    await s.client.api(
      'POST',
      '/api/v1/jobs',
      jobBody({ parts: [{ file_id: kept.body.id, quantity: 1 }] }),
      s.csrf,
    )
    await t.db
      .updateTable('job_files')
      .set({ created_at: new Date(Date.now() - 25 * 3600 * 1000) })
      .where('id', 'in', [orphan.body.id, kept.body.id])
      .execute()
    const before = storedFiles().length
    const storage = createLocalStorage(filesDir)
    await filesCleanup({}, { db: t.db, storage, logger: createLogger('silent') })
    const left = await t.db
      .selectFrom('job_files')
      .select('id')
      .where('organization_id', '=', s.account.organization.id)
      .execute()
    expect(left.map((f) => f.id).sort()).toEqual([kept.body.id, fresh.body.id].sort())
    // The orphan's upload, thumbnail (and no preview: a binary STL is its own) are gone.
    expect(storedFiles().length).toBe(before - 2)
  })
})

describe('jobs', () => {
  test('draft → open; an open job cannot be edited; listing by status', async () => {
    const { owner, jobId, fileId } = await postedJob({ open: false })
    const draft = await owner.client.api('GET', `/api/v1/jobs/${jobId}`)
    expect(draft.body).toMatchObject({
      status: 'draft',
      title: '铝合金灯饰支架',
      budget_fen: 500_000,
      parts: [{ quantity: 50, format: 'stl', file: { id: fileId } }],
      access: { role: 'owner', files_allowed: true },
    })
    const patched = await owner.client.api(
      'PATCH',
      `/api/v1/jobs/${jobId}`,
      { title: '灯饰支架 v2', parts: [{ file_id: fileId, quantity: 80 }] },
      owner.csrf,
    )
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ title: '灯饰支架 v2', material: 'al6061' })
    expect(patched.body.parts[0].quantity).toBe(80)

    const opened = await owner.client.api(
      'POST',
      `/api/v1/jobs/${jobId}/open`,
      undefined,
      owner.csrf,
    )
    expect(opened.body.status).toBe('open')
    expect(opened.body.opened_at).toEqual(expect.any(String))
    expectError(
      await owner.client.api('PATCH', `/api/v1/jobs/${jobId}`, { title: 'late' }, owner.csrf),
      409,
      'job_not_draft',
    )
    expectError(
      await owner.client.api('POST', `/api/v1/jobs/${jobId}/open`, undefined, owner.csrf),
      409,
      'job_already_open',
    )
    expectError(
      await owner.client.api('PATCH', `/api/v1/files/${fileId}`, { units: 'inch' }, owner.csrf),
      409,
      'job_not_draft',
    )
    const open = await owner.client.api('GET', '/api/v1/jobs?status=open')
    expect(open.body.jobs.map((j: { id: string }) => j.id)).toEqual([jobId])
    expect(open.body.jobs[0]).toMatchObject({ part_count: 1, total_quantity: 80, pending_parts: 0 })
    expect((await owner.client.api('GET', '/api/v1/jobs?status=draft')).body.jobs).toEqual([])
    expectError(await owner.client.api('GET', '/api/v1/jobs?status=bogus'), 400, 'invalid_input')
  })

  test('a job opens only when every part is analysed', async () => {
    const owner = await designer()
    const none = await owner.client.api('POST', '/api/v1/jobs', jobBody(), owner.csrf)
    expectError(
      await owner.client.api('POST', `/api/v1/jobs/${none.body.id}/open`, undefined, owner.csrf),
      422,
      'job_no_parts',
    )
    // A part still waiting for the worker (inserted as such, so no race with it).
    const pending = await t.db
      .insertInto('job_files')
      .values({
        organization_id: owner.account.organization.id,
        storage_key: `cad/test/${crypto.randomUUID()}`,
        original_name: 'slow.step',
        format: 'step',
        size_bytes: 1,
        sha256: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await owner.client.api(
      'PATCH',
      `/api/v1/jobs/${none.body.id}`,
      { parts: [{ file_id: pending.id, quantity: 1 }] },
      owner.csrf,
    )
    const refused = await owner.client.api(
      'POST',
      `/api/v1/jobs/${none.body.id}/open`,
      undefined,
      owner.csrf,
    )
    expectError(refused, 422, 'parts_not_ready')
    expect(refused.body.error.details.parts).toEqual([
      { file_id: pending.id, name: 'slow.step', status: 'pending' },
    ])
    expect((await owner.client.api('GET', `/api/v1/jobs/${none.body.id}`)).body.status).toBe(
      'draft',
    )
  })

  test("bad job input: field errors, another firm's file is 404, a file on two jobs is 409", async () => {
    const owner = await designer()
    const cases: [Record<string, unknown>, number, string][] = [
      [{ title: 'x' }, 400, 'invalid_input'],
      [{ tolerance_mm: 0 }, 400, 'invalid_input'],
      [{ delivery_town: 'atlantis' }, 400, 'invalid_input'],
      [{ deadline: shanghaiToday() }, 422, 'deadline_past'],
      [{ deadline: addDays(shanghaiToday(), 1000) }, 422, 'deadline_far'],
      [{ material: 'unobtainium' }, 422, 'invalidChoice'],
      [{ budget_fen: -5 }, 400, 'invalid_input'],
      [{ parts: [{ file_id: crypto.randomUUID(), quantity: 1 }] }, 404, 'not_found'],
    ]
    for (const [override, status, code] of cases) {
      const res = await owner.client.api('POST', '/api/v1/jobs', jobBody(override), owner.csrf)
      expectError(res, status, code)
    }
    const { fileId } = await postedJob({ open: false })
    expectError(
      await owner.client.api(
        'POST',
        '/api/v1/jobs',
        jobBody({ parts: [{ file_id: fileId, quantity: 1 }] }),
        owner.csrf,
      ),
      404,
      'not_found',
    )
    const mine = await uploadFile(owner, 'mine.stl', cube())
    await owner.client.api(
      'POST',
      '/api/v1/jobs',
      jobBody({ parts: [{ file_id: mine.body.id, quantity: 1 }] }),
      owner.csrf,
    )
    expectError(
      await owner.client.api(
        'POST',
        '/api/v1/jobs',
        jobBody({ parts: [{ file_id: mine.body.id, quantity: 1 }] }),
        owner.csrf,
      ),
      409,
      'file_in_other_job',
    )
    const jobs = await owner.client.api('GET', '/api/v1/jobs')
    expect(jobs.body.jobs).toHaveLength(1)
    const ws = await workshop()
    expectError(await ws.client.api('POST', '/api/v1/jobs', jobBody(), ws.csrf), 403, 'forbidden')
  })
})

describe('who may open the files', () => {
  test("a designer never sees another firm's jobs or files", async () => {
    const { jobId, fileId } = await postedJob()
    const other = await designer()
    expectError(await other.client.api('GET', `/api/v1/jobs/${jobId}`), 404, 'not_found')
    expectError(await other.client.api('GET', `/api/v1/files/${fileId}`), 404, 'not_found')
    expectError(await other.client.api('GET', `/api/v1/files/${fileId}/download`), 404, 'not_found')
    expect((await other.client.get(`/cad/${fileId}/thumbnail.png`)).status).toBe(404)
    expect((await other.client.get(`/jobs/${jobId}`)).status).toBe(404)
  })

  test('NDA: an invited workshop gets 403 until it accepts, then a signed, logged download', async () => {
    const { owner, jobId, fileId } = await postedJob({ nda: true, visibility: 'invited' })
    const ws = await workshop()
    const stranger = await workshop()
    // Not invited to an invited-only job: it does not exist for them.
    expectError(await stranger.client.api('GET', `/api/v1/jobs/${jobId}`), 404, 'not_found')
    expectError(
      await stranger.client.api('GET', `/api/v1/files/${fileId}/download`),
      404,
      'not_found',
    )

    const invited = await owner.client.api(
      'POST',
      `/api/v1/jobs/${jobId}/invitations`,
      { workshop_id: ws.account.organization.id },
      owner.csrf,
    )
    expect(invited.status).toBe(200)
    expect(invited.body.invitations).toEqual([
      expect.objectContaining({ workshop_id: ws.account.organization.id, nda_accepted_at: null }),
    ])
    const emails = await t.db
      .selectFrom('emails')
      .select(['template', 'to_address'])
      .where('to_address', '=', ws.account.user.email)
      .execute()
    expect(emails).toEqual([{ template: 'job-invitation', to_address: ws.account.user.email }])

    const seen = await ws.client.api('GET', `/api/v1/jobs/${jobId}`)
    expect(seen.body).toMatchObject({
      budget_fen: null,
      access: { role: 'workshop', invited: true, files_allowed: false, nda_accepted_at: null },
      parts: [{ quantity: 50, format: 'stl', file: null }],
    })
    expectError(await ws.client.api('GET', `/api/v1/files/${fileId}/download`), 403, 'nda_required')
    expectError(await ws.client.api('GET', `/api/v1/files/${fileId}`), 403, 'nda_required')
    expect((await ws.client.get(`/cad/${fileId}/preview.stl`)).status).toBe(403)
    const page = visibleText(await (await ws.client.get(`/jobs/${jobId}`)).text())
    expect(page).toContain('保密协议（NDA）')
    expect(page).not.toContain('bracket.stl')

    const accepted = await ws.client.api('POST', `/api/v1/jobs/${jobId}/nda`, undefined, ws.csrf)
    expect(accepted.status).toBe(200)
    expect(accepted.body.access.files_allowed).toBe(true)
    expect(accepted.body.parts[0].file.name).toBe('bracket.stl')

    const download = await ws.client.fetch(`/api/v1/files/${fileId}/download`)
    expect(download.status).toBe(302)
    const signed = download.headers.get('location')!
    expect(signed).toMatch(/^\/downloads\/[\w-]+\.[\w-]+$/)
    const bytes = await new TestClient(server.url).get(signed)
    expect(bytes.status).toBe(200)
    expect(bytes.headers.get('content-disposition')).toContain("filename*=UTF-8''bracket.stl")
    expect(Buffer.from(await bytes.arrayBuffer()).equals(Buffer.from(cube()))).toBe(true)
    // A tampered link is refused.
    expect((await new TestClient(server.url).get(`${signed.slice(0, -3)}abc`)).status).toBe(410)

    const log = await owner.client.api('GET', `/api/v1/jobs/${jobId}/downloads`)
    expect(log.body.downloads).toEqual([
      expect.objectContaining({
        file_id: fileId,
        file_name: 'bracket.stl',
        organization_id: ws.account.organization.id,
        user_email: ws.account.user.email,
      }),
    ])
    expectError(await ws.client.api('GET', `/api/v1/jobs/${jobId}/downloads`), 404, 'not_found')
    const ownerPage = visibleText(await (await owner.client.get(`/jobs/${jobId}`)).text())
    expect(ownerPage).toContain('下载记录')
    expect(ownerPage).toContain(ws.account.user.name)
  })

  test('a public job: workshops see it, but only invited ones open the files', async () => {
    const { jobId, fileId } = await postedJob({ visibility: 'public' })
    const ws = await workshop()
    const seen = await ws.client.api('GET', `/api/v1/jobs/${jobId}`)
    expect(seen.status).toBe(200)
    expect(seen.body.access).toMatchObject({ invited: false, files_allowed: false })
    expectError(await ws.client.api('GET', `/api/v1/files/${fileId}/download`), 403, 'not_invited')
    expectError(
      await ws.client.api('POST', `/api/v1/jobs/${jobId}/nda`, undefined, ws.csrf),
      409,
      'nda_not_required',
    )
  })

  test('drafts are invisible to workshops; operators see everything', async () => {
    const { jobId, fileId } = await postedJob({ open: false })
    const ws = await workshop()
    expectError(await ws.client.api('GET', `/api/v1/jobs/${jobId}`), 404, 'not_found')
    const ops = await session(await createOperatorAccount(t.db))
    const seen = await ops.client.api('GET', `/api/v1/jobs/${jobId}`)
    expect(seen.body.access).toMatchObject({ role: 'operator', files_allowed: true })
    expect((await ops.client.fetch(`/api/v1/files/${fileId}/download`)).status).toBe(302)
  })

  test('opening a job emails the workshops invited while it was a draft', async () => {
    const { owner, jobId } = await postedJob({ open: false })
    const ws = await workshop()
    await owner.client.api(
      'POST',
      `/api/v1/jobs/${jobId}/invitations`,
      { workshop_id: ws.account.organization.id },
      owner.csrf,
    )
    const count = async () =>
      (
        await t.db
          .selectFrom('emails')
          .select('id')
          .where('to_address', '=', ws.account.user.email)
          .where('template', '=', 'job-invitation')
          .execute()
      ).length
    expect(await count()).toBe(0)
    await owner.client.api('POST', `/api/v1/jobs/${jobId}/open`, undefined, owner.csrf)
    expect(await count()).toBe(1)
  })
})

describe('the browser, without JavaScript', () => {
  test('post a job, upload a part through the form, see its analysis, open it', async () => {
    const account = await createAccount(t.db, { kind: 'design_firm' })
    const client = new TestClient(server.url)
    expect(
      (await client.postForm('/login', { email: account.user.email, password: TEST_PASSWORD }))
        .status,
    ).toBe(302)
    const bad = await client.postForm('/jobs/new', {
      title: '灯罩',
      toleranceMm: '0',
      deadline: addDays(shanghaiToday(), 20),
      deliveryTown: 'guzhen',
      visibility: 'public',
    })
    expect(bad.status).toBe(400)
    expect(visibleText(await bad.text())).toContain('公差须大于 0')

    const created = await client.postForm('/jobs/new', {
      title: '灯罩支架',
      toleranceMm: '0.1',
      deadline: addDays(shanghaiToday(), 20),
      deliveryTown: 'guzhen',
      visibility: 'public',
      needsSample: 'on',
    })
    expect(created.status).toBe(302)
    const jobPath = new URL(created.headers.get('location')!, server.url).pathname
    const form = new FormData()
    form.append('intent', 'upload')
    form.append('quantity', '20')
    form.append('file', new Blob([new Uint8Array(cube(20))]), '支架.stl')
    const partsUrl = `${jobPath}/upload?csrf=${encodeURIComponent(client.csrfToken()!)}`
    const uploaded = await client.fetch(partsUrl, { method: 'POST', body: form })
    expect(uploaded.status).toBe(303)
    expect(uploaded.headers.get('location')).toBe(`${jobPath}?uploaded=1#parts`)

    const deadline = Date.now() + 20_000
    let text = ''
    while (Date.now() < deadline) {
      text = visibleText(await (await client.get(jobPath)).text())
      if (text.includes('8,000 mm³')) break
      await new Promise((r) => setTimeout(r, 150))
    }
    expect(text).toContain('支架.stl')
    expect(text).toContain('20 × 20 × 20 mm')
    expect(text).toContain('8,000 mm³')

    const refused = new FormData()
    refused.append('intent', 'upload')
    refused.append('quantity', '1')
    refused.append('file', new Blob([new TextEncoder().encode('hello, not a part')]), 'notes.stl')
    const notCad = await client.fetch(partsUrl, { method: 'POST', body: refused })
    expect(notCad.status).toBe(303)
    const back = notCad.headers.get('location')!
    expect(back).toBe(`${jobPath}?uploadError=cad_format#parts`)
    expect(visibleText(await (await client.get(back)).text())).toContain('不是可识别的图纸文件')
    // With JavaScript the same refusal comes back as JSON for the progress list.
    const xhr = new FormData()
    xhr.append('quantity', '1')
    xhr.append('file', new Blob([new TextEncoder().encode('hello, not a part')]), 'notes.stl')
    const json = await client.fetch(partsUrl, {
      method: 'POST',
      body: xhr,
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    })
    expect(json.status).toBe(422)
    expect(await json.json()).toEqual({
      ok: false,
      message: expect.stringContaining('不是可识别的图纸文件'),
    })

    const opened = await client.postForm(jobPath, { intent: 'open' })
    expect(opened.status).toBe(302)
    const after = visibleText(await (await client.get(jobPath)).text())
    expect(after).toContain('需求已发布')
    const edit = await client.get(`${jobPath}/edit`)
    expect(edit.status).toBe(302)
  })
})
