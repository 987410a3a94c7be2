// Capability search end to end: a workshop lists machines and capacity through the API, the
// worker brings the embedded index in line, and anyone finds them through
// GET /api/v1/capabilities, the /capabilities page and the workshop's public page.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, startTestServer, type TestServer, apiSession } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { expectError } from '../support/api-errors.ts'
import { testTaskDeps } from '../support/deps.ts'
import { createAccount } from '../factories.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const t = useTestDatabase()
const search = createEmbeddedIndex()
let server: TestServer
let worker: WorkerHandle
beforeAll(async () => {
  await search.configure()
  server = await startTestServer(t.db, {}, { search })
  worker = await startWorker(t.url, testTaskDeps(t.db, { search }), { mode: 'inline', cron: false })
})
afterAll(async () => {
  await worker.stop()
  await server.close()
})

const anonymous = () => new TestClient(server.url)

/** An API session for `account`: the client and the CSRF header its writes need. */
const session = (account: AccountView) => apiSession(server.url, account)

function machine(overrides: Record<string, unknown> = {}) {
  return {
    process: 'cnc_milling_5axis',
    name: '五轴加工中心',
    make: '北京精雕',
    model: 'JDGR400',
    materials: ['al6061', 'al7075'],
    envelope_mm: [400, 300, 250],
    tolerance_mm: 0.01,
    finishes: ['阳极氧化'],
    hourly_rate_fen: 18_000,
    setup_fee_fen: 20_000,
    min_quantity: 1,
    max_quantity: 500,
    ...overrides,
  }
}

type Search = Awaited<ReturnType<typeof capabilities>>
async function capabilities(query: string) {
  const res = await anonymous().api('GET', `/api/v1/capabilities?${query}`)
  return res
}

/** Polls the public search until `check` holds: the worker applies changes asynchronously. */
async function eventually(query: string, check: (res: Search) => boolean) {
  const deadline = Date.now() + 10_000
  let last: Search | undefined
  while (Date.now() < deadline) {
    last = await capabilities(query)
    if (check(last)) return last
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`search never matched: ${query} → ${JSON.stringify(last?.body).slice(0, 500)}`)
}

const ids = (res: Search) => (res.body.hits as { resource_id: string }[]).map((h) => h.resource_id)

