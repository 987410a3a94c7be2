// An 8-bit RGB PNG from raw pixels: node:zlib deflate + CRC32, no canvas, no native deps.
import { crc32, deflateSync } from 'node:zlib'

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)) >>> 0)
  return out
}

/** `rgb`: width × height × 3 bytes, rows top to bottom. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  if (rgb.length !== width * height * 3) throw new RangeError('pixel buffer size mismatch')
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolour
  // compression, filter, interlace: 0
  // Filter "Sub" on every row: flat-shaded areas become runs of zeros.
  const stride = width * 3
  const raw = new Uint8Array((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1)
    const src = y * stride
    raw[row] = 1
    for (let i = 0; i < stride; i++) {
      const left = i >= 3 ? rgb[src + i - 3]! : 0
      raw[row + 1 + i] = (rgb[src + i]! - left) & 0xff
    }
  }
  // Level 6: 10 % bigger than 9 for a thumbnail, and 8× faster (~10 ms vs ~75 ms).
  const idat = deflateSync(raw, { level: 6 })
  const parts = [
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
