import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { NotFoundError } from './errors.ts'
import {
  checkExpiry,
  contentDisposition,
  createMeter,
  FileTooLargeError,
  type FileStorage,
} from './storage.server.ts'

export interface S3StorageOptions {
  bucket: string
  /** For S3-compatible stores (MinIO, OSS, COS, R2 …); AWS S3 itself when absent. */
  endpoint?: string
  /** Default `us-east-1` (what most S3-compatible stores expect when they ignore it). */
  region?: string
  /** Both or neither; with neither, the SDK's default chain (AWS_* variables, instance role). */
  accessKeyId?: string
  secretAccessKey?: string
  /** `endpoint/bucket/key` rather than `bucket.endpoint/key`; MinIO and most self-hosted need it. */
  forcePathStyle?: boolean
  /** Prepended to every key, e.g. `files/` (a missing trailing slash is added). */
  prefix?: string
  /**
   * The SDK's flexible checksums (CRC32 on uploads, validation on downloads). Default
   * WHEN_REQUIRED: several S3-compatible stores reject or mishandle the headers the SDK sends
   * by default since 2025, and put() hashes every byte with SHA-256 itself anyway.
   */
  checksums?: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED'
}

/** Multipart part size; with QUEUE_SIZE parts in flight a put holds at most ~3 parts in memory. */
export const PART_SIZE = 8 * 1024 * 1024
const QUEUE_SIZE = 2

function isNotFound(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}

/** Files in an S3-compatible bucket, through the official SDK. */
export function createS3Storage(options: S3StorageOptions): FileStorage {
  const { bucket, accessKeyId, secretAccessKey } = options
  if (!bucket) throw new Error('S3 storage needs a bucket')
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new Error('S3 storage needs both an access key id and a secret access key, or neither')
  const checksums = options.checksums ?? 'WHEN_REQUIRED'
  const client = new S3Client({
    region: options.region || 'us-east-1',
    endpoint: options.endpoint || undefined,
    forcePathStyle: options.forcePathStyle,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
  })
  const prefix = options.prefix ? options.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : ''
  const objectKey = (key: string) => {
    // Keys are generated, but a '..' or empty segment would be normalised away by URL
    // handling somewhere between here and the bucket: refuse them as the local adapter does.
    if (!key || key.split('/').some((s) => s === '' || s === '.' || s === '..'))
      throw new Error(`bad storage key ${key}`)
    return prefix + key
  }

  return {
    async put(key, body, { maxBytes, headBytes }) {
      const Key = objectKey(key)
      const meter = createMeter(maxBytes, headBytes)
      let refused: FileTooLargeError | undefined
      const metering = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          try {
            meter.add(chunk)
            callback(null, chunk)
          } catch (error) {
            refused = error as FileTooLargeError
            callback(refused)
          }
        },
      })
      // The source's own errors, and the refusal, reach Upload through `metering`.
      pipeline(body, metering).catch(() => {})
      // lib-storage reads `metering` part by part (PutObject if it all fits in one part,
      // else multipart); it buffers at most a part being filled plus QUEUE_SIZE in flight.
      // When `metering` fails, Upload waits for the parts in flight, sends
      // AbortMultipartUpload and only then rejects, so nothing is left behind. (Not
      // upload.abort(): that rejects at once and lets the clean-up race in the background.)
      try {
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key, Body: metering, ContentType: 'application/octet-stream' },
          partSize: PART_SIZE,
          queueSize: QUEUE_SIZE,
          leavePartsOnError: false,
        })
        await upload.done()
      } catch (error) {
        metering.destroy()
        if (refused) throw new FileTooLargeError(maxBytes)
        throw error
      }
      return meter.result()
    },

    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }))
        if (!(out.Body instanceof Readable)) throw new Error('S3 GetObject gave no Node stream')
        return { stream: out.Body, size: out.ContentLength ?? 0 }
      } catch (error) {
        if (isNotFound(error)) throw new NotFoundError('No such file')
        throw error
      }
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }))
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible stores say 404.
        if (!isNotFound(error)) throw error
      }
    },

    async signedGetUrl(key, { expiresInSeconds, filename, contentType }) {
      checkExpiry(expiresInSeconds)
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: objectKey(key),
        // attachment, as the local adapter's /downloads route serves it: this is a download.
        ResponseContentDisposition: contentDisposition(filename, 'attachment'),
        ResponseContentType: contentType,
      })
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds })
    },
  }
}
