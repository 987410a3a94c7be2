import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { CadFormatColumn, JobFilesTable } from '../../db/schema.ts'
import type { Selectable } from 'kysely'
import { scaleAnalysis, sniffCadFormat, type CadAnalysis, type CadWarning } from './cad/index.ts'
import { ForbiddenError, NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import type { UploadedPart } from './file.server.ts'
import { putUpload, type FileStorage } from './storage.server.ts'
import { enqueueAnalysis } from './job.server.ts'
import type { AccountView } from './user.server.ts'

// CAD files (job_files): streamed to storage, the format decided from the content, then
// analysed by the cad__analyse task. Analyses are stored as measured (file units) and shown
// scaled by the file's `units` (a file drawn in inches is rescaled on request).

/** Bytes read from the start of an upload to decide its format. */
const SNIFF_BYTES = 512
export const INCH_MM = 25.4

export interface StoredCadUpload {
  storageKey: string
  originalName: string
  format: CadFormatColumn
  size: number
  sha256: string
}

/**
 * Streams one CAD upload into storage, hashing on the way and stopping at `maxBytes`; a
 * file that is not STL, 3MF, OBJ, STEP or DXF by its content is removed and refused.
 */
export async function storeCadUpload(
  storage: FileStorage,
  part: UploadedPart,
  options: { organizationId: string; maxBytes: number },
): Promise<StoredCadUpload> {
  const storageKey = `cad/${options.organizationId}/${randomUUID()}`
  const stored = await putUpload(storage, storageKey, part.data, {
    maxBytes: options.maxBytes,
    headBytes: SNIFF_BYTES,
  })
  const format = stored.size === 0 ? undefined : sniffCadFormat(stored.head, stored.size)
  if (!format) {
    await storage.delete(storageKey)
    throw new RuleViolationError(
      stored.size === 0 ? 'file_empty' : 'cad_format',
      stored.size === 0 ? 'The file is empty' : 'Not a CAD file we take (STL, 3MF, OBJ, STEP, DXF)',
      { field: 'file' },
    )
  }
  const originalName = (part.filename || `part.${format}`).replace(/[\\/\0]/g, '_').slice(-200)
  return { storageKey, originalName, format, size: stored.size, sha256: stored.sha256 }
}

/** Records a stored CAD upload and queues its analysis, in one transaction. */
export async function recordCadFile(tx: Tx, actor: AccountView, upload: StoredCadUpload) {
  if (actor.organization.kind !== 'design_firm') {
    throw new ForbiddenError('Only design firms upload CAD files')
  }
  const row = await tx
    .insertInto('job_files')
    .values({
      organization_id: actor.organization.id,
      uploaded_by: actor.user.id,
      storage_key: upload.storageKey,
      original_name: upload.originalName,
      format: upload.format,
      size_bytes: upload.size,
      sha256: upload.sha256,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await enqueueAnalysis(tx, row.id)
  return row
}

export type CadFileRow = Selectable<JobFilesTable>

/** One of the actor's organisation's CAD files, or 404. */
export async function getOwnCadFile(db: Db | Tx, actor: AccountView, fileId: string) {
  const row = await db
    .selectFrom('job_files')
    .selectAll()
    .where('id', '=', fileId)
    .where('organization_id', '=', actor.organization.id)
    .executeTakeFirst()
  if (!row) throw new NotFoundError('No such file')
  return row
}

/**
 * Sets the units a file was drawn in (the analysis is shown rescaled). Only while the file is
 * not on a job past draft: an open job's geometry is what workshops quoted on.
 */
export async function setCadFileUnits(
  tx: Tx,
  actor: AccountView,
  fileId: string,
  units: 'mm' | 'inch',
) {
  const file = await tx
    .selectFrom('job_files')
    .leftJoin('job_parts', 'job_parts.file_id', 'job_files.id')
    .leftJoin('jobs', 'jobs.id', 'job_parts.job_id')
    .select(['job_files.id', 'jobs.status'])
    .where('job_files.id', '=', fileId)
    .where('job_files.organization_id', '=', actor.organization.id)
    .forUpdate('job_files')
    .executeTakeFirst()
  if (!file) throw new NotFoundError('No such file')
  if (file.status && file.status !== 'draft') {
    throw new StateConflictError('job_not_draft', 'Only a draft job can be changed')
  }
  await tx.updateTable('job_files').set({ units }).where('id', '=', fileId).execute()
}

/** Files never attached to a job, older than a day: an abandoned upload. */
export async function deleteOrphanCadFiles(db: Db, olderThanHours = 24) {
  return db
    .deleteFrom('job_files')
    .where('id', 'not in', (eb) => eb.selectFrom('job_parts').select('file_id'))
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${olderThanHours})`)
    .returning(['storage_key', 'preview_key', 'thumbnail_key', 'svg_key'])
    .execute()
}

/** The analysis as measured, in file units, or null while pending/failed. */
export function storedAnalysis(row: Pick<CadFileRow, 'analysis'>): CadAnalysis | null {
  return (row.analysis as CadAnalysis | null) ?? null
}

/** The analysis in mm: as measured, scaled from inches when the file is marked so. */
export function analysisInMm(row: Pick<CadFileRow, 'analysis' | 'units'>): CadAnalysis | null {
  const analysis = storedAnalysis(row)
  if (!analysis) return null
  return row.units === 'inch' ? scaleAnalysis(analysis, INCH_MM) : analysis
}

/** Does the analysis suggest the file was drawn in inches (and may want rescaling)? */
export function maybeInches(row: Pick<CadFileRow, 'analysis'>): boolean {
  const analysis = storedAnalysis(row)
  return Boolean(analysis?.warnings.some((w: CadWarning) => w.code === 'maybe_inches'))
}
