import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { analyseCadFile, sniffCadFormat, type MeshAnalysis } from '../../../app/models/cad/index.ts'
import { tempDir } from './models.ts'

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/cad/rounded-cube.step')
const tmp = tempDir()
afterAll(() => tmp.cleanup())

// The first STEP read compiles OpenCascade's WebAssembly: seconds on a busy machine.
test('a STEP part (10 mm cube, one edge rounded R 5) has a sensible box and volume', async () => {
  const bytes = readFileSync(FIXTURE)
  expect(sniffCadFormat(bytes.subarray(0, 512), bytes.length)).toBe('step')
  const result = await analyseCadFile(FIXTURE, 'step')
  const a = result.analysis as MeshAnalysis
  expect(a.kind).toBe('mesh')
  for (let k = 0; k < 3; k++) {
    expect(a.bboxMm[k]).toBeCloseTo(10, 6)
    expect(a.bboxMinMm[k]).toBeCloseTo(0, 6)
  }
  // One edge rounded with R 5 removes (1 − π/4)·5²·10 mm³ from the cube; the tessellated
  // arc lies inside the true one, so the mesh volume is a little under the exact value.
  const exact = 1000 - (1 - Math.PI / 4) * 25 * 10
  expect(a.volumeMm3).toBeLessThanOrEqual(exact)
  expect(Math.abs(a.volumeMm3 - exact) / exact).toBeLessThan(0.005)
  expect(a.watertight).toBe(true)
  expect(a.warnings).toEqual([])
  // A preview STL of every triangle, in mm.
  expect(result.previewStl).toBeDefined()
  const preview = new DataView(result.previewStl!.buffer, result.previewStl!.byteOffset)
  expect(preview.getUint32(80, true)).toBe(a.triangles)
  expect(result.previewStl!.length).toBe(84 + 50 * a.triangles)
}, 60_000)

test('the same STEP file renamed, with a BOM and leading blank line, still reads', async () => {
  const bytes = readFileSync(FIXTURE)
  const copy = tmp.write('part.dat', Buffer.concat([Buffer.from('\uFEFF\n'), bytes]))
  const head = readFileSync(copy).subarray(0, 512)
  expect(sniffCadFormat(head, head.length + 1000)).toBe('step')
  const a = (await analyseCadFile(copy, 'step')).analysis as MeshAnalysis
  expect(a.bboxMm[0]).toBeCloseTo(10, 6)
}, 60_000)
