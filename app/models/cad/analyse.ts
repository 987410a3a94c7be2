// analyseCadFile: file on disk → analysis + previews. Runs in the calling thread; use
// analyseInThread (thread.ts) for a time limit.
import { open, readFile } from 'node:fs/promises'
import { decimateSoup, PREVIEW_MAX_TRIANGLES } from './decimate.ts'
import { analyseDxf, parseDxfText } from './dxf.ts'
import { measureMesh, type TriangleSoup } from './mesh.ts'
import { parseObj } from './obj.ts'
import { renderMeshThumbnail, renderSheetThumbnail } from './render.ts'
import { readStep } from './step.ts'
import {
  isBinaryStlSize,
  looksLikeAsciiStl,
  parseAsciiStl,
  readBinaryStl,
  writeBinaryStl,
} from './stl.ts'
import { sheetSvg } from './svg.ts'
import { readThreeMf } from './threemf.ts'
import {
  CadError,
  DEFAULT_MAX_TRIANGLES,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type CadAnalysis,
  type CadFormat,
  type CadOptions,
  type CadResult,
  type CadWarning,
} from './types.ts'

export interface CadTimings {
  /** Reading and parsing the file into triangles / paths. */
  parseMs: number
  /** Volume, area, box, watertightness (or the sheet measures). */
  measureMs: number
  /** Thumbnail, preview STL, SVG. */
  previewMs: number
}

/** Analyses a file on disk whose format was sniffed; also renders the previews. */
export async function analyseCadFile(
  path: string,
  format: CadFormat,
  options: CadOptions = {},
): Promise<CadResult> {
  return (await analyseCadFileTimed(path, format, options)).result
}

/** analyseCadFile with the time spent in each stage (for the benchmark and logs). */
export async function analyseCadFileTimed(
  path: string,
  format: CadFormat,
  options: CadOptions = {},
): Promise<{ result: CadResult; timings: CadTimings }> {
  const maxTriangles = options.maxTriangles ?? DEFAULT_MAX_TRIANGLES
  const maxUncompressedBytes = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES
  let started = performance.now()
  const lap = () => {
    const now = performance.now()
    const ms = now - started
    started = now
    return ms
  }

  if (format === 'dxf') {
    const text = await readFile(path, 'latin1')
    const dxf = parseDxfText(text)
    const parseMs = lap()
    const geometry = analyseDxf(dxf, maxTriangles)
    const measureMs = lap()
    const result: CadResult = {
      analysis: geometry.analysis,
      thumbnailPng: renderSheetThumbnail(geometry),
      svg: sheetSvg(geometry),
    }
    return { result, timings: { parseMs, measureMs, previewMs: lap() } }
  }

  let soup: TriangleSoup
  let unitsDeclared = false
  let warnings: CadWarning[] = []
  let binaryStl = false
  switch (format) {
    case 'stl': {
      const { head, size } = await readHead(path)
      if (isBinaryStlSize(head, size)) {
        binaryStl = true
        soup = await readBinaryStl(path, maxTriangles)
      } else if (looksLikeAsciiStl(head)) {
        soup = parseAsciiStl(await readFile(path), maxTriangles)
      } else if (size < 84) {
        throw new CadError('truncated', `a ${size}-byte file is too short for a binary STL`)
      } else {
        const n = new DataView(head.buffer, head.byteOffset).getUint32(80, true)
        throw new CadError(
          'truncated',
          `binary STL header announces ${n} facets (${84 + 50 * n} bytes) but the file has ${size} bytes`,
        )
      }
      break
    }
    case 'obj':
      soup = parseObj(await readFile(path), maxTriangles)
      break
    case '3mf': {
      const read = await readThreeMf(path, { maxUncompressedBytes, maxTriangles })
      soup = read
      warnings = read.warnings
      unitsDeclared = true
      break
    }
    case 'step':
      soup = await readStep(path, maxTriangles)
      unitsDeclared = true
      break
    default:
      throw new CadError('unsupported', `format ${String(format)}`)
  }
  const parseMs = lap()
  const { analysis, orientation } = measureMesh(soup, { unitsDeclared, warnings })
  const measureMs = lap()
  const result: CadResult = { analysis, thumbnailPng: renderMeshThumbnail(soup, orientation) }
  if (!binaryStl) {
    const preview =
      soup.triangles > PREVIEW_MAX_TRIANGLES ? decimateSoup(soup, PREVIEW_MAX_TRIANGLES) : soup
    result.previewStl = writeBinaryStl(
      preview.positions,
      preview.triangles,
      'shared-factory preview, mm',
    )
  }
  return { result, timings: { parseMs, measureMs, previewMs: lap() } }
}

async function readHead(path: string): Promise<{ head: Uint8Array; size: number }> {
  const file = await open(path, 'r')
  try {
    const { size } = await file.stat()
    const head = Buffer.alloc(Math.min(size, 512))
    await file.read(head, 0, head.length, 0)
    return { head, size }
  } finally {
    await file.close()
  }
}

/**
 * The analysis in other units (inch → mm is 25.4): lengths × k, areas × k², volumes × k³.
 * Size-based unit hints (maybe_inches, maybe_meters) are dropped: scaling answers them.
 */
export function scaleAnalysis(a: CadAnalysis, factor: number): CadAnalysis {
  if (!(Number.isFinite(factor) && factor > 0)) throw new RangeError('scale factor must be > 0')
  const warnings = a.warnings.filter((w) => w.code !== 'maybe_inches' && w.code !== 'maybe_meters')
  if (a.kind === 'sheet') {
    return {
      ...a,
      extentsMm: [a.extentsMm[0] * factor, a.extentsMm[1] * factor],
      cutLengthMm: a.cutLengthMm * factor,
      warnings,
    }
  }
  return {
    ...a,
    volumeMm3: a.volumeMm3 * factor ** 3,
    surfaceAreaMm2: a.surfaceAreaMm2 * factor ** 2,
    bboxMm: [a.bboxMm[0] * factor, a.bboxMm[1] * factor, a.bboxMm[2] * factor],
    bboxMinMm: [a.bboxMinMm[0] * factor, a.bboxMinMm[1] * factor, a.bboxMinMm[2] * factor],
    warnings,
  }
}
