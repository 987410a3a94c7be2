import { deflateRawSync } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { Zip, ZipDeflate, strToU8 } from 'fflate'
import {
  analyseCadFile,
  CadError,
  sniffCadFormat,
  type CadFormat,
  type MeshAnalysis,
} from '../../../app/models/cad/index.ts'
import {
  asciiStl,
  binaryStl,
  box,
  CONTENT_TYPES,
  merge,
  modelXml,
  obj,
  ROOT_RELS,
  tempDir,
  threeMf,
} from './models.ts'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

let counter = 0
function file(data: string | Uint8Array): string {
  return tmp.write(`bad-${counter++}`, data)
}

function sniff(data: string | Uint8Array): CadFormat | undefined {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  return sniffCadFormat(bytes.subarray(0, 512), bytes.length)
}

/** An ASCII STL of one facet whose first vertex is `first`. */
function oneFacet(first: string): string {
  return `solid t\nfacet normal 0 0 1\nouter loop\nvertex ${first}\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid t\n`
}

async function rejection(promise: Promise<unknown>): Promise<CadError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(CadError)
    return error as CadError
  }
  throw new Error('expected the analysis to fail')
}

describe('files we refuse, with the reason', () => {
  test('a binary STL cut short is sniffed as STL and reported truncated', async () => {
    const whole = binaryStl(merge(box(10, 10, 10), box(10, 10, 10, [20, 0, 0])), 'exported by CAD')
    const cut = whole.subarray(0, whole.length - 37)
    expect(sniff(cut)).toBe('stl')
    const error = await rejection(analyseCadFile(file(cut), 'stl'))
    expect(error.code).toBe('truncated')
    expect(error.message).toMatch(/24 facets/)
  })

  test('a binary STL with a "solid" header cut short is still truncated, not ASCII', async () => {
    const whole = binaryStl(box(10, 10, 10), 'solid part')
    const error = await rejection(analyseCadFile(file(whole.subarray(0, 500)), 'stl'))
    expect(error.code).toBe('truncated')
  })

  test('a binary STL with zero facets is empty', async () => {
    const empty = binaryStl({ vertices: [], triangles: [] })
    expect(empty.length).toBe(84)
    expect(sniff(empty)).toBe('stl')
    expect((await rejection(analyseCadFile(file(empty), 'stl'))).code).toBe('empty')
  })

  test('an ASCII STL with no facets is empty', async () => {
    const text = 'solid nothing\nendsolid nothing\n'
    expect(sniff(text)).toBe('stl')
    expect((await rejection(analyseCadFile(file(text), 'stl'))).code).toBe('empty')
  })

  test('NaN and infinite coordinates are non_finite in every format', async () => {
    const nanBox = box(10, 10, 10)
    nanBox.vertices[4] = Number.NaN
    const infBox = box(10, 10, 10)
    infBox.vertices[0] = Number.POSITIVE_INFINITY
    // The same facet with a finite vertex is fine (an open mesh of one triangle).
    await expect(analyseCadFile(file(oneFacet('0 0 0')), 'stl')).resolves.toBeDefined()
    for (const [name, data, format] of [
      ['binary STL NaN', binaryStl(nanBox), 'stl'],
      ['binary STL inf', binaryStl(infBox), 'stl'],
      ['ASCII STL nan', asciiStl(nanBox), 'stl'],
      ['ASCII STL -inf', oneFacet('-inf 0 0'), 'stl'],
      ['ASCII STL 1.#QNAN', oneFacet('1.#QNAN 0 0'), 'stl'],
      ['ASCII STL 1e999', oneFacet('1e999 0 0'), 'stl'],
      ['OBJ', obj(nanBox), 'obj'],
      ['3MF', threeMf({ '3D/3dmodel.model': modelXml(nanBox) }), '3mf'],
    ] as const) {
      const error = await rejection(analyseCadFile(file(data), format))
      expect(error.code, name).toBe('non_finite')
    }
  })

  test('a PNG renamed .stl is not a CAD file', () => {
    const png = new Uint8Array(84 + 50 * 38)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    expect(sniff(png)).toBeUndefined()
    // Even when the bytes at offset 80 happen to give a size of exactly 84 + 50·n.
    new DataView(png.buffer).setUint32(80, 38, true)
    expect(sniff(png)).toBeUndefined()
    // …which the same bytes without the PNG signature would be: a binary STL.
    png.set([0, 0, 0, 0], 0)
    expect(sniff(png)).toBe('stl')
  })

  test('a PDF, plain text, JSON and random bytes are not CAD files', () => {
    expect(sniff('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')).toBeUndefined()
    expect(sniff('Hello, this is a note about my part.\nThanks!\n')).toBeUndefined()
    expect(sniff('{"vertices": [1, 2, 3]}')).toBeUndefined()
    expect(sniff('# My notes\n\nThis is markdown.\n')).toBeUndefined()
    const random = new Uint8Array(1000).map((_, i) => (i * 7919 + 13) % 251)
    expect(sniff(random)).toBeUndefined()
  })

  test('STEP garbage is corrupt with a message', async () => {
    const garbage = 'ISO-10303-21;\nHEADER;\nthis is not STEP at all\n'
    expect(sniff(garbage)).toBe('step')
    const error = await rejection(analyseCadFile(file(garbage), 'step'))
    expect(error.code).toBe('corrupt')
    expect(error.message).toMatch(/STEP/)
    const notStep = await rejection(analyseCadFile(file('solid x\nendsolid\n'), 'step'))
    expect(notStep.code).toBe('corrupt')
  })

  test('a DXF with no entities is empty', async () => {
    const text = '  0\nSECTION\n  2\nENTITIES\n  0\nENDSEC\n  0\nEOF\n'
    expect(sniff(text)).toBe('dxf')
    expect((await rejection(analyseCadFile(file(text), 'dxf'))).code).toBe('empty')
  })

  test('an ASCII STL with a broken number is corrupt, naming the line', async () => {
    const text = oneFacet('1 zero 0')
    const error = await rejection(analyseCadFile(file(text), 'stl'))
    expect(error.code).toBe('corrupt')
    expect(error.message).toMatch(/line \d+/)
  })

  test('OBJ faces pointing at missing vertices are corrupt', async () => {
    const text = 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n'
    expect(sniff(text)).toBe('obj')
    expect((await rejection(analyseCadFile(file(text), 'obj'))).code).toBe('corrupt')
    expect((await rejection(analyseCadFile(file('v 0 0 0\nf -1 -2 -3\n'), 'obj'))).code).toBe(
      'corrupt',
    )
    expect((await rejection(analyseCadFile(file('# only vertices\nv 0 0 0\n'), 'obj'))).code).toBe(
      'empty',
    )
  })

  test('more triangles than allowed is too_complex', async () => {
    const two = merge(box(1, 1, 1), box(1, 1, 1, [5, 5, 5]))
    for (const [data, format] of [
      [binaryStl(two), 'stl'],
      [asciiStl(two), 'stl'],
      [obj(two), 'obj'],
    ] as const) {
      const error = await rejection(analyseCadFile(file(data), format, { maxTriangles: 20 }))
      expect(error.code).toBe('too_complex')
    }
  })
})

