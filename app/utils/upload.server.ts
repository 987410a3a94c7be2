import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node'
import type { AppContext } from '../context.ts'
import type { Tx } from '../../db/client.ts'
import { RateLimitedError, RuleViolationError } from '../models/errors.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { storeUpload, type StoredUpload, type UploadedPart } from '../models/file.server.ts'
import { storeCadUpload, type StoredCadUpload } from '../models/cad-file.server.ts'
import { ApiError, toApiError } from './api.server.ts'

/** The name of the file input every upload form uses. */
export const FILE_FIELD = 'file'

// Text fields of an upload form are short (intent, purpose, ids).
const MAX_TEXT_PART_BYTES = 16 * 1024

export interface Parsed<T> {
  /** The text fields; the file itself is not in here. */
  formData: FormData
  /** The stored file, when one arrived and its content was accepted. */
  upload?: T
  /**
   * Why the file was refused (file_too_large, file_type, file_empty, …, or rate_limited: too
   * many uploads by this user or from this IP); nothing is kept.
   */
  error?: RuleViolationError | RateLimitedError
}
export type ParsedUpload = Parsed<StoredUpload>

/** Stores the file part; gets the text fields that came before it. */
type Store<T> = (part: UploadedPart, fields: FormData) => Promise<T>

export function isMultipart(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')
}

async function drain(data: AsyncIterable<Uint8Array>) {
  // Reading the rest of a refused part keeps the parser from buffering it in memory.
  for await (const _chunk of data) {
    /* discard */
  }
}

/** Counts an upload against the user's and the IP's limits; the refusal, if over either. */
async function uploadRefusal(
  context: AppContext,
  userId: string,
): Promise<RateLimitedError | undefined> {
  try {
    await enforceRateLimits(
      context.db,
      context.settings.rateLimits,
      [
        ['uploadUser', userId],
        ['uploadIp', context.clientIp],
      ],
      { field: FILE_FIELD },
    )
    return undefined
  } catch (error) {
    if (error instanceof RateLimitedError) return error
    throw error
  }
}

/**
 * Parses a multipart form, streaming the part named `file` through `store` and keeping the
 * other parts as text. A refused file is reported in `error`, never thrown, so the page can
 * show it; a body that cannot be read is a 400 (413 for an oversized text field). An upload
 * over the rate limits of `userId` or the client's IP is refused before anything is stored.
 */
async function parseMultipart<T extends { storageKey: string }>(
  request: Request,
  context: AppContext,
  userId: string,
  store: Store<T>,
): Promise<Parsed<T>> {
  const fields = new FormData()
  let upload: T | undefined
  let error: RuleViolationError | RateLimitedError | undefined = await uploadRefusal(
    context,
    userId,
  )
  // A storage failure is ours (500), not a malformed request (400).
  let failure: unknown

  const fileHandler: UploadHandler = async (part) => {
    if (part.name !== FILE_FIELD) return undefined
    if (upload || error) {
      await drain(part.data)
      return ''
    }
    try {
      upload = await store({ filename: part.filename ?? '', data: part.data }, fields)
    } catch (caught) {
      if (!(caught instanceof RuleViolationError)) {
        failure = caught
        throw caught
      }
      error = caught
      await drain(part.data)
    }
    return ''
  }
  const textHandler = unstable_createMemoryUploadHandler({
    maxPartSize: MAX_TEXT_PART_BYTES,
    filter: ({ filename }) => filename === undefined,
  })
  const collectText: UploadHandler = async (part) => {
    const value = await textHandler(part)
    if (typeof value === 'string') fields.append(part.name, value)
    else if (value === undefined || value === null) await drain(part.data)
    return value
  }

  try {
    await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(fileHandler, collectText),
    )
  } catch (caught) {
    if (upload) await context.storage.delete(upload.storageKey)
    if (failure) throw failure
    if (caught instanceof MaxPartSizeExceededError) {
      throw new Response('Payload too large', { status: 413 })
    }
    context.logger.warn({ err: caught }, 'unreadable multipart body')
    throw new Response('Bad request', { status: 400 })
  }
  if (!upload && !error) {
    error = new RuleViolationError('file_empty', 'No file was sent', { field: FILE_FIELD })
  }
  return { formData: fields, upload, error }
}

