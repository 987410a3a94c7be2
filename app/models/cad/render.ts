// Thumbnails without canvas or native code: a software z-buffer rasteriser (flat-shaded
// isometric view) for meshes and a scanline fill + stroke for sheets, both drawn at 2×
// and box-filtered down, then encoded with png.ts.
import type { SheetGeometry } from './dxf.ts'
import type { TriangleSoup } from './mesh.ts'
import { encodePng } from './png.ts'
import { flattenPiece } from './sheet.ts'

export const THUMBNAIL_SIZE = 256
const SUPERSAMPLE = 2
const BACKGROUND = [244, 246, 249] as const
// The part: mid blue-grey, from PART_DARK (in shadow) to PART_LIGHT (facing the light).
const PART_DARK = [40, 60, 92] as const
const PART_LIGHT = [150, 180, 220] as const
const AMBIENT = 0.35
const SHEET_FILL = [197, 214, 236] as const
const SHEET_STROKE = [31, 78, 140] as const
const MARGIN = 0.08

// Isometric camera, z up: looking from (+1, −1, +1) towards the origin.
const VIEW = normalise([1, -1, 1]) // towards the viewer
const RIGHT = normalise([1, 1, 0])
const UP = normalise([-1, 1, 2])
// Light from above, front-left (world coordinates): in the isometric view the top is the
// lightest, the front (left) face mid and the right face darkest, like a drawing.
const LIGHT = normalise([-0.25, -0.5, 0.83])

function normalise(v: [number, number, number]): [number, number, number] {
  const l = Math.hypot(v[0], v[1], v[2])
  return [v[0] / l, v[1] / l, v[2] / l]
}

/**
 * Flat-shaded isometric render of a mesh, every triangle. `orientation` (+1 outward, −1
 * inward, from a watertight mesh's signed volume) lets faces turned away be skipped;
 * 0 renders both sides.
 */
