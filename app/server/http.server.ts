import { randomUUID } from 'node:crypto'
import path from 'node:path'
import express, {
  type NextFunction,
  type Request as ExpressRequest,
  type Response as ExpressResponse,
} from 'express'
import compression from 'compression'
import { sql } from 'kysely'
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from '@remix-run/node'
import type { AppSettings, Health } from '../context.ts'
import type { Db } from '../../db/client.ts'
import type { Logger } from '../utils/logger.server.ts'
import type { CapabilityIndex } from '../../search/types.ts'
import type { FileStorage } from '../models/storage.server.ts'
import type { StripeGateway } from '../models/stripe.server.ts'
import {
  CSRF_FIELD,
  CSRF_HEADER,
  SESSION_COOKIE,
  csrfTokenFrom,
  issueCsrf,
  readCookies,
} from '../utils/cookies.server.ts'
import { safeEqual } from '../utils/crypto.server.ts'
import { LOCALE_COOKIE, negotiateLocale, translate } from '../locales/index.ts'
import { SECURITY_HEADERS, securityHeaders } from './security.server.ts'
import {
  isDatabaseUnavailable,
  sendUnavailable,
  wasDatabaseUnavailable,
} from './unavailable.server.ts'

export interface HttpOptions {
  db: Db
  search: CapabilityIndex
  storage: FileStorage
  stripe?: StripeGateway | null
  settings: AppSettings
  logger: Logger
  trustProxy: string
  /** Production: the built server; development: a loader through Vite. */
  build: ServerBuild | (() => Promise<ServerBuild>)
  mode: 'production' | 'development'
  /** Vite's dev middleware, development only. */
  devMiddleware?: express.RequestHandler
  clientDir?: string
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const WORKER_STALE_SECONDS = 30

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export async function checkHealth(db: Db, search: CapabilityIndex): Promise<Health> {
  const index = await search
    .health()
    .catch(() => ({ status: 'down' as const, documents: undefined }))
  const searchPart = {
    search: search.kind,
    search_status: index.status,
    ...(index.documents !== undefined ? { search_documents: index.documents } : {}),
  }
  try {
    const row = await sql<{ fresh: boolean }>`
      select exists (
        select 1 from worker_heartbeats
        where last_seen_at > now() - make_interval(secs => ${WORKER_STALE_SECONDS})
      ) as fresh`.execute(db)
    const worker = row.rows[0]?.fresh ? 'up' : 'down'
    const ok = worker === 'up' && index.status === 'up'
    return { status: ok ? 'ok' : 'error', db: 'up', worker, ...searchPart }
  } catch {
    return { status: 'error', db: 'down', worker: 'unknown', ...searchPart }
  }
}

/** Reads the whole body, refusing (413) past `limit` bytes without reading the rest. */
async function readBody(req: ExpressRequest, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new HttpError(413, 'payload_too_large', 'Request body too large')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new HttpError(413, 'payload_too_large', 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function toFetchRequest(req: ExpressRequest, res: ExpressResponse, body?: Buffer): Request {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`)
  const controller = new AbortController()
  res.on('close', () => controller.abort())
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else headers.set(key, value)
  }
  const init: RequestInit & { duplex?: 'half' } = {
    method: req.method,
    headers,
    signal: controller.signal,
  }
  if (!SAFE_METHODS.has(req.method)) {
    init.body = body ? new Uint8Array(body) : createReadableStreamFromReadable(req)
    init.duplex = 'half'
  }
  return new Request(url.href, init)
}

async function sendFetchResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [key, value] of response.headers.entries()) {
    if (key.toLowerCase() === 'set-cookie') continue
    // A route's own policy (a download's, say) replaces the default one.
    if (SECURITY_HEADERS.has(key.toLowerCase())) res.setHeader(key, value)
    else res.append(key, value)
  }
  for (const cookie of response.headers.getSetCookie()) res.append('Set-Cookie', cookie)
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}

function isApi(req: ExpressRequest) {
  return req.path === '/api/v1' || req.path.startsWith('/api/v1/')
}

/** The express app: static files, request ids and logs, body limits, CSRF, then Remix. */
export function createHttpApp(options: HttpOptions) {
  const { db, search, storage, settings, logger } = options
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', options.trustProxy)
  app.use(securityHeaders({ mode: options.mode, hsts: settings.secureCookies }))
  app.use(compression())

  if (options.devMiddleware) app.use(options.devMiddleware)
  else if (options.clientDir) {
    app.use(
      '/assets',
      express.static(path.join(options.clientDir, 'assets'), { immutable: true, maxAge: '1y' }),
    )
    app.use(express.static(options.clientDir, { maxAge: '1h' }))
  }

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id')
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID()
    res.locals.requestId = requestId
    res.setHeader('X-Request-Id', requestId)
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms),
        },
        'request',
      )
    })
    next()
  })

  const handleRemix = createRequestHandler(options.build, options.mode)

  app.all('*', async (req, res, next) => {
    try {
      const cookies = readCookies(req.headers.cookie)
      let csrfToken = csrfTokenFrom(req.headers.cookie, settings.sessionSecrets)
      let body: Buffer | undefined
      if (!SAFE_METHODS.has(req.method)) {
        body = await gate(req, csrfToken, Boolean(cookies[SESSION_COOKIE]), settings.maxFormBytes)
      }
      if (!csrfToken) {
        const issued = issueCsrf(settings.sessionSecrets, settings.secureCookies)
        csrfToken = issued.token
        res.append('Set-Cookie', issued.setCookie)
      }
      const context: AppLoadContext = {
        db,
        search,
        storage,
        stripe: options.stripe ?? null,
        settings,
        logger: logger.child({ requestId: res.locals.requestId }),
        requestId: res.locals.requestId as string,
        clientIp: req.ip ?? 'unknown',
        csrfToken,
        cspNonce: res.locals.cspNonce as string,
        health: () => checkHealth(db, search),
      }
      const response = await handleRemix(toFetchRequest(req, res, body), context)
      // PostgreSQL unreachable (noted by handleError): 503, never the 500 error page.
      if (wasDatabaseUnavailable(context)) {
        await response.body?.cancel().catch(() => {})
        return sendUnavailable(req, res, isApi(req))
      }
      await sendFetchResponse(res, response)
    } catch (error) {
      if (error instanceof HttpError) return sendHttpError(req, res, error)
      next(error)
    }
  })

  app.use((error: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
    if (isDatabaseUnavailable(error)) return sendUnavailable(req, res, isApi(req))
    logger.error({ err: error, requestId: res.locals.requestId }, 'unhandled error')
    if (res.headersSent) return res.end()
    sendHttpError(req, res, new HttpError(500, 'internal', 'Internal server error'))
  })
  return app
}

/**
 * Checks a state-changing request before any route sees it: body size, and the CSRF
 * token for cookie-authenticated requests. Returns the buffered body.
 */
async function gate(
  req: ExpressRequest,
  csrfToken: string | undefined,
  hasSession: boolean,
  limit: number,
): Promise<Buffer | undefined> {
  const type = (req.headers['content-type'] ?? '').toLowerCase()
  const headerToken = req.get(CSRF_HEADER)
  const tokenMatches = (candidate: string | undefined | null) =>
    Boolean(csrfToken && candidate && safeEqual(candidate, csrfToken))

  if (isApi(req)) {
    const hasBody =
      Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding']
    // Uploads stream through unread to the route, which limits the file's size.
    const upload = type.startsWith('multipart/form-data')
    // Cross-site HTML forms cannot send application/json without a CORS preflight; they can
    // send multipart, so a cookie session must prove itself with the header below.
    if (hasBody && !upload && !type.startsWith('application/json')) {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Send JSON with Content-Type: application/json (uploads: multipart/form-data)',
      )
    }
    const body = hasBody && !upload ? await readBody(req, limit) : undefined
    const bearer = req.get('authorization')?.toLowerCase().startsWith('bearer ')
    const isLogin = req.path === '/api/v1/session' && req.method === 'POST'
    if (hasSession && !bearer && !isLogin && !tokenMatches(headerToken)) {
      throw new HttpError(403, 'csrf_failed', 'Missing or stale X-CSRF-Token header')
    }
    return body
  }

  if (type.startsWith('application/x-www-form-urlencoded')) {
    const body = await readBody(req, limit)
    const field = new URLSearchParams(body.toString('utf8')).get(CSRF_FIELD)
    if (!tokenMatches(field) && !tokenMatches(headerToken)) {
      throw new HttpError(403, 'csrf_failed', 'Missing or stale CSRF token')
    }
    return body
  }
  // Multipart (file uploads) and other bodies stream through unread, so the token cannot
  // come from the body: it comes in the header (fetch) or in the action URL (a form posted
  // without JavaScript). The token is bound to the visitor's own cookie, so seeing it in a
  // URL gives nobody else anything (decision 004).
  const queryToken = new URL(req.originalUrl, 'http://localhost').searchParams.get(CSRF_FIELD)
  if (!tokenMatches(headerToken) && !tokenMatches(queryToken))
    throw new HttpError(403, 'csrf_failed', 'Missing or stale CSRF token')
  return undefined
}

function sendHttpError(req: ExpressRequest, res: ExpressResponse, error: HttpError) {
  if (res.headersSent) return res.end()
  if (isApi(req) || (req.get('accept') ?? '').includes('application/json')) {
    return res
      .status(error.status)
      .json({ error: { code: error.code, message: error.message, details: null } })
  }
  const locale = negotiateLocale({
    cookie: readCookies(req.headers.cookie)[LOCALE_COOKIE],
    acceptLanguage: req.get('accept-language') ?? null,
  })
  const key =
    error.code === 'csrf_failed'
      ? 'error.csrf'
      : error.code === 'payload_too_large'
        ? 'error.payload_too_large'
        : 'error.500'
  const message = translate(locale, key)
  res
    .status(error.status)
    .type('html')
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${translate(locale, 'error.pageTitle')}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">` +
        `<h1>${translate(locale, 'error.pageTitle')}</h1><p role="alert">${message}</p>` +
        `<p><a href="/">${translate(locale, 'error.backHome')}</a></p></body></html>`,
    )
}
