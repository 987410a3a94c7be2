import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { sql } from 'kysely'
import type { JobHelpers } from 'graphile-worker'
import { analyseInThread, CadError } from '../../app/models/cad/index.ts'
import { isNotFoundError } from '../../app/models/errors.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/** A CAD analysis that takes longer is stopped and reported as too complex. */
export const ANALYSIS_TIMEOUT_MS = Number(process.env.CAD_ANALYSIS_TIMEOUT_MS ?? 120_000)
/** How far a 3MF (a zip) may unpack; read per task so an operator can change it. */
function maxUncompressedBytes() {
  return Number(process.env.CAD_MAX_UNCOMPRESSED_MB ?? 1024) * 1024 * 1024
}
/** Derived objects (previews) are ours, never user input; this only guards against bugs. */
const DERIVED_MAX_BYTES = 1024 * 1024 * 1024

async function* once(bytes: Uint8Array) {
  yield bytes
}

function isCadError(error: unknown): error is CadError {
  return error instanceof CadError || (error as { name?: unknown })?.name === 'CadError'
}

/**
 * Measures an uploaded CAD file in a worker thread and stores its previews. Idempotent: a
 * file no longer pending (done, failed, deleted) is left alone. A file we cannot read fails
 * with a message for the designer; an unexpected error is retried, and fails on the last try.
 */
export async function cadAnalyse(
  rawPayload: unknown,
  deps: Pick<TaskDeps, 'db' | 'storage' | 'logger'>,
  helpers?: Pick<JobHelpers, 'job'>,
): Promise<void> {
  const { fileId } = taskPayloads.cad__analyse.parse(rawPayload)
  const file = await deps.db
    .selectFrom('job_files')
    .select(['id', 'storage_key', 'format', 'analysis_status'])
    .where('id', '=', fileId)
    .executeTakeFirst()
  if (!file || file.analysis_status !== 'pending') return

  const fail = (code: string, message: string) =>
    deps.db
      .updateTable('job_files')
      .set({
        analysis_status: 'failed',
        analysis_error_code: code,
        analysis_error: message,
        analysed_at: sql<Date>`now()`,
      })
      .where('id', '=', fileId)
      .where('analysis_status', '=', 'pending')
      .execute()

  const dir = await mkdtemp(path.join(os.tmpdir(), 'sf-cad-'))
  const derived: string[] = []
  try {
    const input = path.join(dir, `input.${file.format}`)
    try {
      const { stream } = await deps.storage.get(file.storage_key)
      await pipeline(stream, createWriteStream(input))
    } catch (error) {
      if (isNotFoundError(error)) {
        await fail('missing', 'The uploaded file is missing from storage')
        return
      }
      throw error
    }
    let result
    try {
      result = await analyseInThread(input, file.format, {
        timeoutMs: ANALYSIS_TIMEOUT_MS,
        maxUncompressedBytes: maxUncompressedBytes(),
      })
    } catch (error) {
      if (isCadError(error)) {
        await fail(error.code, error.message)
        return
      }
      const job = helpers?.job
      if (job && job.attempts >= job.max_attempts) {
        deps.logger.error({ err: error, fileId }, 'CAD analysis failed on its last attempt')
        await fail('internal', 'The file could not be analysed')
        return
      }
      throw error
    }
    const put = async (suffix: string, bytes: Uint8Array | undefined) => {
      if (!bytes) return null
      const key = `${file.storage_key}.${suffix}`
      await deps.storage.put(key, once(bytes), { maxBytes: DERIVED_MAX_BYTES })
      derived.push(key)
      return key
    }
    const previewKey = await put('preview.stl', result.previewStl)
    const thumbnailKey = await put('thumb.png', result.thumbnailPng)
    const svgKey = await put(
      'preview.svg',
      result.svg ? Buffer.from(result.svg, 'utf8') : undefined,
    )
    const updated = await deps.db
      .updateTable('job_files')
      .set({
        analysis_status: 'done',
        analysis: result.analysis as unknown as Record<string, unknown>,
        analysis_error_code: null,
        analysis_error: null,
        analysed_at: sql<Date>`now()`,
        preview_key: previewKey,
        thumbnail_key: thumbnailKey,
        svg_key: svgKey,
      })
      .where('id', '=', fileId)
      .where('analysis_status', '=', 'pending')
      .executeTakeFirst()
    // Deleted (or analysed by another worker) meanwhile: our previews belong to nothing.
    if (!updated.numUpdatedRows) await Promise.all(derived.map((k) => deps.storage.delete(k)))
  } catch (error) {
    await Promise.all(derived.map((k) => deps.storage.delete(k).catch(() => undefined)))
    throw error
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
