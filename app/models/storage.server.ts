import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { NotFoundError, RuleViolationError } from './errors.ts'

export interface StoredObject {
  size: number
  sha256: string
  /** The first bytes, for deciding the format from the content. */
  head: Buffer
}

export interface PutOptions {
  maxBytes: number
  /** How many leading bytes to return as `head` (default 16; CAD sniffing wants 512). */
  headBytes?: number
}

export interface SignedGetOptions {
  /** How long the URL works, from now. */
  expiresInSeconds: number
  /** Offered to the browser in Content-Disposition (any characters; encoded per RFC 8187). */
  filename: string
  /** Served as Content-Type. */
  contentType: string
}

/**
 * Where uploaded files live: a local directory by default, S3-compatible object storage in
 * production (storage-s3.server.ts). Keys are paths we generate, never user input.
 */
export interface FileStorage {
  /** Streams `body` to `key`, hashing on the way; refuses (and keeps nothing) past maxBytes. */
  put(key: string, body: AsyncIterable<Uint8Array>, options: PutOptions): Promise<StoredObject>
  /** The stored bytes; NotFoundError when there are none. */
  get(key: string): Promise<{ stream: Readable; size: number }>
  /** Removes `key`; removing what is not there is fine. */
  delete(key: string): Promise<void>
  /**
   * A URL that serves `key` to whoever holds it until it expires, without asking the app who
   * they are: a presigned GET for S3, a signed `/downloads/<token>` path for local files.
   * Served as an attachment named `filename`. The caller decides who may have one.
   */
  signedGetUrl(key: string, options: SignedGetOptions): Promise<string>
}

export class FileTooLargeError extends RuleViolationError {
  constructor(maxBytes: number) {
    const limit =
      maxBytes >= 1024 * 1024
        ? `${Math.floor(maxBytes / 1024 / 1024)} MB`
        : `${Math.floor(maxBytes / 1024)} KB`
    super('file_too_large', `Files are limited to ${limit}`, {
      field: 'file',
      details: { max_bytes: maxBytes },
    })
  }
}

/**
 * Is `error` a storage's refusal of a file over its limit? By code, not class: the storage
 * is created by server.ts outside the app bundle, so its classes are not the bundle's.
 */
export function isFileTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'file_too_large'
}

/**
 * `storage.put` for an upload: a file over the limit comes back as this module's
 * FileTooLargeError (see isFileTooLarge), which routes recognise by class.
 */
export async function putUpload(
  storage: FileStorage,
  key: string,
  body: AsyncIterable<Uint8Array>,
  options: PutOptions,
): Promise<StoredObject> {
  try {
    return await storage.put(key, body, options)
  } catch (error) {
    if (isFileTooLarge(error)) throw new FileTooLargeError(options.maxBytes)
    throw error
  }
}

export const DEFAULT_HEAD_BYTES = 16

/** Counts, hashes and keeps the first `headBytes` of what passes; refuses past `maxBytes`. */
export function createMeter(maxBytes: number, headBytes = DEFAULT_HEAD_BYTES) {
  const hash = createHash('sha256')
  const headChunks: Buffer[] = []
  let headLength = 0
  let size = 0
  return {
    /** Throws FileTooLargeError once the total passes maxBytes. */
    add(chunk: Uint8Array) {
      size += chunk.byteLength
      if (size > maxBytes) throw new FileTooLargeError(maxBytes)
      if (headLength < headBytes) {
        const take = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).subarray(
          0,
          headBytes - headLength,
        )
        headChunks.push(Buffer.from(take)) // a copy: the caller may reuse its buffer
        headLength += take.length
      }
      hash.update(chunk)
    },
    result(): StoredObject {
      return { size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks, headLength) }
    },
  }
}

/**
 * A Content-Disposition value naming `filename` in any script: an RFC 8187 `filename*`
 * (everything outside attr-char percent-encoded) after an ASCII `filename` fallback.
 */
export function contentDisposition(
  filename: string,
  disposition: 'inline' | 'attachment' = 'inline',
): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

/** What a local download token grants: one key, served under this name and type. */
export interface DownloadGrant {
  key: string
  filename: string
  contentType: string
}

const hmac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest()

/**
 * `base64url(JSON {k, e, n, t}) + '.' + base64url(HMAC-SHA256(secret, first part))`, where
 * `e` is the expiry in unix seconds. For local files; S3 presigns its own URLs.
 */
export function signDownloadToken(
  grant: DownloadGrant & { expiresAt: number },
  secret: string,
): string {
  if (!secret) throw new Error('signing a download token needs a secret')
  const payload = Buffer.from(
    JSON.stringify({ k: grant.key, e: grant.expiresAt, n: grant.filename, t: grant.contentType }),
  ).toString('base64url')
  return `${payload}.${hmac(secret, payload).toString('base64url')}`
}

