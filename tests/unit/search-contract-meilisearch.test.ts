// The Meilisearch adapter: the full contract against a real server when MEILISEARCH_URL is
// set; always, its requests and the mapping of answers against a local stub that speaks
// Meilisearch's HTTP API (no server can be installed here).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Meilisearch } from 'meilisearch'
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest'
import { searchableFields } from '../../search/embedded.ts'
import { createMeilisearchIndex } from '../../search/meilisearch.ts'
import type { CapabilityDocument, CapabilityQuery } from '../../search/types.ts'
import { contractDocument, runCapabilityIndexContract } from '../contract/search.contract.ts'

const realUrl = process.env.MEILISEARCH_URL

describe.skipIf(!realUrl)('real Meilisearch (MEILISEARCH_URL)', () => {
  const created: string[] = []
  const run = `contract_${Date.now().toString(36)}`
  afterAll(async () => {
    const client = new Meilisearch({ host: realUrl!, apiKey: process.env.MEILISEARCH_KEY })
    for (const name of created) {
      await client.deleteIndex(name).waitTask()
      await client.deleteIndex(`${name}__rebuild`).waitTask()
    }
  })
  runCapabilityIndexContract('meilisearch', async () => {
    const indexName = `${run}_${created.length}`
    created.push(indexName)
    return createMeilisearchIndex({
      url: realUrl!,
      apiKey: process.env.MEILISEARCH_KEY,
      indexName,
    })
  })
})

// ---------------------------------------------------------------------------------------
// The stub

interface Recorded {
  method: string
  path: string
  body: any
  authorization: string | undefined
}

interface Stub {
  url: string
  requests: Recorded[]
  /** Index uids that exist (creating one of these fails the task, as Meilisearch does). */
  indexes: Set<string>
  /** Makes the next task of this type fail with this error code. */
  failNext: Map<string, string>
  searchResponse: unknown
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : undefined
}

async function startStub(): Promise<Stub> {
  const tasks = new Map<number, { task: Record<string, unknown>; polls: number }>()
  let nextTask = 1
  const stub: Stub = {
    url: '',
    close: async () => {},
    requests: [],
    indexes: new Set(),
    failNext: new Map(),
    searchResponse: { hits: [], totalHits: 0, page: 1, hitsPerPage: 20, totalPages: 0 },
  }
  const enqueue = (type: string, indexUid: string | null, error?: string) => {
    const uid = nextTask++
    const failure = stub.failNext.get(type) ?? error
    stub.failNext.delete(type)
    const enqueuedAt = new Date().toISOString()
    tasks.set(uid, {
      polls: 0,
      task: {
        uid,
        batchUid: uid,
        indexUid,
        type,
        canceledBy: null,
        details: {},
        error: failure
          ? { code: failure, message: `stub: ${failure}`, type: 'invalid_request', link: '' }
          : null,
        duration: 'PT0.001S',
        enqueuedAt,
        startedAt: enqueuedAt,
        finishedAt: enqueuedAt,
        status: failure ? 'failed' : 'succeeded',
      },
    })
    return { taskUid: uid, indexUid, status: 'enqueued', type, enqueuedAt }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub')
      const body = await readBody(req)
      stub.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        body,
        authorization: req.headers.authorization,
      })
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(payload))
      }
      const parts = url.pathname.split('/').filter(Boolean)
      const route = `${req.method} /${parts.map((p, i) => (i === 1 && parts[0] !== 'tasks' ? ':uid' : p)).join('/')}`
      const uid = parts[1] ?? ''
      switch (route) {
        case 'GET /health':
          return send(200, { status: 'available' })
        case 'POST /indexes': {
          const exists = stub.indexes.has(body.uid)
          stub.indexes.add(body.uid)
          return send(
            202,
            enqueue('indexCreation', body.uid, exists ? 'index_already_exists' : undefined),
          )
        }
        case 'DELETE /indexes/:uid': {
          const exists = stub.indexes.delete(uid)
          return send(202, enqueue('indexDeletion', uid, exists ? undefined : 'index_not_found'))
        }
        case 'PATCH /indexes/:uid/settings':
          return send(202, enqueue('settingsUpdate', uid))
        case 'POST /indexes/:uid/documents':
          return send(202, enqueue('documentAdditionOrUpdate', uid))
        case 'POST /indexes/:uid/documents/delete-batch':
          return send(202, enqueue('documentDeletion', uid))
        case 'POST /swap-indexes':
          return send(202, enqueue('indexSwap', null))
        case 'POST /indexes/:uid/search':
          return send(200, stub.searchResponse)
        case 'GET /indexes/:uid/stats':
          return send(200, { numberOfDocuments: 30, isIndexing: false, fieldDistribution: {} })
      }
      if (req.method === 'GET' && parts[0] === 'tasks') {
        const entry = tasks.get(Number(parts[1]))
        if (!entry) return send(404, { code: 'task_not_found', message: 'no such task' })
        // The first poll sees the task still processing: the adapter has to wait.
        entry.polls++
        return send(
          200,
          entry.polls === 1 ? { ...entry.task, status: 'processing', error: null } : entry.task,
        )
      }
      send(404, { code: 'not_found', message: `stub has no route ${route}`, type: '', link: '' })
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  stub.url = `http://127.0.0.1:${port}`
  stub.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return stub
}