describe('a machine saved through the API becomes searchable', () => {
  let owner: AccountView
  let resourceId: string
  const token = `tok${Date.now().toString(36)}`

  beforeAll(async () => {
    owner = await createAccount(t.db, { kind: 'workshop', town: 'xiaolan' })
  })

  test('create → found by Chinese words, by English synonyms and by its facets', async () => {
    const { client, csrf } = await session(owner)
    const created = await client.api(
      'POST',
      '/api/v1/resources',
      machine({ model: `JDGR400-${token}` }),
      csrf,
    )
    expect(created.status).toBe(201)
    resourceId = created.body.id

    const found = await eventually(`q=${encodeURIComponent(`五轴 铝 ${token}`)}`, (r) =>
      ids(r).includes(resourceId),
    )
    expect(found.status).toBe(200)
    const hit = found.body.hits.find((h: { resource_id: string }) => h.resource_id === resourceId)
    expect(hit).toMatchObject({
      process: 'cnc_milling_5axis',
      materials: ['al6061', 'al7075'],
      envelope_mm: [400, 300, 250],
      tolerance_mm: 0.01,
      idle_hours_4w: 0,
      workshop: { id: owner.organization.id, town: 'xiaolan', verified: false },
    })
    expect(found.body.facets.town).toEqual({ xiaolan: 1 })

    const english = await capabilities(`q=${encodeURIComponent(`cnc aluminium ${token}`)}`)
    expect(ids(english)).toEqual([resourceId])

    // Repeated values are OR within a facet; different facets are AND.
    const either = await capabilities(
      `q=${token}&town=xiaolan&town=guzhen&process=cnc_milling_5axis`,
    )
    expect(ids(either)).toEqual([resourceId])
    const elsewhere = await capabilities(`q=${token}&town=guzhen`)
    expect(elsewhere.body.total).toBe(0)
    expect(elsewhere.body.hits).toEqual([])
  })

  test('offered capacity shows as idle hours in search and on the resource', async () => {
    const { client, csrf } = await session(owner)
    const today = shanghaiToday()
    const put = await client.api(
      'PUT',
      `/api/v1/resources/${resourceId}/capacity`,
      { windows: [{ from: addDays(today, 1), to: addDays(today, 10), hours_per_day: 6 }] },
      csrf,
    )
    expect(put.status).toBe(200)
    expect(put.body.weeks.reduce((sum: number, w: { idle: number }) => sum + w.idle, 0)).toBe(60)

    await eventually(`q=${token}&min_idle_hours=60`, (r) => ids(r).includes(resourceId))
    const tooMuch = await capabilities(`q=${token}&min_idle_hours=61`)
    expect(tooMuch.body.total).toBe(0)
    const resource = await anonymous().api('GET', `/api/v1/resources/${resourceId}`)
    expect(resource.body.idle_hours_4w).toBe(60)
  })

  test('an envelope or tolerance the machine cannot meet filters it out', async () => {
    expect(ids(await capabilities(`q=${token}&min_envelope_mm=250,400,300`))).toEqual([resourceId])
    expect((await capabilities(`q=${token}&min_envelope_mm=500,300,250`)).body.total).toBe(0)
    expect(ids(await capabilities(`q=${token}&max_tolerance_mm=0.02`))).toEqual([resourceId])
    expect((await capabilities(`q=${token}&max_tolerance_mm=0.005`)).body.total).toBe(0)
  })

  test('an edit shows up; deactivating hides it; deleting removes it', async () => {
    const { client, csrf } = await session(owner)
    const patched = await client.api(
      'PATCH',
      `/api/v1/resources/${resourceId}`,
      { materials: ['ti_tc4'] },
      csrf,
    )
    expect(patched.status).toBe(200)
    // Fields the PATCH left out keep their values.
    expect(patched.body).toMatchObject({
      materials: ['ti_tc4'],
      model: `JDGR400-${token}`,
      make: '北京精雕',
      finishes: ['阳极氧化'],
      setup_fee_fen: 20_000,
      max_quantity: 500,
    })
    await eventually(`q=${token}&material=ti_tc4`, (r) => ids(r).includes(resourceId))

    await client.api('PATCH', `/api/v1/resources/${resourceId}`, { active: false }, csrf)
    await eventually(`q=${token}`, (r) => r.body.total === 0)

    await client.api('PATCH', `/api/v1/resources/${resourceId}`, { active: true }, csrf)
    await eventually(`q=${token}`, (r) => r.body.total === 1)
    const deleted = await client.api('DELETE', `/api/v1/resources/${resourceId}`, undefined, csrf)
    expect(deleted.status).toBe(204)
    await eventually(`q=${token}`, (r) => r.body.total === 0)
  })

  test('a verified workshop is re-indexed with its badge', async () => {
    const { client, csrf } = await session(owner)
    const created = await client.api(
      'POST',
      '/api/v1/resources',
      machine({ model: `V-${token}` }),
      csrf,
    )
    await eventually(`q=V-${token}&verified=false`, (r) => ids(r).includes(created.body.id))
    // What approval does to the row, followed by the sync job every profile change queues.
    await t.db
      .updateTable('organizations')
      .set({ verification_status: 'verified', verified_at: new Date() })
      .where('id', '=', owner.organization.id)
      .execute()
    await sql`select graphile_worker.add_job('search__sync', ${{ organizationId: owner.organization.id }}::json)`.execute(
      t.db,
    )
    const verified = await eventually(`q=V-${token}&verified=true`, (r) =>
      ids(r).includes(created.body.id),
    )
    expect(verified.body.hits[0].workshop.verified).toBe(true)
  })
})

describe('bad queries', () => {
  test('a query over 200 characters is refused with 400', async () => {
    expectError(await capabilities(`q=${'铝'.repeat(201)}`), 400, 'invalid_input')
    expect((await capabilities(`q=${'铝'.repeat(200)}`)).status).toBe(200)
  })

  test('per_page is capped at 100', async () => {
    const res = await capabilities('per_page=1000')
    expect(res.status).toBe(200)
    expect(res.body.per_page).toBe(100)
  })

  test('an unknown process, material or town is a 400 that names it', async () => {
    for (const [param, value] of [
      ['process', 'teleportation'],
      ['material', 'unobtainium'],
      ['town', 'atlantis'],
    ] as const) {
      const res = await capabilities(`${param}=${value}`)
      expectError(res, 400, 'invalid_input')
      expect(JSON.stringify(res.body.error)).toContain(value)
    }
  })

  test('malformed numbers and envelopes are 400, not 500', async () => {
    for (const query of [
      'min_envelope_mm=0,10,10',
      'min_envelope_mm=20000,10,10',
      'min_envelope_mm=abc',
      'max_tolerance_mm=-1',
      'near=999,999',
      'sort=cheapest',
      'page=0',
    ]) {
      expect((await capabilities(query)).status, query).toBe(400)
    }
  })
})

