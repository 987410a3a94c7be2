// The embedded capability index: an in-process inverted index, chosen over Orama,
// MiniSearch and FlexSearch by measurement (docs in /work/shared/STACK.md, "Search notes").
//
// Layout. Documents live in slots (0..capacity); a removed slot is reused. Per term, a
// postings list of (slot, BM25 term-frequency part) that grows by doubling; the idf part is
// applied at query time, so upserts never rewrite other postings. One bitset per facet value,
// typed-array columns for numbers and coordinates. All terms in one sorted array for prefix
// ranges; alphabetic terms bucketed by length for edit-distance-1 lookups.
//
// Matching. Every query word must match (AND). A word matches the terms it is a prefix of
// (Latin words of one character only exactly) and, when it is ≥ 5 letters, terms one edit
// away (insertion, deletion, substitution, adjacent transposition). Query words that form a
// synonym phrase (search/synonyms.ts) match any of its expansions instead (OR); expansions
// match exactly (Han ones also as a prefix: 铝 finds 铝板).
//
// Search is synchronous and allocation-light; replaceAll builds a new store beside the old
// one, yielding to the event loop between slices, then swaps it in. Mutations are queued
// one after another; searches always read a complete store.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { synonymExpansions } from './synonyms.ts'
import { isAlphabeticToken, isHanToken, tokenize } from './text.ts'
import {
  facetNames,
  type CapabilityDocument,
  type CapabilityHit,
  type CapabilityIndex,
  type CapabilityQuery,
  type CapabilitySearchResult,
  type DocumentSource,
  type FacetName,
  type SortOrder,
  documentBatches,
} from './types.ts'

/** Searchable fields and their weights (most important first, as in the Meilisearch adapter). */
export const searchableFields = [
  ['name', 3],
  ['keywords', 2],
  ['make', 2],
  ['model', 2],
  ['workshopName', 1.5],
  ['description', 1],
] as const satisfies readonly (readonly [keyof CapabilityDocument, number])[]

const K1 = 1.2
const B = 0.75
const PREFIX_WEIGHT = 0.7
const TYPO_WEIGHT = 0.5
const SYNONYM_WEIGHT = 0.9
const TYPO_MIN_LENGTH = 5
const EARTH_RADIUS_KM = 6371.0088
const KM_PER_DEGREE_LAT = (Math.PI / 180) * EARTH_RADIUS_KM
/** Longest stretch of bulk work (replaceAll, large upserts) between two yields. */
const SLICE_MS = 10

interface Postings {
  docs: Int32Array
  tf: Float32Array
  n: number
}

/** A query word after expansion: the terms it matches and how much each counts. */
type Matcher = { term: number; weight: number }[]
/** Words that must all match (one synonym alternative, or the words as typed). */
type Alternative = Matcher[]
/** One position of the query: any alternative may match. */
type Slot = Alternative[]

interface Sparse {
  docs: Int32Array
  scores: Float32Array
  n: number
}

const PLACEHOLDER: Postings = { docs: new Int32Array(0), tf: new Float32Array(0), n: 0 }
const EMPTY: Sparse = { docs: new Int32Array(0), scores: new Float32Array(0), n: 0 }

function bitsWords(capacity: number) {
  return capacity >>> 5
}

function growInt32(a: Int32Array, size: number) {
  const b = new Int32Array(size)
  b.set(a)
  return b
}

function growFloat32(a: Float32Array, size: number) {
  const b = new Float32Array(size)
  b.set(a)
  return b
}

function growFloat64(a: Float64Array, size: number, fill = 0) {
  const b = new Float64Array(size)
  if (fill !== 0) b.fill(fill)
  b.set(a)
  return b
}

function growUint32(a: Uint32Array, size: number) {
  const b = new Uint32Array(size)
  b.set(a)
  return b
}

// The index keeps the document objects it is given (copying 100k of them would double
// their memory); callers must not mutate a document after handing it over. Hits get copies.
function copyDocument(doc: CapabilityDocument): CapabilityDocument {
  return {
    ...doc,
    clusters: [...doc.clusters],
    certifications: [...doc.certifications],
    materials: [...doc.materials],
    finishes: [...doc.finishes],
    envelopeMm: [doc.envelopeMm[0], doc.envelopeMm[1], doc.envelopeMm[2]],
    geo: doc.geo ? { lat: doc.geo.lat, lng: doc.geo.lng } : null,
  }
}

function facetValuesOf(doc: CapabilityDocument): [FacetName, string][] {
  const out: [FacetName, string][] = [
    ['process', doc.process],
    ['town', doc.town],
    ['verified', String(doc.verified)],
  ]
  for (const m of doc.materials) out.push(['material', m])
  for (const c of doc.clusters) out.push(['cluster', c])
  for (const c of doc.certifications) out.push(['certification', c])
  return out
}

/** Distance in km along the sphere (haversine), as Meilisearch computes `_geoDistance`. */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180
  const sLat = Math.sin(((lat2 - lat1) * rad) / 2)
  const sLng = Math.sin(((lng2 - lng1) * rad) / 2)
  const a = sLat * sLat + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * sLng * sLng
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)))
}

