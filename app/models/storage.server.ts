import { createHash, randomUUID } from 'node:crypto'
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

/** Where uploaded files live: a local directory now; S3-compatible storage later. */
export interface FileStorage {
  /** Streams `body` to `key`, hashing on the way; refuses (and keeps nothing) past maxBytes. */
  put(
    key: string,
    body: AsyncIterable<Uint8Array>,
    options: { maxBytes: number },
  ): Promise<StoredObject>
  get(key: string): Promise<{ stream: Readable; size: number }>
  delete(key: string): Promise<void>
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

const HEAD_BYTES = 16

/** Files under `root`; keys are relative paths we generate (never user input). */
export function createLocalStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    const full = path.resolve(root, key)
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`bad storage key ${key}`)
    return full
  }
  return {
    async put(key, body, { maxBytes }) {
      const target = resolve(key)
      await mkdir(path.dirname(target), { recursive: true })
      const temp = `${target}.${randomUUID()}.part`
      const out = createWriteStream(temp, { flags: 'wx' })
      const hash = createHash('sha256')
      let size = 0
      let head = Buffer.alloc(0)
      try {
        for await (const chunk of body) {
          size += chunk.byteLength
          if (size > maxBytes) throw new FileTooLargeError(maxBytes)
          if (head.length < HEAD_BYTES)
            head = Buffer.concat([head, Buffer.from(chunk)]).subarray(0, HEAD_BYTES)
          hash.update(chunk)
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
      return { size, sha256: hash.digest('hex'), head }
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
  }
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