describe('the pages', () => {
  let owner: AccountView
  let resourceId: string
  beforeAll(async () => {
    owner = await createAccount(t.db, {
      kind: 'workshop',
      town: 'xiaolan',
      organizationName: '榄城精工',
    })
    const { client, csrf } = await session(owner)
    const created = await client.api(
      'POST',
      '/api/v1/resources',
      machine({ name: '精雕五轴加工中心', model: 'PAGE-5X' }),
      csrf,
    )
    resourceId = created.body.id
    await eventually('q=PAGE-5X', (r) => ids(r).includes(resourceId))
  })

  test('/capabilities finds the machine for an anonymous visitor without JavaScript', async () => {
    const res = await anonymous().get(
      `/capabilities?q=${encodeURIComponent('五轴 铝 PAGE-5X')}&town=xiaolan`,
    )
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).not.toContain('\0')
    const text = visibleText(html)
    expect(text).toContain('精雕五轴加工中心')
    expect(text).toContain('榄城精工')
    expect(text).toContain('共 1 台设备')
    expect(html).toContain(`href="/workshops/${owner.organization.id}"`)
  })

  test('/capabilities speaks English when asked', async () => {
    const res = await anonymous().get('/capabilities?q=PAGE-5X', {
      headers: { 'accept-language': 'en' },
    })
    const text = visibleText(await res.text())
    expect(text).toContain('Xiaolan')
    expect(text).toContain('Aluminium 6061')
  })

  test('a bad query on the page says what is wrong with a 400', async () => {
    const res = await anonymous().get('/capabilities?process=teleportation')
    expect(res.status).toBe(400)
    expect(visibleText(await res.text())).toContain('搜索条件有误：有未知的工艺')
    const en = await new TestClient(server.url, { 'accept-language': 'en' }).get(
      `/capabilities?q=${'铝'.repeat(201)}&min_envelope_mm=300,200`,
    )
    expect(en.status).toBe(400)
    expect(visibleText(await en.text())).toContain(
      'The search text is at most 200 characters; Give the part size as three positive numbers in mm',
    )
  })

  test('a page past the last one goes to the last page with results', async () => {
    const res = await anonymous().get('/capabilities?q=cnc&page=999')
    expect(res.status).toBe(302)
    const last = new URL(res.headers.get('location')!, server.url)
    expect(last.pathname).toBe('/capabilities')
    expect(last.searchParams.get('q')).toBe('cnc')
    const page = Number(last.searchParams.get('page'))
    expect(page).toBeGreaterThanOrEqual(1)
    expect(page).toBeLessThan(999)
    const text = visibleText(await (await anonymous().get(last.pathname + last.search)).text())
    expect(text).not.toContain('没有找到')
    // The API answers as asked: an empty page.
    const api = await anonymous().api('GET', '/api/v1/capabilities?q=cnc&page=999')
    expect(api.status).toBe(200)
    expect(api.body.hits).toEqual([])
  })

  test('the workshop page shows its machines and idle hours; unknown ids are 404', async () => {
    const res = await anonymous().get(`/workshops/${owner.organization.id}`)
    expect(res.status).toBe(200)
    const text = visibleText(await res.text())
    expect(text).toContain('榄城精工')
    expect(text).toContain('精雕五轴加工中心')
    expect(text).toContain('未核验')
    expect(text).toContain('4 周空闲 0 小时')

    expect((await anonymous().get('/workshops/not-a-uuid')).status).toBe(404)
    expect((await anonymous().get(`/workshops/${crypto.randomUUID()}`)).status).toBe(404)
    const designer = await createAccount(t.db, { kind: 'design_firm' })
    expect((await anonymous().get(`/workshops/${designer.organization.id}`)).status).toBe(404)
  })
})

describe('capacity history', () => {
  test('a window that has ended stays as history and does not block new capacity', async () => {
    const owner = await createAccount(t.db, { kind: 'workshop' })
    const { client, csrf } = await session(owner)
    const created = await client.api('POST', '/api/v1/resources', machine(), csrf)
    const id = created.body.id as string
    const today = shanghaiToday()
    await t.db
      .insertInto('capacity_windows')
      .values({
        resource_id: id,
        starts_on: addDays(today, -20),
        ends_on: addDays(today, -10),
        hours_per_day: 8,
      })
      .execute()
    const future = { from: addDays(today, 2), to: addDays(today, 5), hours_per_day: 4 }
    const put = await client.api(
      'PUT',
      `/api/v1/resources/${id}/capacity`,
      { windows: [future] },
      csrf,
    )
    expect(put.status).toBe(200)
    expect(put.body.windows).toEqual([
      { from: addDays(today, -20), to: addDays(today, -10), hours_per_day: 8 },
      future,
    ])
    // Reaching back into that history is an overlap, not a database error.
    const overlap = await client.api(
      'PUT',
      `/api/v1/resources/${id}/capacity`,
      { windows: [{ from: addDays(today, -12), to: addDays(today, 3), hours_per_day: 4 }] },
      csrf,
    )
    expectError(overlap, 422, 'window_overlap')
    const windows = await t.db
      .selectFrom('capacity_windows')
      .select(['starts_on', 'ends_on'])
      .where('resource_id', '=', id)
      .orderBy('starts_on')
      .execute()
    expect(windows).toHaveLength(2)
  })
})

