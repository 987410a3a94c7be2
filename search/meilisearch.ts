// The Meilisearch adapter: the same CapabilityIndex on a Meilisearch server, through the
// official client. Every write waits for its task, so it is visible when the promise
// resolves — the contract the embedded index keeps too.
import {
  Meilisearch,
  type EnqueuedTaskPromise,
  type Filter,
  type SearchParams,
  type Settings,
  type Task,
  type WaitOptions,
} from 'meilisearch'
import { haversineKm, validateQuery } from './embedded.ts'
import { meilisearchSynonyms } from './synonyms.ts'
import { domainWords } from './text.ts'
import {
  documentBatches,
  facetNames,
  type CapabilityDocument,
  type CapabilityIndex,
  type CapabilityQuery,
  type CapabilitySearchResult,
  type FacetName,
} from './types.ts'

export interface MeilisearchIndexOptions {
  url: string
  apiKey?: string
  indexName?: string
  /** How long to wait for one task; a 100k-document rebuild takes a while. */
  taskTimeoutMs?: number
}

/** Most important first (the embedded index weighs them in the same order). */
const searchableAttributes = ['name', 'keywords', 'make', 'model', 'workshopName', 'description']

/** Our facet names → the Meilisearch document attributes holding them. */
const facetAttribute: Record<FacetName, string> = {
  process: 'process',
  material: 'materials',
  town: 'town',
  cluster: 'clusters',
  certification: 'certifications',
  verified: 'verified',
}

/** Documents per addDocuments call. */
const BATCH = 10_000

/**
 * `sort` first so an explicit sort (rating, idle, distance) is strict rather than a
 * tie-breaker; with no `sort` parameter (relevance) the text rules decide, then rating,
 * then id — the order the embedded index uses.
 */
const rankingRules = [
  'sort',
  'words',
  'typo',
  'proximity',
  'attribute',
  'exactness',
  'rating:desc',
  'id:asc',
]

export function meilisearchSettings(): Settings {
  return {
    searchableAttributes,
    filterableAttributes: [
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
    ],
    sortableAttributes: ['rating', 'idleHours4w', '_geo', 'id'],
    rankingRules,
    synonyms: meilisearchSynonyms(),
    dictionary: [...domainWords],
    localizedAttributes: [{ attributePatterns: searchableAttributes, locales: ['cmn'] }],
    // Meilisearch's defaults, spelled out: the embedded index mirrors the one-typo rule.
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
    // totalHits is exact up to this; above the catalogue's size so "total" never saturates.
    pagination: { maxTotalHits: 1_000_000 },
    faceting: { maxValuesPerFacet: 200 },
  }
}

/** The stored shape: envelope dims sorted (env0 ≤ env1 ≤ env2) for the fit filter, `_geo`. */
type MeiliDocument = Omit<CapabilityDocument, 'geo'> & {
  env0: number
  env1: number
  env2: number
  _geo?: { lat: number; lng: number }
}

function toMeiliDocument(doc: CapabilityDocument): MeiliDocument {
  const { geo, ...rest } = doc
  const [env0 = 0, env1 = 0, env2 = 0] = [...doc.envelopeMm].sort((a, b) => a - b)
  // A document without a location has no `_geo` at all (never inside a radius, sorted last).
  return geo
    ? { ...rest, env0, env1, env2, _geo: { lat: geo.lat, lng: geo.lng } }
    : { ...rest, env0, env1, env2 }
}

/** Back to our shape, field by field (drops env0–2, `_geo`, `_geoDistance`, `_formatted`). */
function fromMeiliDocument(d: MeiliDocument): CapabilityDocument {
  return {
    id: d.id,
    workshopId: d.workshopId,
    workshopName: d.workshopName,
    town: d.town,
    clusters: d.clusters,
    certifications: d.certifications,
    verified: d.verified,
    rating: d.rating ?? null,
    process: d.process,
    materials: d.materials,
    name: d.name,
    make: d.make,
    model: d.model,
    description: d.description,
    finishes: d.finishes,
    envelopeMm: d.envelopeMm,
    toleranceMm: d.toleranceMm,
    idleHours4w: d.idleHours4w,
    geo: d._geo ? { lat: Number(d._geo.lat), lng: Number(d._geo.lng) } : null,
    keywords: d.keywords,
  } satisfies Record<keyof CapabilityDocument, unknown>
}

