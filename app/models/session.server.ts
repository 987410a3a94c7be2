import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { randomToken, sha256 } from '../utils/crypto.server.ts'
import { SESSION_TTL_DAYS } from '../utils/cookies.server.ts'

/** Starts a session; returns the cookie token (only its hash is stored). */
export async function createSession(
  db: Db | Tx,
  input: { userId: string; ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = randomToken()
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: input.userId,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
      expires_at: sql<Date>`now() + make_interval(days => ${SESSION_TTL_DAYS})`,
    })
    .execute()
  return token
}

/** The session's user id and session id when the token is current. */
export async function findSession(db: Db, token: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'user_id'])
    .where('id', '=', sha256(token))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute()
}