describe('resources API: who may change what, and bad input', () => {
  test('bad machines are refused field by field and nothing is saved', async () => {
    const owner = await createAccount(t.db, { kind: 'workshop' })
    const { client, csrf } = await session(owner)
    for (const [label, body, field] of [
      ['envelope 0', machine({ envelope_mm: [0, 300, 250] }), 'envelope_mm'],
      ['envelope over 10 m', machine({ envelope_mm: [400, 300, 10_001] }), 'envelope_mm'],
      ['tolerance 0', machine({ tolerance_mm: 0 }), 'tolerance_mm'],
      ['min above max', machine({ min_quantity: 10, max_quantity: 5 }), 'max_quantity'],
    ] as const) {
      const res = await client.api('POST', '/api/v1/resources', body, csrf)
      expectError(res, 400, 'invalid_input')
      expect(JSON.stringify(res.body.error.details), label).toContain(field)
    }
    const wrongMaterial = await client.api(
      'POST',
      '/api/v1/resources',
      machine({ materials: ['resin_std'] }),
      csrf,
    )
    expect(wrongMaterial.status).toBe(422)
    const rows = await t.db
      .selectFrom('resources')
      .select('id')
      .where('organization_id', '=', owner.organization.id)
      .execute()
    expect(rows).toEqual([])
  })

  test("another workshop's machine does not exist for you; a design firm cannot list one", async () => {
    const owner = await createAccount(t.db, { kind: 'workshop' })
    const other = await createAccount(t.db, { kind: 'workshop' })
    const designer = await createAccount(t.db, { kind: 'design_firm' })
    const mine = await session(owner)
    const created = await mine.client.api('POST', '/api/v1/resources', machine(), mine.csrf)
    const id = created.body.id as string

    const theirs = await session(other)
    expectError(
      await theirs.client.api('PATCH', `/api/v1/resources/${id}`, { name: '抢来的' }, theirs.csrf),
      404,
      'not_found',
    )
    expectError(
      await theirs.client.api('DELETE', `/api/v1/resources/${id}`, undefined, theirs.csrf),
      404,
      'not_found',
    )
    expectError(
      await theirs.client.api(
        'PUT',
        `/api/v1/resources/${id}/capacity`,
        { windows: [] },
        theirs.csrf,
      ),
      404,
      'not_found',
    )
    const firm = await session(designer)
    expectError(
      await firm.client.api('POST', '/api/v1/resources', machine(), firm.csrf),
      403,
      'forbidden',
    )
    expectError(await anonymous().api('POST', '/api/v1/resources', machine()), 401, 'unauthorized')
    const row = await t.db
      .selectFrom('resources')
      .select('name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.name).toBe('五轴加工中心')
  })

  test('overlapping windows and more than 24 hours a day are refused; the old windows stay', async () => {
    const owner = await createAccount(t.db, { kind: 'workshop' })
    const { client, csrf } = await session(owner)
    const created = await client.api('POST', '/api/v1/resources', machine(), csrf)
    const id = created.body.id as string
    const today = shanghaiToday()
    const keep = { from: addDays(today, 1), to: addDays(today, 7), hours_per_day: 8 }
    expect(
      (await client.api('PUT', `/api/v1/resources/${id}/capacity`, { windows: [keep] }, csrf))
        .status,
    ).toBe(200)
    const overlap = await client.api(
      'PUT',
      `/api/v1/resources/${id}/capacity`,
      {
        windows: [
          { from: addDays(today, 1), to: addDays(today, 5), hours_per_day: 8 },
          { from: addDays(today, 5), to: addDays(today, 9), hours_per_day: 8 },
        ],
      },
      csrf,
    )
    expectError(overlap, 422, 'window_overlap')
    const tooLong = await client.api(
      'PUT',
      `/api/v1/resources/${id}/capacity`,
      { windows: [{ from: addDays(today, 1), to: addDays(today, 2), hours_per_day: 25 }] },
      csrf,
    )
    expectError(tooLong, 400, 'invalid_input')
    const capacity = await client.api('GET', `/api/v1/resources/${id}/capacity`)
    expect(capacity.body.windows).toEqual([keep])
  })
})
