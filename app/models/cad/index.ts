// Pure CAD analysis (no database, no HTTP): sniff the format, measure the geometry,
// render previews. Used by the file-analysis task through analyseInThread.
export {
  CadError,
  DEFAULT_MAX_TRIANGLES,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type CadAnalysis,
  type CadErrorCode,
  type CadFormat,
  type CadOptions,
  type CadResult,
  type CadWarning,
  type CadWarningCode,
  type MeshAnalysis,
  type SheetAnalysis,
} from './types.ts'
export { SNIFF_BYTES, sniffCadFormat } from './sniff.ts'
export { analyseCadFile, analyseCadFileTimed, scaleAnalysis, type CadTimings } from './analyse.ts'
export {
  analyseInThread,
  closeCadThreads,
  DEFAULT_TIMEOUT_MS,
  type ThreadOptions,
} from './thread.ts'
