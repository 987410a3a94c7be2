import { afterAll, describe, expect, test } from 'vitest'
import { analyseCadFile, type MeshAnalysis } from '../../../app/models/cad/index.ts'
import { box, CONTENT_TYPES, modelXml, tempDir, threeMf } from './models.ts'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

let counter = 0
async function analyse(files: Record<string, string>): Promise<MeshAnalysis> {
  const path = tmp.write(`part-${counter++}.3mf`, threeMf(files))
  return (await analyseCadFile(path, '3mf')).analysis as MeshAnalysis
}

const NS = 'xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"'
const PRODUCTION = 'xmlns:p="http://schemas.microsoft.com/3dmanufacturing/production/2015/06"'

function meshObject(id: number, w: number, d: number, h: number, type = 'model'): string {
  const xml = modelXml(box(w, d, h))
  const mesh = xml.slice(xml.indexOf('<mesh>'), xml.indexOf('</mesh>') + '</mesh>'.length)
  return `<object id="${id}" type="${type}">${mesh}</object>`
}

describe('3MF', () => {
  test.each([
    ['millimeter', 1],
    ['micron', 0.001],
    ['centimeter', 10],
    ['inch', 25.4],
    ['foot', 304.8],
    ['meter', 1000],
  ])('unit="%s" is converted to mm', async (unit, k) => {
    const a = await analyse({ '3D/3dmodel.model': modelXml(box(2, 3, 4), { unit }) })
    expect(a.bboxMm[0]).toBeCloseTo(2 * k, 9)
    expect(a.bboxMm[2]).toBeCloseTo(4 * k, 9)
    expect(a.volumeMm3 / (24 * k ** 3)).toBeCloseTo(1, 12)
    // The file states its units: no guessing.
    expect(a.warnings.map((w) => w.code)).not.toContain('maybe_inches')
  })

  test('a build item transform moves and scales the object', async () => {
    // Scale 2 in x, then translate by (10, 20, 30): row vectors, translation last.
    const a = await analyse({
      '3D/3dmodel.model': modelXml(box(5, 5, 5), { transform: '2 0 0 0 1 0 0 0 1 10 20 30' }),
    })
    expect(a.bboxMinMm).toEqual([10, 20, 30])
    expect(a.bboxMm).toEqual([10, 5, 5])
    expect(a.volumeMm3).toBeCloseTo(250, 9)
    expect(a.watertight).toBe(true)
  })

  test('several objects, several items, components and a mirrored instance', async () => {
    const model =
      `<?xml version="1.0"?><model unit="millimeter" ${NS}><resources>` +
      meshObject(1, 10, 10, 10) +
      meshObject(2, 4, 4, 40) +
      // An assembly: object 2 twice through components, the second one rotated 90° about z.
      `<object id="3"><components><component objectid="2"/>` +
      `<component objectid="2" transform="0 1 0 -1 0 0 0 0 1 100 0 0"/></components></object>` +
      `</resources><build>` +
      `<item objectid="1"/>` +
      `<item objectid="1" transform="-1 0 0 0 1 0 0 0 1 -20 0 0"/>` + // mirrored in x
      `<item objectid="3" transform="1 0 0 0 1 0 0 0 1 0 50 0"/>` +
      `</build></model>`
    const a = await analyse({ '3D/3dmodel.model': model })
    expect(a.triangles).toBe(4 * 12)
    // Mirroring must not turn the volume negative: 2 cubes + 2 posts.
    expect(a.volumeMm3).toBeCloseTo(2 * 1000 + 2 * 4 * 4 * 40, 9)
    expect(a.watertight).toBe(true)
    expect(a.bboxMinMm[0]).toBeCloseTo(-30, 9)
    expect(a.bboxMinMm[1]).toBeCloseTo(0, 9)
    expect(a.bboxMm[0]).toBeCloseTo(130, 9) // −30 … 100
    expect(a.bboxMm[1]).toBeCloseTo(54, 9)
    expect(a.bboxMm[2]).toBeCloseTo(40, 9)
  })

  test('production extension: components in other model parts (p:path), as slicers write', async () => {
    const part =
      `<?xml version="1.0"?><model unit="millimeter" ${NS}><resources>` +
      meshObject(7, 20, 10, 5) +
      `</resources><build/></model>`
    const root =
      `<?xml version="1.0"?><model unit="millimeter" ${NS} ${PRODUCTION}><resources>` +
      `<object id="1" type="model"><components>` +
      `<component p:path="/3D/Objects/object_1.model" objectid="7" transform="1 0 0 0 1 0 0 0 1 0 0 5"/>` +
      `</components></object></resources><build><item objectid="1"/></build></model>`
    const rels =
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel" Target="/3D/3dmodel.model" Id="r0"/>' +
      '</Relationships>'
    const a = await analyse({
      '[Content_Types].xml': CONTENT_TYPES,
      '_rels/.rels': rels,
      '3D/3dmodel.model': root,
      '3D/Objects/object_1.model': part,
    })
    expect(a.volumeMm3).toBeCloseTo(1000, 9)
    expect(a.bboxMinMm).toEqual([0, 0, 5])
  })

  test('the root model named in _rels/.rels is used, wherever it is', async () => {
    const rels =
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      "<Relationship Id='a' Target='/models/main.model' Type='http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel'/>" +
      '</Relationships>'
    const a = await analyse({ '_rels/.rels': rels, 'models/main.model': modelXml(box(3, 3, 3)) })
    expect(a.volumeMm3).toBeCloseTo(27, 9)
  })

  test('support objects are left out with a warning', async () => {
    const model =
      `<model ${NS}><resources>${meshObject(1, 10, 10, 10)}${meshObject(2, 50, 50, 1, 'support')}</resources>` +
      `<build><item objectid="1"/><item objectid="2"/></build></model>`
    const a = await analyse({ '3D/3dmodel.model': model })
    expect(a.volumeMm3).toBeCloseTo(1000, 9)
    expect(a.warnings.map((w) => w.code)).toContain('ignored_objects')
  })

  test('a model whose build is empty has nothing to make', async () => {
    const model = `<model ${NS}><resources>${meshObject(1, 10, 10, 10)}</resources><build/></model>`
    const path = tmp.write('nobuild.3mf', threeMf({ '3D/3dmodel.model': model }))
    await expect(analyseCadFile(path, '3mf')).rejects.toMatchObject({ code: 'empty' })
  })

  test('a stored (uncompressed) archive reads the same', async () => {
    const path = tmp.write('stored.3mf', threeMf({ '3D/3dmodel.model': modelXml(box(4, 5, 6)) }, 0))
    const a = (await analyseCadFile(path, '3mf')).analysis as MeshAnalysis
    expect(a.volumeMm3).toBeCloseTo(120, 9)
  })
})