/** Is `a` one insertion, deletion, substitution or adjacent transposition away from `b`? */
function withinOneEdit(a: string, b: string): boolean {
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > 1 || a === b) return false
  let i = 0
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true // substitution
    return (
      i + 1 < la &&
      a.charCodeAt(i) === b.charCodeAt(i + 1) &&
      a.charCodeAt(i + 1) === b.charCodeAt(i) &&
      a.slice(i + 2) === b.slice(i + 2)
    )
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as string) < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

class Store {
  capacity = 0
  count = 0
  totalLength = 0
  private next = 0
  private free: number[] = []

  readonly slotById = new Map<string, number>()
  ids: string[] = []
  docs: (CapabilityDocument | undefined)[] = []
  docTerms: (Int32Array | undefined)[] = []
  /**
   * Facet value ids of every slot, packed in one array (facet counting walks it for every
   * match; separate small arrays per document were several times slower once scattered
   * over the heap). A rewritten slot appends and leaves garbage; `compactFacets` reclaims it.
   */
  facetPool = new Int32Array(1024)
  facetPoolUsed = 0
  facetPoolGarbage = 0
  facetStart = new Int32Array(0)
  facetCount = new Int32Array(0)
  alive = new Uint32Array(0)
  docLength = new Float32Array(0)
  /** Sorted envelope dims, three per slot. */
  env = new Float64Array(0)
  tolerance = new Float64Array(0)
  idle = new Float64Array(0)
  /** NaN when unrated. */
  rating = new Float64Array(0)
  /** NaN when the location is unknown. */
  lat = new Float64Array(0)
  lng = new Float64Array(0)

  readonly termIds = new Map<string, number>()
  terms: string[] = []
  postings: Postings[] = []
  /** Every term, sorted by UTF-16 code units (the `<` order), for prefix ranges. */
  sortedTerms: string[] = []
  /** Alphabetic term ids by length, for typo lookups. */
  readonly typoBuckets = new Map<number, number[]>()
  /** While bulk loading, sortedTerms is rebuilt once at the end instead of kept sorted. */
  bulk = false

  readonly facetIds = new Map<string, number>()
  facetOf: FacetName[] = []
  facetValue: string[] = []
  facetBits: Uint32Array[] = []

  // Query scratch space: `mark[slot] === epoch` means "seen in the current pass".
  mark = new Int32Array(0)
  value = new Float32Array(0)
  epoch = 0

  constructor(initialCapacity = 1024) {
    this.grow(Math.max(32, initialCapacity))
  }

  /** Makes room for `slots` documents at once (a bulk load knows its size at the end). */
  reserve(slots: number) {
    if (slots > this.capacity) this.grow(slots)
  }

  private grow(minimum: number) {
    let capacity = Math.max(this.capacity, 32)
    while (capacity < minimum) capacity *= 2
    capacity = Math.ceil(capacity / 32) * 32
    if (capacity === this.capacity) return
    const words = bitsWords(capacity)
    this.alive = growUint32(this.alive, words)
    this.facetBits = this.facetBits.map((b) => growUint32(b, words))
    this.docLength = growFloat32(this.docLength, capacity)
    this.facetStart = growInt32(this.facetStart, capacity)
    this.facetCount = growInt32(this.facetCount, capacity)
    this.env = growFloat64(this.env, capacity * 3)
    this.tolerance = growFloat64(this.tolerance, capacity)
    this.idle = growFloat64(this.idle, capacity)
    this.rating = growFloat64(this.rating, capacity, NaN)
    this.lat = growFloat64(this.lat, capacity, NaN)
    this.lng = growFloat64(this.lng, capacity, NaN)
    this.mark = growInt32(this.mark, capacity)
    this.value = growFloat32(this.value, capacity)
    this.capacity = capacity
  }

  nextEpoch(): number {
    if (this.epoch >= 0x7fffffff) {
      this.mark.fill(0)
      this.epoch = 0
    }
    return ++this.epoch
  }

  termId(term: string): number {
    let id = this.termIds.get(term)
    if (id !== undefined) return id
    id = this.terms.length
    this.termIds.set(term, id)
    this.terms.push(term)
    // Bulk loads allocate every postings list once, at its final size, after counting.
    this.postings.push(
      this.bulk ? PLACEHOLDER : { docs: new Int32Array(4), tf: new Float32Array(4), n: 0 },
    )
    if (!this.bulk) this.sortedTerms.splice(lowerBound(this.sortedTerms, term), 0, term)
    if (term.length >= TYPO_MIN_LENGTH - 1 && isAlphabeticToken(term)) {
      let bucket = this.typoBuckets.get(term.length)
      if (!bucket) this.typoBuckets.set(term.length, (bucket = []))
      bucket.push(id)
    }
    return id
  }

  finishBulk() {
    this.bulk = false
    this.sortedTerms = [...this.terms].sort()
  }

  private facetId(facet: FacetName, value: string): number {
    const key = `${facet}\u0000${value}`
    let id = this.facetIds.get(key)
    if (id !== undefined) return id
    id = this.facetOf.length
    this.facetIds.set(key, id)
    this.facetOf.push(facet)
    this.facetValue.push(value)
    this.facetBits.push(new Uint32Array(bitsWords(this.capacity)))
    return id
  }