export function renderMeshThumbnail(
  soup: TriangleSoup,
  orientation: -1 | 0 | 1 = 0,
  size = THUMBNAIL_SIZE,
): Uint8Array {
  const W = size * SUPERSAMPLE
  const p = soup.positions
  const n = soup.triangles * 9
  // Screen axes scaled to pixels: x right, y down, depth towards the viewer.
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  for (let i = 0; i < n; i += 3) {
    const x = p[i]!
    const y = p[i + 1]!
    const z = p[i + 2]!
    const sx = x * RIGHT[0] + y * RIGHT[1] + z * RIGHT[2]
    const sy = x * UP[0] + y * UP[1] + z * UP[2]
    if (sx < minX) minX = sx
    if (sx > maxX) maxX = sx
    if (sy < minY) minY = sy
    if (sy > maxY) maxY = sy
  }
  const scale = (W * (1 - 2 * MARGIN)) / (Math.max(maxX - minX, maxY - minY) || 1)
  const ox = W / 2 - ((minX + maxX) / 2) * scale
  const oy = W / 2 + ((minY + maxY) / 2) * scale
  const rx = RIGHT[0] * scale
  const ry = RIGHT[1] * scale
  const rz = RIGHT[2] * scale
  const ux = -UP[0] * scale
  const uy = -UP[1] * scale
  const uz = -UP[2] * scale
  const [vx, vy, vz] = VIEW
  const [lx, ly, lz] = LIGHT

  const depth = new Float64Array(W * W).fill(-Infinity)
  const shade = new Uint8Array(W * W) // 0 = background, 1..255 = lit part
  for (let i = 0; i < n; i += 9) {
    const ax = p[i]!
    const ay = p[i + 1]!
    const az = p[i + 2]!
    const bx = p[i + 3]!
    const by = p[i + 4]!
    const bz = p[i + 5]!
    const cx = p[i + 6]!
    const cy = p[i + 7]!
    const cz = p[i + 8]!
    const x0 = ax * rx + ay * ry + az * rz + ox
    const y0 = ax * ux + ay * uy + az * uz + oy
    const x1 = bx * rx + by * ry + bz * rz + ox
    const y1 = bx * ux + by * uy + bz * uz + oy
    const x2 = cx * rx + cy * ry + cz * rz + ox
    const y2 = cx * ux + cy * uy + cz * uz + oy
    // Screen y points down, so a face towards the viewer (counter-clockwise seen from
    // outside) has a negative screen area.
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    if (area === 0 || area * orientation > 0) continue
    const xa = Math.max(0, Math.ceil((x0 < x1 ? (x0 < x2 ? x0 : x2) : x1 < x2 ? x1 : x2) - 0.5))
    const xb = Math.min(
      W - 1,
      Math.floor((x0 > x1 ? (x0 > x2 ? x0 : x2) : x1 > x2 ? x1 : x2) - 0.5),
    )
    if (xa > xb) continue
    const ya = Math.max(0, Math.ceil((y0 < y1 ? (y0 < y2 ? y0 : y2) : y1 < y2 ? y1 : y2) - 0.5))
    const yb = Math.min(
      W - 1,
      Math.floor((y0 > y1 ? (y0 > y2 ? y0 : y2) : y1 > y2 ? y1 : y2) - 0.5),
    )
    if (ya > yb) continue
    const z0 = ax * vx + ay * vy + az * vz
    const z1 = bx * vx + by * vy + bz * vz
    const z2 = cx * vx + cy * vy + cz * vz
    const ex = bx - ax
    const ey = by - ay
    const ez = bz - az
    const fx = cx - ax
    const fy = cy - ay
    const fz = cz - az
    const nx = ey * fz - ez * fy
    const ny = ez * fx - ex * fz
    const nz = ex * fy - ey * fx
    const nl = Math.sqrt(nx * nx + ny * ny + nz * nz)
    const cos = nl > 0 ? (nx * lx + ny * ly + nz * lz) / nl : 0.5
    // Known orientation: one-sided Lambert (faces away from the light stay dark); else
    // two-sided, so flipped faces still look solid.
    const lambert = orientation === 0 ? Math.abs(cos) : Math.max(0, cos * orientation)
    const level = Math.round(1 + 254 * (AMBIENT + (1 - AMBIENT) * lambert))
    const inv = 1 / area
    for (let y = ya; y <= yb; y++) {
      const py = y + 0.5
      const row = y * W
      for (let x = xa; x <= xb; x++) {
        const px = x + 0.5
        // Barycentric weights; inclusive edges so shared edges leave no cracks.
        const w0 = ((x1 - px) * (y2 - py) - (x2 - px) * (y1 - py)) * inv
        const w1 = ((x2 - px) * (y0 - py) - (x0 - px) * (y2 - py)) * inv
        const w2 = 1 - w0 - w1
        if (w0 < 0 || w1 < 0 || w2 < 0) continue
        const z = w0 * z0 + w1 * z1 + w2 * z2
        const k = row + x
        if (z > depth[k]!) {
          depth[k] = z
          shade[k] = level
        }
      }
    }
  }
  return encodePng(
    size,
    size,
    downsample(W, size, (k, out, o) => {
      const s = shade[k]!
      if (s === 0) {
        out[o]! += BACKGROUND[0]
        out[o + 1]! += BACKGROUND[1]
        out[o + 2]! += BACKGROUND[2]
      } else {
        const f = (s - 1) / 254
        out[o]! += PART_DARK[0] + (PART_LIGHT[0] - PART_DARK[0]) * f
        out[o + 1]! += PART_DARK[1] + (PART_LIGHT[1] - PART_DARK[1]) * f
        out[o + 2]! += PART_DARK[2] + (PART_LIGHT[2] - PART_DARK[2]) * f
      }
    }),
  )
}

/** Averages SUPERSAMPLE² samples per output pixel; `sample` adds one sample's RGB. */
function downsample(
  W: number,
  size: number,
  sample: (k: number, out: Float64Array, o: number) => void,
): Uint8Array {
  const acc = new Float64Array(size * size * 3)
  for (let y = 0; y < W; y++) {
    const oy = Math.floor(y / SUPERSAMPLE) * size
    for (let x = 0; x < W; x++) sample(y * W + x, acc, (oy + Math.floor(x / SUPERSAMPLE)) * 3)
  }
  const rgb = new Uint8Array(size * size * 3)
  const n = SUPERSAMPLE * SUPERSAMPLE
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(acc[i]! / n)
  return rgb
}

