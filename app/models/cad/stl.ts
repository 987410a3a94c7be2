// STL readers (binary, streamed in chunks; ASCII, tolerant) and the binary STL writer
// used for previews.
import { open, readFile } from 'node:fs/promises'
import { CoordinateBuffer, type Positions, type TriangleSoup } from './mesh.ts'
import { isNonFiniteToken, numberEnd, parseNumber, tokenText } from './numbers.ts'
import { CadError } from './types.ts'

const FACET_BYTES = 50
const CHUNK_FACETS = 20_000 // 1 MB reads

/** True when `size` is exactly a binary STL with the facet count stored at offset 80. */
export function isBinaryStlSize(head: Uint8Array, size: number): boolean {
  if (head.length < 84 || size < 84) return false
  const n = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(80, true)
  return size === 84 + FACET_BYTES * n
}

/** ASCII STL: starts with "solid" and the first bytes are text. */
export function looksLikeAsciiStl(head: Uint8Array): boolean {
  let i = 0
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3
  while (i < head.length && isSpace(head[i]!)) i++
  if (!startsWithWord(head, i, 'solid')) return false
  return isText(head)
}

/** No control bytes other than tab/CR/LF/FF (UTF-8 bytes ≥ 0x80 allowed). */
export function isText(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) return false
    if (c === 127) return false
  }
  return true
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13)
}

function startsWithWord(buf: Uint8Array, pos: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = buf[pos + k]
    if (c === undefined || (c | 0x20) !== word.charCodeAt(k)) return false
  }
  const after = buf[pos + word.length]
  return after === undefined || isSpace(after)
}

/** Reads a binary STL whose size was checked: float32 positions, read 1 MB at a time. */
export async function readBinaryStl(path: string, maxTriangles: number): Promise<TriangleSoup> {
  const file = await open(path, 'r')
  try {
    const { size } = await file.stat()
    const header = Buffer.alloc(84)
    const { bytesRead } = await file.read(header, 0, 84, 0)
    if (bytesRead < 84) throw new CadError('truncated', `binary STL of ${size} bytes has no header`)
    const n = header.readUInt32LE(80)
    if (size !== 84 + FACET_BYTES * n) {
      throw new CadError(
        'truncated',
        `binary STL header announces ${n} facets (${84 + FACET_BYTES * n} bytes) but the file has ${size} bytes`,
      )
    }
    if (n === 0) throw new CadError('empty', 'the STL file contains no facets')
    if (n > maxTriangles) {
      throw new CadError('too_complex', `${n} triangles, more than the ${maxTriangles} allowed`)
    }
    const positions = new Float32Array(n * 9)
    const chunk = Buffer.alloc(CHUNK_FACETS * FACET_BYTES)
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let done = 0
    let o = 0
    while (done < n) {
      const facets = Math.min(CHUNK_FACETS, n - done)
      const want = facets * FACET_BYTES
      let got = 0
      while (got < want) {
        const r = await file.read(chunk, got, want - got, 84 + done * FACET_BYTES + got)
        if (r.bytesRead === 0) throw new CadError('truncated', 'the STL file ended early')
        got += r.bytesRead
      }
      for (let f = 0; f < facets; f++) {
        const base = f * FACET_BYTES + 12 // skip the normal
        for (let k = 0; k < 36; k += 4) positions[o++] = view.getFloat32(base + k, true) + 0
      }
      done += facets
    }
    return { positions, triangles: n }
  } finally {
    await file.close()
  }
}

