// Exact measures of a triangle soup: volume, area, bounding box, watertightness.
// Positions are a flat array of 9 coordinates per triangle (Float32Array when the file
// stores float32, Float64Array otherwise); everything is summed in doubles. No objects
// per triangle: the 490k-facet budget (≤ 300 ms) depends on it.
import { CadError, type CadWarning, type MeshAnalysis } from './types.ts'

export type Positions = Float32Array | Float64Array

export interface TriangleSoup {
  /** 9 coordinates per triangle, in mm, −0 normalised to +0 (so equal values have equal bits). */
  positions: Positions
  triangles: number
}

export interface MeshMeasures {
  volume: number
  /** Positive when the triangles face outwards (counter-clockwise seen from outside). */
  signedVolume: number
  area: number
  min: [number, number, number]
  max: [number, number, number]
}

/** Bounding box, area and |signed volume|; throws `non_finite` on NaN/±Infinity. */
export function measureSoup(soup: TriangleSoup): MeshMeasures {
  const p = soup.positions
  const n = soup.triangles * 9
  let minX = Infinity
  let minY = Infinity
  let minZ = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  let maxZ = -Infinity
  for (let i = 0; i < n; i += 3) {
    const x = p[i]!
    const y = p[i + 1]!
    const z = p[i + 2]!
    // x - x is NaN exactly when x is NaN or ±Infinity.
    if (x - x !== 0 || y - y !== 0 || z - z !== 0) {
      throw new CadError('non_finite', `vertex ${i / 3} has a non-finite coordinate`)
    }
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
    if (z < minZ) minZ = z
    if (z > maxZ) maxZ = z
  }
  // Volume about the box centre: the sum does not depend on where the part sits, and
  // the products stay small, so translation does not cost precision.
  const cx = (minX + maxX) / 2
  const cy = (minY + maxY) / 2
  const cz = (minZ + maxZ) / 2
  let volume6 = 0
  let area2 = 0
  for (let i = 0; i < n; i += 9) {
    const ax = p[i]! - cx
    const ay = p[i + 1]! - cy
    const az = p[i + 2]! - cz
    const bx = p[i + 3]! - cx
    const by = p[i + 4]! - cy
    const bz = p[i + 5]! - cz
    const qx = p[i + 6]! - cx
    const qy = p[i + 7]! - cy
    const qz = p[i + 8]! - cz
    // b × c for the tetrahedron with the origin, (b−a) × (c−a) for the area.
    volume6 += ax * (by * qz - bz * qy) + ay * (bz * qx - bx * qz) + az * (bx * qy - by * qx)
    const ux = bx - ax
    const uy = by - ay
    const uz = bz - az
    const vx = qx - ax
    const vy = qy - ay
    const vz = qz - az
    const nx = uy * vz - uz * vy
    const ny = uz * vx - ux * vz
    const nz = ux * vy - uy * vx
    area2 += Math.sqrt(nx * nx + ny * ny + nz * nz)
  }
  return {
    volume: Math.abs(volume6) / 6,
    signedVolume: volume6 / 6,
    area: area2 / 2,
    min: [minX, minY, minZ],
    max: [maxX, maxY, maxZ],
  }
}

export interface Topology {
  watertight: boolean
  uniqueVertices: number
  /** Directed edges whose reverse is missing (holes). */
  openEdges: number
  /** Directed edges that occur twice, or whose reverse occurs more than once. */
  badEdges: number
  degenerate: number
}

/**
 * Welds corners with bit-identical coordinates (positions carry no −0, so bit equality is
 * value equality) and returns one vertex id per triangle corner.
 *
 * Open addressing with the key stored in the slot (id + 3 or 6 words), so a probe is one
 * cache miss; two specialised loops because this is the hot path of the 300 ms budget.
 */
