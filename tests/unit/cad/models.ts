// Test models generated in code (closed, outward-oriented, exactly known measures) and
// writers for every mesh format the library reads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { strToU8, zipSync } from 'fflate'

export interface Mesh {
  /** x, y, z per vertex. */
  vertices: number[]
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  triangles: number[]
}

export interface Exact {
  volume: number
  area: number
  min: [number, number, number]
  max: [number, number, number]
}

export function box(
  w: number,
  d: number,
  h: number,
  at: [number, number, number] = [0, 0, 0],
): Mesh {
  const [x, y, z] = at
  const vertices = [
    [x, y, z],
    [x + w, y, z],
    [x + w, y + d, z],
    [x, y + d, z],
    [x, y, z + h],
    [x + w, y, z + h],
    [x + w, y + d, z + h],
    [x, y + d, z + h],
  ].flat()
  // prettier-ignore
  const triangles = [
    0, 2, 1, 0, 3, 2, // bottom (−z)
    4, 5, 6, 4, 6, 7, // top (+z)
    0, 1, 5, 0, 5, 4, // front (−y)
    1, 2, 6, 1, 6, 5, // right (+x)
    2, 3, 7, 2, 7, 6, // back (+y)
    3, 0, 4, 3, 4, 7, // left (−x)
  ]
  return { vertices, triangles }
}

export function boxExact(
  w: number,
  d: number,
  h: number,
  at: [number, number, number] = [0, 0, 0],
): Exact {
  return {
    volume: w * d * h,
    area: 2 * (w * d + w * h + d * h),
    min: at,
    max: [at[0] + w, at[1] + d, at[2] + h],
  }
}

/** Closed cylinder along z from z = 0 to h: n side segments, caps fanned from the centre. */
export function cylinder(r: number, h: number, n: number): Mesh {
  const vertices: number[] = []
  for (const z of [0, h]) {
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n
      vertices.push(r * Math.cos(t), r * Math.sin(t), z)
    }
  }
  const bottomCentre = vertices.length / 3
  vertices.push(0, 0, 0)
  const topCentre = bottomCentre + 1
  vertices.push(0, 0, h)
  const triangles: number[] = []
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n
    triangles.push(i, j, n + j, i, n + j, n + i) // side, outward
    triangles.push(bottomCentre, j, i) // bottom, −z
    triangles.push(topCentre, n + i, n + j) // top, +z
  }
  return { vertices, triangles }
}

/** Area of the regular n-gon inscribed in a circle of radius r. */
export function polygonArea(r: number, n: number): number {
  return (n / 2) * r * r * Math.sin((2 * Math.PI) / n)
}

/** Tube (outer radius R, bore r) along z, n segments: outer and inner walls, annular caps. */
export function tube(R: number, r: number, h: number, n: number): Mesh {
  const vertices: number[] = []
  // rings: 0 outer bottom, 1 outer top, 2 inner bottom, 3 inner top
  for (const [radius, z] of [
    [R, 0],
    [R, h],
    [r, 0],
    [r, h],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n
      vertices.push(radius * Math.cos(t), radius * Math.sin(t), z)
    }
  }
  const ob = 0
  const ot = n
  const ib = 2 * n
  const it = 3 * n
  const triangles: number[] = []
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n
    triangles.push(ob + i, ob + j, ot + j, ob + i, ot + j, ot + i) // outer wall, outward
    triangles.push(ib + j, ib + i, it + i, ib + j, it + i, it + j) // bore, facing the axis
    triangles.push(ot + i, ot + j, it + j, ot + i, it + j, it + i) // top ring, +z
    triangles.push(ob + j, ob + i, ib + i, ob + j, ib + i, ib + j) // bottom ring, −z
  }
  return { vertices, triangles }
}

