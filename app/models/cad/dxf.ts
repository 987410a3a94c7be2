// DXF (ASCII) → cut paths and a sheet analysis, through dxf-parser. Block references are
// expanded, units come from $INSUNITS (unitless = mm), and every piece is transformed to
// millimetres before measuring.
import DxfParser from 'dxf-parser'
import type {
  IArcEntity,
  ICircleEntity,
  IDxf,
  IEllipseEntity,
  IEntity,
  IInsertEntity,
  ILineEntity,
  ILwpolylineEntity,
  IPoint,
  IPolylineEntity,
} from 'dxf-parser'
import { round, unitWarnings } from './mesh.ts'
import {
  Bounds,
  IDENTITY,
  compose,
  extendBounds,
  segmentEnd,
  segmentLength,
  segmentStart,
  transformSegment,
  type Affine,
  type Piece,
  type Segment,
} from './sheet.ts'
import { CadError, type CadWarning, type SheetAnalysis } from './types.ts'

/** Endpoints closer than this (mm) join: one chain, one pierce. */
export const JOIN_TOLERANCE_MM = 0.005
/** Splines are flattened to this chord deviation (mm). */
export const SPLINE_TOLERANCE_MM = 0.001

/** $INSUNITS code → millimetres. */
const INSUNITS_MM: Record<number, number> = {
  1: 25.4,
  2: 304.8,
  3: 1_609_344,
  4: 1,
  5: 10,
  6: 1000,
  7: 1_000_000,
  8: 25.4e-6,
  9: 0.0254,
  10: 914.4,
  11: 1e-7,
  12: 1e-6,
  13: 1e-3,
  14: 100,
  15: 10_000,
  16: 100_000,
  17: 1e12,
  18: 1.495978707e14,
  19: 9.4607304725808e18,
  20: 3.085677581491367e19,
}

const IGNORED_TYPES = new Set(['TEXT', 'MTEXT', 'DIMENSION', 'POINT', 'SOLID', '3DFACE', 'ATTDEF'])

export interface SheetGeometry {
  pieces: Piece[]
  analysis: SheetAnalysis
  bounds: Bounds
  /** Index of each piece's chain, and whether that chain closes. */
  chainOf: Int32Array
  chainClosed: boolean[]
}

interface SplineEntity extends IEntity {
  controlPoints: IPoint[]
  fitPoints: IPoint[]
  knots: number[]
  weights: number[]
  degree: number
  closed: boolean
}

/** dxf-parser drops SPLINE weights (code 41): this handler keeps them. */
class SplineHandler {
  ForEntityName = 'SPLINE' as const
  parseEntity(
    scanner: { next(): { code: number; value: unknown }; isEOF(): boolean },
    current: { code: number; value: unknown },
  ): SplineEntity {
    const entity: SplineEntity = {
      type: String(current.value),
      controlPoints: [],
      fitPoints: [],
      knots: [],
      weights: [],
      degree: 3,
      closed: false,
    } as unknown as SplineEntity
    let curr = scanner.next()
    while (!scanner.isEOF()) {
      if (curr.code === 0) break
      const n = Number(curr.value)
      switch (curr.code) {
        case 10:
          entity.controlPoints.push({ x: n, y: 0, z: 0 })
          break
        case 20:
          if (entity.controlPoints.length)
            entity.controlPoints[entity.controlPoints.length - 1]!.y = n
          break
        case 11:
          entity.fitPoints.push({ x: n, y: 0, z: 0 })
          break
        case 21:
          if (entity.fitPoints.length) entity.fitPoints[entity.fitPoints.length - 1]!.y = n
          break
        case 40:
          entity.knots.push(n)
          break
        case 41:
          entity.weights.push(n)
          break
        case 70:
          entity.closed = (n & 1) === 1
          break
        case 71:
          entity.degree = n
          break
        case 67:
          entity.inPaperSpace = n !== 0
          break
        case 8:
          entity.layer = String(curr.value)
          break
      }
      curr = scanner.next()
    }
    return entity
  }
}

export function parseDxfText(text: string): IDxf {
  if (/^\s*AutoCAD Binary DXF/.test(text.slice(0, 64))) {
    throw new CadError('unsupported', 'binary DXF is not supported: save as ASCII DXF')
  }
  const parser = new DxfParser()
  parser.registerEntityHandler(SplineHandler as never)
  let dxf: IDxf | null
  try {
    dxf = parser.parseSync(text)
  } catch (error) {
    throw new CadError('corrupt', `the DXF file cannot be parsed: ${(error as Error).message}`)
  }
  if (!dxf) throw new CadError('corrupt', 'the DXF file cannot be parsed')
  return dxf
}

