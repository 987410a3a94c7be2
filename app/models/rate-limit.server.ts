import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'
import { RateLimitedError } from './errors.ts'

// Rate limits kept in PostgreSQL, so they hold across every web process (decision 015).
// Fixed windows: a key's hits are counted in the window `now()` falls in, one upsert per hit.
// A refused request still counts; that never lengthens the wait, which ends with the window.

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number
  windowSeconds: number
}

/**
 * The limits (see docs/security.md), per window. Login failures per account are counted
 * apart, in login_attempts (models/user.server.ts: 10 in 15 minutes).
 */
export const RATE_LIMITS = {
  /** Every login attempt from one IP (page and API). */
  loginIp: { limit: 50, windowSeconds: 15 * 60 },
  /** Sign-ups from one IP. */
  signupIp: { limit: 10, windowSeconds: 60 * 60 },
  /** Password-reset emails asked for from one IP, and for one address. */
  passwordResetIp: { limit: 20, windowSeconds: 60 * 60 },
  passwordResetEmail: { limit: 5, windowSeconds: 60 * 60 },
  /** Uploads (CAD parts, documents, photos, attachments) by one user, and from one IP. */
  uploadUser: { limit: 60, windowSeconds: 60 * 60 },
  uploadIp: { limit: 200, windowSeconds: 60 * 60 },
} as const satisfies Record<string, RateLimit>

export type RateLimitName = keyof typeof RATE_LIMITS

/** Counts one hit of `key` and says whether it is within `limit` for the current window. */
export async function hit(
  db: Db,
  key: string,
  { limit, windowSeconds }: RateLimit,
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const { rows } = await sql<{ hits: number; retry_after: number }>`
    with w as (
      select to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})
        as start
    )
    insert into rate_limits as r (key, window_start, expires_at, hits)
    select ${key}, w.start, w.start + make_interval(secs => ${windowSeconds}), 1 from w
    on conflict (key, window_start) do update set hits = r.hits + 1
    returning r.hits, ceil(extract(epoch from r.expires_at - now()))::int as retry_after`.execute(
    db,
  )
  const row = rows[0]!
  const allowed = row.hits <= limit
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, row.retry_after) }
}

/**
 * Counts one hit against each named limit for its subject (an IP, a user id, an email) and
 * throws RateLimitedError, with the longest wait, when any is exceeded. `factor` scales every
 * limit (settings.rateLimits: 0 turns them off).
 */
export async function enforceRateLimits(
  db: Db,
  factor: number,
  checks: Array<[RateLimitName, string]>,
  options: { field?: string } = {},
): Promise<void> {
  if (factor <= 0) return
  let retryAfterSeconds = 0
  for (const [name, subject] of checks) {
    const rule = RATE_LIMITS[name]
    const limit = Math.max(1, Math.round(rule.limit * factor))
    const result = await hit(db, `${name}:${subject}`, { ...rule, limit })
    if (!result.allowed) retryAfterSeconds = Math.max(retryAfterSeconds, result.retryAfterSeconds)
  }
  if (retryAfterSeconds > 0) throw new RateLimitedError(retryAfterSeconds, options)
}
