import { describe, expect, test } from 'vitest'
import { formatDimensions, formatMm } from '../../app/components/cad-viewer.tsx'
import {
  computeFlatNormals,
  fitDistance,
  hasUsableNormals,
  niceStep,
  parseStl,
} from '../../app/components/cad-viewer.client.ts'

type Triangle = [number, number, number][]

/** A binary STL whose facet normals are all (0, 0, 0), as many exporters write them. */
function binaryStl(triangles: Triangle[]): ArrayBuffer {
  const buffer = new ArrayBuffer(84 + 50 * triangles.length)
  const view = new DataView(buffer)
  view.setUint32(80, triangles.length, true)
  triangles.forEach((triangle, i) => {
    let offset = 84 + 50 * i + 12
    for (const vertex of triangle) {
      for (const c of vertex) {
        view.setFloat32(offset, c, true)
        offset += 4
      }
    }
  })
  return buffer
}

// A tetrahedron spanning x 10..30, y 0..8, z 5..9.
const tetrahedron: Triangle[] = [
  [
    [10, 0, 5],
    [10, 8, 5],
    [30, 0, 5],
  ],
  [
    [10, 0, 5],
    [30, 0, 5],
    [10, 0, 9],
  ],
  [
    [10, 0, 5],
    [10, 0, 9],
    [10, 8, 5],
  ],
  [
    [30, 0, 5],
    [10, 8, 5],
    [10, 0, 9],
  ],
]

describe('dimension text', () => {
  test('lengths keep at most two decimals and drop trailing zeros', () => {
    expect(formatMm(120.5)).toBe('120.5 mm')
    expect(formatMm(120)).toBe('120 mm')
    expect(formatMm(25.456)).toBe('25.46 mm')
    expect(formatMm(-0.001)).toBe('0 mm')
  })
  test('the three extents read as one size without locale grouping', () => {
    expect(formatDimensions([120, 80.25, 2500])).toBe('120 × 80.25 × 2500 mm')
  })
})

describe('framing', () => {
  test('grid steps are 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0.3)).toBeCloseTo(0.5)
    expect(niceStep(7)).toBe(10)
    expect(niceStep(20)).toBe(20)
    expect(niceStep(21)).toBe(50)
    expect(niceStep(0)).toBe(1)
  })
  test('a wide view fits the sphere vertically, a tall one horizontally', () => {
    const wide = fitDistance(100, 40, 2)
    expect(100 / wide).toBeLessThan(Math.sin((20 * Math.PI) / 180))
    const tall = fitDistance(100, 40, 0.5)
    expect(tall).toBeGreaterThan(wide)
    const halfH = Math.atan(Math.tan((20 * Math.PI) / 180) * 0.5)
    expect(100 / tall).toBeLessThan(Math.sin(halfH))
  })
})

describe('parseStl', () => {
  test('a binary STL with zero normals is centred and gets unit normals', () => {
    const geometry = parseStl(binaryStl(tetrahedron))
    const position = geometry.getAttribute('position')
    expect(position.count).toBe(12)
    geometry.computeBoundingBox()
    const box = geometry.boundingBox!
    expect(box.min.toArray()).toEqual([-10, -4, -2])
    expect(box.max.toArray()).toEqual([10, 4, 2])
    const normals = geometry.getAttribute('normal').array
    expect(hasUsableNormals(normals, position.count)).toBe(true)
  })
  test('an ASCII STL parses too', () => {
    const ascii = [
      'solid part',
      ...tetrahedron.flatMap((t) => [
        'facet normal 0 0 0',
        'outer loop',
        ...t.map((v) => `vertex ${v.join(' ')}`),
        'endloop',
        'endfacet',
      ]),
      'endsolid part',
    ].join('\n')
    const geometry = parseStl(new TextEncoder().encode(ascii).buffer)
    expect(geometry.getAttribute('position').count).toBe(12)
  })
  test('something that is not an STL is refused', () => {
    expect(() => parseStl(new TextEncoder().encode('<html>login</html>').buffer)).toThrow()
    expect(() => parseStl(binaryStl([]))).toThrow()
  })
  test('normals that are zero anywhere count as missing', () => {
    expect(hasUsableNormals([0, 0, 1, 0, 1, 0], 2)).toBe(true)
    expect(hasUsableNormals([0, 0, 1, 0, 0, 0], 2)).toBe(false)
    expect(hasUsableNormals(undefined, 1)).toBe(false)
  })
  test('flat normals follow the winding and have unit length', () => {
    const normals = computeFlatNormals([0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 5, 4, 0, 0])
    expect([...normals.slice(0, 3)]).toEqual([0, 0, 1])
    expect([...normals.slice(6, 9)]).toEqual([0, 0, 1])
    expect([...normals.slice(9, 12)]).toEqual([0, 1, 0])
  })
})