/** A filter string literal: double-quoted, with `"` and `\` escaped. */
function literal(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

function number(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
  return String(value)
}

const HAN = /\p{Script=Han}/u

/** CapabilityQuery → the `q` and parameters of a Meilisearch search. */
function toSearch(query: CapabilityQuery): { q: string | null; params: SearchParams } {
  const sort = validateQuery(query)
  // Outer array: AND; inner array: OR.
  const filter: (string | string[])[] = []
  const values: [FacetName, readonly string[] | undefined][] = [
    ['process', query.process],
    ['material', query.material],
    ['town', query.town],
    ['cluster', query.cluster],
    ['certification', query.certification],
  ]
  for (const [facet, list] of values) {
    if (list && list.length > 0) {
      filter.push(list.map((v) => `${facetAttribute[facet]} = ${literal(v)}`))
    }
  }
  if (query.verified !== undefined) filter.push(`verified = ${query.verified}`)
  if (query.minEnvelopeMm) {
    const dims = [...query.minEnvelopeMm].sort((a, b) => a - b)
    dims.forEach((d, i) => filter.push(`env${i} >= ${number(d)}`))
  }
  if (query.maxToleranceMm !== undefined) {
    filter.push(`toleranceMm <= ${number(query.maxToleranceMm)}`)
  }
  if (query.minIdleHours !== undefined) {
    filter.push(`idleHours4w >= ${number(query.minIdleHours)}`)
  }
  if (query.near && query.radiusKm !== undefined) {
    const { lat, lng } = query.near
    filter.push(`_geoRadius(${number(lat)}, ${number(lng)}, ${number(query.radiusKm * 1000)})`)
  }

  const params: SearchParams = {
    facets: facetNames.map((f) => facetAttribute[f]),
    matchingStrategy: 'all',
    page: query.page,
    hitsPerPage: query.perPage,
  }
  if (filter.length > 0) params.filter = filter satisfies Filter
  if (sort === 'rating') params.sort = ['rating:desc', 'id:asc']
  if (sort === 'idle') params.sort = ['idleHours4w:desc', 'id:asc']
  if (sort === 'distance' && query.near) {
    params.sort = [`_geoPoint(${number(query.near.lat)}, ${number(query.near.lng)}):asc`, 'id:asc']
  }
  const q = query.q?.normalize('NFKC').trim() || null
  // Short Chinese queries are otherwise open to being detected as Japanese.
  if (q && HAN.test(q)) params.locales = ['cmn']
  return { q, params }
}

type MeiliHit = MeiliDocument & { _geoDistance?: number }

/** The Meilisearch-backed capability index (kind 'meilisearch'). */
export function createMeilisearchIndex({
  url,
  apiKey,
  indexName = 'capabilities',
  taskTimeoutMs = 300_000,
}: MeilisearchIndexOptions): CapabilityIndex {
  const client = new Meilisearch({ host: url, apiKey })
  const wait: WaitOptions = { timeout: taskTimeoutMs, interval: 50 }
  const rebuildName = `${indexName}__rebuild`

  /** Waits for a task; a failed one throws unless its error code is in `tolerated`. */
  async function settle(task: EnqueuedTaskPromise, tolerated: string[] = []): Promise<Task> {
    const done = await task.waitTask(wait)
    if (done.status !== 'succeeded' && !tolerated.includes(done.error?.code ?? '')) {
      throw new Error(
        `Meilisearch task ${done.uid} (${done.type}) ${done.status}: ${done.error?.message ?? 'no error message'}`,
      )
    }
    return done
  }

  async function createIfMissing(name: string) {
    await settle(client.createIndex(name, { primaryKey: 'id' }), ['index_already_exists'])
  }

  async function addAll(name: string, documents: readonly CapabilityDocument[]) {
    const index = client.index<MeiliDocument>(name)
    for (let i = 0; i < documents.length; i += BATCH) {
      const batch = documents.slice(i, i + BATCH).map(toMeiliDocument)
      await settle(index.addDocuments(batch, { primaryKey: 'id' }))
    }
  }

  return {
    kind: 'meilisearch',

    async configure() {
      await createIfMissing(indexName)
      await settle(client.index(indexName).updateSettings(meilisearchSettings()))
    },

    async upsert(documents) {
      await addAll(indexName, documents)
    },

    async remove(ids) {
      if (ids.length === 0) return
      await settle(client.index(indexName).deleteDocuments([...ids]))
    },

    // Built beside the live index and swapped in, so searches never see it half full.
    async replaceAll(documents) {
      await createIfMissing(indexName)
      await settle(client.deleteIndex(rebuildName), ['index_not_found'])
      await createIfMissing(rebuildName)
      await settle(client.index(rebuildName).updateSettings(meilisearchSettings()))
      for await (const batch of documentBatches(documents)) await addAll(rebuildName, batch)
      await settle(client.swapIndexes([{ indexes: [indexName, rebuildName], rename: false }]))
      await settle(client.deleteIndex(rebuildName))
    },

    async search(query): Promise<CapabilitySearchResult> {
      const { q, params } = toSearch(query)
      const response = await client.index<MeiliHit>(indexName).search<MeiliHit>(q, params)
      const distribution = response.facetDistribution ?? {}
      const facets = Object.fromEntries(
        facetNames.map((f) => [f, { ...distribution[facetAttribute[f]] }]),
      ) as Record<FacetName, Record<string, number>>
      const near = query.near
      const hits = response.hits.map((hit) => {
        const document = fromMeiliDocument(hit)
        if (!near) return { document }
        const distanceKm =
          typeof hit._geoDistance === 'number'
            ? hit._geoDistance / 1000
            : document.geo
              ? haversineKm(near.lat, near.lng, document.geo.lat, document.geo.lng)
              : undefined
        return distanceKm === undefined ? { document } : { document, distanceKm }
      })
      const total = 'totalHits' in response ? Number(response.totalHits) : hits.length
      return { hits, facets, total, page: query.page, perPage: query.perPage }
    },

    async health() {
      try {
        await client.health()
      } catch {
        return { status: 'down' }
      }
      try {
        const stats = await client.index(indexName).getStats()
        return { status: 'up', documents: stats.numberOfDocuments }
      } catch {
        return { status: 'up' }
      }
    },
  }
}