  facetBitsFor(facet: FacetName, value: string): Uint32Array | undefined {
    const id = this.facetIds.get(`${facet}\u0000${value}`)
    return id === undefined ? undefined : this.facetBits[id]
  }

  allocateSlot(id: string): number {
    const existing = this.slotById.get(id)
    if (existing !== undefined) {
      this.clearSlot(existing)
      return existing
    }
    const slot = this.free.pop() ?? this.next++
    if (slot >= this.capacity) this.grow(slot + 1)
    this.slotById.set(id, slot)
    return slot
  }

  /** Tokenises a document: its distinct term ids, weighted frequencies and length. */
  analyse(doc: CapabilityDocument): { terms: Int32Array; freqs: Float32Array; length: number } {
    const freq = new Map<number, number>()
    let length = 0
    for (const [field, weight] of searchableFields) {
      for (const token of tokenize(doc[field])) {
        const id = this.termId(token)
        freq.set(id, (freq.get(id) ?? 0) + weight)
        length += weight
      }
    }
    const terms = new Int32Array(freq.size)
    const freqs = new Float32Array(freq.size)
    let i = 0
    for (const [id, f] of freq) {
      terms[i] = id
      freqs[i] = f
      i++
    }
    return { terms, freqs, length }
  }

  /** Fills `slot` (already allocated) with `doc`; `averageLength` normalises BM25. */
  write(
    slot: number,
    doc: CapabilityDocument,
    analysed: { terms: Int32Array; freqs: Float32Array; length: number },
    averageLength: number,
  ) {
    const { terms, freqs, length } = analysed
    const norm = K1 * (1 - B + (B * length) / (averageLength > 0 ? averageLength : length || 1))
    for (let i = 0; i < terms.length; i++) {
      const p = this.postings[terms[i] as number] as Postings
      if (p.n === p.docs.length) {
        p.docs = growInt32(p.docs, Math.max(4, p.n * 2))
        p.tf = growFloat32(p.tf, Math.max(4, p.n * 2))
      }
      const f = freqs[i] as number
      p.docs[p.n] = slot
      p.tf[p.n] = (f * (K1 + 1)) / (f + norm)
      p.n++
    }
    const facetIds = new Set<number>()
    for (const [facet, value] of facetValuesOf(doc)) facetIds.add(this.facetId(facet, value))
    const word = slot >>> 5
    const bit = 1 << (slot & 31)
    if (this.facetPoolUsed + facetIds.size > this.facetPool.length) {
      this.facetPool = growInt32(
        this.facetPool,
        Math.max(this.facetPool.length * 2, this.facetPoolUsed + facetIds.size),
      )
    }
    this.facetStart[slot] = this.facetPoolUsed
    this.facetCount[slot] = facetIds.size
    for (const id of facetIds) {
      ;(this.facetBits[id] as Uint32Array)[word]! |= bit
      this.facetPool[this.facetPoolUsed++] = id
    }
    this.alive[word]! |= bit

    const dims = [...doc.envelopeMm].sort((a, b) => a - b)
    this.env[slot * 3] = dims[0] ?? 0
    this.env[slot * 3 + 1] = dims[1] ?? 0
    this.env[slot * 3 + 2] = dims[2] ?? 0
    this.tolerance[slot] = doc.toleranceMm
    this.idle[slot] = doc.idleHours4w
    this.rating[slot] = doc.rating ?? NaN
    this.lat[slot] = doc.geo ? doc.geo.lat : NaN
    this.lng[slot] = doc.geo ? doc.geo.lng : NaN
    this.docLength[slot] = length
    this.ids[slot] = doc.id
    // `keywords` is only for matching (it is in the postings now); at 100k documents their
    // copies were ~30 MB. Hits come back with it empty.
    this.docs[slot] = doc.keywords ? { ...doc, keywords: '' } : doc
    this.docTerms[slot] = terms
    this.totalLength += length
    this.count++
  }

  /** Removes a slot's postings, bits and columns; the slot stays allocated to its id. */
  private clearSlot(slot: number) {
    const terms = this.docTerms[slot]
    if (!terms) return
    for (const t of terms) {
      const p = this.postings[t] as Postings
      const at = p.docs.indexOf(slot)
      if (at < 0 || at >= p.n) continue
      p.n--
      p.docs[at] = p.docs[p.n] as number
      p.tf[at] = p.tf[p.n] as number
    }
    const word = slot >>> 5
    const mask = ~(1 << (slot & 31))
    const start = this.facetStart[slot] as number
    const end = start + (this.facetCount[slot] as number)
    for (let i = start; i < end; i++) {
      ;(this.facetBits[this.facetPool[i] as number] as Uint32Array)[word]! &= mask
    }
    this.facetPoolGarbage += end - start
    this.facetCount[slot] = 0
    this.alive[word]! &= mask
    this.totalLength -= this.docLength[slot] as number
    this.count--
    this.docs[slot] = undefined
    this.docTerms[slot] = undefined
    if (this.facetPoolGarbage > 4096 && this.facetPoolGarbage * 2 > this.facetPoolUsed) {
      this.compactFacets()
    }
  }

