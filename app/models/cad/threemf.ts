// 3MF: the OPC package is a ZIP (zip.ts); the root model part (from _rels/.rels, else
// 3D/3dmodel.model) is scanned byte by byte — no XML package — for objects (meshes and
// components, also components in other model parts through the production extension's
// p:path), build items with their transforms, and the model's unit.
import { readFile } from 'node:fs/promises'
import type { TriangleSoup } from './mesh.ts'
import { isNonFiniteToken, numberEnd, parseNumber } from './numbers.ts'
import { CadError, type CadWarning } from './types.ts'
import { extractEntry, readZipDirectory, type InflateBudget, type ZipEntry } from './zip.ts'

const UNITS: Record<string, number> = {
  micron: 0.001,
  millimeter: 1,
  centimeter: 10,
  inch: 25.4,
  foot: 304.8,
  meter: 1000,
}

/** Row-vector affine transform, 3MF order: m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32. */
type Matrix = Float64Array

const IDENTITY: Matrix = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0)

interface MeshData {
  vertices: Float64Array
  vertexCount: number
  triangles: Int32Array
  triangleCount: number
}

interface ModelObject {
  id: string
  type: string
  mesh?: MeshData
  components: Reference[]
}

interface Reference {
  objectId: string
  transform: Matrix
  /** Production extension: the model part holding the object. */
  path?: string
}

interface ModelPart {
  unit: number
  objects: Map<string, ModelObject>
  build: Reference[]
}

export interface ThreeMfOptions {
  maxUncompressedBytes: number
  maxTriangles: number
}

export interface ThreeMfSoup extends TriangleSoup {
  warnings: CadWarning[]
}

export async function readThreeMf(path: string, options: ThreeMfOptions): Promise<ThreeMfSoup> {
  return parseThreeMf(await readFile(path), options)
}

export function parseThreeMf(zip: Uint8Array, options: ThreeMfOptions): ThreeMfSoup {
  const entries = readZipDirectory(zip)
  const byName = new Map<string, ZipEntry>()
  let declared = 0
  for (const entry of entries) {
    byName.set(normalisePartName(entry.name), entry)
    declared += entry.uncompressedSize
  }
  const budget: InflateBudget = {
    remaining: options.maxUncompressedBytes,
    limit: options.maxUncompressedBytes,
  }
  if (declared > options.maxUncompressedBytes) {
    throw new CadError(
      'zip_bomb',
      `the archive declares ${declared} bytes uncompressed, over the ${options.maxUncompressedBytes}-byte limit`,
    )
  }

  const rootName = findRootModel(zip, byName, budget)
  const parts = new Map<string, ModelPart>()
  const loadPart = (name: string): ModelPart => {
    const key = normalisePartName(name)
    let part = parts.get(key)
    if (!part) {
      const entry = byName.get(key)
      if (!entry) throw new CadError('corrupt', `the 3MF package has no part ${name}`)
      part = parseModelXml(extractEntry(zip, entry, budget), key)
      parts.set(key, part)
    }
    return part
  }
  const root = loadPart(rootName)
  const unit = root.unit

  // Instantiate the build: count first (to refuse before allocating), then fill.
  const ignored = new Set<string>()
  interface Instance {
    mesh: MeshData
    transform: Matrix
  }
  const instances: Instance[] = []
  let total = 0
  let visits = 0
  const visit = (partName: string, ref: Reference, parent: Matrix, depth: number): void => {
    if (depth > 32) throw new CadError('corrupt', 'components nested too deep (a cycle?)')
    // Nested components multiply: bound the walk itself, not only the triangles it finds.
    if (++visits > options.maxTriangles) {
      throw new CadError('too_complex', `more than ${options.maxTriangles} object instances`)
    }
    const partKey = ref.path ? normalisePartName(ref.path) : partName
    const part = loadPart(partKey)
    const object = part.objects.get(ref.objectId)
    if (!object) throw new CadError('corrupt', `build references a missing object ${ref.objectId}`)
    if (object.type === 'support' || object.type === 'other') {
      ignored.add(`${partKey}#${object.id}`)
      return
    }
    const transform = multiply(ref.transform, parent)
    if (object.mesh && object.mesh.triangleCount > 0) {
      total += object.mesh.triangleCount
      if (total > options.maxTriangles) {
        throw new CadError('too_complex', `more than the ${options.maxTriangles} triangles allowed`)
      }
      instances.push({ mesh: object.mesh, transform })
    }
    for (const component of object.components) visit(partKey, component, transform, depth + 1)
  }
  for (const item of root.build) visit(normalisePartName(rootName), item, IDENTITY, 0)

  const positions = new Float64Array(total * 9)
  let o = 0
  for (const { mesh, transform: m } of instances) {
    const v = mesh.vertices
    const mirrored = determinant(m) < 0
    for (let t = 0; t < mesh.triangleCount; t++) {
      for (let k = 0; k < 3; k++) {
        // A mirroring transform turns the faces inside out: swap two corners back.
        const corner = mirrored && k > 0 ? 3 - k : k
        const index = mesh.triangles[3 * t + corner]!
        const x = v[3 * index]!
        const y = v[3 * index + 1]!
        const z = v[3 * index + 2]!
        positions[o++] = (x * m[0]! + y * m[3]! + z * m[6]! + m[9]!) * unit + 0
        positions[o++] = (x * m[1]! + y * m[4]! + z * m[7]! + m[10]!) * unit + 0
        positions[o++] = (x * m[2]! + y * m[5]! + z * m[8]! + m[11]!) * unit + 0
      }
    }
  }
  const warnings: CadWarning[] = []
  if (ignored.size) {
    warnings.push({
      code: 'ignored_objects',
      message: `${ignored.size} support or non-model objects were left out.`,
    })
  }
  return { positions, triangles: total, warnings }
}