export function weldVertices(soup: TriangleSoup): { ids: Int32Array; count: number } {
  const p = soup.positions
  return p.BYTES_PER_ELEMENT === 4
    ? weld32(new Uint32Array(p.buffer, p.byteOffset, soup.triangles * 9), soup.triangles * 3)
    : weld64(new Uint32Array(p.buffer, p.byteOffset, soup.triangles * 18), soup.triangles * 3)
}

/** Table size for `expected` keys at a load factor ≤ 0.5. */
function tableSize(expected: number): number {
  return 1 << Math.max(10, Math.ceil(Math.log2(expected * 2)))
}

/** Grow past a load factor of 0.6: linear probing stays short, the table stays small. */
function overloaded(count: number, size: number): boolean {
  return count * 5 > size * 3
}

function weld32(bits: Uint32Array, corners: number): { ids: Int32Array; count: number } {
  const ids = new Int32Array(corners)
  // A closed mesh has about half as many vertices as triangles: a sixth of the corners.
  let size = tableSize(corners / 6)
  let mask = size - 1
  let slots = new Int32Array(size * 4) // id + 1 (0 = empty), x, y, z
  let count = 0
  for (let v = 0, b = 0; v < corners; v++, b += 3) {
    const x = bits[b]! | 0
    const y = bits[b + 1]! | 0
    const z = bits[b + 2]! | 0
    let h = Math.imul(x ^ Math.imul(y, 0x27d4eb2d) ^ Math.imul(z, 0x165667b1), 0x9e3779b1)
    h = (h ^ (h >>> 15)) & mask
    for (;;) {
      const s = h << 2
      const id = slots[s]! - 1
      if (id < 0) {
        slots[s] = count + 1
        slots[s + 1] = x
        slots[s + 2] = y
        slots[s + 3] = z
        ids[v] = count++
        if (overloaded(count, size)) {
          // Grow: reinsert every key into a table twice the size.
          const old = slots
          size *= 2
          mask = size - 1
          slots = new Int32Array(size * 4)
          for (let o = 0; o < old.length; o += 4) {
            if (old[o] === 0) continue
            const ox = old[o + 1]!
            const oy = old[o + 2]!
            const oz = old[o + 3]!
            let g = Math.imul(
              ox ^ Math.imul(oy, 0x27d4eb2d) ^ Math.imul(oz, 0x165667b1),
              0x9e3779b1,
            )
            g = (g ^ (g >>> 15)) & mask
            while (slots[g << 2] !== 0) g = (g + 1) & mask
            slots.set(old.subarray(o, o + 4), g << 2)
          }
        }
        break
      }
      if (slots[s + 1] === x && slots[s + 2] === y && slots[s + 3] === z) {
        ids[v] = id
        break
      }
      h = (h + 1) & mask
    }
  }
  return { ids, count }
}

function weld64(bits: Uint32Array, corners: number): { ids: Int32Array; count: number } {
  const ids = new Int32Array(corners)
  let size = tableSize(corners / 6)
  let mask = size - 1
  let slots = new Int32Array(size * 8) // id + 1 (0 = empty), 6 words, pad
  let count = 0
  const hash = (a: number, b: number, c: number, d: number, e: number, f: number) => {
    const h = Math.imul(
      a ^
        Math.imul(b, 0x85ebca6b) ^
        Math.imul(c, 0x27d4eb2d) ^
        Math.imul(d, 0x165667b1) ^
        Math.imul(e, 0xc2b2ae35) ^
        Math.imul(f, 0x7feb352d),
      0x9e3779b1,
    )
    return (h ^ (h >>> 15)) & mask
  }
  for (let v = 0, b = 0; v < corners; v++, b += 6) {
    const w0 = bits[b]! | 0
    const w1 = bits[b + 1]! | 0
    const w2 = bits[b + 2]! | 0
    const w3 = bits[b + 3]! | 0
    const w4 = bits[b + 4]! | 0
    const w5 = bits[b + 5]! | 0
    let h = hash(w0, w1, w2, w3, w4, w5)
    for (;;) {
      const s = h << 3
      const id = slots[s]! - 1
      if (id < 0) {
        slots[s] = count + 1
        slots[s + 1] = w0
        slots[s + 2] = w1
        slots[s + 3] = w2
        slots[s + 4] = w3
        slots[s + 5] = w4
        slots[s + 6] = w5
        ids[v] = count++
        if (overloaded(count, size)) {
          const old = slots
          size *= 2
          mask = size - 1
          slots = new Int32Array(size * 8)
          for (let o = 0; o < old.length; o += 8) {
            if (old[o] === 0) continue
            let g = hash(
              old[o + 1]!,
              old[o + 2]!,
              old[o + 3]!,
              old[o + 4]!,
              old[o + 5]!,
              old[o + 6]!,
            )
            while (slots[g << 3] !== 0) g = (g + 1) & mask
            slots.set(old.subarray(o, o + 8), g << 3)
          }
        }
        break
      }
      if (
        slots[s + 1] === w0 &&
        slots[s + 2] === w1 &&
        slots[s + 3] === w2 &&
        slots[s + 4] === w3 &&
        slots[s + 5] === w4 &&
        slots[s + 6] === w5
      ) {
        ids[v] = id
        break
      }
      h = (h + 1) & mask
    }
  }
  return { ids, count }
}