  /** Rewrites the facet pool in slot order without the garbage of rewritten slots. */
  private compactFacets() {
    const pool = new Int32Array(Math.max(1024, (this.facetPoolUsed - this.facetPoolGarbage) * 2))
    let used = 0
    for (let slot = 0; slot < this.next; slot++) {
      const start = this.facetStart[slot] as number
      const count = this.facetCount[slot] as number
      pool.set(this.facetPool.subarray(start, start + count), used)
      this.facetStart[slot] = used
      used += count
    }
    this.facetPool = pool
    this.facetPoolUsed = used
    this.facetPoolGarbage = 0
  }

  remove(id: string) {
    const slot = this.slotById.get(id)
    if (slot === undefined) return
    this.clearSlot(slot)
    this.slotById.delete(id)
    this.free.push(slot)
  }

  averageLength(): number {
    return this.count > 0 ? this.totalLength / this.count : 0
  }
}

// ---------------------------------------------------------------------------------------
// Query planning

interface SynonymPhrases {
  /** Query tokens joined by \u0001 → the expansions, each as query tokens. */
  table: Map<string, string[][]>
  longest: number
}

let phrases: SynonymPhrases | undefined

function synonymPhrases(): SynonymPhrases {
  if (!phrases) {
    const table = new Map<string, string[][]>()
    let longest = 1
    for (const [term, expansions] of synonymExpansions()) {
      const key = tokenize(term, 'query')
      if (key.length === 0) continue
      longest = Math.max(longest, key.length)
      const joined = key.join('\u0001')
      const alternatives = table.get(joined) ?? []
      for (const e of expansions) {
        const tokens = tokenize(e, 'query')
        if (tokens.length > 0) alternatives.push(tokens)
      }
      table.set(joined, alternatives)
    }
    phrases = { table, longest }
  }
  return phrases
}

function addTerm(m: Map<number, number>, term: number, weight: number) {
  if ((m.get(term) ?? 0) < weight) m.set(term, weight)
}

function prefixTerms(store: Store, token: string, weight: number, into: Map<number, number>) {
  const sorted = store.sortedTerms
  for (let i = lowerBound(sorted, token); i < sorted.length; i++) {
    const term = sorted[i] as string
    if (!term.startsWith(token)) break
    if (term.length > token.length) addTerm(into, store.termIds.get(term) as number, weight)
  }
}

/** A word as the user typed it: exact, prefix, and (long alphabetic words) one typo. */
function typedMatcher(store: Store, token: string): Matcher {
  const m = new Map<number, number>()
  const exact = store.termIds.get(token)
  if (exact !== undefined) addTerm(m, exact, 1)
  if (token.length >= 2 || isHanToken(token)) prefixTerms(store, token, PREFIX_WEIGHT, m)
  if (token.length >= TYPO_MIN_LENGTH && isAlphabeticToken(token)) {
    for (let len = token.length - 1; len <= token.length + 1; len++) {
      for (const id of store.typoBuckets.get(len) ?? []) {
        if (withinOneEdit(token, store.terms[id] as string)) addTerm(m, id, TYPO_WEIGHT)
      }
    }
  }
  return [...m].map(([term, weight]) => ({ term, weight }))
}

/** A word from a synonym expansion: exact only (Han words also as a prefix). */
function synonymMatcher(store: Store, token: string): Matcher {
  const m = new Map<number, number>()
  const exact = store.termIds.get(token)
  if (exact !== undefined) addTerm(m, exact, SYNONYM_WEIGHT)
  if (isHanToken(token)) prefixTerms(store, token, SYNONYM_WEIGHT * PREFIX_WEIGHT, m)
  return [...m].map(([term, weight]) => ({ term, weight }))
}

function planQuery(store: Store, q: string): Slot[] {
  const tokens = tokenize(q, 'query')
  const { table, longest } = synonymPhrases()
  const slots: Slot[] = []
  for (let i = 0; i < tokens.length;) {
    let length = 0
    let expansions: string[][] | undefined
    for (let n = Math.min(longest, tokens.length - i); n >= 1; n--) {
      expansions = table.get(tokens.slice(i, i + n).join('\u0001'))
      if (expansions) {
        length = n
        break
      }
    }
    if (!expansions) {
      slots.push([[typedMatcher(store, tokens[i] as string)]])
      i++
      continue
    }
    const typed = tokens.slice(i, i + length).map((t) => typedMatcher(store, t))
    slots.push([typed, ...expansions.map((e) => e.map((t) => synonymMatcher(store, t)))])
    i += length
  }
  return slots
}

// ---------------------------------------------------------------------------------------
// Query evaluation over sparse (slot, score) lists

function idf(store: Store, df: number): number {
  return Math.log(1 + (store.count - df + 0.5) / (df + 0.5))
}

