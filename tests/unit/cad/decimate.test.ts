import { expect, test } from 'vitest'
import { decimateSoup } from '../../../app/models/cad/decimate.ts'
import { measureSoup, type TriangleSoup } from '../../../app/models/cad/mesh.ts'
import { sphereStl } from './models.ts'

function soupOfStl(stl: Uint8Array): TriangleSoup {
  const view = new DataView(stl.buffer, stl.byteOffset, stl.byteLength)
  const triangles = view.getUint32(80, true)
  const positions = new Float32Array(triangles * 9)
  for (let t = 0; t < triangles; t++) {
    for (let k = 0; k < 9; k++)
      positions[9 * t + k] = view.getFloat32(84 + 50 * t + 12 + 4 * k, true)
  }
  return { positions, triangles }
}

test('a preview of a very large mesh is decimated under the target and keeps its shape', () => {
  const soup = soupOfStl(sphereStl(50, 400, 200)) // 159,200 triangles
  const small = decimateSoup(soup, 20_000)
  expect(small.triangles).toBeLessThanOrEqual(20_000)
  expect(small.triangles).toBeGreaterThan(5_000)
  const before = measureSoup(soup)
  const after = measureSoup(small)
  for (let k = 0; k < 3; k++) {
    expect(Math.abs(after.max[k]! - before.max[k]!)).toBeLessThan(2)
    expect(Math.abs(after.min[k]! - before.min[k]!)).toBeLessThan(2)
  }
  expect(Math.abs(after.volume - before.volume) / before.volume).toBeLessThan(0.05)
})
