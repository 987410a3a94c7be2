import type { Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { readCookies } from '../utils/cookies.server.ts'
import { LOCALE_COOKIE, negotiateLocale } from '../locales/index.ts'

/** Seconds a client should wait before trying again while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5

// postgres.js connection errors, and the server's own "go away" answers: admin_shutdown,
// crash_shutdown, cannot_connect_now (starting up / shutting down), too_many_connections and
// the connection-exception class.
const POSTGRES_JS_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
])
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006'])
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

/**
 * Whether `error` says PostgreSQL cannot be reached right now (refused, dropped, shutting
 * down, full) rather than that a query is wrong. Errors from other services' clients — fetch
 * (Meilisearch, Stripe), the AWS SDK — are not ours to call a database outage.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false
  if (error instanceof TypeError && error.message === 'fetch failed') return false
  if ('$metadata' in error) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    if (POSTGRES_JS_CODES.has(code) || SQLSTATES.has(code)) return true
    if (SOCKET_CODES.has(code) && (error as { syscall?: unknown }).syscall === 'connect') {
      return true
    }
  }
  // Node reports a refused connection to a host with several addresses as an AggregateError.
  if (
    error instanceof AggregateError &&
    error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))
  )
    return true
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1)
}

// Requests whose loader or action hit an unreachable database are marked on their load
// context by handleError (app/entry.server.tsx); the HTTP layer reads the mark and answers 503
// instead of Remix's 500. A registered symbol, not module state: the server build bundles its
// own copy of this module, apart from the one the HTTP layer loads.
const UNAVAILABLE = Symbol.for('shared-factory.database-unavailable')

export function noteDatabaseUnavailable(context: object) {
  ;(context as Record<symbol, boolean>)[UNAVAILABLE] = true
}

export function wasDatabaseUnavailable(context: object): boolean {
  return (context as Record<symbol, boolean>)[UNAVAILABLE] === true
}

const PAGE = {
  'zh-CN': {
    title: '服务暂时不可用',
    body: '服务暂时不可用，请稍后再试。',
    retry: '重试',
  },
  en: {
    title: 'Temporarily unavailable',
    body: 'The service is temporarily unavailable. Please try again in a moment.',
    retry: 'Try again',
  },
} as const

/** 503 with Retry-After: the API's error envelope, or a short page in both languages. */
export function sendUnavailable(req: ExpressRequest, res: ExpressResponse, api: boolean) {
  if (res.headersSent) return res.end()
  res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).set('Cache-Control', 'no-store')
  if (api || (req.get('accept') ?? '').includes('application/json')) {
    return res.json({
      error: {
        code: 'unavailable',
        message: 'The service is temporarily unavailable; try again shortly',
        details: { retry_after_seconds: RETRY_AFTER_SECONDS },
      },
    })
  }
  const locale = negotiateLocale({
    cookie: readCookies(req.headers.cookie)[LOCALE_COOKIE],
    acceptLanguage: req.get('accept-language') ?? null,
  })
  const first = PAGE[locale]
  const second = PAGE[locale === 'en' ? 'zh-CN' : 'en']
  return res
    .type('html')
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
        `<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS * 2}">` +
        `<title>${first.title} · ${second.title}</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">` +
        `<h1>${first.title}</h1><p role="alert">${first.body}</p>` +
        `<p lang="${locale === 'en' ? 'zh-CN' : 'en'}">${second.body}</p>` +
        `<p><a href="">${first.retry}</a></p></body></html>`,
    )
}
