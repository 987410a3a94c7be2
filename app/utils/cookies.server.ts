import { parse, serialize, type SerializeOptions } from 'cookie'
import { hmac, randomToken, safeEqual } from './crypto.server.ts'
import { LOCALE_COOKIE as LOCALE_COOKIE_NAME } from '../locales/index.ts'

export const SESSION_COOKIE = 'sf_session'
export const CSRF_COOKIE = 'sf_csrf'
export { CSRF_FIELD_NAME as CSRF_FIELD } from './csrf.ts'
export const CSRF_HEADER = 'x-csrf-token'
export const SESSION_TTL_DAYS = 30

export function readCookies(header: string | null | undefined): Record<string, string | undefined> {
  return header ? parse(header) : {}
}

/** `token.signature`; the signature uses the first secret, any listed secret verifies. */
export function sign(token: string, secrets: string[]): string {
  return `${token}.${hmac(secrets[0]!, token)}`
}

export function unsign(value: string | undefined, secrets: string[]): string | undefined {
  if (!value) return undefined
  const dot = value.lastIndexOf('.')
  if (dot <= 0) return undefined
  const token = value.slice(0, dot)
  const signature = value.slice(dot + 1)
  return secrets.some((s) => safeEqual(hmac(s, token), signature)) ? token : undefined
}

function baseOptions(secure: boolean): SerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure }
}

export function serializeSigned(
  name: string,
  token: string,
  secrets: string[],
  secure: boolean,
  maxAgeSeconds?: number,
): string {
  return serialize(name, sign(token, secrets), { ...baseOptions(secure), maxAge: maxAgeSeconds })
}

export function serializeExpired(name: string, secure: boolean): string {
  return serialize(name, '', { ...baseOptions(secure), maxAge: 0, expires: new Date(0) })
}

/** A fresh CSRF token and the Set-Cookie header that carries it. */
export function issueCsrf(
  secrets: string[],
  secure: boolean,
): { token: string; setCookie: string } {
  const token = randomToken()
  return { token, setCookie: serializeSigned(CSRF_COOKIE, token, secrets, secure) }
}

export function csrfTokenFrom(cookieHeader: string | null | undefined, secrets: string[]) {
  return unsign(readCookies(cookieHeader)[CSRF_COOKIE], secrets)
}

/** The language cookie: a year, read by the server only (HttpOnly) for choosing the language. */
export function localeCookie(locale: string, secure: boolean): string {
  return serialize(LOCALE_COOKIE_NAME, locale, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: 365 * 86400,
    secure,
  })
}
