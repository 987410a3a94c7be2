import { mkdtempSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, browserSession, startTestServer, type TestServer } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { usccCheckCharacter } from '../../app/models/uscc.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const t = useTestDatabase()
let server: TestServer
let filesDir: string
beforeAll(async () => {
  filesDir = mkdtempSync(path.join(os.tmpdir(), 'sf-supply-files-'))
  server = await startTestServer(t.db, {}, { filesDir })
})
afterAll(() => server.close())

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
])

let usccSerial = 1000
/** A valid, unique 统一社会信用代码. */
function validUscc(): string {
  const first17 = `914420007${String(usccSerial++).padStart(8, '0')}`
  return first17 + usccCheckCharacter(first17)!
}

const loggedIn = (account: AccountView) => browserSession(server.url, account)

async function workshop() {
  const account = await createAccount(t.db, { kind: 'workshop' })
  return { account, client: await loggedIn(account) }
}

/** Posts a multipart form the way a browser without JS does: the CSRF token in the URL. */
function upload(
  client: TestClient,
  pathname: string,
  fields: Record<string, string>,
  file: { name: string; bytes: Buffer; type: string },
) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  const sep = pathname.includes('?') ? '&' : '?'
  return client.fetch(`${pathname}${sep}csrf=${encodeURIComponent(client.csrfToken()!)}`, {
    method: 'POST',
    body: form,
  })
}

function profileFields(overrides: Record<string, string> = {}) {
  return {
    intent: 'save',
    name: '小榄精密五金',
    legalName: '中山市小榄精密五金制品有限公司',
    uscc: validUscc(),
    town: 'xiaolan',
    address: '小榄镇工业大道 8 号',
    lat: '',
    lng: '',
    description: '五轴加工、阳极氧化',
    clusters: 'hardware',
    ...overrides,
  }
}

