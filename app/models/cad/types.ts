// Shared types of the CAD analysis library. Pure data: no fs, no workers.

export type CadFormat = 'stl' | '3mf' | 'obj' | 'step' | 'dxf'

/**
 * Something the designer should know about the file. `message` is English for logs and
 * operators; the app translates by `code`, so the codes below are stable:
 *
 * Meshes (STL, OBJ, 3MF, STEP):
 * - `not_watertight`   some edges are not shared by exactly two triangles of opposite
 *                      orientation (holes, flipped or non-manifold faces): volume unreliable.
 * - `maybe_inches`     no units in the file (STL/OBJ, unitless DXF) and the largest dimension
 *                      is ≤ 12 mm: the part was perhaps drawn in inches (× 25.4).
 * - `maybe_meters`     no units in the file and the largest dimension is < 1 mm: perhaps
 *                      drawn in metres (× 1000).
 * - `degenerate_triangles` zero-area triangles (two corners at the same point) were skipped
 *                      for the watertightness check.
 * - `ignored_objects`  3MF objects of type support/other were left out.
 * Sheets (DXF):
 * - `open_contours`    some chains of entities do not close: a cut path is open.
 * - `ignored_entities` entities that are not cut paths (text, dimensions, points, solids,
 *                      3D faces, 3D/mesh polylines) were left out.
 * - `unknown_units`    $INSUNITS holds a code we do not know: millimetres assumed.
 * - `approximate_spline` a spline given only by fit points: measured along its fit points.
 */
export interface CadWarning {
  code: CadWarningCode
  message: string
}

export type CadWarningCode =
  | 'not_watertight'
  | 'maybe_inches'
  | 'maybe_meters'
  | 'degenerate_triangles'
  | 'ignored_objects'
  | 'open_contours'
  | 'ignored_entities'
  | 'unknown_units'
  | 'approximate_spline'

export interface MeshAnalysis {
  kind: 'mesh'
  /** |Σ signed tetrahedra| over all triangles; file units assumed mm unless declared. */
  volumeMm3: number
  /** Σ triangle areas. */
  surfaceAreaMm2: number
  /** Extents x, y, z. */
  bboxMm: [number, number, number]
  bboxMinMm: [number, number, number]
  triangles: number
  /** Every edge shared by exactly two triangles with opposite orientation, after welding
   * vertices with identical coordinates (zero-area triangles skipped). */
  watertight: boolean
  warnings: CadWarning[]
}

export interface SheetAnalysis {
  kind: 'sheet'
  /** Width, height of all cut geometry. */
  extentsMm: [number, number]
  /** Total length of the cut paths (lines, polylines with bulges, arcs, circles, ellipses,
   * splines). Exact for everything but splines, which are flattened to a chord deviation
   * ≤ 0.001 mm, and ellipses, integrated numerically to ~1e-12 relative. */
  cutLengthMm: number
  /** Connected chains of entities (endpoints within 0.005 mm join): one pierce each. */
  pierces: number
  /** Cut entities counted (after expanding block references). */
  entities: number
  warnings: CadWarning[]
}

export type CadAnalysis = MeshAnalysis | SheetAnalysis

/**
 * Why a file could not be analysed. Codes (stable, translated by the app):
 * - `truncated`    binary STL whose size is not 84 + 50·n for the n in its header.
 * - `empty`        no triangles / no cut entities.
 * - `non_finite`   NaN or infinite coordinates.
 * - `corrupt`      cannot be parsed (syntax, bad indices, zip without a 3D model part…).
 * - `zip_bomb`     3MF that would inflate past the limit, or with an absurd ratio.
 * - `unsupported`  a variant we do not read (binary DXF, encrypted/zip64-split 3MF…).
 * - `timeout`      analysis took longer than allowed (analyseInThread).
 * - `too_complex`  more triangles or entities than allowed.
 */
export type CadErrorCode =
  | 'truncated'
  | 'empty'
  | 'non_finite'
  | 'corrupt'
  | 'zip_bomb'
  | 'unsupported'
  | 'timeout'
  | 'too_complex'

export const CAD_ERROR_CODES: readonly CadErrorCode[] = [
  'truncated',
  'empty',
  'non_finite',
  'corrupt',
  'zip_bomb',
  'unsupported',
  'timeout',
  'too_complex',
]

export class CadError extends Error {
  constructor(
    readonly code: CadErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'CadError'
  }
}

export function isCadErrorCode(value: unknown): value is CadErrorCode {
  return typeof value === 'string' && (CAD_ERROR_CODES as readonly string[]).includes(value)
}

export interface CadOptions {
  /** 3MF: most bytes inflated in total (default 1 GiB). */
  maxUncompressedBytes?: number
  /** Most triangles (meshes) or cut entities (DXF) accepted (default 5,000,000). */
  maxTriangles?: number
}

export interface CadResult {
  analysis: CadAnalysis
  /** Mesh formats other than binary STL: a binary STL of the triangles in mm for the
   * three.js preview (vertex-clustered down to ~1M triangles when larger). */
  previewStl?: Uint8Array
  /** 256×256 PNG thumbnail. */
  thumbnailPng: Uint8Array
  /** DXF only: SVG of the cut paths (viewBox in mm, y up), generated from numbers only. */
  svg?: string
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 2 ** 30
export const DEFAULT_MAX_TRIANGLES = 5_000_000
