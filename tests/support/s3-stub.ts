import { createHash, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32 } from 'node:zlib'

/**
 * A small S3-compatible HTTP server for tests: path-style (`/bucket/key`), objects in memory,
 * any bucket name, any credentials, but every request must carry a SigV4 Authorization header
 * or a presigned X-Amz-Signature (presence is checked, not the signature). Speaks PutObject,
 * GetObject (with response-content-* overrides), HeadObject, DeleteObject and the multipart
 * calls including ListMultipartUploads, with S3's XML errors.
 *
 * Bodies: `Content-Encoding: aws-chunked` / `x-amz-content-sha256: STREAMING-…` framing is
 * decoded (chunk signatures ignored, trailers read). Integrity is checked the way S3 does:
 * a hex x-amz-content-sha256, Content-MD5 and x-amz-checksum-crc32 (header or trailer) must
 * match the bytes, else 400. Other checksum algorithms are accepted unchecked.
 */

export type S3Operation =
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListMultipartUploads'
  | 'Unsupported'

export interface S3StubRequest {
  operation: S3Operation
  method: string
  bucket: string
  key: string
  /** Decoded body bytes. */
  bytes: number
  /** The request used aws-chunked framing. */
  awsChunked: boolean
  /** Flexible-checksum values sent, by header/trailer name (`x-amz-checksum-crc32` …). */
  checksums: Record<string, string>
  presigned: boolean
  status: number
}

export interface StubObject {
  body: Buffer
  etag: string
  contentType: string
  lastModified: Date
}

export interface StubUpload {
  bucket: string
  key: string
  contentType: string
  initiated: Date
  parts: Map<number, { body: Buffer; etag: string }>
}

export interface S3Stub {
  /** `http://127.0.0.1:<port>`, for the client's endpoint (with forcePathStyle). */
  endpoint: string
  /** By `bucket/key`. */
  objects: Map<string, StubObject>
  /** Open multipart uploads, by upload id. */
  uploads: Map<string, StubUpload>
  requests: S3StubRequest[]
  /** Called as each request arrives (after its body was read), before it is answered. */
  onRequest?: (request: Omit<S3StubRequest, 'status'>) => void
  object(bucket: string, key: string): Buffer | undefined
  close(): Promise<void>
}