/** Occurrences of `value` in list[start, end); sorted lists (long ones) by binary search. */
function occurrences(list: Int32Array, start: number, end: number, value: number): number {
  if (end - start <= LONG_LIST) {
    let n = 0
    for (let i = start; i < end; i++) if (list[i] === value) n++
    return n
  }
  let lo = start
  let hi = end
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]! < value) lo = mid + 1
    else hi = mid
  }
  let n = 0
  while (lo < end && list[lo] === value) {
    n++
    lo++
  }
  return n
}
const LONG_LIST = 16

/**
 * Watertight = every directed edge a→b occurs once and its reverse b→a occurs once, i.e.
 * each edge is shared by exactly two triangles with opposite orientation. Zero-area
 * triangles whose corners welded together are skipped.
 */
export function checkTopology(soup: TriangleSoup): Topology {
  const { ids, count } = weldVertices(soup)
  const T = soup.triangles
  const start = new Int32Array(count + 1)
  let degenerate = 0
  for (let t = 0; t < T; t++) {
    const a = ids[3 * t]!
    const b = ids[3 * t + 1]!
    const c = ids[3 * t + 2]!
    if (a === b || b === c || c === a) {
      degenerate++
      continue
    }
    start[a + 1]!++
    start[b + 1]!++
    start[c + 1]!++
  }
  for (let v = 0; v < count; v++) start[v + 1]! += start[v]!
  const edges = start[count]!
  const targets = new Int32Array(edges)
  const fill = start.slice(0, count)
  for (let t = 0; t < T; t++) {
    const a = ids[3 * t]!
    const b = ids[3 * t + 1]!
    const c = ids[3 * t + 2]!
    if (a === b || b === c || c === a) continue
    targets[fill[a]!++] = b
    targets[fill[b]!++] = c
    targets[fill[c]!++] = a
  }
  for (let v = 0; v < count; v++) {
    const s = start[v]!
    const e = start[v + 1]!
    if (e - s > LONG_LIST) targets.subarray(s, e).sort()
  }
  let openEdges = 0
  let badEdges = 0
  for (let a = 0; a < count; a++) {
    const s = start[a]!
    const e = start[a + 1]!
    for (let i = s; i < e; i++) {
      const b = targets[i]!
      const reverse = occurrences(targets, start[b]!, start[b + 1]!, a)
      if (reverse === 0) openEdges++
      else if (reverse > 1 || occurrences(targets, s, e, b) > 1) badEdges++
    }
  }
  return {
    watertight: edges > 0 && openEdges === 0 && badEdges === 0,
    uniqueVertices: count,
    openEdges,
    badEdges,
    degenerate,
  }
}

/** Largest dimension ≤ this (mm) in a file without units: perhaps drawn in inches. */
export const MAYBE_INCHES_MAX_MM = 12
/** Largest dimension < this (mm) in a file without units: perhaps drawn in metres. */
export const MAYBE_METERS_MAX_MM = 1

