// 2D cut geometry: lines, elliptical/circular arcs, flattened curves. Arcs are kept as
// p(t) = c + u·cos t + v·sin t, which any affine map (block insert, units, OCS mirror)
// sends to the same form, so transforms stay exact and so do lengths.

export interface Line {
  kind: 'line'
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface Conic {
  kind: 'conic'
  cx: number
  cy: number
  ux: number
  uy: number
  vx: number
  vy: number
  t0: number
  /** Signed: positive runs t upwards. |sweep| ≤ 2π. */
  sweep: number
}

export interface Poly {
  kind: 'poly'
  /** x0, y0, x1, y1, … */
  points: number[]
}

export type Segment = Line | Conic | Poly

/** One DXF entity (after block expansion): a connected run of segments. */
export interface Piece {
  segments: Segment[]
  closed: boolean
}

/** x' = a·x + c·y + e, y' = b·x + d·y + f (SVG's matrix order). */
export interface Affine {
  a: number
  b: number
  c: number
  d: number
  e: number
  f: number
}

export const IDENTITY: Affine = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }

/** First m, then n. */
export function compose(m: Affine, n: Affine): Affine {
  return {
    a: n.a * m.a + n.c * m.b,
    b: n.b * m.a + n.d * m.b,
    c: n.a * m.c + n.c * m.d,
    d: n.b * m.c + n.d * m.d,
    e: n.a * m.e + n.c * m.f + n.e,
    f: n.b * m.e + n.d * m.f + n.f,
  }
}

export function isIdentity(m: Affine): boolean {
  return m.a === 1 && m.b === 0 && m.c === 0 && m.d === 1 && m.e === 0 && m.f === 0
}

export function transformSegment(s: Segment, m: Affine): Segment {
  switch (s.kind) {
    case 'line':
      return {
        kind: 'line',
        x0: m.a * s.x0 + m.c * s.y0 + m.e,
        y0: m.b * s.x0 + m.d * s.y0 + m.f,
        x1: m.a * s.x1 + m.c * s.y1 + m.e,
        y1: m.b * s.x1 + m.d * s.y1 + m.f,
      }
    case 'conic':
      return {
        kind: 'conic',
        cx: m.a * s.cx + m.c * s.cy + m.e,
        cy: m.b * s.cx + m.d * s.cy + m.f,
        ux: m.a * s.ux + m.c * s.uy,
        uy: m.b * s.ux + m.d * s.uy,
        vx: m.a * s.vx + m.c * s.vy,
        vy: m.b * s.vx + m.d * s.vy,
        t0: s.t0,
        sweep: s.sweep,
      }
    case 'poly': {
      const p = s.points
      const points = new Array<number>(p.length)
      for (let i = 0; i < p.length; i += 2) {
        points[i] = m.a * p[i]! + m.c * p[i + 1]! + m.e
        points[i + 1] = m.b * p[i]! + m.d * p[i + 1]! + m.f
      }
      return { kind: 'poly', points }
    }
  }
}

export function conicPoint(s: Conic, t: number): [number, number] {
  const c = Math.cos(t)
  const n = Math.sin(t)
  return [s.cx + s.ux * c + s.vx * n, s.cy + s.uy * c + s.vy * n]
}

/** A circle (not just an ellipse): u ⊥ v and |u| = |v|, to rounding. */
export function isCircular(s: Conic): boolean {
  const uu = s.ux * s.ux + s.uy * s.uy
  const vv = s.vx * s.vx + s.vy * s.vy
  const uv = s.ux * s.vx + s.uy * s.vy
  return Math.abs(uu - vv) <= 1e-12 * (uu + vv) && Math.abs(uv) <= 1e-12 * (uu + vv)
}

export function segmentStart(s: Segment): [number, number] {
  if (s.kind === 'line') return [s.x0, s.y0]
  if (s.kind === 'conic') return conicPoint(s, s.t0)
  return [s.points[0]!, s.points[1]!]
}

export function segmentEnd(s: Segment): [number, number] {
  if (s.kind === 'line') return [s.x1, s.y1]
  if (s.kind === 'conic') return conicPoint(s, s.t0 + s.sweep)
  const n = s.points.length
  return [s.points[n - 2]!, s.points[n - 1]!]
}