interface Collector {
  pieces: Piece[]
  /** Block references expanded so far (nested arrays multiply). */
  inserts: number
  ignored: number
  approximateSplines: number
  maxEntities: number
}

/** Entities of the model space, blocks expanded, in millimetres; then measured. */
export function analyseDxf(dxf: IDxf, maxEntities: number): SheetGeometry {
  const warnings: CadWarning[] = []
  const insunits = Number(dxf.header?.['$INSUNITS'] ?? 0)
  let unit = 1
  if (insunits !== 0) {
    const known = INSUNITS_MM[insunits]
    if (known === undefined) {
      warnings.push({
        code: 'unknown_units',
        message: `Unknown $INSUNITS code ${Number.isFinite(insunits) ? insunits : '?'}: millimetres assumed.`,
      })
    } else {
      unit = known
    }
  }
  const collector: Collector = {
    pieces: [],
    inserts: 0,
    ignored: 0,
    approximateSplines: 0,
    maxEntities,
  }
  const toMm: Affine = { a: unit, b: 0, c: 0, d: unit, e: 0, f: 0 }
  collect(dxf, dxf.entities ?? [], toMm, 0, collector)
  const pieces = collector.pieces
  if (pieces.length === 0) {
    throw new CadError('empty', 'the DXF file has no lines, arcs, circles, polylines or splines')
  }

  const bounds = new Bounds()
  let cutLength = 0
  for (const piece of pieces) {
    for (const s of piece.segments) {
      extendBounds(s, bounds)
      cutLength += segmentLength(s)
    }
  }
  if (
    !Number.isFinite(cutLength) ||
    bounds.empty ||
    !Number.isFinite(bounds.maxX - bounds.minX + bounds.maxY - bounds.minY)
  ) {
    throw new CadError('non_finite', 'the DXF file has non-finite coordinates')
  }
  const { chainOf, chainClosed } = chains(pieces)
  const open = chainClosed.filter((closed) => !closed).length
  if (open) {
    warnings.push({
      code: 'open_contours',
      message: `${open} of ${chainClosed.length} contours are not closed.`,
    })
  }
  if (collector.ignored) {
    warnings.push({
      code: 'ignored_entities',
      message: `${collector.ignored} entities that are not cut paths (text, dimensions, points, solids, 3D faces or meshes) were left out.`,
    })
  }
  if (collector.approximateSplines) {
    warnings.push({
      code: 'approximate_spline',
      message: `${collector.approximateSplines} splines without usable control points were measured along their fit points.`,
    })
  }
  const extents: [number, number] = [bounds.maxX - bounds.minX, bounds.maxY - bounds.minY]
  if (insunits === 0) {
    const largest = Math.max(...extents)
    const hints = unitWarnings(largest)
    if (
      Number(dxf.header?.['$MEASUREMENT']) === 0 &&
      !hints.some((w) => w.code === 'maybe_inches')
    ) {
      hints.unshift({
        code: 'maybe_inches',
        message: `The drawing has no units and imperial measurement ($MEASUREMENT 0); the largest dimension is ${round(largest)}: if it was drawn in inches, scale by 25.4.`,
      })
    }
    warnings.push(...hints)
  }
  return {
    pieces,
    bounds,
    chainOf,
    chainClosed,
    analysis: {
      kind: 'sheet',
      extentsMm: extents,
      cutLengthMm: cutLength,
      pierces: chainClosed.length,
      entities: pieces.length,
      warnings,
    },
  }
}

function add(collector: Collector, piece: Piece | undefined, m: Affine): void {
  if (!piece || piece.segments.length === 0) return
  if (collector.pieces.length >= collector.maxEntities) {
    throw new CadError('too_complex', `more than the ${collector.maxEntities} entities allowed`)
  }
  collector.pieces.push({
    closed: piece.closed,
    segments: piece.segments.map((s) => transformSegment(s, m)),
  })
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function point(p: IPoint | undefined): [number, number] {
  if (!p) throw new CadError('corrupt', 'an entity without its coordinates')
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
    throw new CadError('non_finite', 'the DXF file has non-finite coordinates')
  }
  return [p.x, p.y]
}