function organization(id: string) {
  return t.db
    .selectFrom('organizations')
    .select([
      'name',
      'legal_name',
      'uscc',
      'clusters',
      'verification_status',
      'verification_note',
      'verified_at',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

function filesOf(organizationId: string) {
  return t.db
    .selectFrom('files')
    .select(['id', 'purpose', 'content_type', 'storage_key', 'certification'])
    .where('organization_id', '=', organizationId)
    .execute()
}

/** Every stored object under the test's files directory. */
function storedFiles(): string[] {
  return readdirSync(filesDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
}

async function searchSyncJobs() {
  const result = await sql<{ payload: Record<string, unknown> }>`
    select j.payload from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id
    where t.identifier = 'search__sync'`.execute(t.db)
  return result.rows.map((r) => r.payload)
}

describe('workshop profile', () => {
  test('an invalid 统一社会信用代码 is a field error and nothing is saved', async () => {
    const { account, client } = await workshop()
    const good = validUscc()
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const response = await client.postForm('/workshop/profile', profileFields({ uscc: bad }))
    expect(response.status).toBe(400)
    expect(visibleText(await response.text())).toContain('统一社会信用代码无效')
    const row = await organization(account.organization.id)
    expect(row.uscc).toBeNull()
    expect(row.legal_name).toBeNull()
  })

  test('a valid profile is saved, normalised, and the workshop re-indexed', async () => {
    const { account, client } = await workshop()
    const uscc = validUscc()
    const response = await client.postForm(
      '/workshop/profile',
      profileFields({ uscc: ` ${uscc.toLowerCase()} `, clusters: 'hardware' }),
    )
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/workshop/profile?saved=1')
    const row = await organization(account.organization.id)
    expect(row).toMatchObject({
      name: '小榄精密五金',
      uscc,
      clusters: ['hardware'],
      verification_status: 'unsubmitted',
    })
    expect(await searchSyncJobs()).toContainEqual({ organizationId: account.organization.id })
    const page = visibleText(await (await client.get('/workshop/profile?saved=1')).text())
    expect(page).toContain('资料已保存。')
    expect(page).toContain('未申请核验')
  })

  test('a credit code another company uses is refused beside the field', async () => {
    const first = await workshop()
    const uscc = validUscc()
    expect((await first.client.postForm('/workshop/profile', profileFields({ uscc }))).status).toBe(
      302,
    )
    const second = await workshop()
    const response = await second.client.postForm('/workshop/profile', profileFields({ uscc }))
    expect(response.status).toBe(409)
    expect(visibleText(await response.text())).toContain('平台上已有企业使用该统一社会信用代码')
  })

  test('asking for verification names what is missing: the profile, then the licence', async () => {
    const { account, client } = await workshop()
    const empty = await client.postForm('/workshop/profile', { intent: 'request-verification' })
    expect(empty.status).toBe(422)
    expect(visibleText(await empty.text())).toContain('请先填写企业法定名称')

    await client.postForm('/workshop/profile', profileFields())
    const noLicence = await client.postForm('/workshop/profile', {
      intent: 'request-verification',
    })
    expect(noLicence.status).toBe(422)
    expect(visibleText(await noLicence.text())).toContain('请先上传营业执照')
    expect((await organization(account.organization.id)).verification_status).toBe('unsubmitted')
  })

  test('a file that is neither PDF nor image is refused and leaves nothing behind', async () => {
    const { account, client } = await workshop()
    const before = storedFiles().length
    const response = await upload(
      client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'business_license' },
      {
        name: 'licence.pdf',
        bytes: Buffer.from('just some text, not a PDF'),
        type: 'application/pdf',
      },
    )
    expect(response.status).toBe(422)
    expect(visibleText(await response.text())).toContain('不支持的文件类型')
    expect(await filesOf(account.organization.id)).toEqual([])
    expect(storedFiles().length).toBe(before)
  })

  test('a PDF is not accepted as a workshop photo', async () => {
    const { account, client } = await workshop()
    const response = await upload(
      client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'workshop_photo' },
      { name: 'photo.pdf', bytes: PDF, type: 'application/pdf' },
    )
    expect(response.status).toBe(422)
    expect(visibleText(await response.text())).toContain('不支持的文件类型')
    expect(await filesOf(account.organization.id)).toEqual([])
  })

  test('a file over MAX_UPLOAD_MB is refused with a message and leaves nothing behind', async () => {
    const { account, client } = await workshop()
    const before = storedFiles().length
    // The test server allows 2 MB.
    const big = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024, 0x20)])
    const response = await upload(
      client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'business_license' },
      { name: 'scan.pdf', bytes: big, type: 'application/pdf' },
    )
    expect(response.status).toBe(422)
    expect(visibleText(await response.text())).toContain('文件太大')
    expect(await filesOf(account.organization.id)).toEqual([])
    expect(storedFiles().length).toBe(before)
  })

  test('a certificate upload must say which certification it proves', async () => {
    const { account, client } = await workshop()
    const before = storedFiles().length
    const response = await upload(
      client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'certificate', certification: '' },
      { name: 'iso.pdf', bytes: PDF, type: 'application/pdf' },
    )
    expect(response.status).toBe(400)
    expect(visibleText(await response.text())).toContain('此项必填')
    expect(await filesOf(account.organization.id)).toEqual([])
    expect(storedFiles().length).toBe(before)
  })

  test('an upload without the CSRF token in the URL is refused', async () => {
    const { account, client } = await workshop()
    const form = new FormData()
    form.append('purpose', 'business_license')
    form.append('file', new Blob([new Uint8Array(PDF)]), 'licence.pdf')
    const response = await client.fetch('/workshop/profile', { method: 'POST', body: form })
    expect(response.status).toBe(403)
    expect(await filesOf(account.organization.id)).toEqual([])
  })
})

