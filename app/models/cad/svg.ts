// SVG of the cut paths for the 2D preview. Built from numbers only — nothing from the
// file (layer names, text) reaches the markup — so it is safe to inline.
import type { SheetGeometry } from './dxf.ts'
import { conicPoint, flattenSegment, isCircular, segmentStart, type Segment } from './sheet.ts'

/** Fixed precision, no exponent, no "-0". */
function fmt(v: number): string {
  let s = v.toFixed(4)
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return s === '-0' || s === '' ? '0' : s
}

export function sheetSvg(geometry: SheetGeometry): string {
  const b = geometry.bounds
  const width = b.maxX - b.minX
  const height = b.maxY - b.minY
  const size = Math.max(width, height, 1e-3)
  const margin = size * 0.03
  const stroke = size * 0.004
  const tolerance = size * 1e-4
  // y flipped: the file's y goes up, SVG's goes down.
  const viewBox = [b.minX - margin, -b.maxY - margin, width + 2 * margin, height + 2 * margin]
  const paths: string[] = []
  for (const piece of geometry.pieces) {
    const d: string[] = []
    let penX = Number.NaN
    let penY = Number.NaN
    const moveTo = (x: number, y: number) => {
      // Same point as printed (segment ends recomputed from angles differ in the last bits).
      if (fmt(x) !== fmt(penX) || fmt(y) !== fmt(penY)) d.push(`M${fmt(x)} ${fmt(-y)}`)
      penX = x
      penY = y
    }
    for (const s of piece.segments) {
      const [sx, sy] = segmentStart(s)
      moveTo(sx, sy)
      if (s.kind === 'conic' && isCircular(s)) {
        d.push(arcCommands(s))
        const [ex, ey] = conicPoint(s, s.t0 + s.sweep)
        penX = ex
        penY = ey
      } else {
        const points: number[] = []
        flattenSegment(s as Segment, tolerance, points)
        for (let i = 2; i < points.length; i += 2)
          d.push(`L${fmt(points[i]!)} ${fmt(-points[i + 1]!)}`)
        penX = points[points.length - 2]!
        penY = points[points.length - 1]!
      }
    }
    if (piece.closed) d.push('Z')
    paths.push(d.join(''))
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox.map(fmt).join(' ')}">` +
    `<path fill="none" stroke="#1f4e8c" stroke-width="${fmt(stroke)}" stroke-linecap="round" ` +
    `stroke-linejoin="round" d="${paths.join('')}"/></svg>`
  )
}

/** A circular arc as SVG "A" commands of at most half a turn each. */
function arcCommands(s: Extract<Segment, { kind: 'conic' }>): string {
  const r = Math.hypot(s.ux, s.uy)
  // Travel is counter-clockwise (y up) when u × v and the sweep have the same sign; with y
  // flipped that is SVG's sweep-flag 0.
  const ccw = (s.ux * s.vy - s.uy * s.vx) * s.sweep > 0
  const pieces = Math.max(2, Math.ceil(Math.abs(s.sweep) / Math.PI))
  const out: string[] = []
  for (let k = 1; k <= pieces; k++) {
    const [x, y] = conicPoint(s, s.t0 + (s.sweep * k) / pieces)
    out.push(`A${fmt(r)} ${fmt(r)} 0 0 ${ccw ? 0 : 1} ${fmt(x)} ${fmt(-y)}`)
  }
  return out.join('')
}