function evalMatcher(store: Store, matcher: Matcher): Sparse {
  if (matcher.length === 0) return EMPTY
  if (matcher.length === 1) {
    const { term, weight } = matcher[0] as { term: number; weight: number }
    const p = store.postings[term] as Postings
    const w = idf(store, p.n) * weight
    const scores = new Float32Array(p.n)
    for (let i = 0; i < p.n; i++) scores[i] = (p.tf[i] as number) * w
    return { docs: p.docs.slice(0, p.n), scores, n: p.n }
  }
  let total = 0
  for (const { term } of matcher) total += (store.postings[term] as Postings).n
  const docs = new Int32Array(total)
  let n = 0
  const epoch = store.nextEpoch()
  const { mark, value } = store
  for (const { term, weight } of matcher) {
    const p = store.postings[term] as Postings
    const w = idf(store, p.n) * weight
    for (let i = 0; i < p.n; i++) {
      const d = p.docs[i] as number
      const s = (p.tf[i] as number) * w
      if (mark[d] !== epoch) {
        mark[d] = epoch
        value[d] = s
        docs[n++] = d
      } else if ((value[d] as number) < s) value[d] = s
    }
  }
  const scores = new Float32Array(n)
  for (let i = 0; i < n; i++) scores[i] = value[docs[i] as number] as number
  return { docs, scores, n }
}

/** Keeps the entries of `a` also in `b`, adding their scores. Reuses `a`'s arrays. */
function intersect(store: Store, a: Sparse, b: Sparse): Sparse {
  if (a.n === 0 || b.n === 0) return EMPTY
  const epoch = store.nextEpoch()
  const { mark, value } = store
  for (let i = 0; i < b.n; i++) {
    const d = b.docs[i] as number
    mark[d] = epoch
    value[d] = b.scores[i] as number
  }
  let n = 0
  for (let i = 0; i < a.n; i++) {
    const d = a.docs[i] as number
    if (mark[d] === epoch) {
      a.docs[n] = d
      a.scores[n] = (a.scores[i] as number) + (value[d] as number)
      n++
    }
  }
  return { docs: a.docs, scores: a.scores, n }
}

function intersectAll(store: Store, lists: Sparse[]): Sparse {
  if (lists.length === 0) return EMPTY
  const sorted = [...lists].sort((x, y) => x.n - y.n)
  let acc = sorted[0] as Sparse
  for (let i = 1; i < sorted.length && acc.n > 0; i++) acc = intersect(store, acc, sorted[i]!)
  return acc
}

/** Union keeping each slot's best score. */
function unionBest(store: Store, lists: Sparse[]): Sparse {
  const nonEmpty = lists.filter((l) => l.n > 0)
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? EMPTY
  let total = 0
  for (const l of nonEmpty) total += l.n
  const docs = new Int32Array(total)
  let n = 0
  const epoch = store.nextEpoch()
  const { mark, value } = store
  for (const l of nonEmpty) {
    for (let i = 0; i < l.n; i++) {
      const d = l.docs[i] as number
      const s = l.scores[i] as number
      if (mark[d] !== epoch) {
        mark[d] = epoch
        value[d] = s
        docs[n++] = d
      } else if ((value[d] as number) < s) value[d] = s
    }
  }
  const scores = new Float32Array(n)
  for (let i = 0; i < n; i++) scores[i] = value[docs[i] as number] as number
  return { docs, scores, n }
}

function evalSlots(store: Store, slots: Slot[]): Sparse {
  const perSlot: Sparse[] = []
  for (const slot of slots) {
    const alternatives = slot.map((alt) =>
      intersectAll(
        store,
        alt.map((m) => evalMatcher(store, m)),
      ),
    )
    const result = unionBest(store, alternatives)
    if (result.n === 0) return EMPTY
    perSlot.push(result)
  }
  return intersectAll(store, perSlot)
}

// ---------------------------------------------------------------------------------------
// Filters, facets, sorting

/** Rejects malformed queries (both adapters); returns the effective sort. */
export function validateQuery(query: CapabilityQuery): SortOrder {
  if (!Number.isInteger(query.page) || query.page < 1) {
    throw new RangeError(`page must be an integer ≥ 1, got ${query.page}`)
  }
  if (!Number.isInteger(query.perPage) || query.perPage < 1) {
    throw new RangeError(`perPage must be an integer ≥ 1, got ${query.perPage}`)
  }
  const sort = query.sort ?? 'relevance'
  if (sort === 'distance' && !query.near) {
    throw new Error('sort "distance" needs `near` (the point to measure distance from)')
  }
  if (query.radiusKm !== undefined && !query.near) {
    throw new Error('radiusKm needs `near` (the centre of the radius)')
  }
  return sort
}

const facetQueryValues = (query: CapabilityQuery): [FacetName, readonly string[]][] => [
  ['process', query.process ?? []],
  ['material', query.material ?? []],
  ['town', query.town ?? []],
  ['cluster', query.cluster ?? []],
  ['certification', query.certification ?? []],
  ['verified', query.verified === undefined ? [] : [String(query.verified)]],
]

/** alive ∧ (OR of values within each facet) across facets; undefined means "alive". */
function facetFilter(store: Store, query: CapabilityQuery): Uint32Array {
  const words = bitsWords(store.capacity)
  const result = store.alive.slice(0, words)
  const union = new Uint32Array(words)
  for (const [facet, values] of facetQueryValues(query)) {
    if (values.length === 0) continue
    union.fill(0)
    for (const v of values) {
      const bits = store.facetBitsFor(facet, v)
      if (!bits) continue
      for (let w = 0; w < words; w++) union[w]! |= bits[w] as number
    }
    for (let w = 0; w < words; w++) result[w]! &= union[w] as number
  }
  return result
}