describe('open meshes are accepted with a warning', () => {
  test('a box without its lid: watertight false, not_watertight warning, same box', async () => {
    const open = box(20, 10, 5)
    open.triangles.splice(6, 6) // the two top triangles
    for (const data of [binaryStl(open), asciiStl(open), obj(open)]) {
      const format = sniff(data)!
      const { analysis } = await analyseCadFile(file(data), format)
      const mesh = analysis as MeshAnalysis
      expect(mesh.watertight).toBe(false)
      expect(mesh.triangles).toBe(10)
      expect(mesh.bboxMm).toEqual([20, 10, 5])
      expect(mesh.warnings.map((w) => w.code)).toContain('not_watertight')
      expect(mesh.warnings.find((w) => w.code === 'not_watertight')?.message).toMatch(/open edges/)
    }
  })

  test('a face turned inside out is not watertight either', async () => {
    const flipped = box(10, 10, 10)
    ;[flipped.triangles[1], flipped.triangles[2]] = [flipped.triangles[2]!, flipped.triangles[1]!]
    const { analysis } = await analyseCadFile(file(binaryStl(flipped)), 'stl')
    expect((analysis as MeshAnalysis).watertight).toBe(false)
  })

  test('two boxes sharing an edge (non-manifold) are not watertight', async () => {
    const twins = merge(box(10, 10, 10), box(10, 10, 10, [10, 10, 0]))
    const { analysis } = await analyseCadFile(file(binaryStl(twins)), 'stl')
    expect((analysis as MeshAnalysis).watertight).toBe(false)
    expect((analysis as MeshAnalysis).volumeMm3).toBeCloseTo(2000, 6)
  })
})