// 10-point Gauss–Legendre on [−1, 1].
const GL_X = [
  -0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472,
  -0.1488743389816312, 0.1488743389816312, 0.4333953941292472, 0.6794095682990244,
  0.8650633666889845, 0.9739065285171717,
]
const GL_W = [
  0.0666713443086881, 0.1494513491505806, 0.219086362515982, 0.2692667193099963, 0.2955242247147529,
  0.2955242247147529, 0.2692667193099963, 0.219086362515982, 0.1494513491505806, 0.0666713443086881,
]

export function segmentLength(s: Segment): number {
  switch (s.kind) {
    case 'line':
      return Math.hypot(s.x1 - s.x0, s.y1 - s.y0)
    case 'poly': {
      let length = 0
      const p = s.points
      for (let i = 2; i < p.length; i += 2)
        length += Math.hypot(p[i]! - p[i - 2]!, p[i + 1]! - p[i - 1]!)
      return length
    }
    case 'conic': {
      if (isCircular(s)) return Math.hypot(s.ux, s.uy) * Math.abs(s.sweep)
      // |p'(t)| = |−u sin t + v cos t| is smooth: Gauss–Legendre on π/32 pieces gives
      // ~1e-12 relative even for very flat ellipses.
      const pieces = Math.max(1, Math.ceil(Math.abs(s.sweep) / (Math.PI / 32)))
      const h = s.sweep / pieces
      let length = 0
      for (let k = 0; k < pieces; k++) {
        const mid = s.t0 + (k + 0.5) * h
        for (let i = 0; i < GL_X.length; i++) {
          const t = mid + (GL_X[i]! * h) / 2
          const sin = Math.sin(t)
          const cos = Math.cos(t)
          length += GL_W[i]! * Math.hypot(-s.ux * sin + s.vx * cos, -s.uy * sin + s.vy * cos)
        }
      }
      return (length * Math.abs(h)) / 2
    }
  }
}

/** Exact bounding box: conic extremes where dx/dt or dy/dt vanish inside the sweep. */
export function extendBounds(s: Segment, box: Bounds): void {
  switch (s.kind) {
    case 'line':
      box.add(s.x0, s.y0)
      box.add(s.x1, s.y1)
      return
    case 'poly':
      for (let i = 0; i < s.points.length; i += 2) box.add(s.points[i]!, s.points[i + 1]!)
      return
    case 'conic': {
      const [x0, y0] = segmentStart(s)
      const [x1, y1] = segmentEnd(s)
      box.add(x0, y0)
      box.add(x1, y1)
      for (const base of [Math.atan2(s.vx, s.ux), Math.atan2(s.vy, s.uy)]) {
        for (let k = -4; k <= 4; k++) {
          const t = base + k * Math.PI
          const into = s.sweep >= 0 ? t - s.t0 : s.t0 - t
          if (into >= 0 && into <= Math.abs(s.sweep)) {
            const [x, y] = conicPoint(s, t)
            box.add(x, y)
          }
        }
      }
      return
    }
  }
}

export class Bounds {
  minX = Infinity
  minY = Infinity
  maxX = -Infinity
  maxY = -Infinity
  add(x: number, y: number): void {
    if (x < this.minX) this.minX = x
    if (x > this.maxX) this.maxX = x
    if (y < this.minY) this.minY = y
    if (y > this.maxY) this.maxY = y
  }
  get empty(): boolean {
    return this.minX > this.maxX
  }
}

/**
 * Appends points along the segment (its start point included) so that the chord deviation
 * stays ≤ `tolerance`.
 */
export function flattenSegment(s: Segment, tolerance: number, out: number[]): void {
  switch (s.kind) {
    case 'line':
      out.push(s.x0, s.y0, s.x1, s.y1)
      return
    case 'poly':
      for (const v of s.points) out.push(v)
      return
    case 'conic': {
      // Sagitta of a chord over angle θ on radius r: r(1 − cos θ/2) ≤ tol.
      const r = Math.max(Math.hypot(s.ux, s.uy), Math.hypot(s.vx, s.vy))
      const step =
        r <= tolerance ? Math.PI / 2 : Math.min(Math.PI / 8, 2 * Math.acos(1 - tolerance / r))
      const n = Math.min(100_000, Math.max(2, Math.ceil(Math.abs(s.sweep) / step)))
      for (let k = 0; k <= n; k++) {
        const [x, y] = conicPoint(s, s.t0 + (s.sweep * k) / n)
        out.push(x, y)
      }
      return
    }
  }
}

/** The whole piece as one polyline. */
export function flattenPiece(piece: Piece, tolerance: number): number[] {
  const out: number[] = []
  for (const s of piece.segments) flattenSegment(s, tolerance, out)
  return out
}