function compareIds(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Higher first, NaN (unknown) last. */
function compareDesc(a: number, b: number) {
  if (a === b) return 0
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1
  if (Number.isNaN(b)) return -1
  return b - a
}

/** Lower first, NaN (unknown) last. */
function compareAsc(a: number, b: number) {
  if (a === b) return 0
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1
  if (Number.isNaN(b)) return -1
  return a - b
}

/** The k best of `n` items by `cmp` (negative = ranks first), in order. */
function topK(n: number, k: number, cmp: (i: number, j: number) => number): number[] {
  if (k <= 0 || n === 0) return []
  if (k >= n || n <= 2048) {
    const all = Array.from({ length: n }, (_, i) => i)
    all.sort(cmp)
    return all.slice(0, k)
  }
  // Max-heap on rank: the root is the worst of the kept items.
  const heap: number[] = []
  const worse = (i: number, j: number) => cmp(i, j) > 0
  const siftUp = (at: number) => {
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!worse(heap[at]!, heap[parent]!)) break
      ;[heap[at], heap[parent]] = [heap[parent]!, heap[at]!]
      at = parent
    }
  }
  const siftDown = (at: number) => {
    for (;;) {
      const l = at * 2 + 1
      const r = l + 1
      let top = at
      if (l < heap.length && worse(heap[l]!, heap[top]!)) top = l
      if (r < heap.length && worse(heap[r]!, heap[top]!)) top = r
      if (top === at) return
      ;[heap[at], heap[top]] = [heap[top]!, heap[at]!]
      at = top
    }
  }
  for (let i = 0; i < n; i++) {
    if (heap.length < k) {
      heap.push(i)
      siftUp(heap.length - 1)
    } else if (cmp(i, heap[0]!) < 0) {
      heap[0] = i
      siftDown(0)
    }
  }
  return heap.sort(cmp)
}

function emptyFacets(): Record<FacetName, Record<string, number>> {
  return Object.fromEntries(facetNames.map((f) => [f, {}])) as Record<
    FacetName,
    Record<string, number>
  >
}

/** Every slot set in `bits`, in slot order. */
function slotsOf(bits: Uint32Array): Sparse {
  let total = 0
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w] as number
    while (x) {
      x &= x - 1
      total++
    }
  }
  const docs = new Int32Array(total)
  let n = 0
  for (let w = 0; w < bits.length; w++) {
    let x = bits[w] as number
    while (x) {
      const low = x & -x
      docs[n++] = (w << 5) | (31 - Math.clz32(low))
      x ^= low
    }
  }
  return { docs, scores: new Float32Array(n), n }
}

interface Matches {
  slots: Int32Array
  scores: Float32Array
  /** km from `near`; NaN when unknown or not computed. */
  distances: Float64Array | undefined
  n: number
}

