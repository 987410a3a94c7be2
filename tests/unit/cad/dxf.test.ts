import { afterAll, describe, expect, test } from 'vitest'
import {
  analyseCadFile,
  CadError,
  sniffCadFormat,
  type SheetAnalysis,
} from '../../../app/models/cad/index.ts'
import { arc, circle, dxf, line, lwpolyline, tempDir } from './models.ts'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

let counter = 0
async function analyse(text: string) {
  const bytes = new TextEncoder().encode(text)
  expect(sniffCadFormat(bytes.subarray(0, 512), bytes.length)).toBe('dxf')
  const result = await analyseCadFile(tmp.write(`sheet-${counter++}.dxf`, text), 'dxf')
  expect(result.analysis.kind).toBe('sheet')
  return { ...result, analysis: result.analysis as SheetAnalysis }
}

const MM: [string, number, number][] = [['$INSUNITS', 70, 4]]
const codes = (a: SheetAnalysis) => a.warnings.map((w) => w.code)

describe('DXF sheet analysis', () => {
  test('a 100 × 50 plate with a Ø20 hole: perimeter + 2πr of cut, two pierces', async () => {
    const { analysis } = await analyse(
      dxf(
        [
          lwpolyline(
            [
              [0, 0],
              [100, 0],
              [100, 50],
              [0, 50],
            ],
            true,
          ),
          circle(30, 25, 10),
        ],
        MM,
      ),
    )
    expect(analysis.extentsMm).toEqual([100, 50])
    expect(analysis.cutLengthMm).toBeCloseTo(300 + 2 * Math.PI * 10, 9)
    expect(analysis.pierces).toBe(2)
    expect(analysis.entities).toBe(2)
    expect(analysis.warnings).toEqual([])
  })

  test('the same outline drawn as four LINEs (CRLF) is one contour, one pierce', async () => {
    const { analysis } = await analyse(
      dxf(
        [
          line(0, 0, 100, 0),
          line(100, 0, 100, 50),
          line(0, 50, 100, 50),
          line(0, 0, 0, 50),
          circle(30, 25, 10),
        ],
        MM,
        { crlf: true },
      ),
    )
    expect(analysis.cutLengthMm).toBeCloseTo(300 + 2 * Math.PI * 10, 9)
    expect(analysis.pierces).toBe(2)
    expect(analysis.entities).toBe(5)
  })

  test('a slot: two lines and two bulge arcs in one closed polyline', async () => {
    // 60 mm between centres, 20 mm wide: bulge 1 = a half circle.
    const { analysis } = await analyse(
      dxf(
        [
          lwpolyline(
            [
              [0, 0],
              [60, 0, 1],
              [60, 20],
              [0, 20, 1],
            ],
            true,
          ),
        ],
        MM,
      ),
    )
    expect(analysis.cutLengthMm).toBeCloseTo(120 + 2 * Math.PI * 10, 9)
    // The arcs bulge outwards: the extents include them.
    expect(analysis.extentsMm[0]).toBeCloseTo(80, 9)
    expect(analysis.extentsMm[1]).toBeCloseTo(20, 9)
    expect(analysis.pierces).toBe(1)
  })

  test('a shallow bulge: arc length r·θ with θ = 4·atan(bulge), clockwise when negative', async () => {
    const bulge = -0.25
    const { analysis } = await analyse(
      dxf(
        [
          lwpolyline(
            [
              [0, 0, bulge],
              [40, 0],
            ],
            false,
          ),
        ],
        MM,
      ),
    )
    const theta = 4 * Math.atan(Math.abs(bulge))
    const r = 40 / (2 * Math.sin(theta / 2))
    expect(analysis.cutLengthMm).toBeCloseTo(r * theta, 9)
    // Clockwise from (0,0) to (40,0): the arc bulges upwards by the sagitta.
    const sagitta = r * (1 - Math.cos(theta / 2))
    expect(analysis.extentsMm[1]).toBeCloseTo(sagitta, 9)
    expect(analysis.pierces).toBe(1)
    expect(codes(analysis)).toContain('open_contours')
  })

  test('inches ($INSUNITS 1) are converted: lengths × 25.4', async () => {
    const { analysis } = await analyse(
      dxf(
        [
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
        ],
        [['$INSUNITS', 70, 1]],
      ),
    )
    expect(analysis.extentsMm[0]).toBeCloseTo(101.6, 9)
    expect(analysis.extentsMm[1]).toBeCloseTo(50.8, 9)
    expect(analysis.cutLengthMm).toBeCloseTo((12 + 2 * Math.PI * 0.25) * 25.4, 9)
    expect(codes(analysis)).not.toContain('maybe_inches')
  })

  test('a unitless drawing of a 4 × 2 plate is taken as mm with a maybe_inches warning', async () => {
    const { analysis } = await analyse(
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
      ]),
    )
    expect(analysis.extentsMm).toEqual([4, 2])
    expect(codes(analysis)).toContain('maybe_inches')
  })

  test('arcs: a quarter arc has length πr/2 and its true extents', async () => {
    const { analysis } = await analyse(dxf([arc(0, 0, 10, 30, 120)], MM))
    expect(analysis.cutLengthMm).toBeCloseTo((Math.PI * 10) / 2, 9)
    // From 30° to 120° passes through 90°: the top of the circle.
    expect(analysis.extentsMm[0]).toBeCloseTo(10 * Math.cos(Math.PI / 6) + 5, 9)
    expect(analysis.extentsMm[1]).toBeCloseTo(10 - 5, 9)
  })

  test('an ellipse: perimeter by numerical integration (Ramanujan II to 1e-9)', async () => {
    const a = 30
    const b = 12
    const { analysis } = await analyse(
      dxf(
        [
          [
            0,
            'ELLIPSE',
            8,
            'CUT',
            10,
            0,
            20,
            0,
            30,
            0,
            11,
            a,
            21,
            0,
            31,
            0,
            40,
            b / a,
            41,
            0,
            42,
            2 * Math.PI,
          ],
        ],
        MM,
      ),
    )
    const h = ((a - b) / (a + b)) ** 2
    const ramanujan = Math.PI * (a + b) * (1 + (3 * h) / (10 + Math.sqrt(4 - 3 * h)))
    expect(Math.abs(analysis.cutLengthMm - ramanujan) / ramanujan).toBeLessThan(1e-6)
    expect(analysis.extentsMm[0]).toBeCloseTo(60, 9)
    expect(analysis.extentsMm[1]).toBeCloseTo(24, 9)
    expect(analysis.pierces).toBe(1)
  })

  test('a spline (clamped cubic) is flattened: length within 0.01 % of the exact curve', async () => {
    // A cubic Bézier as a clamped B-spline with control points on a straight line: its
    // length is the distance between the end points, exactly.
    const spline = [0, 'SPLINE', 8, 'CUT', 70, 8, 71, 3, 72, 8, 73, 4]
    for (const k of [0, 0, 0, 0, 1, 1, 1, 1]) spline.push(40, k)
    for (const [x, y] of [
      [0, 0],
      [10, 10],
      [20, 20],
      [30, 30],
    ])
      spline.push(10, x!, 20, y!, 30, 0)
    const curved = [
      0,
      'SPLINE',
      8,
      'CUT',
      70,
      8,
      71,
      2,
      72,
      6,
      73,
      3,
      40,
      0,
      40,
      0,
      40,
      0,
      40,
      1,
      40,
      1,
      40,
      1,
    ]
    for (const [x, y] of [
      [50, 0],
      [60, 20],
      [70, 0],
    ])
      curved.push(10, x!, 20, y!, 30, 0)
    const { analysis } = await analyse(dxf([spline, curved], MM))
    // The quadratic Bézier (50,0)-(60,20)-(70,0): arc length in closed form.
    const quad = (t: number) => {
      // |B'(t)| = sqrt(400 + 1600(1−2t)²)… integrated: ∫ sqrt(A u² + C) over u = 1 − 2t.
      const A = 1600
      const C = 400
      const u = 1 - 2 * t
      const s = Math.sqrt(A * u * u + C)
      return -((u * s) / 2 + (C / (2 * Math.sqrt(A))) * Math.log(Math.sqrt(A) * u + s)) / 2
    }
    const exact = Math.hypot(30, 30) + (quad(1) - quad(0))
    expect(Math.abs(analysis.cutLengthMm - exact) / exact).toBeLessThan(1e-4)
    expect(analysis.pierces).toBe(2)
  })

  test('block references are expanded with their position, scale and rotation', async () => {
    const block = [
      0,
      'BLOCK',
      8,
      '0',
      2,
      'HOLE',
      70,
      0,
      10,
      0,
      20,
      0,
      30,
      0,
      3,
      'HOLE',
      ...circle(0, 0, 5),
      0,
      'ENDBLK',
    ]
    const insert = (x: number, y: number, scale: number) => [
      0,
      'INSERT',
      8,
      'CUT',
      2,
      'HOLE',
      10,
      x,
      20,
      y,
      30,
      0,
      41,
      scale,
      42,
      scale,
      50,
      30,
    ]
    const { analysis } = await analyse(
      dxf(
        [
          lwpolyline(
            [
              [0, 0],
              [100, 0],
              [100, 50],
              [0, 50],
            ],
            true,
          ),
          insert(20, 25, 1),
          insert(60, 25, 2),
        ],
        MM,
        { blocks: [block] },
      ),
    )
    expect(analysis.entities).toBe(3)
    expect(analysis.pierces).toBe(3)
    expect(analysis.cutLengthMm).toBeCloseTo(300 + 2 * Math.PI * 5 + 2 * Math.PI * 10, 9)
  })

  test('text and dimensions are not cut: left out with a warning', async () => {
    const { analysis } = await analyse(
      dxf(
        [
          circle(0, 0, 10),
          [0, 'TEXT', 8, 'NOTES', 10, 0, 20, 0, 30, 0, 40, 2.5, 1, 'PART-7 <script>'],
        ],
        MM,
      ),
    )
    expect(analysis.entities).toBe(1)
    expect(codes(analysis)).toContain('ignored_entities')
  })

  test('a DXF with no entities is refused as empty', async () => {
    const file = tmp.write('empty.dxf', dxf([], MM))
    await expect(analyseCadFile(file, 'dxf')).rejects.toMatchObject({ code: 'empty' })
    const onlyText = tmp.write(
      'text.dxf',
      dxf([[0, 'TEXT', 8, '0', 10, 0, 20, 0, 30, 0, 40, 2, 1, 'hi']], MM),
    )
    await expect(analyseCadFile(onlyText, 'dxf')).rejects.toBeInstanceOf(CadError)
  })

  test('binary DXF is sniffed as DXF and refused as unsupported', async () => {
    const bytes = new Uint8Array(600)
    bytes.set(new TextEncoder().encode('AutoCAD Binary DXF\r\n\x1a\x00'))
    expect(sniffCadFormat(bytes.subarray(0, 512), bytes.length)).toBe('dxf')
    await expect(analyseCadFile(tmp.write('binary.dxf', bytes), 'dxf')).rejects.toMatchObject({
      code: 'unsupported',
    })
  })
})
