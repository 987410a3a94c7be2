import { createHash, createHmac, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { NotFoundError } from '../../app/models/errors.ts'
import {
  contentDisposition,
  createLocalStorage,
  FileTooLargeError,
  signDownloadToken,
  verifyDownloadToken,
} from '../../app/models/storage.server.ts'

let root: string
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'sf-local-storage-'))
})
afterEach(() => rm(root, { recursive: true, force: true }))

async function* chunks(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function readAll(stream: AsyncIterable<Uint8Array>) {
  const parts: Buffer[] = []
  for await (const chunk of stream) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts)
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('local storage', () => {
  test('put, get and delete round-trip with size, SHA-256 and head', async () => {
    const storage = createLocalStorage(root)
    const bytes = randomBytes(300_000)
    const stored = await storage.put('org/1/a', chunks(bytes, 7_001), { maxBytes: 1_000_000 })
    expect(stored).toEqual({
      size: bytes.length,
      sha256: sha256(bytes),
      head: bytes.subarray(0, 16),
    })
    const { stream, size } = await storage.get('org/1/a')
    expect(size).toBe(bytes.length)
    expect(sha256(await readAll(stream))).toBe(sha256(bytes)) // (toEqual on 300 kB is slow)
    await storage.delete('org/1/a')
    await expect(storage.get('org/1/a')).rejects.toBeInstanceOf(NotFoundError)
    await storage.delete('org/1/a')
  })

  test('headBytes: 512 leading bytes gathered across small chunks', async () => {
    const bytes = randomBytes(2_000)
    const stored = await createLocalStorage(root).put('org/1/h', chunks(bytes, 100), {
      maxBytes: 10_000,
      headBytes: 512,
    })
    expect(stored.head).toEqual(bytes.subarray(0, 512))
  })

  test('past maxBytes: FileTooLargeError and nothing kept, not even the partial file', async () => {
    const storage = createLocalStorage(root)
    await expect(
      storage.put('org/1/big', chunks(randomBytes(50_000), 4_096), { maxBytes: 20_000 }),
    ).rejects.toBeInstanceOf(FileTooLargeError)
    expect(await readdir(path.join(root, 'org', '1'))).toEqual([])
  })

  test('get of a missing key is NotFoundError', async () => {
    await expect(createLocalStorage(root).get('org/1/none')).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('signed local download URLs', () => {
  const secret = 'download-secret-for-tests'
  const grant = { filename: '零件图纸 v2.step', contentType: 'model/step' }

  test('without a signing secret, signedGetUrl says one is needed', async () => {
    await expect(
      createLocalStorage(root).signedGetUrl('org/1/a', { expiresInSeconds: 60, ...grant }),
    ).rejects.toThrow(/signing secret/)
  })

  test('a fresh token verifies to its key, filename and type', async () => {
    const storage = createLocalStorage(root, { signingSecret: secret })
    const url = await storage.signedGetUrl('org/1/a', { expiresInSeconds: 600, ...grant })
    expect(url).toMatch(/^\/downloads\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    const token = url.slice('/downloads/'.length)
    expect(verifyDownloadToken(token, secret)).toEqual({ key: 'org/1/a', ...grant })
    // Still good just before expiry; not at or after it.
    expect(verifyDownloadToken(token, secret, new Date(Date.now() + 590_000))).toBeDefined()
    expect(verifyDownloadToken(token, secret, new Date(Date.now() + 601_000))).toBeUndefined()

    const other = createLocalStorage(root, { signingSecret: secret, urlPrefix: '/files/dl/' })
    expect(await other.signedGetUrl('org/1/a', { expiresInSeconds: 60, ...grant })).toMatch(
      /^\/files\/dl\/[\w-]+\.[\w-]+$/,
    )
    await expect(
      storage.signedGetUrl('../escape', { expiresInSeconds: 60, ...grant }),
    ).rejects.toThrow(/bad storage key/)
    await expect(
      storage.signedGetUrl('org/1/a', { expiresInSeconds: 8 * 24 * 3600, ...grant }),
    ).rejects.toThrow(RangeError)
  })

  test('tampered, re-signed with another secret, expired or malformed: undefined', () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 600
    const token = signDownloadToken({ key: 'org/1/a', expiresAt, ...grant }, secret)
    expect(verifyDownloadToken(token, secret)).toMatchObject({ key: 'org/1/a' })
    const [payload, signature] = token.split('.') as [string, string]

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { k: string }
    const forged = Buffer.from(JSON.stringify({ ...claims, k: 'org/2/secret' })).toString(
      'base64url',
    )
    const flip = (s: string, i: number) =>
      s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
    for (const bad of [
      `${forged}.${signature}`, // another key under the old signature
      `${flip(payload, 3)}.${signature}`,
      `${payload}.${flip(signature, 5)}`,
      `${payload}.${signature.slice(0, -2)}`, // truncated signature
      `${payload}.${signature}x`,
      signDownloadToken({ key: 'org/1/a', expiresAt, ...grant }, 'another-secret'),
    ])
      expect(verifyDownloadToken(bad, secret), bad).toBeUndefined()

    const expired = signDownloadToken(
      { key: 'org/1/a', expiresAt: expiresAt - 1200, ...grant },
      secret,
    )
    expect(verifyDownloadToken(expired, secret)).toBeUndefined()

    for (const bad of [
      '',
      '.',
      'abc',
      'a.b.c',
      `${payload}.`,
      `.${signature}`,
      `${payload}.${signature}.x`,
      `${payload}!.${signature}`,
    ])
      expect(verifyDownloadToken(bad, secret), bad).toBeUndefined()
    expect(verifyDownloadToken(token, '')).toBeUndefined()
  })

  test('well-signed payloads that are not grants are refused', () => {
    const sign = (text: string) => {
      const p = Buffer.from(text).toString('base64url')
      return `${p}.${createHmac('sha256', secret).update(p).digest('base64url')}`
    }
    const future = Math.floor(Date.now() / 1000) + 600
    // The helper itself is right: a proper grant signed this way verifies.
    expect(
      verifyDownloadToken(sign(JSON.stringify({ k: 'a', e: future, n: 'n', t: 't' })), secret),
    ).toEqual({ key: 'a', filename: 'n', contentType: 't' })
    for (const text of [
      'not json',
      'null',
      '[]',
      JSON.stringify({ k: 'a', e: String(future), n: 'n', t: 't' }),
      JSON.stringify({ k: '', e: future, n: 'n', t: 't' }),
      JSON.stringify({ k: 'a', e: future, t: 't' }),
      JSON.stringify({ k: 'a', e: future, n: 'n' }),
    ])
      expect(verifyDownloadToken(sign(text), secret), text).toBeUndefined()
  })
})

test('contentDisposition: RFC 8187 filename* plus an ASCII fallback', () => {
  expect(contentDisposition("报价单 (终版)'s.pdf")).toBe(
    `inline; filename="___ (__)'s.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20%28%E7%BB%88%E7%89%88%29%27s.pdf`,
  )
  expect(contentDisposition('a"b\\c.txt', 'attachment')).toBe(
    `attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`,
  )
})