/** Object coordinate system with extrusion (0, 0, −1): x is mirrored (arbitrary axis rule). */
function ocs(z: unknown): Affine {
  return typeof z === 'number' && z < 0 ? { a: -1, b: 0, c: 0, d: 1, e: 0, f: 0 } : IDENTITY
}

function sweepBetween(start: number, end: number): number {
  const sweep = (((end - start) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)
  return sweep <= 1e-12 ? 2 * Math.PI : sweep
}

function collect(dxf: IDxf, entities: IEntity[], m: Affine, depth: number, out: Collector): void {
  for (const entity of entities) {
    if (entity.inPaperSpace) continue
    switch (entity.type) {
      case 'LINE': {
        const e = entity as ILineEntity
        const [x0, y0] = point(e.vertices?.[0])
        const [x1, y1] = point(e.vertices?.[1])
        if (x0 === x1 && y0 === y1) break
        add(out, { closed: false, segments: [{ kind: 'line', x0, y0, x1, y1 }] }, m)
        break
      }
      case 'LWPOLYLINE': {
        const e = entity as ILwpolylineEntity
        add(
          out,
          polyline(e.vertices ?? [], e.shape === true),
          compose(ocs(e.extrusionDirectionZ), m),
        )
        break
      }
      case 'POLYLINE': {
        const e = entity as IPolylineEntity
        if (e.is3dPolygonMesh || e.isPolyfaceMesh) {
          out.ignored++
          break
        }
        const vertices = (e.vertices ?? []).filter((v) => !v.splineControlPoint)
        add(out, polyline(vertices, e.shape === true), compose(ocs(e.extrusionDirection?.z), m))
        break
      }
      case 'ARC':
      case 'CIRCLE': {
        const e = entity as IArcEntity | ICircleEntity
        const [cx, cy] = point(e.center)
        const r = num(e.radius)
        if (!(r > 0)) break
        const full = entity.type === 'CIRCLE'
        const t0 = full ? 0 : num(e.startAngle)
        const sweep = full ? 2 * Math.PI : sweepBetween(t0, num(e.endAngle))
        const z = (e as IArcEntity).extrusionDirectionZ
        add(
          out,
          {
            closed: full || sweep === 2 * Math.PI,
            segments: [{ kind: 'conic', cx, cy, ux: r, uy: 0, vx: 0, vy: r, t0, sweep }],
          },
          compose(ocs(z), m),
        )
        break
      }
      case 'ELLIPSE': {
        const e = entity as IEllipseEntity
        const [cx, cy] = point(e.center)
        const [ux, uy] = point(e.majorAxisEndPoint)
        const ratio = num(e.axisRatio, 1)
        if (!(ux !== 0 || uy !== 0) || !(ratio > 0)) break
        const t0 = num(e.startAngle)
        const end = num(e.endAngle, 2 * Math.PI)
        const sweep = sweepBetween(t0, end)
        add(
          out,
          {
            closed: sweep === 2 * Math.PI,
            segments: [
              { kind: 'conic', cx, cy, ux, uy, vx: -uy * ratio, vy: ux * ratio, t0, sweep },
            ],
          },
          m,
        )
        break
      }
      case 'SPLINE':
        add(out, spline(entity as SplineEntity, m, out), IDENTITY)
        break
      case 'INSERT': {
        const e = entity as IInsertEntity
        const block = dxf.blocks?.[e.name]
        if (!block || depth >= 16) break
        const [bx, by] = block.position ? point(block.position) : [0, 0]
        const [px, py] = point(e.position ?? { x: 0, y: 0, z: 0 })
        const sx = num(e.xScale, 1)
        const sy = num(e.yScale, 1)
        const angle = (num(e.rotation) * Math.PI) / 180
        const cos = Math.cos(angle)
        const sin = Math.sin(angle)
        const columns = Math.max(1, Math.min(1000, Math.floor(num(e.columnCount, 1))))
        const rows = Math.max(1, Math.min(1000, Math.floor(num(e.rowCount, 1))))
        for (let row = 0; row < rows; row++) {
          for (let column = 0; column < columns; column++) {
            if (++out.inserts > out.maxEntities) {
              throw new CadError('too_complex', `more than ${out.maxEntities} block insertions`)
            }
            // Array offsets run along the insert's rotated axes.
            const ox = column * num(e.columnSpacing)
            const oy = row * num(e.rowSpacing)
            const local: Affine = {
              a: cos * sx,
              b: sin * sx,
              c: -sin * sy,
              d: cos * sy,
              e: px + cos * ox - sin * oy - (cos * sx * bx - sin * sy * by),
              f: py + sin * ox + cos * oy - (sin * sx * bx + cos * sy * by),
            }
            const placed = compose(compose(local, ocs(e.extrusionDirection?.z)), m)
            collect(dxf, block.entities ?? [], placed, depth + 1, out)
          }
        }
        break
      }
      default:
        if (IGNORED_TYPES.has(entity.type)) out.ignored++
        else if ((entity as IPolylineEntity).is3dPolygonMesh) out.ignored++
    }
  }
}

interface BulgeVertex {
  x: number
  y: number
  bulge?: number
}

/** Polyline with bulges: bulge = tan(θ/4), θ the signed included angle of the arc. */
function polyline(vertices: BulgeVertex[], closed: boolean): Piece | undefined {
  const n = vertices.length
  if (n < 2) return undefined
  const segments: Segment[] = []
  const count = closed ? n : n - 1
  for (let i = 0; i < count; i++) {
    const p = vertices[i]!
    const q = vertices[(i + 1) % n]!
    const [x0, y0] = point({ x: p.x, y: p.y, z: 0 })
    const [x1, y1] = point({ x: q.x, y: q.y, z: 0 })
    if (x0 === x1 && y0 === y1) continue
    const bulge = num(p.bulge)
    if (bulge === 0) {
      segments.push({ kind: 'line', x0, y0, x1, y1 })
      continue
    }
    const theta = 4 * Math.atan(bulge)
    const dx = x1 - x0
    const dy = y1 - y0
    const chord = Math.hypot(dx, dy)
    const r = chord / (2 * Math.sin(Math.abs(theta) / 2))
    // Centre: from the chord midpoint along its left normal by (chord/2)·cot(θ/2).
    const k = (1 - bulge * bulge) / (4 * bulge)
    const cx = (x0 + x1) / 2 - dy * k
    const cy = (y0 + y1) / 2 + dx * k
    const t0 = Math.atan2(y0 - cy, x0 - cx)
    segments.push({ kind: 'conic', cx, cy, ux: r, uy: 0, vx: 0, vy: r, t0, sweep: theta })
  }
  return segments.length ? { segments, closed } : undefined
}

/** NURBS evaluation (de Boor, homogeneous) flattened adaptively in millimetres. */
function spline(e: SplineEntity, m: Affine, out: Collector): Piece | undefined {
  const degree = Math.floor(e.degree)
  const control = e.controlPoints.map((p) => point(p))
  const knots = e.knots
  const n = control.length
  const usable =
    degree >= 1 &&
    degree <= 11 &&
    n > degree &&
    knots.length === n + degree + 1 &&
    knots.every((k, i) => Number.isFinite(k) && (i === 0 || k >= knots[i - 1]!))
  if (!usable) {
    const fit = e.fitPoints.length >= 2 ? e.fitPoints.map((p) => point(p)) : control
    if (fit.length < 2) return undefined
    out.approximateSplines++
    const points: number[] = []
    for (const [x, y] of fit) points.push(m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f)
    return { closed: e.closed, segments: [{ kind: 'poly', points }] }
  }
  const weights = e.weights.length === n && e.weights.every((w) => w > 0) ? e.weights : undefined
  // NURBS are affine-invariant: transform the control points, then flatten in mm.
  const cx = control.map(([x, y]) => m.a * x + m.c * y + m.e)
  const cy = control.map(([x, y]) => m.b * x + m.d * y + m.f)
  const evaluate = (t: number): [number, number] => {
    let span = degree
    while (span < n - 1 && knots[span + 1]! <= t) span++
    const dx: number[] = []
    const dy: number[] = []
    const dw: number[] = []
    for (let j = 0; j <= degree; j++) {
      const i = span - degree + j
      const w = weights ? weights[i]! : 1
      dx.push(cx[i]! * w)
      dy.push(cy[i]! * w)
      dw.push(w)
    }
    for (let r = 1; r <= degree; r++) {
      for (let j = degree; j >= r; j--) {
        const i = span - degree + j
        const denominator = knots[i + degree - r + 1]! - knots[i]!
        const alpha = denominator === 0 ? 0 : (t - knots[i]!) / denominator
        dx[j] = (1 - alpha) * dx[j - 1]! + alpha * dx[j]!
        dy[j] = (1 - alpha) * dy[j - 1]! + alpha * dy[j]!
        dw[j] = (1 - alpha) * dw[j - 1]! + alpha * dw[j]!
      }
    }
    return [dx[degree]! / dw[degree]!, dy[degree]! / dw[degree]!]
  }
  const points: number[] = []
  const [sx, sy] = evaluate(knots[degree]!)
  points.push(sx, sy)
  const refine = (
    t0: number,
    p0: [number, number],
    t1: number,
    p1: [number, number],
    depth: number,
  ) => {
    const tm = (t0 + t1) / 2
    const pm = evaluate(tm)
    const q1 = evaluate((t0 + tm) / 2)
    const q3 = evaluate((tm + t1) / 2)
    const flat =
      deviation(pm, p0, p1) <= SPLINE_TOLERANCE_MM &&
      deviation(q1, p0, p1) <= SPLINE_TOLERANCE_MM &&
      deviation(q3, p0, p1) <= SPLINE_TOLERANCE_MM
    if (flat || depth >= 18) {
      points.push(p1[0], p1[1])
      return
    }
    refine(t0, p0, tm, pm, depth + 1)
    refine(tm, pm, t1, p1, depth + 1)
  }
  // Every knot span separately (curvature can jump at knots), in 4 starting pieces.
  for (let i = degree; i < n; i++) {
    const a = knots[i]!
    const b = knots[i + 1]!
    if (!(b > a)) continue
    let t = a
    let p = evaluate(a + 1e-15 * (b - a))
    for (let k = 1; k <= 4; k++) {
      const u = k === 4 ? b - 1e-15 * (b - a) : a + ((b - a) * k) / 4
      const q = evaluate(u)
      refine(t, p, u, q, 0)
      t = u
      p = q
    }
  }
  if (points.length < 4) return undefined
  return { closed: e.closed, segments: [{ kind: 'poly', points }] }
}

function deviation(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length = Math.hypot(dx, dy)
  if (length === 0) return Math.hypot(p[0] - a[0], p[1] - a[1])
  return Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / length
}

/**
 * Chains: pieces whose endpoints lie within JOIN_TOLERANCE_MM are one contour. A chain is
 * closed when every junction has an even number of piece ends (closed pieces have none).
 */
function chains(pieces: Piece[]): { chainOf: Int32Array; chainClosed: boolean[] } {
  const parent = new Int32Array(pieces.length)
  for (let i = 0; i < parent.length; i++) parent[i] = i
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  // Endpoints of open pieces, clustered on a grid of tolerance-sized cells.
  const tol = JOIN_TOLERANCE_MM
  const grid = new Map<string, number[]>()
  const nodeX: number[] = []
  const nodeY: number[] = []
  const nodePiece: number[] = []
  const nodeDegree: number[] = []
  const endpointNode = (x: number, y: number, piece: number): void => {
    const gx = Math.floor(x / tol)
    const gy = Math.floor(y / tol)
    let found = -1
    for (let dx = -1; dx <= 1 && found < 0; dx++) {
      for (let dy = -1; dy <= 1 && found < 0; dy++) {
        for (const node of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
          if (Math.hypot(nodeX[node]! - x, nodeY[node]! - y) <= tol) {
            found = node
            break
          }
        }
      }
    }
    if (found < 0) {
      found = nodeX.length
      nodeX.push(x)
      nodeY.push(y)
      nodePiece.push(piece)
      nodeDegree.push(0)
      const key = `${gx},${gy}`
      const cell = grid.get(key)
      if (cell) cell.push(found)
      else grid.set(key, [found])
    } else {
      const a = find(piece)
      const b = find(nodePiece[found]!)
      if (a !== b) parent[a] = b
    }
    nodeDegree[found]!++
  }
  pieces.forEach((piece, i) => {
    if (piece.closed) return
    const first = piece.segments[0]!
    const last = piece.segments[piece.segments.length - 1]!
    const [x0, y0] = segmentStart(first)
    const [x1, y1] = segmentEnd(last)
    endpointNode(x0, y0, i)
    endpointNode(x1, y1, i)
  })
  const index = new Map<number, number>()
  const chainOf = new Int32Array(pieces.length)
  const chainClosed: boolean[] = []
  for (let i = 0; i < pieces.length; i++) {
    const root = find(i)
    let chain = index.get(root)
    if (chain === undefined) {
      chain = chainClosed.length
      index.set(root, chain)
      chainClosed.push(true)
    }
    chainOf[i] = chain
  }
  for (let node = 0; node < nodeX.length; node++) {
    if (nodeDegree[node]! % 2 === 1) chainClosed[chainOf[nodePiece[node]!]!] = false
  }
  return { chainOf, chainClosed }
}