function normalisePartName(name: string): string {
  let n = name.replace(/\\/g, '/')
  try {
    n = decodeURIComponent(n)
  } catch {
    // keep as is
  }
  return n.replace(/^\/+/, '').toLowerCase()
}

const MODEL_RELATIONSHIP = 'http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel'

/** The start part named in _rels/.rels, else the conventional 3D/3dmodel.model. */
function findRootModel(
  zip: Uint8Array,
  byName: Map<string, ZipEntry>,
  budget: InflateBudget,
): string {
  const rels = byName.get('_rels/.rels')
  if (rels) {
    const xml = extractEntry(zip, rels, budget)
    const scanner = new XmlScanner(xml)
    while (scanner.next()) {
      if (scanner.kind === TAG_START && scanner.tag(['relationship']) === 0) {
        const attributes = scanner.attributes()
        const target = attributes.get('target')
        if (target && attributes.get('type') === MODEL_RELATIONSHIP) {
          if (byName.has(normalisePartName(target))) return target
        }
      }
    }
  }
  if (byName.has('3d/3dmodel.model')) return '3D/3dmodel.model'
  throw new CadError('corrupt', 'the 3MF package has no 3D/3dmodel.model part')
}

function parseTransform(text: string | undefined): Matrix {
  if (text === undefined) return IDENTITY
  const values = text.trim().split(/\s+/).map(Number)
  if (values.length !== 12 || values.some((v) => !Number.isFinite(v))) {
    throw new CadError('corrupt', 'a transform that is not 12 finite numbers')
  }
  return Float64Array.from(values)
}

/** a then b (row vectors: p·a·b). */
function multiply(a: Matrix, b: Matrix): Matrix {
  const r = new Float64Array(12)
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 3; j++) {
      let s = i === 3 ? b[9 + j]! : 0
      for (let k = 0; k < 3; k++) s += a[3 * i + k]! * b[3 * k + j]!
      r[3 * i + j] = s
    }
  }
  return r
}

function determinant(m: Matrix): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  )
}