describe('verification', () => {
  test('licence, request, reject with a reason, re-request, approve; a stale decision is refused', async () => {
    const { account, client } = await workshop()
    const orgId = account.organization.id
    expect((await client.postForm('/workshop/profile', profileFields())).status).toBe(302)

    const uploaded = await upload(
      client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'business_license' },
      { name: '营业执照.pdf', bytes: PDF, type: 'application/pdf' },
    )
    expect(uploaded.status).toBe(302)
    expect(uploaded.headers.get('location')).toBe('/workshop/profile?uploaded=1#documents')
    const files = await filesOf(orgId)
    expect(files).toMatchObject([{ purpose: 'business_license', content_type: 'application/pdf' }])
    const profilePage = visibleText(await (await client.get('/workshop/profile')).text())
    expect(profilePage).toContain('营业执照.pdf')

    const requested = await client.postForm('/workshop/profile', {
      intent: 'request-verification',
    })
    expect(requested.status).toBe(302)
    expect((await organization(orgId)).verification_status).toBe('pending')

    const operator = await createOperatorAccount(t.db)
    const ops = await loggedIn(operator)
    const queue = await ops.get('/console/verifications')
    expect(queue.status).toBe(200)
    const queueHtml = await queue.text()
    expect(visibleText(queueHtml)).toContain('小榄精密五金')
    expect(queueHtml).toContain(`/console/verifications/${orgId}`)

    const review = await ops.get(`/console/verifications/${orgId}`)
    expect(review.status).toBe(200)
    const reviewHtml = await review.text()
    expect(visibleText(reviewHtml)).toContain('中山市小榄精密五金制品有限公司')
    expect(reviewHtml).toContain(`/files/${files[0]!.id}`)

    const noReason = await ops.postForm(`/console/verifications/${orgId}`, {
      decision: 'reject',
      reason: '',
    })
    expect(noReason.status).toBe(400)
    expect(visibleText(await noReason.text())).toContain('驳回时请填写理由')
    expect((await organization(orgId)).verification_status).toBe('pending')

    const rejected = await ops.postForm(`/console/verifications/${orgId}`, {
      decision: 'reject',
      reason: '营业执照照片不清晰',
    })
    expect(rejected.status).toBe(302)
    expect(rejected.headers.get('location')).toBe(`/console/verifications?reviewed=${orgId}`)
    expect(await organization(orgId)).toMatchObject({
      verification_status: 'rejected',
      verification_note: '营业执照照片不清晰',
    })
    const emails = await t.db
      .selectFrom('emails')
      .select(['to_address', 'template'])
      .where('to_address', '=', account.user.email)
      .where('template', '=', 'verification-result')
      .execute()
    expect(emails).toHaveLength(1)
    const after = visibleText(
      await (await ops.get(`/console/verifications?reviewed=${orgId}`)).text(),
    )
    expect(after).toContain('已处理：小榄精密五金')
    expect(after).toContain('没有待核验的加工方')

    const seenByWorkshop = visibleText(await (await client.get('/workshop/profile')).text())
    expect(seenByWorkshop).toContain('核验未通过')
    expect(seenByWorkshop).toContain('营业执照照片不清晰')

    expect(
      (await client.postForm('/workshop/profile', { intent: 'request-verification' })).status,
    ).toBe(302)
    const approved = await ops.postForm(`/console/verifications/${orgId}`, {
      decision: 'approve',
      reason: '',
    })
    expect(approved.status).toBe(302)
    const row = await organization(orgId)
    expect(row.verification_status).toBe('verified')
    expect(row.verified_at).not.toBeNull()

    const stale = await ops.postForm(`/console/verifications/${orgId}`, {
      decision: 'approve',
      reason: '',
    })
    expect(stale.status).toBe(409)
    expect(visibleText(await stale.text())).toContain('该企业当前不在核验队列中')

    const dashboard = visibleText(await (await client.get('/workshop')).text())
    expect(dashboard).toContain('已核验')
    const consolePage = visibleText(await (await ops.get('/console')).text())
    expect(consolePage).toContain('企业核验队列')
  })

  test('changing the credit code of a verified workshop sends it back to the queue', async () => {
    const { account, client } = await workshop()
    const fields = profileFields()
    await client.postForm('/workshop/profile', fields)
    await t.db
      .updateTable('organizations')
      .set({ verification_status: 'verified', verified_at: new Date() })
      .where('id', '=', account.organization.id)
      .execute()
    const response = await client.postForm('/workshop/profile', { ...fields, uscc: validUscc() })
    expect(response.headers.get('location')).toBe('/workshop/profile?saved=reverify')
    expect((await organization(account.organization.id)).verification_status).toBe('pending')
    const page = visibleText(await (await client.get('/workshop/profile?saved=reverify')).text())
    expect(page).toContain('需要重新核验')
  })

  test('a designer can open neither the verification queue nor the workshop profile', async () => {
    const designer = await createAccount(t.db, { kind: 'design_firm' })
    const client = await loggedIn(designer)
    for (const pathname of [
      '/console/verifications',
      '/console/materials',
      '/workshop/profile',
      '/workshop/resources',
    ]) {
      expect((await client.get(pathname)).status, pathname).toBe(403)
    }
  })

  test('an unknown workshop id is 404 in the console', async () => {
    const ops = await loggedIn(await createOperatorAccount(t.db))
    expect((await ops.get('/console/verifications/not-a-uuid')).status).toBe(404)
    expect(
      (await ops.get('/console/verifications/00000000-0000-4000-8000-000000000000')).status,
    ).toBe(404)
  })
})

