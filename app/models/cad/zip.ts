// Just enough ZIP for 3MF: the central directory (zip64 included) and a bounded inflate.
// A zip bomb must not allocate: declared sizes are checked against the budget before
// anything is inflated, and inflating stops as soon as the output passes the declared
// size (a lying header) — fflate's streaming Inflate fed 16 KB at a time, so one step
// produces at most ~16 MB whatever the ratio.
import { crc32 } from 'node:zlib'
import { Inflate } from 'fflate'
import { CadError } from './types.ts'

export interface ZipEntry {
  name: string
  method: number
  flags: number
  crc: number
  compressedSize: number
  uncompressedSize: number
  localHeaderOffset: number
}

/** Deflate cannot do better than ~1032:1; a declared ratio above this is a lie or a bomb. */
export const MAX_RATIO = 1100
const FEED = 16 * 1024

const utf8 = new TextDecoder('utf-8')

function u64(view: DataView, offset: number): number {
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 2 ** 32
}

/** Entries of the central directory; throws `corrupt` when there is none. */
export function readZipDirectory(buf: Uint8Array): ZipEntry[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const len = buf.length
  let eocd = -1
  for (let i = len - 22; i >= Math.max(0, len - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new CadError('corrupt', 'not a complete ZIP archive (no central directory)')
  let count = view.getUint16(eocd + 10, true)
  let cdOffset = view.getUint32(eocd + 16, true)
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) {
      throw new CadError('corrupt', 'ZIP64 archive without its end-of-directory locator')
    }
    const z64 = u64(view, locator + 8)
    if (z64 + 56 > len || view.getUint32(z64, true) !== 0x06064b50) {
      throw new CadError('corrupt', 'ZIP64 end of central directory not found')
    }
    count = u64(view, z64 + 32)
    cdOffset = u64(view, z64 + 48)
  }
  const entries: ZipEntry[] = []
  let p = cdOffset
  for (let k = 0; k < count; k++) {
    if (p + 46 > len || view.getUint32(p, true) !== 0x02014b50) {
      throw new CadError('corrupt', 'damaged ZIP central directory')
    }
    const flags = view.getUint16(p + 8, true)
    const method = view.getUint16(p + 10, true)
    const crc = view.getUint32(p + 16, true)
    let compressedSize = view.getUint32(p + 20, true)
    let uncompressedSize = view.getUint32(p + 24, true)
    const nameLength = view.getUint16(p + 28, true)
    const extraLength = view.getUint16(p + 30, true)
    const commentLength = view.getUint16(p + 32, true)
    let localHeaderOffset = view.getUint32(p + 42, true)
    // Names only serve lookups and messages: long ones are cut.
    const name = utf8.decode(buf.subarray(p + 46, p + 46 + Math.min(nameLength, 200)))
    // Zip64 extended information: present fields follow the order below.
    let e = p + 46 + nameLength
    const extraEnd = e + extraLength
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true)
      const size = view.getUint16(e + 2, true)
      if (id === 0x0001) {
        let q = e + 4
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = u64(view, q)
          q += 8
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(view, q)
          q += 8
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(view, q)
      }
      e += 4 + size
    }
    entries.push({
      name,
      method,
      flags,
      crc,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    })
    p = extraEnd + commentLength
  }
  return entries
}

export interface InflateBudget {
  /** Bytes that may still be inflated. */
  remaining: number
  /** The limit, for messages. */
  limit: number
}

/** Rejects entries whose declared size does not fit the budget or whose ratio is absurd. */
export function checkDeclaredSize(entry: ZipEntry, budget: InflateBudget): void {
  if (entry.uncompressedSize > budget.remaining) {
    throw new CadError(
      'zip_bomb',
      `${entry.name} would inflate to ${entry.uncompressedSize} bytes, over the ${budget.limit}-byte limit`,
    )
  }
  if (
    entry.method === 8 &&
    entry.uncompressedSize > 1_000_000 &&
    entry.uncompressedSize > MAX_RATIO * Math.max(1, entry.compressedSize)
  ) {
    throw new CadError(
      'zip_bomb',
      `${entry.name} claims a compression ratio of ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}:1`,
    )
  }
}

/** Inflates one entry, never past its declared size nor the budget. */
export function extractEntry(buf: Uint8Array, entry: ZipEntry, budget: InflateBudget): Uint8Array {
  if (entry.flags & 1) throw new CadError('unsupported', `${entry.name} is encrypted`)
  if (entry.method !== 0 && entry.method !== 8) {
    throw new CadError('unsupported', `${entry.name} uses ZIP compression method ${entry.method}`)
  }
  checkDeclaredSize(entry, budget)
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const h = entry.localHeaderOffset
  if (h + 30 > buf.length || view.getUint32(h, true) !== 0x04034b50) {
    throw new CadError('corrupt', `${entry.name}: damaged ZIP local header`)
  }
  const dataStart = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true)
  const dataEnd = dataStart + entry.compressedSize
  if (dataEnd > buf.length) throw new CadError('corrupt', `${entry.name} is cut short`)
  const compressed = buf.subarray(dataStart, dataEnd)

  let out: Uint8Array
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw new CadError('corrupt', `${entry.name}: stored entry with two different sizes`)
    }
    out = compressed
  } else {
    out = new Uint8Array(entry.uncompressedSize)
    let written = 0
    let finished = false
    const inflater = new Inflate((chunk, final) => {
      if (written + chunk.length > out.length) {
        throw new CadError(
          'zip_bomb',
          `${entry.name} inflates past its declared ${entry.uncompressedSize} bytes`,
        )
      }
      out.set(chunk, written)
      written += chunk.length
      if (final) finished = true
    })
    try {
      for (let o = 0; o < compressed.length; o += FEED) {
        const end = Math.min(compressed.length, o + FEED)
        inflater.push(compressed.subarray(o, end), end === compressed.length)
      }
      if (compressed.length === 0) inflater.push(new Uint8Array(0), true)
    } catch (error) {
      if (error instanceof CadError) throw error
      throw new CadError('corrupt', `${entry.name}: ${(error as Error).message}`)
    }
    if (!finished || written !== entry.uncompressedSize) {
      throw new CadError(
        'corrupt',
        `${entry.name} inflates to ${written} bytes, not ${entry.uncompressedSize}`,
      )
    }
  }
  if (crc32(out) >>> 0 !== entry.crc >>> 0) {
    throw new CadError('corrupt', `${entry.name} fails its CRC check`)
  }
  budget.remaining -= out.length
  return out
}