function parseModelXml(xml: Uint8Array, partName: string): ModelPart {
  const part: ModelPart = { unit: 1, objects: new Map(), build: [] }
  const scanner = new XmlScanner(xml)
  let object: ModelObject | undefined
  let mesh: MeshData | undefined
  let inBuild = false
  let sawModel = false
  const xyz = new Float64Array(3)
  const abc = new Int32Array(3)
  while (scanner.next()) {
    const tag = scanner.tag(MODEL_TAGS)
    if (tag < 0) continue
    if (scanner.kind === TAG_END) {
      if (tag === OBJECT) object = undefined
      else if (tag === MESH) mesh = undefined
      else if (tag === BUILD) inBuild = false
      continue
    }
    switch (tag) {
      case VERTEX:
        if (mesh) {
          if (!scanner.numbers(VERTEX_ATTRIBUTES, xyz)) {
            throw new CadError('corrupt', `${partName}: a vertex without finite x, y, z`)
          }
          if (mesh.vertexCount * 3 + 3 > mesh.vertices.length) {
            mesh.vertices = grow(mesh.vertices, mesh.vertexCount * 3 + 3) as Float64Array
          }
          const at = mesh.vertexCount * 3
          mesh.vertices[at] = xyz[0]!
          mesh.vertices[at + 1] = xyz[1]!
          mesh.vertices[at + 2] = xyz[2]!
          mesh.vertexCount++
        }
        break
      case TRIANGLE:
        if (mesh) {
          if (!scanner.integers(TRIANGLE_ATTRIBUTES, abc)) {
            throw new CadError('corrupt', `${partName}: a triangle without v1, v2, v3`)
          }
          if (mesh.triangleCount * 3 + 3 > mesh.triangles.length) {
            mesh.triangles = grow(mesh.triangles, mesh.triangleCount * 3 + 3) as Int32Array
          }
          mesh.triangles.set(abc, mesh.triangleCount * 3)
          mesh.triangleCount++
        }
        break
      case MESH:
        if (object && !scanner.selfClosing) {
          mesh = {
            vertices: new Float64Array(3 * 1024),
            vertexCount: 0,
            triangles: new Int32Array(3 * 1024),
            triangleCount: 0,
          }
          object.mesh = mesh
        }
        break
      case OBJECT: {
        const attributes = scanner.attributes()
        const id = attributes.get('id')
        if (id === undefined) throw new CadError('corrupt', `${partName}: an object without id`)
        const created: ModelObject = { id, type: attributes.get('type') ?? 'model', components: [] }
        part.objects.set(id, created)
        object = scanner.selfClosing ? undefined : created
        break
      }
      case COMPONENT:
        if (object) object.components.push(reference(scanner.attributes(), partName))
        break
      case BUILD:
        inBuild = !scanner.selfClosing
        break
      case ITEM:
        if (inBuild) part.build.push(reference(scanner.attributes(), partName))
        break
      case MODEL: {
        sawModel = true
        const unit = scanner.attributes().get('unit') ?? 'millimeter'
        const scale = UNITS[unit]
        if (scale === undefined)
          throw new CadError('unsupported', `3MF unit "${unit.slice(0, 20)}"`)
        part.unit = scale
        break
      }
    }
  }
  if (!sawModel) throw new CadError('corrupt', `${partName} is not a 3MF model`)
  for (const o of part.objects.values()) {
    const m = o.mesh
    if (!m) continue
    for (let i = 0; i < m.triangleCount * 3; i++) {
      const v = m.triangles[i]!
      if (v < 0 || v >= m.vertexCount) {
        throw new CadError(
          'corrupt',
          `${partName}: object ${o.id} has a triangle on vertex ${v} of ${m.vertexCount}`,
        )
      }
    }
  }
  return part
}

function reference(attributes: Map<string, string>, partName: string): Reference {
  const objectId = attributes.get('objectid')
  if (objectId === undefined)
    throw new CadError('corrupt', `${partName}: a reference without objectid`)
  return {
    objectId,
    transform: parseTransform(attributes.get('transform')),
    path: attributes.get('path'),
  }
}

function grow<T extends Float64Array | Int32Array>(array: T, needed: number): T {
  let size = array.length * 2
  while (size < needed) size *= 2
  const next = new (array.constructor as new (n: number) => T)(size)
  next.set(array)
  return next
}

