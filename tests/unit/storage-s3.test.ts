import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  ListMultipartUploadsCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { NotFoundError } from '../../app/models/errors.ts'
import { createS3Storage, PART_SIZE } from '../../app/models/storage-s3.server.ts'
import {
  createStorage,
  FileTooLargeError,
  isFileTooLarge,
  type FileStorage,
} from '../../app/models/storage.server.ts'
import { startS3Stub, type S3Stub } from '../support/s3-stub.ts'

const MB = 1024 * 1024
const BUCKET = 'shared-factory-test'

let stub: S3Stub
beforeAll(async () => {
  stub = await startS3Stub()
})
afterAll(() => stub.close())
beforeEach(() => {
  stub.requests.length = 0
  stub.onRequest = undefined
})

const credentials = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' }

function rawClient(config: Partial<S3ClientConfig> = {}) {
  return new S3Client({
    region: 'us-east-1',
    endpoint: stub.endpoint,
    forcePathStyle: true,
    credentials,
    ...config,
  })
}

/** Random bytes in uneven chunks, hashed as they are produced; `produced` counts them. */
function source(total: number, chunkSize = 256 * 1024) {
  const hash = createHash('sha256')
  const state = { produced: 0, finished: false, closed: false, sha256: '', first: Buffer.alloc(0) }
  async function* generate() {
    let count = 0
    try {
      while (state.produced < total) {
        // Vary the chunk size so parts never line up with chunks.
        const size = Math.min(
          total - state.produced,
          chunkSize - (count++ % 3) * Math.floor(chunkSize / 7),
        )
        const chunk = randomBytes(size)
        if (state.first.length < 1024)
          state.first = Buffer.concat([state.first, chunk]).subarray(0, 1024)
        hash.update(chunk)
        state.produced += size
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      }
      state.sha256 = hash.digest('hex')
      state.finished = true
    } finally {
      state.closed = true
    }
  }
  return { body: generate(), state }
}

async function readAll(stream: AsyncIterable<Uint8Array>) {
  const hash = createHash('sha256')
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    hash.update(chunk)
    size += chunk.byteLength
    if (chunks.length < 4) chunks.push(Buffer.from(chunk))
  }
  return { size, sha256: hash.digest('hex'), start: Buffer.concat(chunks) }
}

async function* once(bytes: Uint8Array) {
  yield bytes
}

const operations = () => stub.requests.map((r) => r.operation)

/** Multipart uploads still open for `key`, as ListMultipartUploads reports them. */
async function openUploads(key: string) {
  const listed = await rawClient().send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))
  return (listed.Uploads ?? []).filter((u) => u.Key === `files/${key}`)
}

