// The supply side through /api/v1, as an integrator would drive it: a workshop fills its
// profile, uploads its licence and photos (multipart), asks for verification; an operator
// reviews it; the catalogue is edited; anyone reads the public workshop. Every browser
// feature of issue 4 has its API here.
import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import {
  TestClient,
  startTestServer,
  type TestServer,
  apiSession,
  apiUpload,
} from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { usccCheckCharacter } from '../../app/models/uscc.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const t = useTestDatabase()
let server: TestServer
let filesDir: string
beforeAll(async () => {
  filesDir = mkdtempSync(path.join(os.tmpdir(), 'sf-supply-api-'))
  server = await startTestServer(t.db, { maxUploadBytes: 64 * 1024 }, { filesDir })
})
afterAll(() => server.close())

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
])

let usccSerial = 5000
function validUscc(): string {
  const first17 = `914420007${String(usccSerial++).padStart(8, '0')}`
  return first17 + usccCheckCharacter(first17)!
}

const session = (account: AccountView) => apiSession(server.url, account)

const workshop = async () => session(await createAccount(t.db, { kind: 'workshop' }))
const operator = async () => session(await createOperatorAccount(t.db))
const designer = async () => session(await createAccount(t.db, { kind: 'design_firm' }))

/** Uploads as an integrator would (multipart, CSRF header from the session). */
const upload = apiUpload

function profile(overrides: Record<string, unknown> = {}) {
  return {
    name: '小榄精密五金',
    legal_name: '中山市小榄精密五金制品有限公司',
    uscc: validUscc(),
    town: 'xiaolan',
    address: '小榄镇工业大道 8 号',
    lat: 22.66,
    lng: 113.25,
    description: '五轴加工、阳极氧化',
    clusters: ['hardware', 'lighting'],
    certifications: ['iso9001'],
    ...overrides,
  }
}