describe('Meilisearch adapter against a stub server', () => {
  let stub: Stub
  beforeEach(async () => {
    stub = await startStub()
  })
  afterEach(async () => {
    await stub.close()
  })

  const adapter = () => createMeilisearchIndex({ url: stub.url, apiKey: 'test-key' })
  const requests = (method: string, path: string) =>
    stub.requests.filter((r) => r.method === method && r.path === path)
  const taskPolls = () => stub.requests.filter((r) => r.path.startsWith('/tasks/'))

  test('configure creates the index with primary key id and sends the settings', async () => {
    await adapter().configure()

    expect(requests('POST', '/indexes').map((r) => r.body)).toEqual([
      { uid: 'capabilities', primaryKey: 'id' },
    ])
    const [patch] = requests('PATCH', '/indexes/capabilities/settings')
    const settings = patch!.body
    expect(patch!.authorization).toBe('Bearer test-key')
    expect(settings.searchableAttributes).toEqual(searchableFields.map(([field]) => field))
    expect([...settings.filterableAttributes].sort()).toEqual(
      [
        'process',
        'materials',
        'town',
        'clusters',
        'certifications',
        'verified',
        'toleranceMm',
        'idleHours4w',
        'env0',
        'env1',
        'env2',
        '_geo',
      ].sort(),
    )
    expect(settings.sortableAttributes).toEqual(['rating', 'idleHours4w', '_geo', 'id'])
    expect(settings.rankingRules[0]).toBe('sort')
    expect(settings.rankingRules.slice(-2)).toEqual(['rating:desc', 'id:asc'])
    expect(settings.localizedAttributes).toEqual([
      { attributePatterns: settings.searchableAttributes, locales: ['cmn'] },
    ])
    expect(settings.synonyms.cnc).toContain('数控')
    expect(settings.synonyms['数控']).toContain('cnc')
    expect(settings.synonyms['3d打印']).toEqual(expect.arrayContaining(['3d printing', '增材制造']))
    expect(settings.synonyms.nylon).toContain('pa12')
    expect(settings.synonyms.pa12).toBeUndefined() // narrower terms map one way only
    expect(settings.dictionary).toEqual(expect.arrayContaining(['钣金', '五轴', '光固化']))
    expect(settings.typoTolerance).toEqual({
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    })
    expect(settings.pagination.maxTotalHits).toBeGreaterThanOrEqual(100_000)
    expect(settings.faceting.maxValuesPerFacet).toBeGreaterThanOrEqual(100)
    // Both tasks were polled until they left "processing".
    expect(taskPolls().map((r) => r.path)).toEqual(['/tasks/1', '/tasks/1', '/tasks/2', '/tasks/2'])
  })

  test('configure on an existing index updates its settings', async () => {
    stub.indexes.add('capabilities')
    await adapter().configure()
    expect(requests('PATCH', '/indexes/capabilities/settings')).toHaveLength(1)
  })

  test('a failed task rejects with Meilisearch’s message', async () => {
    stub.failNext.set('settingsUpdate', 'invalid_settings_synonyms')
    await expect(adapter().configure()).rejects.toThrow(
      /settingsUpdate.*failed.*invalid_settings_synonyms/,
    )
  })

  test('upsert sends sorted envelope dims and _geo instead of geo, and waits', async () => {
    const located = contractDocument('r26') // envelope 60 × 400 × 25
    const unlocated = contractDocument('r16') // workshop without a location
    await adapter().upsert([located, unlocated])

    const [add] = requests('POST', '/indexes/capabilities/documents')
    const [first, second] = add!.body
    const { geo, ...rest } = located
    expect(first).toEqual({ ...rest, env0: 25, env1: 60, env2: 400, _geo: geo })
    expect(first).not.toHaveProperty('geo')
    expect(second).not.toHaveProperty('_geo')
    expect(second).not.toHaveProperty('geo')
    expect(taskPolls()).toHaveLength(2)
  })

  test('remove deletes by id and waits', async () => {
    await adapter().remove(['r01', 'r02'])
    expect(requests('POST', '/indexes/capabilities/documents/delete-batch')[0]!.body).toEqual([
      'r01',
      'r02',
    ])
    expect(taskPolls()).toHaveLength(2)
  })

  test('replaceAll builds a second index and swaps it in', async () => {
    stub.indexes.add('capabilities')
    await adapter().replaceAll([contractDocument('r01')])
    const steps = stub.requests
      .filter((r) => !r.path.startsWith('/tasks/'))
      .map((r) => `${r.method} ${r.path}`)
    expect(steps).toEqual([
      'POST /indexes',
      'DELETE /indexes/capabilities__rebuild',
      'POST /indexes',
      'PATCH /indexes/capabilities__rebuild/settings',
      'POST /indexes/capabilities__rebuild/documents',
      'POST /swap-indexes',
      'DELETE /indexes/capabilities__rebuild',
    ])
    expect(requests('POST', '/swap-indexes')[0]!.body).toEqual([
      { indexes: ['capabilities', 'capabilities__rebuild'], rename: false },
    ])
  })

  async function searchBody(query: CapabilityQuery) {
    stub.requests.length = 0
    await adapter().search(query)
    return requests('POST', '/indexes/capabilities/search')[0]!.body
  }

  test('a query becomes q, filter, facets, sort and page parameters', async () => {
    const body = await searchBody({
      q: '  ＣＮＣ 铝合金 ',
      process: ['cnc_milling_5axis', 'cnc_turning'],
      material: ['al6061'],
      town: ['xiaolan'],
      cluster: ['hardware'],
      certification: ['iso9001', 'iatf16949'],
      verified: true,
      minEnvelopeMm: [300, 50, 20],
      maxToleranceMm: 0.01,
      minIdleHours: 40,
      near: { lat: 22.6717, lng: 113.2515 },
      radiusKm: 15,
      sort: 'distance',
      page: 2,
      perPage: 20,
    })
    expect(body).toEqual({
      q: 'CNC 铝合金',
      filter: [
        ['process = "cnc_milling_5axis"', 'process = "cnc_turning"'],
        ['materials = "al6061"'],
        ['town = "xiaolan"'],
        ['clusters = "hardware"'],
        ['certifications = "iso9001"', 'certifications = "iatf16949"'],
        'verified = true',
        'env0 >= 20',
        'env1 >= 50',
        'env2 >= 300',
        'toleranceMm <= 0.01',
        'idleHours4w >= 40',
        '_geoRadius(22.6717, 113.2515, 15000)',
      ],
      facets: ['process', 'materials', 'town', 'clusters', 'certifications', 'verified'],
      sort: ['_geoPoint(22.6717, 113.2515):asc', 'id:asc'],
      matchingStrategy: 'all',
      page: 2,
      hitsPerPage: 20,
      locales: ['cmn'],
    })
  })

  test('each sort order, and no filter or locale when there is nothing to say', async () => {
    const base = { page: 1, perPage: 10 }
    const relevance = await searchBody({ ...base, q: 'cnc aluminium' })
    expect(relevance.q).toBe('cnc aluminium')
    expect(relevance).not.toHaveProperty('sort')
    expect(relevance).not.toHaveProperty('filter')
    expect(relevance).not.toHaveProperty('locales')
    expect((await searchBody({ ...base, sort: 'rating' })).sort).toEqual(['rating:desc', 'id:asc'])
    expect((await searchBody({ ...base, sort: 'idle' })).sort).toEqual([
      'idleHours4w:desc',
      'id:asc',
    ])
    expect((await searchBody({ ...base, q: '' })).q).toBeNull()
    expect((await searchBody({ ...base, verified: false })).filter).toEqual(['verified = false'])
    expect((await searchBody({ ...base, process: [] })).filter).toBeUndefined()
  })

  test('filter values are quoted and escaped', async () => {
    const body = await searchBody({ town: ['a"b\\c'], page: 1, perPage: 1 })
    expect(body.filter).toEqual([['town = "a\\"b\\\\c"']])
  })

  test('distance sort without near is refused before any request', async () => {
    stub.requests.length = 0
    await expect(adapter().search({ sort: 'distance', page: 1, perPage: 5 })).rejects.toThrow(
      /near/,
    )
    expect(stub.requests).toEqual([])
  })

  test('answers map back: documents, totals, facet names, distances', async () => {
    const stored = (doc: CapabilityDocument, extra: Record<string, unknown>) => {
      const { geo, ...rest } = doc
      const dims = [...doc.envelopeMm].sort((a, b) => a - b)
      return {
        ...rest,
        env0: dims[0],
        env1: dims[1],
        env2: dims[2],
        ...(geo ? { _geo: geo } : {}),
        ...extra,
      }
    }
    const r01 = contractDocument('r01')
    const r03 = contractDocument('r03')
    const r16 = contractDocument('r16')
    stub.searchResponse = {
      hits: [stored(r01, { _geoDistance: 222 }), stored(r03, {}), stored(r16, {})],
      query: '',
      processingTimeMs: 1,
      hitsPerPage: 3,
      page: 1,
      totalPages: 14,
      totalHits: 42,
      facetDistribution: {
        process: { cnc_milling_5axis: 2, textile_cutting: 1 },
        materials: { al6061: 1, ti_tc4: 1, cotton: 1 },
        town: { xiaolan: 2, shaxi: 1 },
        clusters: { hardware: 2, clothing: 1 },
        certifications: { iso9001: 2 },
        verified: { true: 2, false: 1 },
      },
    }
    const near = { lat: 22.6717, lng: 113.2515 }
    const result = await adapter().search({ near, page: 1, perPage: 3 })

    expect(result.total).toBe(42)
    expect(result.page).toBe(1)
    expect(result.perPage).toBe(3)
    expect(result.facets).toEqual({
      process: { cnc_milling_5axis: 2, textile_cutting: 1 },
      material: { al6061: 1, ti_tc4: 1, cotton: 1 },
      town: { xiaolan: 2, shaxi: 1 },
      cluster: { hardware: 2, clothing: 1 },
      certification: { iso9001: 2 },
      verified: { true: 2, false: 1 },
    })
    expect(result.hits.map((h) => h.document)).toEqual([r01, r03, r16])
    expect(result.hits[0]!.distanceKm).toBe(0.222)
    // No _geoDistance (no distance sort): measured from the document's location.
    expect(result.hits[1]!.distanceKm).toBeCloseTo(1.23, 1)
    expect(result.hits[2]).not.toHaveProperty('distanceKm')
  })

  test('facets missing from the answer come back empty', async () => {
    stub.searchResponse = { hits: [], totalHits: 0, page: 1, hitsPerPage: 5, totalPages: 0 }
    const result = await adapter().search({ q: 'nothing', page: 1, perPage: 5 })
    expect(result).toEqual({
      hits: [],
      total: 0,
      page: 1,
      perPage: 5,
      facets: {
        process: {},
        material: {},
        town: {},
        cluster: {},
        certification: {},
        verified: {},
      },
    })
  })

  test('health: up with the document count; down when the server does not answer', async () => {
    expect(await adapter().health()).toEqual({ status: 'up', documents: 30 })
    const url = stub.url
    await stub.close()
    const gone = createMeilisearchIndex({ url })
    expect(await gone.health()).toEqual({ status: 'down' })
    stub = await startStub() // afterEach closes it
  })
})