describe.each(['WHEN_REQUIRED', 'WHEN_SUPPORTED'] as const)('S3 storage, checksums %s', (mode) => {
  let storage: FileStorage
  beforeAll(() => {
    storage = createS3Storage({
      bucket: BUCKET,
      endpoint: stub.endpoint,
      forcePathStyle: true,
      prefix: 'files',
      checksums: mode,
      ...credentials,
    })
  })

  test('put, get and delete round-trip a small file with its size and SHA-256', async () => {
    const { body, state } = source(100_000, 7_000)
    const stored = await storage.put('org/1/small', body, { maxBytes: MB })
    expect(state.finished).toBe(true)
    expect(stored.size).toBe(100_000)
    expect(stored.sha256).toBe(state.sha256)
    expect(stored.head).toEqual(state.first.subarray(0, 16))
    // One PutObject, no multipart, under the prefix.
    expect(operations()).toEqual(['PutObject'])
    const inBucket = stub.object(BUCKET, 'files/org/1/small')!
    expect(createHash('sha256').update(inBucket).digest('hex')).toBe(state.sha256)
    if (mode === 'WHEN_SUPPORTED')
      expect(stub.requests[0]!.checksums).toHaveProperty('x-amz-checksum-crc32')
    else expect(stub.requests[0]!.checksums).toEqual({})

    const { stream, size } = await storage.get('org/1/small')
    expect(size).toBe(100_000)
    const read = await readAll(stream)
    expect(read.size).toBe(100_000)
    expect(read.sha256).toBe(state.sha256)

    await storage.delete('org/1/small')
    expect(stub.object(BUCKET, 'files/org/1/small')).toBeUndefined()
    await expect(storage.get('org/1/small')).rejects.toBeInstanceOf(NotFoundError)
    await storage.delete('org/1/small') // again: fine
  })

  test('headBytes returns as many leading bytes as asked for, across chunks', async () => {
    const { body, state } = source(5_000, 100)
    const stored = await storage.put('org/1/head', body, { maxBytes: MB, headBytes: 512 })
    expect(stored.head.length).toBe(512)
    expect(stored.head).toEqual(state.first.subarray(0, 512))
    const empty = await storage.put('org/1/empty', (async function* () {})(), { maxBytes: 10 })
    expect(empty).toMatchObject({ size: 0, head: Buffer.alloc(0) })
    expect(empty.sha256).toBe(createHash('sha256').digest('hex'))
  })

  test('a 30 MB stream goes up in parts without being held whole, and comes back', async () => {
    const total = 30 * MB
    const { body, state } = source(total)
    // How far the producer runs ahead of what the bucket has received.
    let received = 0
    let widestGap = 0
    stub.onRequest = (r) => {
      if (r.operation === 'UploadPart') received += r.bytes
    }
    async function* watched() {
      for await (const chunk of body) {
        widestGap = Math.max(widestGap, state.produced - received)
        yield chunk
      }
    }
    const stored = await storage.put('org/1/big', watched(), { maxBytes: 64 * MB })
    expect(stored.size).toBe(total)
    expect(stored.sha256).toBe(state.sha256)

    const parts = stub.requests.filter((r) => r.operation === 'UploadPart')
    expect(parts.length).toBeGreaterThanOrEqual(3)
    expect(parts.every((p) => p.bytes <= PART_SIZE)).toBe(true)
    expect(operations()).toContain('CompleteMultipartUpload')
    expect(operations()).not.toContain('PutObject')
    // At most the part being filled plus two in flight (queueSize 2), never the whole file.
    expect(widestGap).toBeLessThanOrEqual(3 * PART_SIZE + MB)
    expect(widestGap).toBeLessThan(total)
    expect(await openUploads('org/1/big')).toEqual([])

    const { stream, size } = await storage.get('org/1/big')
    expect(size).toBe(total)
    const read = await readAll(stream)
    expect(read).toMatchObject({ size: total, sha256: state.sha256 })
    await storage.delete('org/1/big')
  }, 60_000)

  test('past maxBytes in the middle of a multipart upload: refused, nothing left', async () => {
    const { body, state } = source(30 * MB)
    const error = await storage.put('org/1/over', body, { maxBytes: 20 * MB }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(FileTooLargeError)
    expect(isFileTooLarge(error)).toBe(true)
    // The parts that had gone up were aborted; the source was stopped, not drained.
    expect(operations()).toContain('UploadPart')
    expect(operations()).toContain('AbortMultipartUpload')
    expect(operations()).not.toContain('CompleteMultipartUpload')
    expect(state.closed).toBe(true)
    expect(state.produced).toBeLessThan(30 * MB)
    expect(stub.object(BUCKET, 'files/org/1/over')).toBeUndefined()
    expect(stub.uploads.size).toBe(0)
    expect(await openUploads('org/1/over')).toEqual([])
  }, 60_000)

  test('past maxBytes within the first part: refused before anything is sent', async () => {
    const { body } = source(5_000, 1_000)
    await expect(storage.put('org/1/over-small', body, { maxBytes: 4_096 })).rejects.toSatisfy(
      isFileTooLarge,
    )
    expect(operations()).toEqual([])
    expect(stub.object(BUCKET, 'files/org/1/over-small')).toBeUndefined()
  })

  test('a source that fails mid-upload leaves no object and no open upload', async () => {
    async function* failing() {
      yield* source(12 * MB).body
      throw new Error('client went away')
    }
    await expect(storage.put('org/1/broken', failing(), { maxBytes: 64 * MB })).rejects.toThrow(
      'client went away',
    )
    expect(stub.object(BUCKET, 'files/org/1/broken')).toBeUndefined()
    expect(await openUploads('org/1/broken')).toEqual([])
  }, 60_000)

  test('get of a missing key is NotFoundError', async () => {
    await expect(storage.get('org/1/never')).rejects.toBeInstanceOf(NotFoundError)
  })

  test('a presigned URL serves the bytes to plain fetch, with a Chinese filename', async () => {
    const bytes = randomBytes(3_000)
    await storage.put('org/1/doc', once(bytes), { maxBytes: MB })
    const filename = '营业执照 (2026版)·副本.pdf'
    const url = await storage.signedGetUrl('org/1/doc', {
      expiresInSeconds: 300,
      filename,
      contentType: 'application/pdf',
    })
    const parsed = new URL(url)
    expect(parsed.origin).toBe(stub.endpoint)
    expect(parsed.pathname).toBe(`/${BUCKET}/files/org/1/doc`)
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300')
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)

    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    const disposition = response.headers.get('content-disposition')!
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/)
    const encoded = /filename\*=UTF-8''(\S+)$/.exec(disposition)![1]!
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/) // RFC 8187 attr-chars only
    expect(decodeURIComponent(encoded)).toBe(filename)

    await expect(
      storage.signedGetUrl('org/1/doc', { expiresInSeconds: 0, filename, contentType: 'x/y' }),
    ).rejects.toThrow(RangeError)
  })

  test('keys that URL handling would rewrite are refused', async () => {
    for (const key of ['', '/abs', 'a/../b', 'a//b', './a'])
      await expect(storage.get(key)).rejects.toThrow(/bad storage key/)
  })
})