/** The sheet: closed contours filled (even-odd), every path stroked. */
export function renderSheetThumbnail(geometry: SheetGeometry, size = THUMBNAIL_SIZE): Uint8Array {
  const W = size * SUPERSAMPLE
  const b = geometry.bounds
  const span = Math.max(b.maxX - b.minX, b.maxY - b.minY) || 1
  const scale = (W * (1 - 2 * MARGIN)) / span
  const offsetX = W / 2 - ((b.minX + b.maxX) / 2) * scale
  const offsetY = W / 2 + ((b.minY + b.maxY) / 2) * scale
  const tolerance = 0.25 / scale
  const lines = geometry.pieces.map((piece) => {
    const points = flattenPiece(piece, tolerance)
    for (let i = 0; i < points.length; i += 2) {
      points[i] = points[i]! * scale + offsetX
      points[i + 1] = offsetY - points[i + 1]! * scale
    }
    return points
  })
  const pixel = new Uint8Array(W * W) // 0 background, 1 fill, 2 stroke

  // Even-odd scanline fill over the edges of closed chains; edge order does not matter.
  const crossings: number[][] = Array.from({ length: W }, () => [])
  lines.forEach((points, index) => {
    if (!geometry.chainClosed[geometry.chainOf[index]!]) return
    for (let i = 2; i < points.length; i += 2) {
      let xa = points[i - 2]!
      let ya = points[i - 1]!
      let xb = points[i]!
      let yb = points[i + 1]!
      if (ya === yb) continue
      if (ya > yb) {
        ;[xa, xb] = [xb, xa]
        ;[ya, yb] = [yb, ya]
      }
      const from = Math.max(0, Math.ceil(ya - 0.5))
      const to = Math.min(W - 1, Math.ceil(yb - 0.5) - 1)
      for (let y = from; y <= to; y++) {
        const py = y + 0.5
        crossings[y]!.push(xa + ((py - ya) / (yb - ya)) * (xb - xa))
      }
    }
  })
  for (let y = 0; y < W; y++) {
    const xs = crossings[y]!.sort((m, n) => m - n)
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const from = Math.max(0, Math.ceil(xs[k]! - 0.5))
      const to = Math.min(W - 1, Math.floor(xs[k + 1]! - 0.5))
      for (let x = from; x <= to; x++) pixel[y * W + x] = 1
    }
  }

  // Strokes ~1.5 output pixels wide: every pixel within half a width of a segment.
  const half = 0.75 * SUPERSAMPLE
  for (const points of lines) {
    for (let i = 2; i < points.length; i += 2) {
      const xa = points[i - 2]!
      const ya = points[i - 1]!
      const xb = points[i]!
      const yb = points[i + 1]!
      const dx = xb - xa
      const dy = yb - ya
      const ll = dx * dx + dy * dy
      const x0 = Math.max(0, Math.floor(Math.min(xa, xb) - half))
      const x1 = Math.min(W - 1, Math.ceil(Math.max(xa, xb) + half))
      const y0 = Math.max(0, Math.floor(Math.min(ya, yb) - half))
      const y1 = Math.min(W - 1, Math.ceil(Math.max(ya, yb) + half))
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5 - xa
          const py = y + 0.5 - ya
          const t = ll > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / ll)) : 0
          const ex = px - t * dx
          const ey = py - t * dy
          if (ex * ex + ey * ey <= half * half) pixel[y * W + x] = 2
        }
      }
    }
  }
  return encodePng(
    size,
    size,
    downsample(W, size, (k, out, o) => {
      const v = pixel[k]!
      const c = v === 2 ? SHEET_STROKE : v === 1 ? SHEET_FILL : BACKGROUND
      out[o]! += c[0]
      out[o + 1]! += c[1]
      out[o + 2]! += c[2]
    }),
  )
}