/**
 * A plate of cols × rows square cells (side s, height h), each with a round through-hole
 * of radius r (n segments, n a multiple of 8). Each cell's top is the ring between its
 * square and its hole; square points are shared exactly with the neighbours, so the whole
 * plate welds watertight. Corner at the origin.
 */
export function plateWithHoles(
  cols: number,
  rows: number,
  s: number,
  h: number,
  r: number,
  n: number,
): Mesh {
  if (n % 8 !== 0) throw new Error('n must be a multiple of 8')
  const half = s / 2
  const q = n / 4
  // Offsets along a side, symmetric by construction: t[q − j] = −t[j], t[0] = −half.
  const t: number[] = []
  for (let j = 0; j <= q; j++) {
    if (j * 2 < q) t[j] = half * Math.tan(-Math.PI / 4 + (2 * Math.PI * j) / n)
    else if (j * 2 === q) t[j] = 0
    else t[j] = -t[q - j]!
  }
  t[0] = -half
  t[q] = half
  const vertices: number[] = []
  const triangles: number[] = []
  const add = (x: number, y: number, z: number) => {
    vertices.push(x, y, z)
    return vertices.length / 3 - 1
  }
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const cx = col * s + half
      const cy = row * s + half
      // Square boundary point i (angle 2πi/n) as an offset from the centre.
      const square = (i: number): [number, number] => {
        const k = ((i % n) + n) % n
        if (k >= (7 * n) / 8 || k <= n / 8) return [half, t[(k + n / 8) % n]!] // right
        if (k <= (3 * n) / 8) return [-t[k - n / 8]!, half] // top
        if (k <= (5 * n) / 8) return [-half, -t[k - (3 * n) / 8]!] // left
        return [t[k - (5 * n) / 8]!, -half] // bottom
      }
      const rings: number[][] = [] // [square bottom, square top, hole bottom, hole top]
      for (const z of [0, h]) {
        const ring: number[] = []
        for (let i = 0; i < n; i++) {
          const [ox, oy] = square(i)
          ring.push(add(cx + ox, cy + oy, z))
        }
        rings.push(ring)
      }
      for (const z of [0, h]) {
        const ring: number[] = []
        for (let i = 0; i < n; i++) {
          const a = (2 * Math.PI * i) / n
          ring.push(add(cx + r * Math.cos(a), cy + r * Math.sin(a), z))
        }
        rings.push(ring)
      }
      const [sb, st, hb, ht] = rings as [number[], number[], number[], number[]]
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n
        triangles.push(st[i]!, st[j]!, ht[j]!, st[i]!, ht[j]!, ht[i]!) // top, +z
        triangles.push(sb[j]!, sb[i]!, hb[i]!, sb[j]!, hb[i]!, hb[j]!) // bottom, −z
        triangles.push(hb[j]!, hb[i]!, ht[i]!, hb[j]!, ht[i]!, ht[j]!) // hole wall
        // Outer wall where this segment lies on the plate's boundary.
        const [ax, ay] = square(i)
        const [bx, by] = square(j)
        const onRight = ax === half && bx === half && col === cols - 1
        const onTop = ay === half && by === half && row === rows - 1
        const onLeft = ax === -half && bx === -half && col === 0
        const onBottom = ay === -half && by === -half && row === 0
        if (onRight || onTop || onLeft || onBottom) {
          triangles.push(sb[i]!, sb[j]!, st[j]!, sb[i]!, st[j]!, st[i]!)
        }
      }
    }
  }
  return { vertices, triangles }
}

export function plateExact(
  cols: number,
  rows: number,
  s: number,
  h: number,
  r: number,
  n: number,
): Exact {
  const holes = cols * rows
  const hole = polygonArea(r, n)
  const W = cols * s
  const D = rows * s
  return {
    volume: (W * D - holes * hole) * h,
    area:
      2 * (W * D - holes * hole) + 2 * (W + D) * h + holes * n * 2 * r * Math.sin(Math.PI / n) * h,
    min: [0, 0, 0],
    max: [W, D, h],
  }
}