// ---------------------------------------------------------------------------------------
// A minimal XML tokenizer over bytes: tags and attributes only (text is skipped).

// Order matters: the most frequent tags first.
const MODEL_TAGS = ['vertex', 'triangle', 'mesh', 'object', 'component', 'build', 'item', 'model']
const VERTEX = 0
const TRIANGLE = 1
const MESH = 2
const OBJECT = 3
const COMPONENT = 4
const BUILD = 5
const ITEM = 6
const MODEL = 7

const TAG_START = 1
const TAG_END = 2
const VERTEX_ATTRIBUTES = ['x', 'y', 'z']
const TRIANGLE_ATTRIBUTES = ['v1', 'v2', 'v3']
const latin1 = new TextDecoder('latin1')
const utf8 = new TextDecoder('utf-8')

export class XmlScanner {
  kind = 0
  selfClosing = false
  private nameStart = 0
  private nameEnd = 0
  /** Index after the tag name: attributes start here. */
  private attrStart = 0
  private pos = 0
  constructor(private readonly buf: Uint8Array) {}

  /** Advances to the next start or end tag; false at the end. */
  next(): boolean {
    const buf = this.buf
    const end = buf.length
    for (;;) {
      const lt = buf.indexOf(60 /* < */, this.pos)
      if (lt < 0) return false
      const c = buf[lt + 1]
      if (c === 63 /* ? */) {
        this.pos = this.skipPast(lt + 2, '?>')
        continue
      }
      if (c === 33 /* ! */) {
        if (buf[lt + 2] === 45 && buf[lt + 3] === 45) this.pos = this.skipPast(lt + 4, '-->')
        else if (buf[lt + 2] === 91 /* [ */) this.pos = this.skipPast(lt + 2, ']]>')
        else this.pos = this.skipPast(lt + 2, '>')
        continue
      }
      let p = lt + 1
      if (c === 47 /* / */) {
        this.kind = TAG_END
        p++
      } else {
        this.kind = TAG_START
      }
      this.nameStart = p
      while (p < end) {
        const b = buf[p]!
        if (b <= 32 || b === 47 || b === 62) break
        p++
      }
      this.nameEnd = p
      this.attrStart = p
      // Find the closing '>' outside quoted attribute values.
      let quote = 0
      while (p < end) {
        const b = buf[p]!
        if (quote) {
          if (b === quote) quote = 0
        } else if (b === 34 || b === 39) {
          quote = b
        } else if (b === 62) {
          break
        }
        p++
      }
      if (p >= end) throw new CadError('corrupt', 'the XML ends inside a tag')
      this.selfClosing = this.kind === TAG_START && buf[p - 1] === 47
      this.pos = p + 1
      return true
    }
  }

  private skipPast(from: number, terminator: string): number {
    const buf = this.buf
    const first = terminator.charCodeAt(0)
    let p = from
    for (;;) {
      const i = buf.indexOf(first, p)
      if (i < 0) throw new CadError('corrupt', `the XML ends before "${terminator}"`)
      let match = true
      for (let k = 1; k < terminator.length; k++) {
        if (buf[i + k] !== terminator.charCodeAt(k)) {
          match = false
          break
        }
      }
      if (match) return i + terminator.length
      p = i + 1
    }
  }

