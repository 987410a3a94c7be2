import { crc32, inflateSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { analyseCadFile, type CadResult } from '../../../app/models/cad/index.ts'
import { asciiStl, box, circle, cylinder, dxf, lwpolyline, tempDir, threeMfOf } from './models.ts'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

interface Image {
  width: number
  height: number
  rgb: Uint8Array
}

/** A strict little PNG reader: signature, chunk CRCs, IHDR, zlib IDAT, filters 0–4. */
function decodePng(png: Uint8Array): Image {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  let o = 8
  let width = 0
  let height = 0
  const idat: Uint8Array[] = []
  const types: string[] = []
  while (o < png.length) {
    const length = view.getUint32(o)
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8))
    const data = png.subarray(o + 8, o + 8 + length)
    expect(view.getUint32(o + 8 + length) >>> 0, `${type} CRC`).toBe(
      crc32(png.subarray(o + 4, o + 8 + length)) >>> 0,
    )
    types.push(type)
    if (type === 'IHDR') {
      const h = new DataView(data.buffer, data.byteOffset, data.byteLength)
      width = h.getUint32(0)
      height = h.getUint32(4)
      expect([...data.subarray(8)]).toEqual([8, 2, 0, 0, 0]) // 8-bit RGB, no interlace
    }
    if (type === 'IDAT') idat.push(data)
    o += 12 + length
  }
  expect(types[0]).toBe('IHDR')
  expect(types[types.length - 1]).toBe('IEND')
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 3
  expect(raw.length).toBe((stride + 1) * height)
  const rgb = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    if (filter > 4) throw new Error(`row ${y}: filter type ${filter}`)
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!
      const a = i >= 3 ? rgb[y * stride + i - 3]! : 0
      const b = y > 0 ? rgb[(y - 1) * stride + i]! : 0
      const c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3]! : 0
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      const predictor =
        filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth
      rgb[y * stride + i] = (x + predictor) & 0xff
    }
  }
  return { width, height, rgb }
}

/** Share of pixels that differ from the top-left (background) pixel, and their mean colour. */
function coverage(image: Image): { share: number; mean: [number, number, number] } {
  const [r0, g0, b0] = image.rgb
  let n = 0
  const sum: [number, number, number] = [0, 0, 0]
  for (let i = 0; i < image.rgb.length; i += 3) {
    const r = image.rgb[i]!
    const g = image.rgb[i + 1]!
    const b = image.rgb[i + 2]!
    if (r !== r0 || g !== g0 || b !== b0) {
      n++
      sum[0] += r
      sum[1] += g
      sum[2] += b
    }
  }
  return {
    share: n / (image.width * image.height),
    mean: sum.map((s) => s / Math.max(1, n)) as [number, number, number],
  }
}

let counter = 0
async function analyse(
  data: string | Uint8Array,
  format: 'stl' | '3mf' | 'dxf',
): Promise<CadResult> {
  return analyseCadFile(tmp.write(`preview-${counter++}`, data), format)
}

