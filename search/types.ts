// The capability index: one document per resource (machine/line), denormalised with its
// workshop. Both adapters (embedded, Meilisearch) implement CapabilityIndex and pass the
// same contract suite (tests/contract/search.contract.ts).

export const facetNames = [
  'process',
  'material',
  'town',
  'cluster',
  'certification',
  'verified',
] as const
export type FacetName = (typeof facetNames)[number]

export interface CapabilityDocument {
  /** The resource id. */
  id: string
  workshopId: string
  workshopName: string
  /** Town code (app/models/towns.ts). */
  town: string
  clusters: string[]
  certifications: string[]
  verified: boolean
  /** 0–5, null when not yet rated. */
  rating: number | null
  /** Process code (app/models/processes.ts). */
  process: string
  /** Material codes from the catalogue. */
  materials: string[]
  /** Display name of the machine, e.g. "DMG MORI DMU 50 五轴加工中心". */
  name: string
  make: string
  model: string
  description: string
  finishes: string[]
  /** Work envelope x, y, z in mm, as entered. */
  envelopeMm: [number, number, number]
  /** Best tolerance in mm (smaller is better). */
  toleranceMm: number
  /** Offered minus booked hours in the coming 4 weeks. */
  idleHours4w: number
  /** Workshop location; null when unknown (then never inside a radius). */
  geo: { lat: number; lng: number } | null
  /**
   * zh and en labels of the codes above (process, materials, town, clusters,
   * certifications, finishes) so text search finds 五轴 / 5-axis / 铝合金 / aluminium.
   * Built by search/document.ts; both adapters search it. Hits may return it empty.
   */
  keywords: string
}

/** Documents all at once, or in batches. */
export type DocumentSource = readonly CapabilityDocument[] | AsyncIterable<CapabilityDocument[]>

/** The batches of a DocumentSource (an array is one batch). */
export async function* documentBatches(
  source: DocumentSource,
): AsyncGenerator<readonly CapabilityDocument[]> {
  if (Symbol.asyncIterator in source) yield* source
  else yield source as readonly CapabilityDocument[]
}

export type SortOrder = 'relevance' | 'rating' | 'idle' | 'distance'

export interface CapabilityQuery {
  /** Free text, zh or en; every query token must match (AND). */
  q?: string
  /** Within one facet, several values mean OR; across facets, AND. */
  process?: string[]
  material?: string[]
  town?: string[]
  cluster?: string[]
  certification?: string[]
  verified?: boolean
  /** The part's bounding box: fits when the envelope's sorted dims ≥ the part's sorted dims. */
  minEnvelopeMm?: [number, number, number]
  /** Resources whose best tolerance is ≤ this. */
  maxToleranceMm?: number
  minIdleHours?: number
  /** Distance is measured from here; with radiusKm, only hits inside the radius. */
  near?: { lat: number; lng: number }
  radiusKm?: number
  /** Default relevance (text score, then rating); 'distance' needs `near`. Ties break by id. */
  sort?: SortOrder
  /** 1-based. */
  page: number
  perPage: number
}

export interface CapabilityHit {
  document: CapabilityDocument
  /** Present when the query had `near`. */
  distanceKm?: number
}

export interface CapabilitySearchResult {
  hits: CapabilityHit[]
  /** Counts over the whole filtered result set (not only the page), per facet value. */
  facets: Record<FacetName, Record<string, number>>
  total: number
  page: number
  perPage: number
}

export interface IndexHealth {
  status: 'up' | 'down'
  documents?: number
}

export interface CapabilityIndex {
  readonly kind: 'embedded' | 'meilisearch'
  /** Creates the index and applies its settings (searchable/filterable/sortable, synonyms). */
  configure(): Promise<void>
  /** Adds or replaces documents by id; visible to search when the promise resolves. */
  upsert(documents: CapabilityDocument[]): Promise<void>
  remove(ids: string[]): Promise<void>
  /**
   * Replaces the whole index with `documents`: an array, or batches as they are read from
   * PostgreSQL (search/document.ts `allCapabilityDocuments`). Searches see the old index
   * until the new one is complete.
   */
  replaceAll(documents: DocumentSource): Promise<void>
  search(query: CapabilityQuery): Promise<CapabilitySearchResult>
  health(): Promise<IndexHealth>
}
