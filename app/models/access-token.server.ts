import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'
import { randomToken, sha256 } from '../utils/crypto.server.ts'
import { NotFoundError } from './errors.ts'

export const TOKEN_PREFIX = 'sfpat_'

/** Creates a personal access token; the plain token is returned once and never stored. */
export async function createAccessToken(db: Db, input: { userId: string; name: string }) {
  const token = `${TOKEN_PREFIX}${randomToken()}`
  const row = await db
    .insertInto('personal_access_tokens')
    .values({
      user_id: input.userId,
      name: input.name.trim(),
      token_hash: sha256(token),
      token_prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    })
    .returning(['id', 'name', 'token_prefix', 'created_at'])
    .executeTakeFirstOrThrow()
  return { ...row, token }
}

export function listAccessTokens(db: Db, userId: string) {
  return db
    .selectFrom('personal_access_tokens')
    .select(['id', 'name', 'token_prefix', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute()
}

export async function revokeAccessToken(db: Db, input: { userId: string; tokenId: string }) {
  const row = await db
    .updateTable('personal_access_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', input.tokenId)
    .where('user_id', '=', input.userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (!row) throw new NotFoundError('No such token')
}

/** The token's user id when it is valid; marks it used (at most once a minute). */
export async function authenticateAccessToken(db: Db, token: string): Promise<string | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined
  const row = await db
    .selectFrom('personal_access_tokens')
    .select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db
      .updateTable('personal_access_tokens')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', row.id)
      .execute()
  }
  return row.user_id
}