/** The grant in a token signed with `secret`; undefined if tampered, expired or malformed. */
export function verifyDownloadToken(
  token: string,
  secret: string,
  now: Date = new Date(),
): DownloadGrant | undefined {
  if (!secret || typeof token !== 'string') return undefined
  const parts = token.split('.')
  if (parts.length !== 2) return undefined
  const [payload, signature] = parts as [string, string]
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]+$/.test(signature)) return undefined
  const given = Buffer.from(signature, 'base64url')
  const expected = hmac(secret, payload)
  // Lengths are public (a SHA-256 MAC is always 32 bytes); the comparison is constant-time.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  let claims: unknown
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  const { k, e, n, t } = (claims ?? {}) as Record<string, unknown>
  if (typeof k !== 'string' || !k || typeof n !== 'string' || typeof t !== 'string')
    return undefined
  if (typeof e !== 'number' || !Number.isFinite(e)) return undefined
  if (now.getTime() / 1000 >= e) return undefined
  return { key: k, filename: n, contentType: t }
}

/** Seven days, the longest an S3 presigned URL can live; the same bound applies locally. */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 60 * 60

export function checkExpiry(expiresInSeconds: number) {
  if (
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > MAX_SIGNED_URL_SECONDS
  ) {
    throw new RangeError(
      `expiresInSeconds must be a whole number from 1 to ${MAX_SIGNED_URL_SECONDS}`,
    )
  }
}

export interface LocalStorageOptions {
  /** Signs download tokens; without it signedGetUrl throws. */
  signingSecret?: string
  /** Where the app serves `/<token>` downloads (default `/downloads`). */
  urlPrefix?: string
}

/** Files under `root`; keys are relative paths we generate (never user input). */
export function createLocalStorage(root: string, options: LocalStorageOptions = {}): FileStorage {
  const urlPrefix = (options.urlPrefix ?? '/downloads').replace(/\/+$/, '')
  const resolve = (key: string) => {
    const full = path.resolve(root, key)
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`bad storage key ${key}`)
    return full
  }
  return {
    async put(key, body, { maxBytes, headBytes }) {
      const target = resolve(key)
      await mkdir(path.dirname(target), { recursive: true })
      const temp = `${target}.${randomUUID()}.part`
      const out = createWriteStream(temp, { flags: 'wx' })
      const meter = createMeter(maxBytes, headBytes)
      try {
        for await (const chunk of body) {
          meter.add(chunk)
          if (!out.write(chunk)) await new Promise((r) => out.once('drain', r))
        }
        out.end()
        await finished(out)
        await rename(temp, target)
      } catch (error) {
        out.destroy()
        await rm(temp, { force: true })
        throw error
      }
      return meter.result()
    },
    async get(key) {
      const full = resolve(key)
      const info = await stat(full).catch(() => undefined)
      if (!info) throw new NotFoundError('No such file')
      return { stream: createReadStream(full), size: info.size }
    },
    async delete(key) {
      await rm(resolve(key), { force: true })
    },
    async signedGetUrl(key, { expiresInSeconds, filename, contentType }) {
      if (!options.signingSecret)
        throw new Error(
          'Local storage needs a signing secret (signingSecret) to sign download URLs',
        )
      checkExpiry(expiresInSeconds)
      resolve(key) // refuses a key outside root now rather than at download
      const expiresAt = Math.floor(Date.now() / 1000) + expiresInSeconds
      const token = signDownloadToken(
        { key, filename, contentType, expiresAt },
        options.signingSecret,
      )
      return `${urlPrefix}/${token}`
    },
  }
}

/** What createStorage reads from the configuration. */
export interface StorageEnv {
  dataDir: string
  s3Bucket?: string
  s3Endpoint?: string
  s3Region?: string
  s3AccessKeyId?: string
  s3SecretAccessKey?: string
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted stores need. */
  s3ForcePathStyle?: boolean
  /** Prepended to every key in the bucket (e.g. `files/`). */
  s3Prefix?: string
  /** Signs local download URLs (unused with S3, which presigns). */
  signingSecret: string
  /** Where local downloads are served (default `/downloads`). */
  downloadUrlPrefix?: string
}

/**
 * S3-compatible storage when a bucket is configured, else files under `${dataDir}/files`.
 * Async because the AWS SDK (~0.3 s to load) is only imported when S3 is used.
 */
export async function createStorage(env: StorageEnv): Promise<FileStorage> {
  if (env.s3Bucket) {
    const { createS3Storage } = await import('./storage-s3.server.ts')
    return createS3Storage({
      bucket: env.s3Bucket,
      endpoint: env.s3Endpoint,
      region: env.s3Region,
      accessKeyId: env.s3AccessKeyId,
      secretAccessKey: env.s3SecretAccessKey,
      forcePathStyle: env.s3ForcePathStyle,
      prefix: env.s3Prefix,
    })
  }
  return createLocalStorage(path.join(env.dataDir, 'files'), {
    signingSecret: env.signingSecret,
    urlPrefix: env.downloadUrlPrefix,
  })
}

export type SniffedType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/webp'

/** The format by its first bytes, whatever the name or the browser claims. */
export function sniffDocumentType(head: Buffer): SniffedType | undefined {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf'
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png'
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg'
  if (
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp'
  }
  return undefined
}