const MIN_PART_SIZE = 5 * 1024 * 1024
/** x-amz-checksum-* headers that name no checksum value. */
const NOT_CHECKSUMS = new Set([
  'x-amz-checksum-algorithm',
  'x-amz-checksum-mode',
  'x-amz-checksum-type',
])
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/'

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message)
  }
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  )
const unescapeXml = (s: string) =>
  s.replace(
    /&(lt|gt|amp|apos|quot|#34|#39);/g,
    (_, e: string) =>
      ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"', '#34': '"', '#39': "'" })[e]!,
  )
const xml = (root: string, inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${XMLNS}">${inner}</${root}>`
const el = (name: string, value: string | number) =>
  `<${name}>${escapeXml(String(value))}</${name}>`
const md5 = (b: Buffer) => createHash('md5').update(b).digest()

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Undoes aws-chunked framing: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0…\r\n<trailers>\r\n`. */
export function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = []
  const trailers: Record<string, string> = {}
  let pos = 0
  const line = () => {
    const end = raw.indexOf('\r\n', pos)
    if (end < 0) throw new S3Error(400, 'IncompleteBody', 'Malformed aws-chunked body')
    const text = raw.toString('latin1', pos, end)
    pos = end + 2
    return text
  }
  for (;;) {
    const header = line()
    const size = Number.parseInt(header.split(';')[0]!, 16)
    if (!Number.isFinite(size) || size < 0)
      throw new S3Error(400, 'IncompleteBody', `Bad aws-chunked chunk header ${header}`)
    if (size === 0) break
    if (pos + size + 2 > raw.length)
      throw new S3Error(400, 'IncompleteBody', 'Truncated aws-chunked body')
    chunks.push(raw.subarray(pos, pos + size))
    pos += size
    if (raw.toString('latin1', pos, pos + 2) !== '\r\n')
      throw new S3Error(400, 'IncompleteBody', 'aws-chunked chunk not followed by CRLF')
    pos += 2
  }
  while (pos < raw.length) {
    const text = line()
    if (text === '') break
    const colon = text.indexOf(':')
    if (colon > 0)
      trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim()
  }
  return { body: Buffer.concat(chunks), trailers }
}

function crc32Base64(body: Buffer): string {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(body) >>> 0)
  return out.toString('base64')
}

function operationOf(method: string, key: string, query: URLSearchParams): S3Operation {
  if (!key) return method === 'GET' && query.has('uploads') ? 'ListMultipartUploads' : 'Unsupported'
  if (method === 'PUT')
    return query.has('uploadId') && query.has('partNumber') ? 'UploadPart' : 'PutObject'
  if (method === 'POST') {
    if (query.has('uploads')) return 'CreateMultipartUpload'
    if (query.has('uploadId')) return 'CompleteMultipartUpload'
    return 'Unsupported'
  }
  if (method === 'DELETE') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject'
  if (method === 'GET') return 'GetObject'
  if (method === 'HEAD') return 'HeadObject'
  return 'Unsupported'
}

export async function startS3Stub(): Promise<S3Stub> {
  const objects = new Map<string, StubObject>()
  const uploads = new Map<string, StubUpload>()
  const requests: S3StubRequest[] = []

  const stub: S3Stub = {
    endpoint: '',
    objects,
    uploads,
    requests,
    object: (bucket, key) => objects.get(`${bucket}/${key}`)?.body,
    close: async () => {},
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()
    res.setHeader('x-amz-request-id', requestId)
    const url = new URL(req.url ?? '/', 'http://stub')
    const query = url.searchParams
    const [rawBucket = '', ...rawKey] = url.pathname.slice(1).split('/')
    const bucket = decodeURIComponent(rawBucket)
    const key = rawKey.map(decodeURIComponent).join('/')
    const method = req.method ?? 'GET'
    const operation = operationOf(method, key, query)
    const presigned = query.has('X-Amz-Signature')
    const record: S3StubRequest = {
      operation,
      method,
      bucket,
      key,
      bytes: 0,
      awsChunked: false,
      checksums: {},
      presigned,
      status: 0,
    }
    requests.push(record)
    const reply = (status: number, headers: Record<string, string | number>, body?: Buffer) => {
      record.status = status
      res.writeHead(status, headers)
      res.end(method === 'HEAD' ? undefined : body)
    }
    const replyXml = (root: string, inner: string) => {
      const body = Buffer.from(xml(root, inner))
      reply(200, { 'Content-Type': 'application/xml', 'Content-Length': body.length }, body)
    }

    try {
      let raw: Buffer
      try {
        raw = await readBody(req)
      } catch {
        return // the client went away
      }
      const auth = req.headers.authorization ?? ''
      if (!auth.startsWith('AWS4-HMAC-SHA256 ') && !presigned)
        throw new S3Error(403, 'AccessDenied', 'Missing SigV4 Authorization or X-Amz-Signature')
      if (presigned) {
        const date = query.get('X-Amz-Date') ?? ''
        const expires = Number(query.get('X-Amz-Expires'))
        const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date)
        if (!m || !Number.isFinite(expires))
          throw new S3Error(400, 'AuthorizationQueryParametersError', 'Bad presigned query')
        const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)
        if (Date.now() > signedAt + expires * 1000)
          throw new S3Error(403, 'AccessDenied', 'Request has expired')
      }

      // Body framing and integrity.
      const contentSha256 = String(req.headers['x-amz-content-sha256'] ?? '')
      const chunked =
        contentSha256.startsWith('STREAMING-') ||
        String(req.headers['content-encoding'] ?? '')
          .split(',')
          .map((s) => s.trim())
          .includes('aws-chunked')
      let body = raw
      const checksums: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers))
        if (name.startsWith('x-amz-checksum-') && !NOT_CHECKSUMS.has(name))
          checksums[name] = String(value)
      if (chunked) {
        const decoded = decodeAwsChunked(raw)
        body = decoded.body
        for (const [name, value] of Object.entries(decoded.trailers))
          if (name.startsWith('x-amz-checksum-') && !NOT_CHECKSUMS.has(name))
            checksums[name] = value
        const declared = req.headers['x-amz-decoded-content-length']
        if (declared !== undefined && Number(declared) !== body.length)
          throw new S3Error(400, 'IncompleteBody', 'x-amz-decoded-content-length mismatch')
      }
      record.awsChunked = chunked
      record.bytes = body.length
      record.checksums = checksums
      if (/^[0-9a-f]{64}$/.test(contentSha256)) {
        if (createHash('sha256').update(body).digest('hex') !== contentSha256)
          throw new S3Error(400, 'XAmzContentSHA256Mismatch', 'x-amz-content-sha256 mismatch')
      }
      const contentMd5 = req.headers['content-md5']
      if (contentMd5 && md5(body).toString('base64') !== contentMd5)
        throw new S3Error(400, 'BadDigest', 'Content-MD5 mismatch')
      const crc = checksums['x-amz-checksum-crc32']
      if (crc && crc32Base64(body) !== crc)
        throw new S3Error(400, 'BadDigest', 'x-amz-checksum-crc32 mismatch')

      stub.onRequest?.({ ...record })
      const objectId = `${bucket}/${key}`
      const upload = () => {
        const id = query.get('uploadId') ?? ''
        const found = uploads.get(id)
        if (!found || found.bucket !== bucket || found.key !== key)
          throw new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist.', {
            UploadId: id,
          })
        return { id, found }
      }

      switch (operation) {
        case 'PutObject': {
          if (req.headers['x-amz-copy-source'])
            throw new S3Error(501, 'NotImplemented', 'CopyObject is not supported by the stub')
          const etag = `"${md5(body).toString('hex')}"`
          objects.set(objectId, {
            body,
            etag,
            contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
            lastModified: new Date(),
          })
          return reply(200, { ETag: etag, 'Content-Length': 0, ...checksums })
        }
        case 'GetObject':
        case 'HeadObject': {
          const object = objects.get(objectId)
          if (!object)
            throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key })
          return reply(
            200,
            {
              ETag: object.etag,
              'Content-Length': object.body.length,
              'Content-Type': query.get('response-content-type') ?? object.contentType,
              'Last-Modified': object.lastModified.toUTCString(),
              'Accept-Ranges': 'bytes',
              ...(query.has('response-content-disposition') && {
                'Content-Disposition': query.get('response-content-disposition')!,
              }),
            },
            object.body,
          )
        }
        case 'DeleteObject':
          objects.delete(objectId)
          return reply(204, {})
        case 'CreateMultipartUpload': {
          const id = randomUUID()
          uploads.set(id, {
            bucket,
            key,
            contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
            initiated: new Date(),
            parts: new Map(),
          })
          return replyXml(
            'InitiateMultipartUploadResult',
            el('Bucket', bucket) + el('Key', key) + el('UploadId', id),
          )
        }
        case 'UploadPart': {
          const { found } = upload()
          const partNumber = Number(query.get('partNumber'))
          if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
            throw new S3Error(400, 'InvalidArgument', 'Part number must be 1 to 10000')
          const etag = `"${md5(body).toString('hex')}"`
          found.parts.set(partNumber, { body, etag })
          return reply(200, { ETag: etag, 'Content-Length': 0, ...checksums })
        }
        case 'CompleteMultipartUpload': {
          const { id, found } = upload()
          const text = body.toString('utf8')
          const listed = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part]) => ({
            partNumber: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part!)?.[1]),
            etag: unescapeXml(/<ETag>([\s\S]*?)<\/ETag>/.exec(part!)?.[1] ?? '').replace(/"/g, ''),
          }))
          if (!listed.length) throw new S3Error(400, 'MalformedXML', 'No parts listed')
          const bodies: Buffer[] = []
          listed.forEach(({ partNumber, etag }, i) => {
            const part = found.parts.get(partNumber)
            if (!part || part.etag.replace(/"/g, '') !== etag)
              throw new S3Error(400, 'InvalidPart', `Part ${partNumber} was not uploaded`)
            if (i > 0 && partNumber <= listed[i - 1]!.partNumber)
              throw new S3Error(400, 'InvalidPartOrder', 'Parts must be in ascending order')
            if (i < listed.length - 1 && part.body.length < MIN_PART_SIZE)
              throw new S3Error(400, 'EntityTooSmall', `Part ${partNumber} is under 5 MB`)
            bodies.push(part.body)
          })
          const all = Buffer.concat(bodies)
          const etag = `"${md5(Buffer.concat(bodies.map(md5))).toString('hex')}-${bodies.length}"`
          objects.set(objectId, {
            body: all,
            etag,
            contentType: found.contentType,
            lastModified: new Date(),
          })
          uploads.delete(id)
          return replyXml(
            'CompleteMultipartUploadResult',
            el('Location', `${stub.endpoint}/${bucket}/${key}`) +
              el('Bucket', bucket) +
              el('Key', key) +
              el('ETag', etag),
          )
        }
        case 'AbortMultipartUpload': {
          const { id } = upload()
          uploads.delete(id)
          return reply(204, {})
        }
        case 'ListMultipartUploads': {
          const open = [...uploads].filter(([, u]) => u.bucket === bucket)
          return replyXml(
            'ListMultipartUploadsResult',
            el('Bucket', bucket) +
              el('MaxUploads', 1000) +
              el('IsTruncated', 'false') +
              open
                .map(
                  ([id, u]) =>
                    `<Upload>${el('Key', u.key)}${el('UploadId', id)}${el(
                      'Initiated',
                      u.initiated.toISOString(),
                    )}</Upload>`,
                )
                .join(''),
          )
        }
        default:
          throw new S3Error(501, 'NotImplemented', `${method} ${url.pathname} is not supported`)
      }
    } catch (error) {
      if (res.headersSent) return
      const e = error instanceof S3Error ? error : new S3Error(500, 'InternalError', String(error))
      const extra = Object.entries(e.extra)
        .map(([name, value]) => el(name, value))
        .join('')
      const body = Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${el('Code', e.code)}${el(
          'Message',
          e.message,
        )}${extra}${el('RequestId', requestId)}</Error>`,
      )
      reply(e.status, { 'Content-Type': 'application/xml', 'Content-Length': body.length }, body)
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  stub.endpoint = `http://127.0.0.1:${port}`
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return stub
}