export function transformMesh(
  mesh: Mesh,
  f: (x: number, y: number, z: number) => [number, number, number],
): Mesh {
  const vertices: number[] = []
  for (let i = 0; i < mesh.vertices.length; i += 3) {
    vertices.push(...f(mesh.vertices[i]!, mesh.vertices[i + 1]!, mesh.vertices[i + 2]!))
  }
  return { vertices, triangles: [...mesh.triangles] }
}

export function merge(...meshes: Mesh[]): Mesh {
  const out: Mesh = { vertices: [], triangles: [] }
  for (const m of meshes) {
    const base = out.vertices.length / 3
    out.vertices.push(...m.vertices)
    out.triangles.push(...m.triangles.map((i) => i + base))
  }
  return out
}

// ---------------------------------------------------------------------------------------
// Writers

function corner(mesh: Mesh, t: number, k: number): [number, number, number] {
  const v = mesh.triangles[3 * t + k]!
  return [mesh.vertices[3 * v]!, mesh.vertices[3 * v + 1]!, mesh.vertices[3 * v + 2]!]
}

export function asciiStl(
  mesh: Mesh,
  style: { crlf?: boolean; upper?: boolean; scientific?: boolean; messy?: boolean } = {},
): string {
  const nl = style.crlf ? '\r\n' : '\n'
  const kw = (s: string) => (style.upper ? s.toUpperCase() : s)
  const num = (v: number) => (style.scientific ? v.toExponential(12) : String(v))
  const pad = style.messy ? ' \t  ' : '  '
  const lines = [`${kw('solid')} test part`]
  for (let t = 0; t < mesh.triangles.length / 3; t++) {
    lines.push(`${pad}${kw('facet normal')} 0 0 0`, `${pad}${pad}${kw('outer loop')}`)
    for (let k = 0; k < 3; k++) {
      const [x, y, z] = corner(mesh, t, k)
      lines.push(`${pad}${pad}${pad}${kw('vertex')}${pad}${num(x)} ${num(y)}${pad}${num(z)}`)
    }
    lines.push(`${pad}${pad}${kw('endloop')}`, `${pad}${kw('endfacet')}`)
  }
  lines.push(`${kw('endsolid')} test part`, '')
  return lines.join(nl)
}

/**
 * UV sphere of radius r as a binary STL: `segments` around, `rings` from pole to pole,
 * 2·segments·(rings − 1) facets, closed and outward-facing.
 */
export function sphereStl(r: number, segments: number, rings: number): Uint8Array {
  const facets = 2 * segments * (rings - 1)
  const out = new Uint8Array(84 + 50 * facets)
  out.set(new TextEncoder().encode('solid sphere (binary, shared-factory bench)'))
  const view = new DataView(out.buffer)
  view.setUint32(80, facets, true)
  const point = (ring: number, segment: number): [number, number, number] => {
    if (ring === 0) return [0, 0, r]
    if (ring === rings) return [0, 0, -r]
    const phi = (Math.PI * ring) / rings
    const theta = (2 * Math.PI * (segment % segments)) / segments
    return [
      r * Math.sin(phi) * Math.cos(theta),
      r * Math.sin(phi) * Math.sin(theta),
      r * Math.cos(phi),
    ]
  }
  let o = 84
  const facet = (...corners: [number, number, number][]) => {
    // The normal (first 12 bytes) stays zero; readers recompute it.
    corners.flat().forEach((v, k) => view.setFloat32(o + 12 + 4 * k, v, true))
    o += 50
  }
  for (let ring = 0; ring < rings; ring++) {
    for (let s = 0; s < segments; s++) {
      const a = point(ring, s)
      const b = point(ring + 1, s)
      const c = point(ring + 1, s + 1)
      const d = point(ring, s + 1)
      if (ring > 0) facet(a, b, d)
      if (ring < rings - 1) facet(d, b, c)
    }
  }
  if (o !== out.length) throw new Error(`sphere: wrote ${o} of ${out.length} bytes`)
  return out
}

