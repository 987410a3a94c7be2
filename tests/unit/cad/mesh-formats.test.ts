import { afterAll, describe, expect, test } from 'vitest'
import {
  analyseCadFile,
  sniffCadFormat,
  type CadFormat,
  type MeshAnalysis,
} from '../../../app/models/cad/index.ts'
import {
  asciiStl,
  binaryStl,
  box,
  boxExact,
  cylinder,
  obj,
  plateExact,
  plateWithHoles,
  polygonArea,
  tempDir,
  threeMfOf,
  transformMesh,
  tube,
  type Exact,
  type Mesh,
} from './models.ts'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

/** Every mesh encoding of the same part, written to disk and sniffed like an upload. */
const ENCODINGS: Record<string, (mesh: Mesh) => string | Uint8Array> = {
  'ASCII STL': (m) => asciiStl(m),
  'ASCII STL, CRLF, upper case, scientific, messy whitespace': (m) =>
    asciiStl(m, { crlf: true, upper: true, scientific: true, messy: true }),
  'binary STL': (m) => binaryStl(m),
  OBJ: (m) => obj(m),
  '3MF': (m) => threeMfOf(m),
  '3MF with a namespace prefix': (m) => threeMfOf(m, { prefix: 'm' }),
}

let counter = 0
async function analyseAs(encoding: string, mesh: Mesh): Promise<MeshAnalysis> {
  const bytes = ENCODINGS[encoding]!(mesh)
  const file = tmp.write(`part-${counter++}.bin`, bytes)
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes
  const format = sniffCadFormat(data.subarray(0, 512), data.length)
  expect(format, `${encoding} sniffed`).toBeDefined()
  const { analysis } = await analyseCadFile(file, format as CadFormat)
  expect(analysis.kind).toBe('mesh')
  return analysis as MeshAnalysis
}

function expectMeasures(a: MeshAnalysis, exact: Exact, relative: number) {
  expect(Math.abs(a.volumeMm3 - exact.volume) / exact.volume).toBeLessThanOrEqual(relative)
  expect(Math.abs(a.surfaceAreaMm2 - exact.area) / exact.area).toBeLessThanOrEqual(relative)
  for (let k = 0; k < 3; k++) {
    expect(Math.abs(a.bboxMinMm[k]! - exact.min[k]!)).toBeLessThanOrEqual(0.01)
    expect(Math.abs(a.bboxMm[k]! - (exact.max[k]! - exact.min[k]!))).toBeLessThanOrEqual(0.01)
  }
}