describe('thumbnails', () => {
  test('a mesh thumbnail is a valid 256 × 256 PNG with the part in blue-grey on a light background', async () => {
    const { thumbnailPng } = await analyse(asciiStl(cylinder(20, 60, 96)), 'stl')
    const image = decodePng(thumbnailPng)
    expect([image.width, image.height]).toEqual([256, 256])
    const [r, g, b] = image.rgb
    expect(Math.min(r!, g!, b!)).toBeGreaterThan(220) // light background
    const { share, mean } = coverage(image)
    // The part fills a good part of the frame, readable at list size.
    expect(share).toBeGreaterThan(0.1)
    expect(share).toBeLessThan(0.9)
    expect(mean[2]).toBeGreaterThan(mean[0]) // bluish
    expect(Math.max(...mean)).toBeLessThan(220) // darker than the background
    // Flat shading: the faces of a box come out in at least three different tones.
    const boxImage = decodePng((await analyse(asciiStl(box(30, 30, 30)), 'stl')).thumbnailPng)
    const tones = new Set<number>()
    for (let i = 0; i < boxImage.rgb.length; i += 3) tones.add(boxImage.rgb[i + 2]!)
    expect(tones.size).toBeGreaterThanOrEqual(4)
  })

  test('a box is lit like a drawing: top lightest, left face mid, right face darkest — inside-out too', async () => {
    const outward = box(30, 30, 30)
    const inward = {
      ...outward,
      triangles: outward.triangles.map((_, i, t) => t[i - (i % 3) + [0, 2, 1][i % 3]!]!),
    }
    const images = []
    for (const mesh of [outward, inward]) {
      const result = await analyse(asciiStl(mesh), 'stl')
      expect(result.analysis).toMatchObject({ watertight: true })
      images.push(decodePng(result.thumbnailPng))
    }
    for (const image of images) {
      const blue = (x: number, y: number) => image.rgb[(y * 256 + x) * 3 + 2]!
      const top = blue(128, 70)
      const left = blue(85, 160)
      const right = blue(171, 160)
      expect(top).toBeGreaterThan(left)
      expect(left).toBeGreaterThan(right)
      expect(right).toBeLessThan(200) // a part colour, not background
    }
    // Faces that all point inwards are still measured and drawn the same.
    expect(Buffer.from(images[1]!.rgb)).toEqual(Buffer.from(images[0]!.rgb))
  })

  test('mesh formats other than binary STL get a binary STL preview in mm', async () => {
    const { previewStl } = await analyse(threeMfOf(box(1, 2, 3), { unit: 'inch' }), '3mf')
    expect(previewStl).toBeDefined()
    const view = new DataView(previewStl!.buffer, previewStl!.byteOffset, previewStl!.byteLength)
    expect(view.getUint32(80, true)).toBe(12)
    let maxZ = 0
    for (let t = 0; t < 12; t++)
      for (let k = 0; k < 3; k++)
        maxZ = Math.max(maxZ, view.getFloat32(84 + 50 * t + 20 + 12 * k, true))
    expect(maxZ).toBeCloseTo(76.2, 4)
  })

  test('a sheet thumbnail shows the part filled, with its hole left open', async () => {
    const { thumbnailPng } = await analyse(
      dxf(
        [
          lwpolyline(
            [
              [0, 0],
              [100, 0],
              [100, 100],
              [0, 100],
            ],
            true,
          ),
          circle(50, 50, 25),
        ],
        [['$INSUNITS', 70, 4]],
      ),
      'dxf',
    )
    const image = decodePng(thumbnailPng)
    expect([image.width, image.height]).toEqual([256, 256])
    const pixel = (x: number, y: number) => [
      ...image.rgb.subarray((y * 256 + x) * 3, (y * 256 + x) * 3 + 3),
    ]
    const background = pixel(2, 2)
    // The centre (inside the hole) is background; a point between hole and edge is filled.
    expect(pixel(128, 128)).toEqual(background)
    expect(pixel(128, 60)).not.toEqual(background)
    expect(coverage(image).share).toBeGreaterThan(0.3)
  })
})

describe('SVG', () => {
  test('viewBox in mm with y flipped, stroke scaled to the part, nothing copied from the file', async () => {
    const evil = '"><script>alert(1)</script>'
    const text = dxf(
      [
        [
          ...lwpolyline(
            [
              [0, 0],
              [100, 0],
              [100, 50],
              [0, 50],
            ],
            true,
          ).map((v) => (v === 'CUT' ? evil : v)),
        ],
        circle(30, 25, 10),
        [0, 'TEXT', 8, evil, 10, 0, 20, 0, 30, 0, 40, 5, 1, evil],
        [0, 'MTEXT', 8, 'x', 10, 0, 20, 0, 30, 0, 40, 5, 1, 'javascript:alert(2)'],
      ],
      [['$INSUNITS', 70, 4]],
    )
    const { svg, analysis } = await analyse(text, 'dxf')
    expect(analysis.kind).toBe('sheet')
    expect(svg).toBeDefined()
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="-3 -53 106 56">/)
    expect(svg).toMatch(/<\/svg>$/)
    expect(svg).not.toMatch(/script|alert|javascript|CUT/i)
    // Only numbers, path commands and our own attribute names.
    const withoutTags = svg!
      .replace(/<\/?(svg|path)\b/g, '')
      .replace(/\b(xmlns|viewBox|fill|stroke(-width|-linecap|-linejoin)?|d)="[^"]*"/g, '')
    expect(withoutTags).toMatch(/^[\s/>]*$/)
    const d = /\sd="([^"]*)"/.exec(svg!)![1]!
    expect(d).toMatch(/^[MLAZ0-9 .-]+$/)
    // y flipped: the top edge (y = 50) is drawn at −50.
    expect(d).toContain('M0 0L100 0L100 -50L0 -50')
    // The circle as two arcs of radius 10.
    expect(d.match(/A10 10 /g)?.length).toBe(2)
    expect(/stroke-width="([\d.]+)"/.exec(svg!)![1]).toBe('0.4')
  })
})