function storedFiles(): string[] {
  return readdirSync(filesDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
}

const fileRows = (organizationId: string) =>
  t.db.selectFrom('files').selectAll().where('organization_id', '=', organizationId).execute()

describe('workshop profile and verification through the API', () => {
  test('profile → licence upload → request → operator rejects, then approves; email each time', async () => {
    const ws = await workshop()
    const empty = await ws.client.api('GET', '/api/v1/workshop/profile')
    expect(empty.status).toBe(200)
    expect(empty.body.verification).toEqual({
      status: 'unsubmitted',
      note: null,
      requested_at: null,
      verified_at: null,
    })

    const tooEarly = await ws.client.api(
      'POST',
      '/api/v1/workshop/verification-request',
      undefined,
      ws.csrf,
    )
    expectError(tooEarly, 422, 'profile_incomplete')

    const body = profile({ uscc: validUscc().toLowerCase() })
    const saved = await ws.client.api('PUT', '/api/v1/workshop/profile', body, ws.csrf)
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({
      name: '小榄精密五金',
      legal_name: '中山市小榄精密五金制品有限公司',
      uscc: body.uscc.toUpperCase(),
      town: 'xiaolan',
      lat: 22.66,
      clusters: ['hardware', 'lighting'],
      certifications: ['iso9001'],
      files: [],
    })

    const noLicence = await ws.client.api(
      'POST',
      '/api/v1/workshop/verification-request',
      undefined,
      ws.csrf,
    )
    expectError(noLicence, 422, 'license_missing')

    const licence = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'business_license' },
      { name: '营业执照.pdf', bytes: PDF },
    )
    expect(licence.status).toBe(201)
    expect(licence.body).toMatchObject({
      purpose: 'business_license',
      certification: null,
      name: '营业执照.pdf',
      content_type: 'application/pdf',
      size_bytes: PDF.length,
      url: `/files/${licence.body.id}`,
    })
    const download = await ws.client.get(licence.body.url)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true)
    // The licence is private: a stranger gets 404.
    expect((await new TestClient(server.url).get(licence.body.url)).status).toBe(404)

    const requested = await ws.client.api(
      'POST',
      '/api/v1/workshop/verification-request',
      undefined,
      ws.csrf,
    )
    expect(requested.status).toBe(200)
    expect(requested.body.verification.status).toBe('pending')
    expect(requested.body.files).toHaveLength(1)
    const again = await ws.client.api(
      'POST',
      '/api/v1/workshop/verification-request',
      undefined,
      ws.csrf,
    )
    expectError(again, 409, 'verification_pending')

    const ops = await operator()
    const orgId = ws.account.organization.id
    const queue = await ops.client.api('GET', '/api/v1/verifications')
    expect(queue.status).toBe(200)
    expect(queue.body.workshops).toContainEqual(
      expect.objectContaining({ id: orgId, name: '小榄精密五金', town: 'xiaolan' }),
    )
    const review = await ops.client.api('GET', `/api/v1/verifications/${orgId}`)
    expect(review.status).toBe(200)
    expect(review.body.files.map((f: { id: string }) => f.id)).toEqual([licence.body.id])
    // Operators may open the private licence.
    expect((await ops.client.get(licence.body.url)).status).toBe(200)

    const noReason = await ops.client.api(
      'POST',
      `/api/v1/verifications/${orgId}`,
      { decision: 'reject', reason: '' },
      ops.csrf,
    )
    expectError(noReason, 400, 'invalid_input')
    expect(noReason.body.error.details.issues[0].path).toBe('reason')

    const rejected = await ops.client.api(
      'POST',
      `/api/v1/verifications/${orgId}`,
      { decision: 'reject', reason: '营业执照照片不清晰' },
      ops.csrf,
    )
    expect(rejected.status).toBe(200)
    expect(rejected.body.verification).toMatchObject({
      status: 'rejected',
      note: '营业执照照片不清晰',
    })
    const mine = await ws.client.api('GET', '/api/v1/workshop/profile')
    expect(mine.body.verification.note).toBe('营业执照照片不清晰')

    await ws.client.api('POST', '/api/v1/workshop/verification-request', undefined, ws.csrf)
    const approved = await ops.client.api(
      'POST',
      `/api/v1/verifications/${orgId}`,
      { decision: 'approve' },
      ops.csrf,
    )
    expect(approved.status).toBe(200)
    expect(approved.body.verification.status).toBe('verified')
    expect(approved.body.verification.verified_at).toEqual(expect.any(String))

    const stale = await ops.client.api(
      'POST',
      `/api/v1/verifications/${orgId}`,
      { decision: 'reject', reason: '重复点击' },
      ops.csrf,
    )
    expectError(stale, 409, 'not_pending')
    expect((await ws.client.api('GET', '/api/v1/workshop/profile')).body.verification.status).toBe(
      'verified',
    )

    const emails = await t.db
      .selectFrom('emails')
      .select('template')
      .where('to_address', '=', ws.account.user.email)
      .where('template', '=', 'verification-result')
      .execute()
    expect(emails).toHaveLength(2)
  })

  test('bad profile input is refused field by field and nothing changes', async () => {
    const ws = await workshop()
    const good = validUscc()
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const cases: [Record<string, unknown>, string][] = [
      [{ uscc: badCheck }, 'uscc'],
      [{ town: 'atlantis' }, 'town'],
      [{ lat: 22.5, lng: null }, 'lng'],
      [{ lat: 40, lng: 113 }, 'lat'],
      [{ clusters: ['space'] }, 'clusters.0'],
      [{ legal_name: ' ' }, 'legal_name'],
    ]
    for (const [override, field] of cases) {
      const res = await ws.client.api('PUT', '/api/v1/workshop/profile', profile(override), ws.csrf)
      expectError(res, 400, 'invalid_input')
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(field)
    }
    const uscc = await ws.client.api(
      'PUT',
      '/api/v1/workshop/profile',
      profile({ uscc: badCheck }),
      { ...ws.csrf, 'accept-language': 'zh-CN' },
    )
    expect(uscc.body.error.details.issues[0].message).toContain('统一社会信用代码无效')
    const row = await t.db
      .selectFrom('organizations')
      .select(['legal_name', 'uscc'])
      .where('id', '=', ws.account.organization.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ legal_name: null, uscc: null })

    // A credit code another company already has: 409 naming the field.
    const first = await workshop()
    const taken = validUscc()
    expect(
      (
        await first.client.api(
          'PUT',
          '/api/v1/workshop/profile',
          profile({ uscc: taken }),
          first.csrf,
        )
      ).status,
    ).toBe(200)
    const clash = await ws.client.api(
      'PUT',
      '/api/v1/workshop/profile',
      profile({ uscc: taken }),
      ws.csrf,
    )
    expectError(clash, 409, 'uscc_taken')
    expect(clash.body.error.details).toMatchObject({ field: 'uscc' })
  })

  test('only workshops have a profile; only operators review', async () => {
    const firm = await designer()
    expectError(await firm.client.api('GET', '/api/v1/workshop/profile'), 403, 'forbidden')
    expectError(
      await firm.client.api('PUT', '/api/v1/workshop/profile', profile(), firm.csrf),
      403,
      'forbidden',
    )
    const ws = await workshop()
    expectError(await ws.client.api('GET', '/api/v1/verifications'), 403, 'forbidden')
    expectError(
      await ws.client.api(
        'POST',
        `/api/v1/verifications/${ws.account.organization.id}`,
        { decision: 'approve' },
        ws.csrf,
      ),
      403,
      'forbidden',
    )
    expectError(
      await new TestClient(server.url).api('GET', '/api/v1/workshop/profile'),
      401,
      'unauthorized',
    )
    const ops = await operator()
    expectError(
      await ops.client.api('GET', `/api/v1/verifications/${firm.account.organization.id}`),
      404,
      'not_found',
    )
    expectError(await ops.client.api('GET', '/api/v1/verifications/not-a-uuid'), 404, 'not_found')
  })
})