describe('3MF archives', () => {
  const model = modelXml(box(10, 20, 30))

  test('a zip without a 3D model part is corrupt', async () => {
    const zip = threeMf({ '[Content_Types].xml': CONTENT_TYPES, 'Metadata/thumbnail.png': 'png' })
    expect(sniff(zip)).toBe('3mf')
    const error = await rejection(analyseCadFile(file(zip), '3mf'))
    expect(error.code).toBe('corrupt')
    expect(error.message).toMatch(/3dmodel/)
  })

  test('a truncated zip is corrupt', async () => {
    const zip = threeMf({ '_rels/.rels': ROOT_RELS, '3D/3dmodel.model': model })
    const error = await rejection(analyseCadFile(file(zip.subarray(0, zip.length - 30)), '3mf'))
    expect(error.code).toBe('corrupt')
  })

  test('a zip bomb (200 MB of zeros, level 9) is refused quickly without inflating it', async () => {
    // Streamed through fflate in 1 MB pieces of one zero buffer: 200 MB never exists at once.
    const chunks: Uint8Array[] = []
    const zip = new Zip((error, chunk) => {
      if (error) throw error
      chunks.push(chunk)
    })
    const rels = new ZipDeflate('_rels/.rels', { level: 9 })
    zip.add(rels)
    rels.push(strToU8(ROOT_RELS), true)
    const bomb = new ZipDeflate('3D/3dmodel.model', { level: 9 })
    zip.add(bomb)
    const zeros = new Uint8Array(1 << 20)
    for (let i = 0; i < 200; i++) bomb.push(zeros, i === 199)
    zip.end()
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
    let o = 0
    for (const c of chunks) {
      bytes.set(c, o)
      o += c.length
    }
    expect(bytes.length).toBeLessThan(1_000_000)
    const path = file(bytes)

    const heapBefore = process.memoryUsage().arrayBuffers
    const started = performance.now()
    const error = await rejection(
      analyseCadFile(path, '3mf', { maxUncompressedBytes: 50 * 2 ** 20 }),
    )
    expect(error.code).toBe('zip_bomb')
    expect(performance.now() - started).toBeLessThan(1000)
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(40 * 2 ** 20)
  }, 30_000)

  test('a bomb that lies about its size stops inflating at the declared size', async () => {
    // 20 MB of zeros, but the directory and local header claim 1,000 bytes.
    const payload = deflateRawSync(new Uint8Array(20 * 2 ** 20), { level: 9 })
    const name = strToU8('3D/3dmodel.model')
    const local = new Uint8Array(30 + name.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint16(4, 20, true)
    lv.setUint16(8, 8, true)
    lv.setUint32(18, payload.length, true)
    lv.setUint32(22, 1000, true)
    lv.setUint16(26, name.length, true)
    local.set(name, 30)
    const central = new Uint8Array(46 + name.length)
    const cv = new DataView(central.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint16(6, 20, true)
    cv.setUint16(10, 8, true)
    cv.setUint32(20, payload.length, true)
    cv.setUint32(24, 1000, true)
    cv.setUint16(28, name.length, true)
    central.set(name, 46)
    const end = new Uint8Array(22)
    const ev = new DataView(end.buffer)
    ev.setUint32(0, 0x06054b50, true)
    ev.setUint16(8, 1, true)
    ev.setUint16(10, 1, true)
    ev.setUint32(12, central.length, true)
    ev.setUint32(16, local.length + payload.length, true)
    const zip = new Uint8Array(local.length + payload.length + central.length + end.length)
    zip.set(local, 0)
    zip.set(payload, local.length)
    zip.set(central, local.length + payload.length)
    zip.set(end, local.length + payload.length + central.length)
    const error = await rejection(analyseCadFile(file(zip), '3mf'))
    expect(error.code).toBe('zip_bomb')
  })

  test('an unknown unit is unsupported', async () => {
    const zip = threeMf({ '3D/3dmodel.model': modelXml(box(1, 1, 1), { unit: 'furlong' }) })
    expect((await rejection(analyseCadFile(file(zip), '3mf'))).code).toBe('unsupported')
  })

  test('a triangle that points past the vertices is corrupt', async () => {
    const xml = model.replace('v3="6"', 'v3="600"')
    expect(xml).not.toBe(model)
    const zip = threeMf({ '3D/3dmodel.model': xml })
    expect((await rejection(analyseCadFile(file(zip), '3mf'))).code).toBe('corrupt')
  })
})