/** Keeps the candidates that pass the facet bitset and the numeric and geo filters. */
function applyFilters(
  store: Store,
  query: CapabilityQuery,
  sort: SortOrder,
  filter: Uint32Array,
  candidates: Sparse,
): Matches {
  const envQuery = query.minEnvelopeMm ? [...query.minEnvelopeMm].sort((a, b) => a - b) : null
  const [e0, e1, e2] = envQuery ?? [0, 0, 0]
  const maxTolerance = query.maxToleranceMm ?? Infinity
  const minIdle = query.minIdleHours ?? -Infinity
  const near = query.near
  const radius = near ? (query.radiusKm ?? Infinity) : Infinity
  const needDistance = near !== undefined && (radius !== Infinity || sort === 'distance')
  const nearLat = near?.lat ?? 0
  const nearLng = near?.lng ?? 0
  const { env, tolerance, idle, lat, lng } = store

  const slots = new Int32Array(candidates.n)
  const scores = new Float32Array(candidates.n)
  const distances = needDistance ? new Float64Array(candidates.n) : undefined
  let n = 0
  for (let i = 0; i < candidates.n; i++) {
    const d = candidates.docs[i] as number
    if (((filter[d >>> 5] as number) & (1 << (d & 31))) === 0) continue
    if (envQuery) {
      const at = d * 3
      if (
        (env[at] as number) < e0! ||
        (env[at + 1] as number) < e1! ||
        (env[at + 2] as number) < e2!
      ) {
        continue
      }
    }
    if (!((tolerance[d] as number) <= maxTolerance)) continue
    if (!((idle[d] as number) >= minIdle)) continue
    let distance = NaN
    if (needDistance) {
      const dLat = lat[d] as number
      if (dLat !== dLat) {
        if (radius !== Infinity) continue // unknown location: never inside a radius
      } else {
        if (Math.abs(dLat - nearLat) * KM_PER_DEGREE_LAT > radius) continue
        distance = haversineKm(nearLat, nearLng, dLat, lng[d] as number)
        if (!(distance <= radius)) continue
      }
    }
    slots[n] = d
    scores[n] = candidates.scores[i] as number
    if (distances) distances[n] = distance
    n++
  }
  return { slots, scores, distances, n }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** Counts per facet value over every match (not only the page); zero counts are left out. */
function countFacets(store: Store, m: Matches): Record<FacetName, Record<string, number>> {
  const values = store.facetOf.length
  const counts = new Int32Array(values)
  const words = bitsWords(store.capacity)
  const perDocument = store.count > 0 ? store.facetPoolUsed / store.count : 0
  // Large results: AND + popcount per facet value costs the same whatever the result
  // size, and beats walking every match (measured ~1.6× the cost per word than per id).
  if (values * words * 1.6 < m.n * perDocument) {
    const bits = new Uint32Array(words)
    for (let i = 0; i < m.n; i++) {
      const d = m.slots[i] as number
      bits[d >>> 5]! |= 1 << (d & 31)
    }
    for (let id = 0; id < values; id++) {
      const valueBits = store.facetBits[id] as Uint32Array
      let c = 0
      for (let w = 0; w < words; w++) c += popcount((bits[w] as number) & (valueBits[w] as number))
      counts[id] = c
    }
  } else {
    const { facetPool, facetStart, facetCount } = store
    for (let i = 0; i < m.n; i++) {
      const d = m.slots[i] as number
      const start = facetStart[d] as number
      const end = start + (facetCount[d] as number)
      for (let j = start; j < end; j++) counts[facetPool[j] as number]!++
    }
  }
  const facets = emptyFacets()
  const order: number[] = []
  for (let id = 0; id < counts.length; id++) if ((counts[id] as number) > 0) order.push(id)
  order.sort(
    (a, b) =>
      (counts[b] as number) - (counts[a] as number) ||
      compareIds(store.facetValue[a] as string, store.facetValue[b] as string),
  )
  for (const id of order) {
    facets[store.facetOf[id] as FacetName][store.facetValue[id] as string] = counts[id] as number
  }
  return facets
}

/** Indices into `m` of the requested page, in sort order. */
function rankPage(store: Store, m: Matches, sort: SortOrder, page: number, perPage: number) {
  const { ids, rating, idle } = store
  const { slots, scores, distances } = m
  // The primary key as one number per match, "smaller ranks first" (NaN = unknown, last).
  const key = new Float64Array(m.n)
  for (let i = 0; i < m.n; i++) {
    const d = slots[i] as number
    key[i] =
      sort === 'relevance'
        ? -(scores[i] as number)
        : sort === 'rating'
          ? -(rating[d] as number)
          : sort === 'idle'
            ? -(idle[d] as number)
            : (distances as Float64Array)[i]!
  }
  const cmp = (i: number, j: number) => {
    const c = compareAsc(key[i] as number, key[j] as number)
    if (c !== 0) return c
    const a = slots[i] as number
    const b = slots[j] as number
    if (sort === 'relevance') {
      const r = compareDesc(rating[a] as number, rating[b] as number)
      if (r !== 0) return r
    }
    return compareIds(ids[a] as string, ids[b] as string)
  }
  const start = (page - 1) * perPage
  return topK(m.n, Math.min(m.n, start + perPage), cmp).slice(start)
}

function runSearch(store: Store, query: CapabilityQuery): CapabilitySearchResult {
  const sort = validateQuery(query)
  const filter = facetFilter(store, query)
  const slots = query.q ? planQuery(store, query.q) : []
  // Candidates: the text matches, or (no words) every document passing the facet filter.
  const candidates = slots.length > 0 ? evalSlots(store, slots) : slotsOf(filter)
  const matches = applyFilters(store, query, sort, filter, candidates)
  const facets = countFacets(store, matches)
  const near = query.near
  const hits = rankPage(store, matches, sort, query.page, query.perPage).map((i): CapabilityHit => {
    const slot = matches.slots[i] as number
    const hit: CapabilityHit = { document: copyDocument(store.docs[slot] as CapabilityDocument) }
    if (near) {
      const lat = store.lat[slot] as number
      const distance = matches.distances
        ? (matches.distances[i] as number)
        : lat === lat
          ? haversineKm(near.lat, near.lng, lat, store.lng[slot] as number)
          : NaN
      if (distance === distance) hit.distanceKm = distance
    }
    return hit
  })
  return { hits, facets, total: matches.n, page: query.page, perPage: query.perPage }
}

// ---------------------------------------------------------------------------------------

/** Returns a function to call often in a long loop: it yields once SLICE_MS have passed. */
function slicer(): () => Promise<void> | undefined {
  let start = performance.now()
  return () => {
    if (performance.now() - start < SLICE_MS) return undefined
    return yieldToEventLoop().then(() => {
      start = performance.now()
    })
  }
}

/** The documents with the last one of each id winning, as several upserts would. */
async function uniqueById(
  documents: readonly CapabilityDocument[],
  pause: () => Promise<void> | undefined,
): Promise<CapabilityDocument[]> {
  const last = new Map<string, CapabilityDocument>()
  for (let i = 0; i < documents.length; i++) {
    if (i % 1000 === 0) await pause()
    const doc = documents[i] as CapabilityDocument
    last.set(doc.id, doc)
  }
  return last.size === documents.length ? [...documents] : [...last.values()]
}

/**
 * Tokenised documents of a bulk load, packed: the term ids and frequencies of every document
 * in two growing arrays (one small typed array per document was ~200k objects at 100k
 * documents, and their overhead showed in RSS).
 */
class AnalysedPool {
  terms = new Int32Array(1 << 16)
  freqs = new Float32Array(1 << 16)
  used = 0
  start: number[] = []
  count: number[] = []
  length: number[] = []

  /** Records document `i`'s analysis (a repeated id overwrites its earlier entry). */
  put(i: number, analysed: { terms: Int32Array; freqs: Float32Array; length: number }) {
    const n = analysed.terms.length
    if (this.used + n > this.terms.length) {
      const size = Math.max(this.terms.length * 2, this.used + n)
      this.terms = growInt32(this.terms, size)
      this.freqs = growFloat32(this.freqs, size)
    }
    this.terms.set(analysed.terms, this.used)
    this.freqs.set(analysed.freqs, this.used)
    this.start[i] = this.used
    this.count[i] = n
    this.length[i] = analysed.length
    this.used += n
  }

  /** Drops the term array's spare room once no more documents come (the store keeps it). */
  trim() {
    this.terms = this.terms.slice(0, this.used)
  }

  get(i: number): { terms: Int32Array; freqs: Float32Array; length: number } {
    const from = this.start[i] as number
    const to = from + (this.count[i] as number)
    return {
      terms: this.terms.subarray(from, to),
      freqs: this.freqs.subarray(from, to),
      length: this.length[i] as number,
    }
  }
}

async function buildStore(source: DocumentSource): Promise<Store> {
  const pause = slicer()
  const store = new Store(source instanceof Array ? source.length + 1024 : 1024)
  store.bulk = true
  // Pass 1: tokenise everything as it arrives, so BM25 sees the final average length and
  // each postings list is allocated once at its final size. A repeated id keeps its last
  // document, as several upserts would.
  const docs: CapabilityDocument[] = []
  const position = new Map<string, number>()
  const pool = new AnalysedPool()
  for await (const batch of documentBatches(source)) {
    for (const doc of batch) {
      await pause()
      let i = position.get(doc.id)
      if (i === undefined) {
        i = docs.length
        position.set(doc.id, i)
      }
      docs[i] = doc
      pool.put(i, store.analyse(doc))
    }
  }
  position.clear()
  let totalLength = 0
  const df = new Int32Array(store.terms.length)
  for (let i = 0; i < docs.length; i++) {
    if (i % 1000 === 0) await pause()
    const { terms, length } = pool.get(i)
    totalLength += length
    for (const t of terms) df[t]!++
  }
  // All postings as views of two buffers: thousands of separate typed arrays made V8 run a
  // full, blocking collection here (external memory pressure), ~130 ms at 100k documents.
  let total = 0
  for (let t = 0; t < df.length; t++) total += Math.max(1, df[t] as number)
  const allDocs = new Int32Array(total)
  await pause()
  const allTf = new Float32Array(total)
  let offset = 0
  for (let t = 0; t < df.length; t++) {
    if (t % 1000 === 0) await pause()
    const size = Math.max(1, df[t] as number)
    const end = offset + size
    store.postings[t] = {
      docs: allDocs.subarray(offset, end),
      tf: allTf.subarray(offset, end),
      n: 0,
    }
    offset = end
  }
  await pause()
  store.finishBulk()
  store.reserve(docs.length)
  const average = docs.length > 0 ? totalLength / docs.length : 0
  // Each document's term list stays a view of the pool's term array (no copy per document);
  // the frequencies go with the pool.
  pool.trim()
  for (let i = 0; i < docs.length; i++) {
    await pause()
    const doc = docs[i] as CapabilityDocument
    store.write(store.allocateSlot(doc.id), doc, pool.get(i), average)
  }
  return store
}

/** The in-process capability index (kind 'embedded'). */
export function createEmbeddedIndex(): CapabilityIndex {
  let store = new Store()
  let tail: Promise<unknown> = Promise.resolve()
  // Mutations run one at a time, in call order.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn)
    tail = run.catch(() => undefined)
    return run
  }

  return {
    kind: 'embedded',

    async configure() {
      tokenize('预热') // loads jieba's dictionary (~150 ms) now rather than on a first request
    },

    upsert(documents) {
      return exclusive(async () => {
        const pause = slicer()
        const docs = await uniqueById(documents, pause)
        for (let i = 0; i < docs.length; i++) {
          await pause()
          const doc = docs[i] as CapabilityDocument
          const slot = store.allocateSlot(doc.id)
          const analysed = store.analyse(doc)
          store.write(slot, doc, analysed, store.averageLength())
        }
      })
    },

    remove(ids) {
      return exclusive(async () => {
        const pause = slicer()
        for (const id of ids) {
          await pause()
          store.remove(id)
        }
      })
    },

    replaceAll(documents) {
      return exclusive(async () => {
        store = await buildStore(documents)
      })
    },

    async search(query) {
      return runSearch(store, query)
    },

    async health() {
      return { status: 'up', documents: store.count }
    },
  }
}