/**
 * A document or photo upload (PDF or image, checked by content). `imagesOnly` may depend on
 * the form's other fields (e.g. `purpose`); it is checked again once every field has arrived.
 */
export async function parseUploadForm(
  request: Request,
  context: AppContext,
  options: {
    organizationId: string
    /** Who uploads, for the per-user rate limit. */
    userId: string
    imagesOnly?: boolean | ((fields: FormData) => boolean)
  },
): Promise<ParsedUpload> {
  const imagesOnly = (form: FormData) =>
    typeof options.imagesOnly === 'function'
      ? options.imagesOnly(form)
      : Boolean(options.imagesOnly)
  const parsed = await parseMultipart(request, context, options.userId, (part, fields) =>
    storeUpload(context.storage, part, {
      organizationId: options.organizationId,
      maxBytes: context.settings.maxUploadBytes,
      imagesOnly: imagesOnly(fields),
    }),
  )
  if (
    parsed.upload &&
    imagesOnly(parsed.formData) &&
    parsed.upload.contentType === 'application/pdf'
  ) {
    await context.storage.delete(parsed.upload.storageKey)
    return {
      formData: parsed.formData,
      error: new RuleViolationError('file_type', 'Only images here', { field: FILE_FIELD }),
    }
  }
  return parsed
}

/** A CAD part upload (STL, 3MF, OBJ, STEP, DXF by content), streamed to storage. */
export function parseCadUploadForm(
  request: Request,
  context: AppContext,
  options: { organizationId: string; userId: string },
): Promise<Parsed<StoredCadUpload>> {
  return parseMultipart(request, context, options.userId, (part) =>
    storeCadUpload(context.storage, part, {
      organizationId: options.organizationId,
      maxBytes: context.settings.maxUploadBytes,
    }),
  )
}

/**
 * Records a stored upload in a transaction; when that fails (a rule, a stale resource id),
 * the stored bytes are removed too, so nothing is half-kept.
 */
export async function recordUpload<T>(
  context: AppContext,
  upload: { storageKey: string },
  record: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await context.db.transaction().execute(record)
  } catch (error) {
    await discardUpload(context, upload)
    throw error
  }
}

/** Removes a stored upload the rest of its form turned out to be invalid for. */
export async function discardUpload(
  context: AppContext,
  upload: { storageKey: string } | undefined,
) {
  if (upload) await context.storage.delete(upload.storageKey)
}

/**
 * An upload through the API: the stored file and the text fields, or an error in the API
 * envelope (415 not multipart, 400 unreadable, 413 too large, 422 empty or of a refused
 * type). The caller records the file or, when the rest of the request is refused, discards
 * it.
 */
export async function parseApiUpload<T>(
  request: Request,
  parse: () => Promise<Parsed<T>>,
): Promise<{ fields: FormData; upload: T }> {
  if (!isMultipart(request)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Send multipart/form-data with the file in a part named "${FILE_FIELD}"`,
    )
  }
  let parsed: Parsed<T>
  try {
    parsed = await parse()
  } catch (caught) {
    if (!(caught instanceof Response)) throw caught
    throw caught.status === 413
      ? new ApiError(413, 'payload_too_large', 'A text field of the form is too large')
      : new ApiError(400, 'malformed_multipart', 'The multipart body could not be read')
  }
  if (parsed.error || !parsed.upload) {
    const mapped = toApiError(parsed.error, request)
    if (mapped instanceof ApiError && mapped.code === 'file_too_large') {
      throw new ApiError(413, mapped.code, mapped.message, mapped.details)
    }
    throw mapped
  }
  return { fields: parsed.formData, upload: parsed.upload }
}