describe('who may download a file', () => {
  test('certificates reach their company and operators; photos reach anyone', async () => {
    const a = await workshop()
    const certificate = await upload(
      a.client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'certificate', certification: 'iso9001' },
      { name: 'ISO 9001 证书 (2025).pdf', bytes: PDF, type: 'application/pdf' },
    )
    expect(certificate.status).toBe(302)
    const photo = await upload(
      a.client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'workshop_photo' },
      { name: 'workshop.png', bytes: PNG, type: 'image/png' },
    )
    expect(photo.status).toBe(302)
    const files = await filesOf(a.account.organization.id)
    const cert = files.find((f) => f.purpose === 'certificate')!
    const pic = files.find((f) => f.purpose === 'workshop_photo')!
    expect(cert.certification).toBe('iso9001')

    const own = await a.client.get(`/files/${cert.id}`)
    expect(own.status).toBe(200)
    expect(own.headers.get('content-type')).toBe('application/pdf')
    expect(own.headers.get('content-length')).toBe(String(PDF.length))
    expect(own.headers.get('x-content-type-options')).toBe('nosniff')
    expect(own.headers.get('cache-control')).toBe('private, max-age=300')
    expect(own.headers.get('content-disposition')).toBe(
      `attachment; filename="ISO 9001 __ (2025).pdf"; filename*=UTF-8''ISO%209001%20%E8%AF%81%E4%B9%A6%20%282025%29.pdf`,
    )
    expect(Buffer.from(await own.arrayBuffer()).equals(PDF)).toBe(true)

    const b = await workshop()
    expect((await b.client.get(`/files/${cert.id}`)).status).toBe(404)
    expect((await new TestClient(server.url).get(`/files/${cert.id}`)).status).toBe(404)
    const ops = await loggedIn(await createOperatorAccount(t.db))
    expect((await ops.get(`/files/${cert.id}`)).status).toBe(200)

    const anonymousPhoto = await new TestClient(server.url).get(`/files/${pic.id}`)
    expect(anonymousPhoto.status).toBe(200)
    expect(anonymousPhoto.headers.get('content-type')).toBe('image/png')

    expect((await new TestClient(server.url).get('/files/nope')).status).toBe(404)
  })

  test('a workshop deletes its own file (row and bytes), not another’s', async () => {
    const a = await workshop()
    await upload(
      a.client,
      '/workshop/profile',
      { intent: 'upload', purpose: 'business_license' },
      { name: 'licence.pdf', bytes: PDF, type: 'application/pdf' },
    )
    const [file] = await filesOf(a.account.organization.id)
    const stored = path.basename(file!.storage_key)
    expect(storedFiles()).toContain(stored)

    const b = await workshop()
    const foreign = await b.client.postForm('/workshop/profile', {
      intent: 'delete-file',
      fileId: file!.id,
    })
    expect(foreign.status).toBe(404)
    expect(await filesOf(a.account.organization.id)).toHaveLength(1)

    const deleted = await a.client.postForm('/workshop/profile', {
      intent: 'delete-file',
      fileId: file!.id,
    })
    expect(deleted.status).toBe(302)
    expect(await filesOf(a.account.organization.id)).toEqual([])
    expect(storedFiles()).not.toContain(stored)
    expect((await a.client.get(`/files/${file!.id}`)).status).toBe(404)
  })
})