export function unitWarnings(largest: number): CadWarning[] {
  const warnings: CadWarning[] = []
  if (largest <= MAYBE_INCHES_MAX_MM) {
    warnings.push({
      code: 'maybe_inches',
      message:
        `The largest dimension is ${round(largest)} mm and the file has no units: ` +
        `if it was drawn in inches, scale by 25.4.`,
    })
  }
  if (largest < MAYBE_METERS_MAX_MM) {
    warnings.push({
      code: 'maybe_meters',
      message:
        `The largest dimension is ${round(largest)} mm and the file has no units: ` +
        `if it was drawn in metres, scale by 1000.`,
    })
  }
  return warnings
}

export function round(value: number): string {
  return String(Number(value.toPrecision(4)))
}

export interface MeshSource {
  /** True when the file states its units (3MF, STEP): no unit guessing then. */
  unitsDeclared: boolean
  warnings?: CadWarning[]
}

/** Measures a soup; throws `empty` when it has no triangles. */
export function analyseSoup(soup: TriangleSoup, source: MeshSource): MeshAnalysis {
  return measureMesh(soup, source).analysis
}

/**
 * analyseSoup plus the orientation the renderer may rely on: +1 (faces point outwards)
 * or −1 (all inwards) for a watertight mesh, 0 when unknown.
 */
export function measureMesh(
  soup: TriangleSoup,
  source: MeshSource,
): { analysis: MeshAnalysis; orientation: -1 | 0 | 1 } {
  if (soup.triangles === 0) throw new CadError('empty', 'the file contains no triangles')
  const m = measureSoup(soup)
  const topology = checkTopology(soup)
  const warnings: CadWarning[] = [...(source.warnings ?? [])]
  if (!topology.watertight) {
    const parts: string[] = []
    if (topology.openEdges) parts.push(`${topology.openEdges} open edges`)
    if (topology.badEdges) parts.push(`${topology.badEdges} non-manifold or flipped edges`)
    if (parts.length === 0) parts.push('no usable triangles')
    warnings.push({
      code: 'not_watertight',
      message: `The mesh is not closed (${parts.join(', ')}): the volume is unreliable.`,
    })
  }
  if (topology.degenerate) {
    warnings.push({
      code: 'degenerate_triangles',
      message: `${topology.degenerate} zero-area triangles were skipped.`,
    })
  }
  const bbox: [number, number, number] = [
    m.max[0] - m.min[0],
    m.max[1] - m.min[1],
    m.max[2] - m.min[2],
  ]
  if (!source.unitsDeclared) warnings.push(...unitWarnings(Math.max(...bbox)))
  const analysis: MeshAnalysis = {
    kind: 'mesh',
    volumeMm3: m.volume,
    surfaceAreaMm2: m.area,
    bboxMm: bbox,
    bboxMinMm: m.min,
    triangles: soup.triangles,
    watertight: topology.watertight,
    warnings,
  }
  const orientation = !topology.watertight || m.signedVolume === 0 ? 0 : m.signedVolume > 0 ? 1 : -1
  return { analysis, orientation }
}

/** A growable Float64Array of coordinates for text formats. */
export class CoordinateBuffer {
  data: Float64Array
  length = 0
  constructor(initial = 1 << 16) {
    this.data = new Float64Array(initial)
  }
  push3(x: number, y: number, z: number): void {
    if (this.length + 3 > this.data.length) this.grow(this.length + 3)
    const d = this.data
    // + 0 turns −0 into +0, so welding by bits equals welding by value.
    d[this.length] = x + 0
    d[this.length + 1] = y + 0
    d[this.length + 2] = z + 0
    this.length += 3
  }
  grow(needed: number): void {
    let size = this.data.length * 2
    while (size < needed) size *= 2
    const next = new Float64Array(size)
    next.set(this.data.subarray(0, this.length))
    this.data = next
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}