  /** Index in `names` of the tag's local name (prefix dropped, ASCII case ignored), or −1. */
  tag(names: readonly string[]): number {
    let s = this.nameStart
    for (let i = this.nameStart; i < this.nameEnd; i++) if (this.buf[i] === 58) s = i + 1
    const length = this.nameEnd - s
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!
      if (name.length !== length) continue
      let same = true
      for (let i = 0; i < length; i++) {
        if ((this.buf[s + i]! | 0x20) !== name.charCodeAt(i)) {
          same = false
          break
        }
      }
      if (same) return k
    }
    return -1
  }

  /** Attributes by local name, lower case, values decoded. */
  attributes(): Map<string, string> {
    const map = new Map<string, string>()
    this.eachAttribute((nameStart, nameEnd, valueStart, valueEnd) => {
      let s = nameStart
      for (let i = nameStart; i < nameEnd; i++) if (this.buf[i] === 58) s = i + 1
      const name = latin1.decode(this.buf.subarray(s, nameEnd)).toLowerCase()
      if (!map.has(name))
        map.set(name, decodeEntities(utf8.decode(this.buf.subarray(valueStart, valueEnd))))
    })
    return map
  }

  /** Reads the named attributes as numbers into `out`; false if one is missing or not finite. */
  numbers(names: string[], out: Float64Array): boolean {
    let found = 0
    this.eachAttribute((nameStart, nameEnd, valueStart, valueEnd) => {
      const k = this.match(names, nameStart, nameEnd)
      if (k < 0) return
      let p = valueStart
      while (p < valueEnd && this.buf[p]! <= 32) p++
      const value = parseNumber(this.buf, p, valueEnd)
      let q = numberEnd
      while (q < valueEnd && this.buf[q]! <= 32) q++
      if (value - value !== 0 || q !== valueEnd) {
        if (value === Infinity || value === -Infinity || isNonFiniteToken(this.buf, p, valueEnd)) {
          throw new CadError('non_finite', 'a 3MF vertex coordinate is not finite')
        }
        throw new CadError('corrupt', 'a 3MF vertex coordinate is not a number')
      }
      out[k] = value + 0
      found |= 1 << k
    })
    return found === (1 << names.length) - 1
  }

  /** Reads the named attributes as non-negative integers into `out`. */
  integers(names: string[], out: Int32Array): boolean {
    let found = 0
    let bad = false
    this.eachAttribute((nameStart, nameEnd, valueStart, valueEnd) => {
      const k = this.match(names, nameStart, nameEnd)
      if (k < 0) return
      let v = 0
      let digits = 0
      for (let p = valueStart; p < valueEnd; p++) {
        const c = this.buf[p]!
        if (c >= 48 && c <= 57) {
          v = v * 10 + (c - 48)
          digits++
        } else if (c > 32) {
          bad = true
        }
      }
      if (digits === 0 || digits > 9) bad = true
      out[k] = v
      found |= 1 << k
    })
    return !bad && found === (1 << names.length) - 1
  }

  private match(names: string[], nameStart: number, nameEnd: number): number {
    let s = nameStart
    for (let i = nameStart; i < nameEnd; i++) if (this.buf[i] === 58) s = i + 1
    const length = nameEnd - s
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!
      if (name.length !== length) continue
      let same = true
      for (let i = 0; i < length; i++) {
        if (this.buf[s + i] !== name.charCodeAt(i)) {
          same = false
          break
        }
      }
      if (same) return k
    }
    return -1
  }

  private eachAttribute(
    visit: (nameStart: number, nameEnd: number, valueStart: number, valueEnd: number) => void,
  ): void {
    const buf = this.buf
    const end = this.pos - 1 // the '>'
    let p = this.attrStart
    for (;;) {
      while (p < end && buf[p]! <= 32) p++
      if (p >= end || buf[p] === 47) return
      const nameStart = p
      while (p < end && buf[p]! > 32 && buf[p] !== 61) p++
      const nameEnd = p
      while (p < end && buf[p]! <= 32) p++
      if (buf[p] !== 61 /* = */) throw new CadError('corrupt', 'an XML attribute without a value')
      p++
      while (p < end && buf[p]! <= 32) p++
      const quote = buf[p]
      if (quote !== 34 && quote !== 39) throw new CadError('corrupt', 'an unquoted XML attribute')
      const valueStart = p + 1
      const valueEnd = buf.indexOf(quote, valueStart)
      if (valueEnd < 0 || valueEnd > end)
        throw new CadError('corrupt', 'an unterminated XML attribute')
      visit(nameStart, nameEnd, valueStart, valueEnd)
      p = valueEnd + 1
    }
  }
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase()
    if (e === 'amp') return '&'
    if (e === 'lt') return '<'
    if (e === 'gt') return '>'
    if (e === 'quot') return '"'
    if (e === 'apos') return "'"
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ''
  })
}