describe.each(Object.keys(ENCODINGS))('%s', (encoding) => {
  test('a 40 × 25 × 10 mm block measures exactly', async () => {
    const a = await analyseAs(encoding, box(40, 25, 10, [5, -3, 2]))
    expectMeasures(a, boxExact(40, 25, 10, [5, -3, 2]), 1e-12)
    expect(a.volumeMm3).toBeCloseTo(10_000, 9)
    expect(a.surfaceAreaMm2).toBeCloseTo(3300, 9)
    expect(a.triangles).toBe(12)
    expect(a.watertight).toBe(true)
    expect(a.warnings).toEqual([])
  })

  test('a cylinder r 15 h 40 is within 0.5 % of πr²h and matches its polygon prism', async () => {
    const n = 256
    const a = await analyseAs(encoding, cylinder(15, 40, n))
    // The tessellation itself is a 256-gon prism: its volume is known exactly, and it
    // differs from πr²h by 1 − sin(2π/n)/(2π/n) ≈ 1e-4, well inside 0.5 %.
    const prism = polygonArea(15, n) * 40
    const analytic = Math.PI * 15 * 15 * 40
    expect(Math.abs(prism - analytic) / analytic).toBeLessThan(2e-4)
    expect(Math.abs(a.volumeMm3 - analytic) / analytic).toBeLessThanOrEqual(0.005)
    // float32 (binary STL) rounds coordinates to ~1e-6 mm: still ≤ 1e-6 relative.
    expect(Math.abs(a.volumeMm3 - prism) / prism).toBeLessThan(1e-6)
    expect(a.bboxMm[0]).toBeCloseTo(30, 2)
    expect(a.bboxMm[2]).toBeCloseTo(40, 5)
    expect(a.watertight).toBe(true)
  })

  test('a tube R 20 r 12 h 30 is within 0.5 % of π(R² − r²)h', async () => {
    const a = await analyseAs(encoding, tube(20, 12, 30, 360))
    const analytic = Math.PI * (20 * 20 - 12 * 12) * 30
    expect(Math.abs(a.volumeMm3 - analytic) / analytic).toBeLessThanOrEqual(0.005)
    const exact = (polygonArea(20, 360) - polygonArea(12, 360)) * 30
    expect(Math.abs(a.volumeMm3 - exact) / exact).toBeLessThan(1e-6)
    expect(a.bboxMm[0]).toBeCloseTo(40, 2)
    expect(a.watertight).toBe(true)
  })

  test('a plate with 3 × 2 through-holes measures exactly and is watertight', async () => {
    const mesh = plateWithHoles(3, 2, 20, 6, 5, 64)
    const a = await analyseAs(encoding, mesh)
    expectMeasures(a, plateExact(3, 2, 20, 6, 5, 64), 1e-6)
    const analytic = (60 * 40 - 6 * Math.PI * 25) * 6
    expect(Math.abs(a.volumeMm3 - analytic) / analytic).toBeLessThanOrEqual(0.005)
    expect(a.bboxMm).toEqual([60, 40, 6])
    expect(a.watertight).toBe(true)
  })
})

test('every encoding gives the same analysis of the same part', async () => {
  const mesh = transformMesh(plateWithHoles(2, 2, 16, 4, 3, 32), (x, y, z) => [
    x + 100,
    y - 50,
    z + 7,
  ])
  const results = []
  for (const encoding of Object.keys(ENCODINGS)) results.push(await analyseAs(encoding, mesh))
  const [first, ...rest] = results
  for (const other of rest) {
    expect(other.triangles).toBe(first!.triangles)
    expect(other.watertight).toBe(first!.watertight)
    expect(other.volumeMm3).toBeCloseTo(first!.volumeMm3, 2)
    expect(other.surfaceAreaMm2).toBeCloseTo(first!.surfaceAreaMm2, 2)
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(other.bboxMm[k]! - first!.bboxMm[k]!)).toBeLessThan(0.01)
      expect(Math.abs(other.bboxMinMm[k]! - first!.bboxMinMm[k]!)).toBeLessThan(0.01)
    }
  }
})

describe('units', () => {
  test('a 2 × 1 × 0.5 part in a file without units may be in inches', async () => {
    for (const encoding of ['ASCII STL', 'binary STL', 'OBJ']) {
      const a = await analyseAs(encoding, box(2, 1, 0.5))
      expect(a.warnings.map((w) => w.code)).toEqual(['maybe_inches'])
      expect(a.warnings[0]!.message).toMatch(/25\.4/)
    }
    const tiny = await analyseAs('binary STL', box(0.2, 0.1, 0.1))
    expect(tiny.warnings.map((w) => w.code)).toEqual(['maybe_inches', 'maybe_meters'])
  })

  test('the same part in a 3MF that states millimetres gets no unit warning', async () => {
    const a = await analyseAs('3MF', box(2, 1, 0.5))
    expect(a.warnings).toEqual([])
  })
})

test('an ASCII STL with padding after "endsolid" and a second solid reads both solids', async () => {
  const text =
    asciiStl(box(10, 10, 10)) +
    asciiStl(box(10, 10, 10, [20, 0, 0])) +
    '\0\0\0 padding from an old exporter'
  const file = tmp.write('two-solids.stl', text)
  const { analysis } = await analyseCadFile(file, 'stl')
  expect(analysis).toMatchObject({ triangles: 24, watertight: true, volumeMm3: 2000 })
})