describe('the S3 stub', () => {
  test('decodes aws-chunked bodies with a CRC32 trailer (SDK streaming upload)', async () => {
    const bytes = randomBytes(200_000)
    await rawClient({ requestChecksumCalculation: 'WHEN_SUPPORTED' }).send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'stub/chunked',
        Body: Readable.from([bytes.subarray(0, 70_000), bytes.subarray(70_000)]),
        ContentLength: bytes.length,
      }),
    )
    const [put] = stub.requests
    expect(put).toMatchObject({ operation: 'PutObject', awsChunked: true, bytes: bytes.length })
    expect(put!.checksums).toHaveProperty('x-amz-checksum-crc32')
    expect(stub.object(BUCKET, 'stub/chunked')?.equals(bytes)).toBe(true)
  })

  test('refuses unsigned requests and bodies that do not match their checksum', async () => {
    const key = `${stub.endpoint}/${BUCKET}/stub/x`
    const unsigned = await fetch(key, { method: 'PUT', body: 'hello' })
    expect(unsigned.status).toBe(403)
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>')
    const wrong = await fetch(key, {
      method: 'PUT',
      body: 'hello',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/s3/aws4_request',
        'x-amz-checksum-crc32': 'AAAAAA==',
      },
    })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('<Code>BadDigest</Code>')
    expect(stub.object(BUCKET, 'stub/x')).toBeUndefined()
  })
})

describe('createStorage', () => {
  test('uses the bucket when one is configured', async () => {
    const storage = await createStorage({
      dataDir: '/nonexistent',
      s3Bucket: BUCKET,
      s3Endpoint: stub.endpoint,
      s3ForcePathStyle: true,
      s3AccessKeyId: credentials.accessKeyId,
      s3SecretAccessKey: credentials.secretAccessKey,
      signingSecret: 'unused',
    })
    await storage.put('org/2/a', once(Buffer.from('%PDF-1.7')), { maxBytes: 100 })
    expect(stub.object(BUCKET, 'org/2/a')?.toString()).toBe('%PDF-1.7')
  })

  test('else files under dataDir/files, with signed local download URLs', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sf-storage-'))
    try {
      const storage = await createStorage({ dataDir, signingSecret: 'local-secret' })
      await storage.put('org/2/b', once(Buffer.from('hello')), { maxBytes: 100 })
      expect(await readdir(path.join(dataDir, 'files', 'org', '2'))).toEqual(['b'])
      const url = await storage.signedGetUrl('org/2/b', {
        expiresInSeconds: 60,
        filename: 'b.txt',
        contentType: 'text/plain',
      })
      expect(url).toMatch(/^\/downloads\/[\w-]+\.[\w-]+$/)
      expect(stub.requests).toEqual([])
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })
})