function resourceFields(overrides: Record<string, string> = {}) {
  return {
    intent: 'save',
    process: 'cnc_milling_5axis',
    name: 'DMG MORI DMU 50 五轴加工中心',
    make: 'DMG MORI',
    model: 'DMU 50',
    materials: 'al6061',
    envelopeX: '500',
    envelopeY: '450',
    envelopeZ: '400',
    toleranceMm: '0.01',
    finishes: '阳极氧化，喷砂',
    hourlyRate: '180.50',
    setupFee: '200',
    minQuantity: '1',
    maxQuantity: '500',
    description: '',
    active: 'on',
    ...overrides,
  }
}

function postResource(client: TestClient, pathname: string, fields: Record<string, string>) {
  // Two materials ride as a repeated field, as checkboxes do.
  const body = new URLSearchParams(fields)
  if (fields.materials?.includes('|')) {
    body.delete('materials')
    for (const m of fields.materials.split('|')) body.append('materials', m)
  }
  body.set('csrf', client.csrfToken()!)
  return client.fetch(pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
}

async function createResourceVia(client: TestClient, overrides: Record<string, string> = {}) {
  const response = await postResource(client, '/workshop/resources/new', resourceFields(overrides))
  expect(response.status).toBe(302)
  const location = response.headers.get('location')!
  const id = /\/workshop\/resources\/([0-9a-f-]{36})\?saved=1$/.exec(location)?.[1]
  expect(id).toBeDefined()
  return id!
}

function resourcesOf(organizationId: string) {
  return t.db
    .selectFrom('resources')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .execute()
}

describe('resources', () => {
  test('a machine created through the form is saved and queued for the search index', async () => {
    const { account, client } = await workshop()
    const id = await createResourceVia(client, { materials: 'al6061|ss304' })
    const [row] = await resourcesOf(account.organization.id)
    expect(row).toMatchObject({
      id,
      process: 'cnc_milling_5axis',
      materials: ['al6061', 'ss304'],
      envelope_x_mm: 500,
      tolerance_mm: 0.01,
      finishes: ['阳极氧化', '喷砂'],
      hourly_rate_fen: 18050,
      setup_fee_fen: 20000,
      max_quantity: 500,
      active: true,
    })
    expect(await searchSyncJobs()).toContainEqual({ resourceIds: [id] })

    const edit = await client.get(`/workshop/resources/${id}?saved=1`)
    expect(edit.status).toBe(200)
    const html = await edit.text()
    expect(visibleText(html)).toContain('设备已保存。')
    expect(html).toContain('value="180.50"')

    const list = visibleText(await (await client.get('/workshop/resources')).text())
    expect(list).toContain('DMG MORI DMU 50 五轴加工中心')
    expect(list).toContain('五轴数控铣')
    expect(list).toContain('铝合金 6061')
    expect(list).toContain('500 × 450 × 400')
    expect(list).toContain('接单中')
    const dashboard = visibleText(await (await client.get('/workshop')).text())
    expect(dashboard).toContain('已登记 1 台设备')
  })

  test.each([
    ['envelope 0', { envelopeX: '0' }, 400, '加工范围须大于 0 且不超过 10000 mm'],
    ['envelope above 10000', { envelopeZ: '10001' }, 400, '加工范围须大于 0 且不超过 10000 mm'],
    ['tolerance 0', { toleranceMm: '0' }, 400, '公差须大于 0'],
    ['min above max', { minQuantity: '10', maxQuantity: '5' }, 400, '最大数量不能小于最小数量'],
    ['no material', { materials: '' }, 400, '至少选择一种材料'],
    [
      'unknown material',
      { materials: 'unobtainium' },
      422,
      '所选材料不存在、已停用或不适用于该工艺',
    ],
    [
      'material of another family',
      { materials: 'pla' },
      422,
      '所选材料不存在、已停用或不适用于该工艺',
    ],
    ['a bad hourly rate', { hourlyRate: '12.345' }, 400, '请输入金额'],
  ] as const)(
    '%s is a field error and nothing is saved',
    async (_name, overrides, status, message) => {
      const { account, client } = await workshop()
      const response = await postResource(
        client,
        '/workshop/resources/new',
        resourceFields(overrides),
      )
      expect(response.status).toBe(status)
      expect(visibleText(await response.text())).toContain(message)
      expect(await resourcesOf(account.organization.id)).toEqual([])
    },
  )

  test('editing saves the changes; a workshop cannot see or change another’s machine', async () => {
    const a = await workshop()
    const id = await createResourceVia(a.client)
    const saved = await postResource(
      a.client,
      `/workshop/resources/${id}`,
      resourceFields({ name: '五轴加工中心 2 号', active: '' }),
    )
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe(`/workshop/resources/${id}?saved=1`)
    const [row] = await resourcesOf(a.account.organization.id)
    expect(row).toMatchObject({ name: '五轴加工中心 2 号', active: false })

    const b = await workshop()
    expect((await b.client.get(`/workshop/resources/${id}`)).status).toBe(404)
    const foreign = await postResource(
      b.client,
      `/workshop/resources/${id}`,
      resourceFields({ name: 'hijacked' }),
    )
    expect(foreign.status).toBe(404)
    const foreignWindow = await b.client.postForm(`/workshop/resources/${id}`, {
      intent: 'add-window',
      from: shanghaiToday(),
      to: addDays(shanghaiToday(), 3),
      hoursPerDay: '8',
    })
    expect(foreignWindow.status).toBe(404)
    const foreignDelete = await b.client.postForm(`/workshop/resources/${id}`, { intent: 'delete' })
    expect(foreignDelete.status).toBe(404)
    expect((await resourcesOf(a.account.organization.id))[0]).toMatchObject({
      name: '五轴加工中心 2 号',
    })
    expect((await a.client.get('/workshop/resources/not-a-uuid')).status).toBe(404)
  })

  test('idle capacity: windows are added, overlaps and impossible hours refused, the calendar shows them', async () => {
    const { client } = await workshop()
    const id = await createResourceVia(client)
    const page = `/workshop/resources/${id}`
    const today = shanghaiToday()

    const added = await client.postForm(page, {
      intent: 'add-window',
      from: today,
      to: addDays(today, 13),
      hoursPerDay: '8',
    })
    expect(added.status).toBe(302)
    const windows = await t.db
      .selectFrom('capacity_windows')
      .select(['id', 'starts_on', 'ends_on', 'hours_per_day'])
      .where('resource_id', '=', id)
      .execute()
    expect(windows).toMatchObject([
      { starts_on: today, ends_on: addDays(today, 13), hours_per_day: 8 },
    ])

    const overlap = await client.postForm(page, {
      intent: 'add-window',
      from: addDays(today, 10),
      to: addDays(today, 20),
      hoursPerDay: '4',
    })
    expect(overlap.status).toBe(422)
    expect(visibleText(await overlap.text())).toContain('时段与已有时段重叠')

    const tooMany = await client.postForm(page, {
      intent: 'add-window',
      from: addDays(today, 30),
      to: addDays(today, 31),
      hoursPerDay: '25',
    })
    expect(tooMany.status).toBe(400)
    expect(visibleText(await tooMany.text())).toContain('每天工时须大于 0 且不超过 24')

    const backwards = await client.postForm(page, {
      intent: 'add-window',
      from: addDays(today, 31),
      to: addDays(today, 30),
      hoursPerDay: '4',
    })
    expect(backwards.status).toBe(400)
    expect(visibleText(await backwards.text())).toContain('结束日期不能早于开始日期')

    const count = await t.db
      .selectFrom('capacity_windows')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('resource_id', '=', id)
      .executeTakeFirstOrThrow()
    expect(count.n).toBe(1)

    const calendar = visibleText(await (await client.get(page)).text())
    // Two weeks of 7 × 8 h, then nothing offered.
    expect(calendar.match(/56 小时/g)?.length).toBeGreaterThanOrEqual(4)
    const list = visibleText(await (await client.get('/workshop/resources')).text())
    expect(list).toContain('112 小时')

    const removed = await client.postForm(page, {
      intent: 'remove-window',
      windowId: windows[0]!.id,
    })
    expect(removed.status).toBe(302)
    const left = await t.db
      .selectFrom('capacity_windows')
      .select('id')
      .where('resource_id', '=', id)
      .execute()
    expect(left).toEqual([])
  })

  test('machine photos must be images; they are public; deleting the machine removes them', async () => {
    const { account, client } = await workshop()
    const id = await createResourceVia(client)
    const page = `/workshop/resources/${id}`
    const pdf = await upload(
      client,
      page,
      { intent: 'upload' },
      { name: 'spec.pdf', bytes: PDF, type: 'application/pdf' },
    )
    expect(pdf.status).toBe(422)
    expect(visibleText(await pdf.text())).toContain('不支持的文件类型')

    const png = await upload(
      client,
      page,
      { intent: 'upload' },
      { name: 'machine.png', bytes: PNG, type: 'image/png' },
    )
    expect(png.status).toBe(302)
    const [photo] = await filesOf(account.organization.id)
    expect(photo).toMatchObject({ purpose: 'resource_photo', content_type: 'image/png' })
    expect((await new TestClient(server.url).get(`/files/${photo!.id}`)).status).toBe(200)
    expect(await (await client.get(page)).text()).toContain(`/files/${photo!.id}`)

    const deleted = await client.postForm(page, { intent: 'delete' })
    expect(deleted.status).toBe(302)
    expect(deleted.headers.get('location')).toBe('/workshop/resources?deleted=1')
    expect(await resourcesOf(account.organization.id)).toEqual([])
    expect(await filesOf(account.organization.id)).toEqual([])
    expect(storedFiles()).not.toContain(path.basename(photo!.storage_key))
  })

  test('a machine with bookings cannot be deleted', async () => {
    const { account, client } = await workshop()
    const id = await createResourceVia(client)
    await t.db
      .insertInto('capacity_bookings')
      .values({ resource_id: id, starts_on: shanghaiToday(), ends_on: shanghaiToday(), hours: 4 })
      .execute()
    const response = await client.postForm(`/workshop/resources/${id}`, { intent: 'delete' })
    expect(response.status).toBe(409)
    expect(visibleText(await response.text())).toContain('该设备已有订单预订，不能删除')
    expect(await resourcesOf(account.organization.id)).toHaveLength(1)
  })
})

describe('material catalogue', () => {
  test('operators add and edit materials; bad codes and prices are refused', async () => {
    const ops = await loggedIn(await createOperatorAccount(t.db))
    const page = await ops.get('/console/materials')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('value="铝合金 6061"')
    // A row's inputs sit in table cells and join the row's form by its id, which must be unique.
    expect(html).toContain('form="material-al6061"')
    expect(html.match(/id="material-al6061"/g)).toHaveLength(1)

    const bad = await ops.postForm('/console/materials', {
      intent: 'create',
      code: 'Bad Code',
      nameZh: '坏',
      nameEn: 'Bad',
      families: 'additive',
      density: '1.2',
      price: '10',
      active: 'on',
    })
    expect(bad.status).toBe(400)
    expect(visibleText(await bad.text())).toContain('代码只能包含小写字母、数字和下划线')

    const fields = {
      intent: 'create',
      code: 'pekk',
      nameZh: 'PEKK 线材',
      nameEn: 'PEKK filament',
      families: 'additive',
      density: '1.3',
      price: '1200.5',
      active: 'on',
    }
    expect((await ops.postForm('/console/materials', fields)).status).toBe(302)
    const duplicate = await ops.postForm('/console/materials', fields)
    expect(duplicate.status).toBe(409)
    expect(visibleText(await duplicate.text())).toContain('已存在相同代码的材料')

    const updated = await ops.postForm('/console/materials', {
      ...fields,
      intent: 'update',
      price: '999',
      active: '',
    })
    expect(updated.status).toBe(302)
    const row = await t.db
      .selectFrom('materials')
      .select(['price_fen_per_kg', 'active', 'families'])
      .where('code', '=', 'pekk')
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ price_fen_per_kg: 99900, active: false, families: ['additive'] })
    expect(await searchSyncJobs()).toContainEqual({ all: true })
  })
})
