// Wavefront OBJ: `v` and `f` lines (polygons fanned into triangles, negative indices,
// v/vt/vn forms); everything else (normals, texture coordinates, groups, materials) is
// ignored.
import { CoordinateBuffer, type TriangleSoup } from './mesh.ts'
import { isNonFiniteToken, numberEnd, parseNumber, tokenText } from './numbers.ts'
import { CadError } from './types.ts'

export function parseObj(buf: Uint8Array, maxTriangles: number): TriangleSoup {
  const vertices = new CoordinateBuffer(Math.max(1024, Math.min(1 << 24, buf.length >> 4)))
  let corners = new Int32Array(Math.max(1024, Math.min(1 << 24, buf.length >> 3)))
  let cornerCount = 0
  const polygon: number[] = []
  const end = buf.length
  let pos = 0
  let line = 0

  const fail = (what: string): never => {
    throw new CadError('corrupt', `OBJ line ${line}: ${what}`)
  }
  const skipBlanks = () => {
    while (pos < end && (buf[pos] === 32 || buf[pos] === 9 || buf[pos] === 13)) pos++
  }

  while (pos < end) {
    line++
    skipBlanks()
    const c0 = buf[pos]
    const c1 = pos + 1 < end ? buf[pos + 1]! : 10
    const separated = c1 === 32 || c1 === 9
    if (c0 === 118 /* v */ && separated) {
      pos++
      const xyz = [0, 0, 0]
      for (let k = 0; k < 3; k++) {
        skipBlanks()
        const start = pos
        const value = parseNumber(buf, pos, end)
        pos = numberEnd
        if (value - value !== 0) {
          if (value === value || isNonFiniteToken(buf, start, pos)) {
            throw new CadError('non_finite', `OBJ line ${line}: a vertex coordinate is not finite`)
          }
          fail(`expected a coordinate, found "${tokenText(buf, start, pos)}"`)
        }
        xyz[k] = value
      }
      vertices.push3(xyz[0]!, xyz[1]!, xyz[2]!)
    } else if (c0 === 102 /* f */ && separated) {
      pos++
      polygon.length = 0
      const defined = vertices.length / 3
      for (;;) {
        skipBlanks()
        if (pos >= end || buf[pos] === 10 || buf[pos] === 35 /* # */) break
        let negative = false
        if (buf[pos] === 45) {
          negative = true
          pos++
        }
        let index = 0
        let digits = 0
        while (pos < end && buf[pos]! >= 48 && buf[pos]! <= 57) {
          index = index * 10 + (buf[pos]! - 48)
          digits++
          pos++
        }
        if (digits === 0 || digits > 10) fail('bad vertex index in a face')
        // Texture and normal indices after '/' are not needed.
        while (
          pos < end &&
          buf[pos] !== 32 &&
          buf[pos] !== 9 &&
          buf[pos] !== 10 &&
          buf[pos] !== 13
        ) {
          pos++
        }
        if (negative) {
          if (index > defined) fail(`relative index -${index} before that many vertices`)
          polygon.push(defined - index)
        } else {
          if (index === 0) fail('vertex index 0 (indices start at 1)')
          polygon.push(index - 1)
        }
      }
      if (polygon.length < 3) fail(`a face with ${polygon.length} vertices`)
      const needed = cornerCount + (polygon.length - 2) * 3
      if (needed / 3 > maxTriangles) {
        throw new CadError('too_complex', `more than the ${maxTriangles} triangles allowed`)
      }
      if (needed > corners.length) {
        let size = corners.length * 2
        while (size < needed) size *= 2
        const grown = new Int32Array(size)
        grown.set(corners.subarray(0, cornerCount))
        corners = grown
      }
      for (let k = 1; k + 1 < polygon.length; k++) {
        corners[cornerCount++] = polygon[0]!
        corners[cornerCount++] = polygon[k]!
        corners[cornerCount++] = polygon[k + 1]!
      }
    }
    // Next line (also the rest of any line we do not read).
    while (pos < end && buf[pos] !== 10) pos++
    pos++
  }

  const triangles = cornerCount / 3
  if (triangles === 0) throw new CadError('empty', 'the OBJ file contains no faces')
  const v = vertices.data
  const count = vertices.length / 3
  const positions = new Float64Array(cornerCount * 3)
  for (let i = 0; i < cornerCount; i++) {
    const index = corners[i]!
    if (index >= count) {
      throw new CadError('corrupt', `a face uses vertex ${index + 1} of ${count}`)
    }
    positions[3 * i] = v[3 * index]!
    positions[3 * i + 1] = v[3 * index + 1]!
    positions[3 * i + 2] = v[3 * index + 2]!
  }
  return { positions, triangles }
}