/** Binary STL; the header starts with "solid" on purpose (exporters do that). */
export function binaryStl(mesh: Mesh, header = 'solid binary file from the tests'): Uint8Array {
  const n = mesh.triangles.length / 3
  const out = new Uint8Array(84 + 50 * n)
  out.set(new TextEncoder().encode(header).subarray(0, 80))
  const view = new DataView(out.buffer)
  view.setUint32(80, n, true)
  for (let t = 0; t < n; t++) {
    const o = 84 + 50 * t
    for (let k = 0; k < 3; k++) {
      const [x, y, z] = corner(mesh, t, k)
      view.setFloat32(o + 12 + 12 * k, x, true)
      view.setFloat32(o + 16 + 12 * k, y, true)
      view.setFloat32(o + 20 + 12 * k, z, true)
    }
  }
  return out
}

/** OBJ with a comment header, normals and texture coordinates to ignore, mixed index forms. */
export function obj(mesh: Mesh): string {
  const lines = ['# test part', 'mtllib part.mtl', 'o part', 'g body', 'usemtl grey', 's off']
  for (let i = 0; i < mesh.vertices.length; i += 3) {
    lines.push(`v ${mesh.vertices[i]} ${mesh.vertices[i + 1]} ${mesh.vertices[i + 2]}`)
  }
  lines.push('vn 0 0 1', 'vt 0.5 0.5')
  const count = mesh.vertices.length / 3
  for (let t = 0; t < mesh.triangles.length / 3; t++) {
    const [a, b, c] = [0, 1, 2].map((k) => mesh.triangles[3 * t + k]! + 1) as [
      number,
      number,
      number,
    ]
    switch (t % 4) {
      case 0:
        lines.push(`f ${a} ${b} ${c}`)
        break
      case 1:
        lines.push(`f ${a}/1 ${b}/1 ${c}/1`)
        break
      case 2:
        lines.push(`f ${a}//1 ${b}//1 ${c}//1`)
        break
      default:
        // Negative indices count back from the last vertex defined so far.
        lines.push(`f ${a - count - 1}/1/1 ${b - count - 1}/1/1 ${c - count - 1}/1/1`)
    }
  }
  return lines.join('\n') + '\n'
}