describe('uploads through the API', () => {
  test('refused files leave nothing behind: wrong type, empty, too large, missing fields', async () => {
    const ws = await workshop()
    const orgId = ws.account.organization.id
    const before = storedFiles().length

    const exe = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'business_license' },
      { name: 'licence.pdf', bytes: Buffer.from('MZ\x90\x00 not a pdf at all') },
    )
    expectError(exe, 422, 'file_type')
    expect(exe.body.error.details).toMatchObject({ field: 'file' })

    const pdfAsPhoto = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'workshop_photo' },
      { name: 'photo.pdf', bytes: PDF },
    )
    expectError(pdfAsPhoto, 422, 'file_type')

    const emptyFile = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'business_license' },
      { name: 'empty.pdf', bytes: Buffer.alloc(0) },
    )
    expectError(emptyFile, 422, 'file_empty')

    const noFile = await upload(ws, '/api/v1/workshop/files', { purpose: 'business_license' })
    expectError(noFile, 422, 'file_empty')

    const big = Buffer.concat([PDF, Buffer.alloc(70 * 1024, 0x20)])
    const tooLarge = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'business_license' },
      { name: 'big.pdf', bytes: big },
    )
    expectError(tooLarge, 413, 'file_too_large')
    expect(tooLarge.body.error.details).toMatchObject({ max_bytes: 64 * 1024 })

    const noCertification = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'certificate' },
      { name: 'iso.pdf', bytes: PDF },
    )
    expectError(noCertification, 400, 'invalid_input')
    expect(noCertification.body.error.details.issues[0].path).toBe('certification')

    const unknownPurpose = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'selfie' },
      { name: 'x.png', bytes: PNG },
    )
    expectError(unknownPurpose, 400, 'invalid_input')

    const json = await ws.client.api('POST', '/api/v1/workshop/files', { purpose: 'x' }, ws.csrf)
    expectError(json, 415, 'unsupported_media_type')

    expect(await fileRows(orgId)).toEqual([])
    expect(storedFiles().length).toBe(before)
  })

  test('a cookie session must send X-CSRF-Token with an upload; a Bearer token need not', async () => {
    const ws = await workshop()
    const forged = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'workshop_photo' },
      { name: 'p.png', bytes: PNG },
      {},
    )
    expectError(forged, 403, 'csrf_failed')
    expect(await fileRows(ws.account.organization.id)).toEqual([])

    const created = await ws.client.api('POST', '/api/v1/tokens', { name: 'uploader' }, ws.csrf)
    const bearer = new TestClient(server.url, { authorization: `Bearer ${created.body.token}` })
    const viaToken = await upload(
      bearer,
      '/api/v1/workshop/files',
      { purpose: 'certificate', certification: 'iso9001' },
      { name: 'ISO 9001 证书.pdf', bytes: PDF },
    )
    expect(viaToken.status).toBe(201)
    expect(viaToken.body).toMatchObject({ purpose: 'certificate', certification: 'iso9001' })
  })

  test('delete removes the row and the bytes; other workshops get 404', async () => {
    const ws = await workshop()
    const photo = await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'workshop_photo' },
      { name: '车间.png', bytes: PNG },
    )
    expect(photo.status).toBe(201)
    const [row] = await fileRows(ws.account.organization.id)
    expect(storedFiles()).toContain(path.basename(row!.storage_key))

    const other = await workshop()
    expectError(
      await other.client.api(
        'DELETE',
        `/api/v1/workshop/files/${photo.body.id}`,
        undefined,
        other.csrf,
      ),
      404,
      'not_found',
    )
    expect(await fileRows(ws.account.organization.id)).toHaveLength(1)

    const deleted = await ws.client.api(
      'DELETE',
      `/api/v1/workshop/files/${photo.body.id}`,
      undefined,
      ws.csrf,
    )
    expect(deleted.status).toBe(204)
    expect(await fileRows(ws.account.organization.id)).toEqual([])
    expect(storedFiles()).not.toContain(path.basename(row!.storage_key))
    expectError(
      await ws.client.api('DELETE', `/api/v1/workshop/files/${photo.body.id}`, undefined, ws.csrf),
      404,
      'not_found',
    )
  })

  test('resource photos: images only, own resources only, listed publicly while active', async () => {
    const ws = await workshop()
    const created = await ws.client.api(
      'POST',
      '/api/v1/resources',
      {
        process: 'cnc_milling_3axis',
        name: '三轴立式加工中心',
        materials: ['al6061'],
        envelope_mm: [800, 500, 500],
        tolerance_mm: 0.02,
        hourly_rate_fen: 9_000,
      },
      ws.csrf,
    )
    expect(created.status).toBe(201)
    const id = created.body.id as string

    const pdf = await upload(
      ws,
      `/api/v1/resources/${id}/photos`,
      {},
      { name: 'a.pdf', bytes: PDF },
    )
    expectError(pdf, 422, 'file_type')

    const other = await workshop()
    const foreign = await upload(
      other,
      `/api/v1/resources/${id}/photos`,
      {},
      { name: 'x.png', bytes: PNG },
    )
    expectError(foreign, 404, 'not_found')

    const photo = await upload(
      ws,
      `/api/v1/resources/${id}/photos`,
      {},
      { name: '机床.png', bytes: PNG },
    )
    expect(photo.status).toBe(201)
    expect(photo.body).toMatchObject({ purpose: 'resource_photo', content_type: 'image/png' })

    const anonymous = new TestClient(server.url)
    const listed = await anonymous.api('GET', `/api/v1/resources/${id}/photos`)
    expect(listed.status).toBe(200)
    expect(listed.body.photos).toEqual([
      expect.objectContaining({ id: photo.body.id, name: '机床.png' }),
    ])
    expect((await anonymous.get(photo.body.url)).status).toBe(200)

    await ws.client.api('PATCH', `/api/v1/resources/${id}`, { active: false }, ws.csrf)
    expectError(await anonymous.api('GET', `/api/v1/resources/${id}/photos`), 404, 'not_found')
    expect((await ws.client.api('GET', `/api/v1/resources/${id}/photos`)).body.photos).toHaveLength(
      1,
    )

    expectError(
      await anonymous.api('GET', '/api/v1/resources/00000000-0000-4000-8000-000000000000/photos'),
      404,
      'not_found',
    )
  })

  test('the OpenAPI document describes uploads as multipart with a file part', async () => {
    const doc = await new TestClient(server.url).api('GET', '/api/v1/openapi.json')
    const post = doc.body.paths['/api/v1/workshop/files'].post
    const schema = post.requestBody.content['multipart/form-data'].schema
    expect(schema.required).toEqual(['file', 'purpose'])
    expect(Object.keys(schema.properties)).toEqual(['file', 'purpose', 'certification'])
  })
})

