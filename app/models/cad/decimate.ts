// Vertex clustering for the browser preview of very large meshes: corners snap to the
// mean of their grid cell and triangles that collapse are dropped. Crude but bounded and
// shape-preserving at preview scale; the analysis always uses the full mesh.
import type { TriangleSoup } from './mesh.ts'

/** Above this the preview STL is decimated (50 bytes a triangle: ~50 MB). */
export const PREVIEW_MAX_TRIANGLES = 1_000_000

export function decimateSoup(soup: TriangleSoup, target: number): TriangleSoup {
  const p = soup.positions
  const T = soup.triangles
  let minX = Infinity
  let minY = Infinity
  let minZ = Infinity
  let maxExtent = 0
  let area = 0
  for (let i = 0; i < T * 9; i += 9) {
    for (let k = 0; k < 9; k += 3) {
      minX = Math.min(minX, p[i + k]!)
      minY = Math.min(minY, p[i + k + 1]!)
      minZ = Math.min(minZ, p[i + k + 2]!)
    }
    for (let k = 0; k < 9; k++) maxExtent = Math.max(maxExtent, Math.abs(p[i + k]!))
    const ux = p[i + 3]! - p[i]!
    const uy = p[i + 4]! - p[i + 1]!
    const uz = p[i + 5]! - p[i + 2]!
    const vx = p[i + 6]! - p[i]!
    const vy = p[i + 7]! - p[i + 1]!
    const vz = p[i + 8]! - p[i + 2]!
    area += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2
  }
  // A surface clustered on cells of side s keeps about 2·area/s² triangles.
  // (2·|coordinate|/2¹⁶ keeps every axis index below 2¹⁷, so the packed key is exact.)
  let cell = Math.max(Math.sqrt((2 * area) / target), (2 * maxExtent) / 2 ** 16) || 1
  for (let attempt = 0; attempt < 12; attempt++, cell *= 1.3) {
    const clusters = new Map<number, number>()
    const sums: number[] = []
    const ids = new Int32Array(T * 3)
    for (let c = 0; c < T * 3; c++) {
      const x = p[3 * c]!
      const y = p[3 * c + 1]!
      const z = p[3 * c + 2]!
      const key =
        Math.floor((x - minX) / cell) +
        Math.floor((y - minY) / cell) * 2 ** 17 +
        Math.floor((z - minZ) / cell) * 2 ** 34
      let id = clusters.get(key)
      if (id === undefined) {
        id = clusters.size
        clusters.set(key, id)
        sums.push(0, 0, 0, 0)
      }
      sums[4 * id]! += x
      sums[4 * id + 1]! += y
      sums[4 * id + 2]! += z
      sums[4 * id + 3]! += 1
      ids[c] = id
    }
    let kept = 0
    for (let t = 0; t < T; t++) {
      const a = ids[3 * t]!
      const b = ids[3 * t + 1]!
      const c = ids[3 * t + 2]!
      if (a !== b && b !== c && a !== c) kept++
    }
    if (kept > target && attempt < 11) continue
    const positions = new Float32Array(kept * 9)
    let o = 0
    for (let t = 0; t < T; t++) {
      const a = ids[3 * t]!
      const b = ids[3 * t + 1]!
      const c = ids[3 * t + 2]!
      if (a === b || b === c || a === c) continue
      for (const id of [a, b, c]) {
        const n = sums[4 * id + 3]!
        positions[o++] = sums[4 * id]! / n
        positions[o++] = sums[4 * id + 1]! / n
        positions[o++] = sums[4 * id + 2]! / n
      }
    }
    return { positions, triangles: kept }
  }
  return soup
}
