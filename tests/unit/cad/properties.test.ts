import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import {
  analyseCadFile,
  scaleAnalysis,
  type MeshAnalysis,
  type SheetAnalysis,
} from '../../../app/models/cad/index.ts'
import {
  asciiStl,
  box,
  circle,
  cylinder,
  dxf,
  lwpolyline,
  merge,
  plateWithHoles,
  tempDir,
  transformMesh,
  tube,
  type Mesh,
} from './models.ts'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

let counter = 0
async function analyse(mesh: Mesh): Promise<MeshAnalysis> {
  // ASCII STL keeps every double exactly (String(x) round-trips), so the properties hold
  // to rounding, not to float32.
  const path = tmp.write(`p-${counter++}.stl`, asciiStl(mesh))
  return (await analyseCadFile(path, 'stl')).analysis as MeshAnalysis
}

const parts: Mesh[] = [
  box(10, 20, 30),
  cylinder(7, 12, 48),
  tube(9, 4, 10, 40),
  plateWithHoles(2, 1, 12, 3, 4, 16),
  merge(box(5, 5, 5), box(5, 5, 5, [10, 0, 0])),
]
const part = fc.constantFrom(...parts.keys())
const close = (a: number, b: number, relative = 1e-9) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(relative * Math.max(Math.abs(a), Math.abs(b), 1e-300))

// 30 meshes measured per property: give a loaded 2-core machine room (not a performance budget).
describe('properties', { timeout: 30_000 }, () => {
  test('scaling by k multiplies volume by k³, area by k², the box by k', async () => {
    await fc.assert(
      fc.asyncProperty(part, fc.double({ min: 0.05, max: 40, noNaN: true }), async (i, k) => {
        const mesh = parts[i]!
        const base = await analyse(mesh)
        const scaled = await analyse(transformMesh(mesh, (x, y, z) => [x * k, y * k, z * k]))
        close(scaled.volumeMm3, base.volumeMm3 * k ** 3)
        close(scaled.surfaceAreaMm2, base.surfaceAreaMm2 * k ** 2)
        for (let a = 0; a < 3; a++) close(scaled.bboxMm[a]!, base.bboxMm[a]! * k)
        expect(scaled.watertight).toBe(base.watertight)
        // scaleAnalysis (the inch → mm switch) agrees with measuring the scaled part.
        const converted = scaleAnalysis(base, k) as MeshAnalysis
        close(converted.volumeMm3, scaled.volumeMm3)
        close(converted.surfaceAreaMm2, scaled.surfaceAreaMm2)
        for (let a = 0; a < 3; a++) close(converted.bboxMinMm[a]!, scaled.bboxMinMm[a]!)
      }),
      { numRuns: 30 },
    )
  })

  test('translating changes neither volume, area nor the box extents', async () => {
    const offset = fc.double({ min: -5000, max: 5000, noNaN: true })
    await fc.assert(
      fc.asyncProperty(part, offset, offset, offset, async (i, dx, dy, dz) => {
        const mesh = parts[i]!
        const base = await analyse(mesh)
        const moved = await analyse(transformMesh(mesh, (x, y, z) => [x + dx, y + dy, z + dz]))
        // Coordinates up to 5000 mm lose ~1e-13 mm each when added: still far below 1e-9.
        close(moved.volumeMm3, base.volumeMm3, 1e-9)
        close(moved.surfaceAreaMm2, base.surfaceAreaMm2, 1e-9)
        for (let a = 0; a < 3; a++) {
          expect(Math.abs(moved.bboxMm[a]! - base.bboxMm[a]!)).toBeLessThan(1e-9)
        }
        expect(moved.bboxMinMm[0]).toBeCloseTo(base.bboxMinMm[0] + dx, 9)
      }),
      { numRuns: 30 },
    )
  })

  test('scaleAnalysis of a sheet scales extents and cut length, keeps pierces', async () => {
    const path = tmp.write(
      'sheet.dxf',
      dxf([
        lwpolyline(
          [
            [0, 0],
            [4, 0],
            [4, 2],
            [0, 2],
          ],
          true,
        ),
        circle(1, 1, 0.25),
      ]),
    )
    const { analysis } = await analyseCadFile(path, 'dxf')
    const sheet = analysis as SheetAnalysis
    expect(sheet.warnings.map((w) => w.code)).toContain('maybe_inches')
    await fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1000, noNaN: true }), (k) => {
        const scaled = scaleAnalysis(sheet, k) as SheetAnalysis
        close(scaled.cutLengthMm, sheet.cutLengthMm * k)
        close(scaled.extentsMm[0], sheet.extentsMm[0] * k)
        expect(scaled.pierces).toBe(sheet.pierces)
        // Scaling is the answer to the unit hint.
        expect(scaled.warnings.map((w) => w.code)).not.toContain('maybe_inches')
      }),
    )
    expect(() => scaleAnalysis(sheet, 0)).toThrow(RangeError)
    expect(() => scaleAnalysis(sheet, Number.NaN)).toThrow(RangeError)
  })
})