describe('public workshop and the material catalogue', () => {
  test('anyone reads a workshop: active machines with idle hours and photos, no private fields', async () => {
    const ws = await workshop()
    await ws.client.api('PUT', '/api/v1/workshop/profile', profile(), ws.csrf)
    const active = await ws.client.api(
      'POST',
      '/api/v1/resources',
      {
        process: 'cnc_milling_5axis',
        name: '五轴加工中心',
        make: 'DMG MORI',
        model: 'DMU 50',
        materials: ['al6061'],
        envelope_mm: [500, 450, 400],
        tolerance_mm: 0.005,
        hourly_rate_fen: 30_000,
      },
      ws.csrf,
    )
    await ws.client.api(
      'POST',
      '/api/v1/resources',
      {
        process: 'laser_cutting',
        name: '停用的激光切割机',
        materials: ['ss304'],
        envelope_mm: [3000, 1500, 20],
        tolerance_mm: 0.1,
        hourly_rate_fen: 20_000,
        active: false,
      },
      ws.csrf,
    )
    await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'workshop_photo' },
      { name: '车间.png', bytes: PNG },
    )
    await upload(
      ws,
      '/api/v1/workshop/files',
      { purpose: 'business_license' },
      { name: '执照.pdf', bytes: PDF },
    )

    const res = await new TestClient(server.url).api(
      'GET',
      `/api/v1/workshops/${ws.account.organization.id}`,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      name: '小榄精密五金',
      town: 'xiaolan',
      verified: false,
      clusters: ['hardware', 'lighting'],
      certifications: ['iso9001'],
    })
    expect(res.body.resources).toEqual([
      expect.objectContaining({
        id: active.body.id,
        make: 'DMG MORI',
        envelope_mm: [500, 450, 400],
        idle_hours_4w: 0,
      }),
    ])
    expect(res.body.photos.map((p: { name: string }) => p.name)).toEqual(['车间.png'])
    const text = JSON.stringify(res.body)
    for (const secret of ['uscc', 'legal_name', 'hourly_rate_fen', '执照.pdf']) {
      expect(text).not.toContain(secret)
    }

    const firm = await createAccount(t.db, { kind: 'design_firm' })
    for (const id of [firm.organization.id, '00000000-0000-4000-8000-000000000000', 'nope']) {
      expectError(
        await new TestClient(server.url).api('GET', `/api/v1/workshops/${id}`),
        404,
        'not_found',
      )
    }
  })

  test('operators add and edit materials; edits re-index everything; others are refused', async () => {
    const ops = await operator()
    const material = {
      code: 'ti_grade5',
      name_zh: '钛合金 TC4',
      name_en: 'Titanium Grade 5',
      families: ['subtractive', 'additive'],
      density_g_cm3: 4.43,
      price_fen_per_kg: 42_000,
    }
    const created = await ops.client.api('POST', '/api/v1/materials', material, ops.csrf)
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ ...material, active: true })
    expectError(
      await ops.client.api('POST', '/api/v1/materials', material, ops.csrf),
      409,
      'material_exists',
    )
    const badCode = await ops.client.api(
      'POST',
      '/api/v1/materials',
      { ...material, code: 'Ti Grade 5!' },
      ops.csrf,
    )
    expectError(badCode, 400, 'invalid_input')

    await sql`delete from graphile_worker._private_jobs`.execute(t.db)
    const patched = await ops.client.api(
      'PATCH',
      '/api/v1/materials/ti_grade5',
      { price_fen_per_kg: 45_000, active: false },
      ops.csrf,
    )
    expect(patched.status).toBe(200)
    expect(patched.body).toEqual({ ...material, price_fen_per_kg: 45_000, active: false })
    const jobs = await sql<{ key: string | null }>`
      select key from graphile_worker._private_jobs`.execute(t.db)
    expect(jobs.rows.map((r) => r.key)).toContain('search:all')

    const listed = await new TestClient(server.url).api('GET', '/api/v1/materials')
    expect(listed.body.materials.map((m: { code: string }) => m.code)).not.toContain('ti_grade5')
    const all = await ops.client.api('GET', '/api/v1/materials?include_inactive=true')
    expect(all.body.materials).toContainEqual(
      expect.objectContaining({ code: 'ti_grade5', active: false }),
    )
    expectError(
      await new TestClient(server.url).api('GET', '/api/v1/materials?include_inactive=true'),
      403,
      'forbidden',
    )
    expectError(
      await new TestClient(server.url).api('GET', '/api/v1/materials?include_inactive=yes'),
      400,
      'invalid_input',
    )

    expectError(
      await ops.client.api('PATCH', '/api/v1/materials/unobtainium', { active: true }, ops.csrf),
      404,
      'not_found',
    )
    const invalid = await ops.client.api(
      'PATCH',
      '/api/v1/materials/ti_grade5',
      { density_g_cm3: -1, families: [] },
      ops.csrf,
    )
    expectError(invalid, 400, 'invalid_input')

    const ws = await workshop()
    expectError(
      await ws.client.api('POST', '/api/v1/materials', { ...material, code: 'x_1' }, ws.csrf),
      403,
      'forbidden',
    )
    expectError(
      await ws.client.api('PATCH', '/api/v1/materials/ti_grade5', { active: true }, ws.csrf),
      403,
      'forbidden',
    )
    const row = await t.db
      .selectFrom('materials')
      .select(['price_fen_per_kg', 'active'])
      .where('code', '=', 'ti_grade5')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ price_fen_per_kg: 45_000, active: false })
  })
})