export function modelXml(
  mesh: Mesh,
  options: { unit?: string; transform?: string; prefix?: string } = {},
): string {
  const p = options.prefix ? `${options.prefix}:` : ''
  const ns = options.prefix
    ? `xmlns:${options.prefix}="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"`
    : 'xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"'
  const vertices: string[] = []
  for (let i = 0; i < mesh.vertices.length; i += 3) {
    // Attribute order varies on purpose.
    vertices.push(
      i % 2
        ? `<${p}vertex z="${mesh.vertices[i + 2]}" x="${mesh.vertices[i]}" y="${mesh.vertices[i + 1]}"/>`
        : `<${p}vertex x="${mesh.vertices[i]}" y="${mesh.vertices[i + 1]}" z="${mesh.vertices[i + 2]}" />`,
    )
  }
  const triangles: string[] = []
  for (let t = 0; t < mesh.triangles.length; t += 3) {
    triangles.push(
      `<${p}triangle v1="${mesh.triangles[t]}" v2="${mesh.triangles[t + 1]}" v3="${mesh.triangles[t + 2]}"/>`,
    )
  }
  const unit = options.unit ? ` unit="${options.unit}"` : ''
  const transform = options.transform ? ` transform="${options.transform}"` : ''
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<!-- generated by the tests -->\n` +
    `<${p}model${unit} xml:lang="en-US" ${ns}>\n<${p}metadata name="Title">part &amp; co</${p}metadata>\n` +
    `<${p}resources>\n<${p}object id="1" type="model">\n<${p}mesh>\n<${p}vertices>\n${vertices.join('\n')}\n</${p}vertices>\n` +
    `<${p}triangles>\n${triangles.join('\n')}\n</${p}triangles>\n</${p}mesh>\n</${p}object>\n</${p}resources>\n` +
    `<${p}build>\n<${p}item objectid="1"${transform}/>\n</${p}build>\n</${p}model>\n`
  )
}

export const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>'

export const ROOT_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>'

export function threeMf(
  files: Record<string, string | Uint8Array>,
  level: 0 | 6 | 9 = 6,
): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  for (const [name, content] of Object.entries(files)) {
    entries[name] = typeof content === 'string' ? strToU8(content) : content
  }
  return zipSync(entries, { level })
}

export function threeMfOf(mesh: Mesh, options: Parameters<typeof modelXml>[1] = {}): Uint8Array {
  return threeMf({
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': ROOT_RELS,
    '3D/3dmodel.model': modelXml(mesh, options),
  })
}

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): {
  dir: string
  write(name: string, data: string | Uint8Array): string
  cleanup(): void
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sf-cad-test-'))
  return {
    dir,
    write(name, data) {
      const file = path.join(dir, name)
      writeFileSync(file, data)
      return file
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

// ---------------------------------------------------------------------------------------
// DXF

/** A DXF from group-code/value pairs per entity; header variables as [name, code, value]. */
export function dxf(
  entities: (string | number)[][],
  header: [string, number, string | number][] = [],
  options: { crlf?: boolean; blocks?: (string | number)[][] } = {},
): string {
  const lines: (string | number)[] = []
  const pair = (code: number, value: string | number) => lines.push(String(code).padStart(3), value)
  pair(999, 'generated by the tests')
  if (header.length) {
    pair(0, 'SECTION')
    pair(2, 'HEADER')
    for (const [name, code, value] of header) {
      pair(9, name)
      pair(code, value)
    }
    pair(0, 'ENDSEC')
  }
  if (options.blocks?.length) {
    pair(0, 'SECTION')
    pair(2, 'BLOCKS')
    for (const block of options.blocks) {
      for (let i = 0; i < block.length; i += 2) pair(Number(block[i]), block[i + 1]!)
    }
    pair(0, 'ENDSEC')
  }
  pair(0, 'SECTION')
  pair(2, 'ENTITIES')
  for (const entity of entities) {
    for (let i = 0; i < entity.length; i += 2) pair(Number(entity[i]), entity[i + 1]!)
  }
  pair(0, 'ENDSEC')
  pair(0, 'EOF')
  return lines.join(options.crlf ? '\r\n' : '\n') + (options.crlf ? '\r\n' : '\n')
}

/** LWPOLYLINE through [x, y, bulge?] vertices. */
export function lwpolyline(
  points: [number, number, number?][],
  closed: boolean,
): (string | number)[] {
  const out: (string | number)[] = [
    0,
    'LWPOLYLINE',
    8,
    'CUT',
    90,
    points.length,
    70,
    closed ? 1 : 0,
  ]
  for (const [x, y, bulge] of points) {
    out.push(10, x, 20, y)
    if (bulge) out.push(42, bulge)
  }
  return out
}

export function circle(x: number, y: number, r: number): (string | number)[] {
  return [0, 'CIRCLE', 8, 'CUT', 10, x, 20, y, 30, 0, 40, r]
}

export function line(x0: number, y0: number, x1: number, y1: number): (string | number)[] {
  return [0, 'LINE', 8, 'CUT', 10, x0, 20, y0, 30, 0, 11, x1, 21, y1, 31, 0]
}

export function arc(
  x: number,
  y: number,
  r: number,
  startDeg: number,
  endDeg: number,
): (string | number)[] {
  return [0, 'ARC', 8, 'CUT', 10, x, 20, y, 30, 0, 40, r, 50, startDeg, 51, endDeg]
}
