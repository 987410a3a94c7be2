import { analysisInMm, maybeInches, type CadFileRow } from '../models/cad-file.server.ts'

/** What a page shows of a CAD part: the analysis in mm, and where its previews are. */
export function partView(f: CadFileRow) {
  const a = f.analysis_status === 'done' ? analysisInMm(f) : null
  return {
    id: f.id,
    name: f.original_name,
    format: f.format,
    sizeBytes: f.size_bytes,
    units: f.units,
    status: f.analysis_status,
    errorCode: f.analysis_error_code,
    error: f.analysis_error,
    analysis: a,
    maybeInches: f.analysis_status === 'done' && maybeInches(f),
    hasThumbnail: f.thumbnail_key !== null,
    hasPreview: f.analysis_status === 'done' && a?.kind === 'mesh',
    hasSvg: f.svg_key !== null,
  }
}

export type PartView = ReturnType<typeof partView>
