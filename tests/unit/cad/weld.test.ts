import fc from 'fast-check'
import { expect, test } from 'vitest'
import { checkTopology, weldVertices } from '../../../app/models/cad/mesh.ts'

/** Reference weld: a Map on the printed coordinates. */
function reference(positions: ArrayLike<number>, corners: number): Int32Array {
  const seen = new Map<string, number>()
  const ids = new Int32Array(corners)
  for (let c = 0; c < corners; c++) {
    const key = `${positions[3 * c]},${positions[3 * c + 1]},${positions[3 * c + 2]}`
    let id = seen.get(key)
    if (id === undefined) {
      id = seen.size
      seen.set(key, id)
    }
    ids[c] = id
  }
  return ids
}

test('welding matches a reference on soups with few or no shared corners (table growth)', () => {
  // Coordinates from a small set (many repeats) or a large one (mostly unique corners,
  // which outgrows the initial table several times).
  const coordinate = (pool: number) => fc.integer({ min: 0, max: pool }).map((i) => i * 0.37 - 5)
  const soup = fc.oneof(
    fc.array(coordinate(3), { minLength: 9, maxLength: 9 * 200 }),
    fc.array(coordinate(1_000_000), { minLength: 9 * 2000, maxLength: 9 * 4000 }),
  )
  fc.assert(
    fc.property(soup, fc.boolean(), (values, single) => {
      const n = values.length - (values.length % 9)
      const triangles = n / 9
      const positions = single
        ? Float32Array.from(values.slice(0, n))
        : Float64Array.from(values.slice(0, n))
      const { ids, count } = weldVertices({ positions, triangles })
      const expected = reference(positions, triangles * 3)
      expect(Array.from(ids)).toEqual(Array.from(expected))
      expect(count).toBe(new Set(expected).size)
    }),
    { numRuns: 40 },
  )
})

test('a tetrahedron is watertight; without one face it is not', () => {
  const a = [0, 0, 0]
  const b = [1, 0, 0]
  const c = [0, 1, 0]
  const d = [0, 0, 1]
  const faces = [
    [a, c, b],
    [a, b, d],
    [b, c, d],
    [c, a, d],
  ]
  const closed = Float64Array.from(faces.flat(2))
  expect(checkTopology({ positions: closed, triangles: 4 })).toMatchObject({
    watertight: true,
    uniqueVertices: 4,
  })
  const open = checkTopology({ positions: closed.subarray(0, 27), triangles: 3 })
  expect(open).toMatchObject({ watertight: false, openEdges: 3 })
})
