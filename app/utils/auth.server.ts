import { redirect } from '@remix-run/node'
import type { AppContext } from '../context.ts'
import type { OrganizationKind } from '../../db/schema.ts'
import { getAccount, type AccountView } from '../models/user.server.ts'
import { createSession, deleteSession, findSession } from '../models/session.server.ts'
import { authenticateAccessToken } from '../models/access-token.server.ts'
import {
  CSRF_COOKIE,
  SESSION_COOKIE,
  SESSION_TTL_DAYS,
  issueCsrf,
  readCookies,
  serializeExpired,
  serializeSigned,
  unsign,
} from './cookies.server.ts'

export interface Auth {
  account: AccountView
  via: 'session' | 'token'
  /** Present when authenticated by cookie: the session row's id. */
  sessionId?: string
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get('authorization')
  if (!header?.toLowerCase().startsWith('bearer ')) return undefined
  return header.slice(7).trim() || undefined
}

export function sessionTokenFrom(request: Request, context: AppContext): string | undefined {
  const cookies = readCookies(request.headers.get('cookie'))
  return unsign(cookies[SESSION_COOKIE], context.settings.sessionSecrets)
}

/**
 * Who is asking: a Bearer personal access token, else the session cookie.
 * A Bearer header that does not verify means nobody (no fallback to the cookie).
 */
export async function getAuth(request: Request, context: AppContext): Promise<Auth | null> {
  const bearer = bearerToken(request)
  if (bearer !== undefined || request.headers.has('authorization')) {
    if (!bearer) return null
    const userId = await authenticateAccessToken(context.db, bearer)
    const account = userId ? await getAccount(context.db, userId) : undefined
    return account ? { account, via: 'token' } : null
  }
  const token = sessionTokenFrom(request, context)
  if (!token) return null
  const session = await findSession(context.db, token)
  if (!session) return null
  const account = await getAccount(context.db, session.user_id)
  return account ? { account, via: 'session', sessionId: session.id } : null
}

/** The signed-in account, or a redirect to the login page that comes back here. */
export async function requireAccount(request: Request, context: AppContext): Promise<AccountView> {
  const auth = await getAuth(request, context)
  if (auth) return auth.account
  const url = new URL(request.url)
  const redirectTo = `${url.pathname}${url.search}`
  throw redirect(`/login?${new URLSearchParams({ redirectTo })}`)
}

/** Like requireAccount, and 403 unless the account's organisation is one of `kinds`. */
export async function requireKind(
  request: Request,
  context: AppContext,
  kinds: OrganizationKind[],
): Promise<AccountView> {
  const account = await requireAccount(request, context)
  if (!kinds.includes(account.organization.kind)) throw new Response('Forbidden', { status: 403 })
  return account
}

export function dashboardPath(kind: OrganizationKind): string {
  return kind === 'design_firm' ? '/designer' : kind === 'workshop' ? '/workshop' : '/console'
}

/**
 * Starts a session for `userId` and returns the Set-Cookie headers that carry it. The
 * CSRF token is rotated at login so a token planted before login is useless after it.
 */
export async function startSession(request: Request, context: AppContext, userId: string) {
  const { sessionSecrets, secureCookies } = context.settings
  const sessionToken = await createSession(context.db, {
    userId,
    ip: context.clientIp,
    userAgent: request.headers.get('user-agent'),
  })
  const csrf = issueCsrf(sessionSecrets, secureCookies)
  const headers = new Headers()
  headers.append(
    'Set-Cookie',
    serializeSigned(
      SESSION_COOKIE,
      sessionToken,
      sessionSecrets,
      secureCookies,
      SESSION_TTL_DAYS * 86400,
    ),
  )
  headers.append('Set-Cookie', csrf.setCookie)
  return { headers, csrfToken: csrf.token }
}

/** Ends the current cookie session (if any) and returns headers that clear the cookies. */
export async function endSession(request: Request, context: AppContext): Promise<Headers> {
  const token = sessionTokenFrom(request, context)
  if (token) await deleteSession(context.db, token)
  const headers = new Headers()
  headers.append('Set-Cookie', serializeExpired(SESSION_COOKIE, context.settings.secureCookies))
  headers.append('Set-Cookie', serializeExpired(CSRF_COOKIE, context.settings.secureCookies))
  return headers
}