/** Reads an ASCII STL (any case, CRLF, extra whitespace, scientific notation). */
export function parseAsciiStl(buf: Uint8Array, maxTriangles: number): TriangleSoup {
  const coords = new CoordinateBuffer(Math.max(1024, Math.min(1 << 24, buf.length >> 3)))
  const end = buf.length
  let pos = 0
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3
  let triangles = 0
  let inLoop = false
  let loopStart = 0 // coordinate index of the loop's first vertex
  let loopVertices = 0
  let sawSolid = false
  let ended = false // after "endsolid", only another "solid" continues the file

  const fail = (what: string): never => {
    const line = lineOf(buf, pos)
    throw new CadError('corrupt', `ASCII STL line ${line}: ${what}`)
  }
  const readCoordinate = (label: string): number => {
    while (pos < end && isSpace(buf[pos]!)) pos++
    const start = pos
    const value = parseNumber(buf, pos, end)
    pos = numberEnd
    if (value - value !== 0) {
      if (value !== value && !isNonFiniteToken(buf, start, pos)) {
        fail(`expected a number for ${label}, found "${tokenText(buf, start, pos)}"`)
      }
      throw new CadError(
        'non_finite',
        `ASCII STL line ${lineOf(buf, start)}: ${label} is not finite`,
      )
    }
    return value
  }

  const skipToken = () => {
    while (pos < end && isSpace(buf[pos]!)) pos++
    while (pos < end && !isSpace(buf[pos]!)) pos++
  }

  for (;;) {
    while (pos < end && isSpace(buf[pos]!)) pos++
    if (pos >= end) break
    const start = pos
    while (pos < end && !isSpace(buf[pos]!)) pos++
    const word = keyword(buf, start, pos)
    switch (word) {
      case 'vertex': {
        if (!inLoop) fail('"vertex" outside "outer loop"')
        const x = readCoordinate('x')
        const y = readCoordinate('y')
        const z = readCoordinate('z')
        coords.push3(x, y, z)
        loopVertices++
        break
      }
      case 'facet': {
        // "facet normal nx ny nz": the normal is recomputed from the vertices, and some
        // exporters write "nan" there, so its three tokens are skipped unread.
        while (pos < end && isSpace(buf[pos]!)) pos++
        const s = pos
        while (pos < end && !isSpace(buf[pos]!)) pos++
        if (pos - s !== 6 || !startsWithWord(buf, s, 'normal')) pos = s
        else for (let k = 0; k < 3; k++) skipToken()
        break
      }
      case 'outer':
        while (pos < end && isSpace(buf[pos]!)) pos++
        if (keyword(buf, pos, pos + 4) !== 'loop') fail('expected "loop" after "outer"')
        pos += 4
        inLoop = true
        loopStart = coords.length
        loopVertices = 0
        break
      case 'endloop': {
        if (!inLoop) fail('"endloop" without "outer loop"')
        if (loopVertices < 3) fail(`a facet with ${loopVertices} vertices`)
        // Polygons (a few exporters write them) are fanned into triangles in place.
        if (loopVertices > 3) fanInPlace(coords, loopStart, loopVertices)
        triangles += loopVertices - 2
        if (triangles > maxTriangles) {
          throw new CadError('too_complex', `more than the ${maxTriangles} triangles allowed`)
        }
        inLoop = false
        break
      }
      case 'endfacet':
        break
      case 'solid':
      case 'endsolid':
        if (word === 'solid') sawSolid = true
        ended = word === 'endsolid'
        // The name runs to the end of the line.
        while (pos < end && buf[pos] !== 10 && buf[pos] !== 13) pos++
        break
      default:
        // Exporters leave padding or junk after "endsolid": the solid is complete.
        if (ended) pos = end
        else if (!sawSolid) fail('the file does not start with "solid"')
        else fail(`unexpected "${tokenText(buf, start, pos)}"`)
    }
  }
  if (inLoop) fail('the file ends inside a facet')
  if (triangles === 0) throw new CadError('empty', 'the STL file contains no facets')
  return { positions: coords.view(), triangles }
}

const KEYWORDS = ['vertex', 'facet', 'outer', 'loop', 'endloop', 'endfacet', 'solid', 'endsolid']

function keyword(buf: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start
  for (const word of KEYWORDS) {
    if (word.length !== length) continue
    let same = true
    for (let k = 0; k < length; k++) {
      if ((buf[start + k]! | 0x20) !== word.charCodeAt(k)) {
        same = false
        break
      }
    }
    if (same) return word
  }
  return undefined
}

function fanInPlace(coords: CoordinateBuffer, start: number, n: number): void {
  const polygon = coords.data.slice(start, start + n * 3)
  coords.length = start
  for (let k = 1; k + 1 < n; k++) {
    coords.push3(polygon[0]!, polygon[1]!, polygon[2]!)
    coords.push3(polygon[3 * k]!, polygon[3 * k + 1]!, polygon[3 * k + 2]!)
    coords.push3(polygon[3 * k + 3]!, polygon[3 * k + 4]!, polygon[3 * k + 5]!)
  }
}

function lineOf(buf: Uint8Array, pos: number): number {
  let line = 1
  for (let i = 0; i < pos && i < buf.length; i++) if (buf[i] === 10) line++
  return line
}

export async function readAsciiStl(path: string, maxTriangles: number): Promise<TriangleSoup> {
  return parseAsciiStl(await readFile(path), maxTriangles)
}

/** A binary STL (float32, facet normals computed) of `triangles` triangles. */
export function writeBinaryStl(positions: Positions, triangles: number, title: string): Uint8Array {
  const out = new Uint8Array(84 + FACET_BYTES * triangles)
  const header = new TextEncoder().encode(title.slice(0, 80))
  out.set(header.subarray(0, 80))
  const view = new DataView(out.buffer)
  view.setUint32(80, triangles, true)
  let o = 84
  for (let t = 0; t < triangles; t++) {
    const i = t * 9
    const ax = positions[i]!
    const ay = positions[i + 1]!
    const az = positions[i + 2]!
    const ux = positions[i + 3]! - ax
    const uy = positions[i + 4]! - ay
    const uz = positions[i + 5]! - az
    const vx = positions[i + 6]! - ax
    const vy = positions[i + 7]! - ay
    const vz = positions[i + 8]! - az
    let nx = uy * vz - uz * vy
    let ny = uz * vx - ux * vz
    let nz = ux * vy - uy * vx
    const length = Math.sqrt(nx * nx + ny * ny + nz * nz)
    if (length > 0) {
      nx /= length
      ny /= length
      nz /= length
    }
    view.setFloat32(o, nx, true)
    view.setFloat32(o + 4, ny, true)
    view.setFloat32(o + 8, nz, true)
    for (let k = 0; k < 9; k++) view.setFloat32(o + 12 + 4 * k, positions[i + k]!, true)
    o += FACET_BYTES // attribute byte count stays 0
  }
  return out
}
