import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { Locale, MembershipRole, OrganizationKind } from '../../db/schema.ts'
import {
  EmailTakenError,
  InvalidCredentialsError,
  InvalidTokenError,
  OrganizationSuspendedError,
  TooManyAttemptsError,
  WrongPasswordError,
} from './errors.ts'
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.server.ts'
import { randomToken, sha256 } from '../utils/crypto.server.ts'
import { queueEmail } from './email.server.ts'

export interface AccountView {
  user: { id: string; email: string; name: string; locale: Locale }
  organization: { id: string; kind: OrganizationKind; name: string; town: string | null }
  role: MembershipRole
}

export const LOGIN_WINDOW_MINUTES = 15
export const LOGIN_MAX_FAILURES = 10
const RESET_TTL_MINUTES = 60

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * The user with their organisation and role, or undefined — also when the organisation is
 * suspended, so no session or access token of its members authenticates anyone.
 */
export async function getAccount(db: Db | Tx, userId: string): Promise<AccountView | undefined> {
  const row = await db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
    .select([
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.locale',
      'organizations.id as organization_id',
      'organizations.kind',
      'organizations.name as organization_name',
      'organizations.town',
      'memberships.role',
    ])
    .where('users.id', '=', userId)
    .where('organizations.suspended_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    user: { id: row.user_id, email: row.email, name: row.name, locale: row.locale },
    organization: {
      id: row.organization_id,
      kind: row.kind,
      name: row.organization_name,
      town: row.town,
    },
    role: row.role,
  }
}

export interface SignUpInput {
  kind: 'design_firm' | 'workshop'
  organizationName: string
  town: string
  name: string
  email: string
  password: string
  locale: Locale
}

/** Creates a user and the organisation they own. */
export async function signUp(tx: Tx, input: SignUpInput): Promise<AccountView> {
  const organization = await tx
    .insertInto('organizations')
    .values({ kind: input.kind, name: input.organizationName.trim(), town: input.town })
    .returning('id')
    .executeTakeFirstOrThrow()
  const userId = await insertUser(tx, input)
  await tx
    .insertInto('memberships')
    .values({ user_id: userId, organization_id: organization.id, role: 'owner' })
    .execute()
  return (await getAccount(tx, userId))!
}

/** Inserts a user row; a taken email becomes a field error on `email`. */
export async function insertUser(
  tx: Tx,
  input: { email: string; name: string; password: string; locale: Locale },
): Promise<string> {
  const email = normalizeEmail(input.email)
  const passwordHash = await hashPassword(input.password)
  const row = await tx
    .insertInto('users')
    .values({ email, name: input.name.trim(), password_hash: passwordHash, locale: input.locale })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) throw new EmailTakenError('This email already has an account', { field: 'email' })
  return row.id
}

/**
 * Checks a password. Failures are counted per email, from any IP (an attacker spreading
 * guesses over many addresses meets the same limit); past LOGIN_MAX_FAILURES in
 * LOGIN_WINDOW_MINUTES the attempt is refused before the password is looked at. A password
 * reset clears the count. A member of a suspended organisation is refused (403) — only after
 * the right password, so the refusal tells nobody else that the account exists.
 */
export async function verifyLogin(
  db: Db,
  input: { email: string; password: string; ip: string },
): Promise<AccountView> {
  const email = normalizeEmail(input.email)
  const window = await db
    .selectFrom('login_attempts')
    .select([
      (eb) => eb.fn.countAll<number>().as('failures'),
      (eb) => eb.fn.min('attempted_at').as('oldest'),
    ])
    .where('email', '=', email)
    .where('attempted_at', '>', sql<Date>`now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`)
    .executeTakeFirstOrThrow()
  if (Number(window.failures) >= LOGIN_MAX_FAILURES && window.oldest) {
    const retryAt = new Date(window.oldest).getTime() + LOGIN_WINDOW_MINUTES * 60_000
    throw new TooManyAttemptsError(Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)))
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst()
  const ok = await verifyPassword(
    user?.password_hash ?? (await dummyPasswordHash()),
    input.password,
  )
  if (!user || !ok) {
    await db.insertInto('login_attempts').values({ email, ip: input.ip }).execute()
    throw new InvalidCredentialsError('Wrong email or password')
  }
  await db.deleteFrom('login_attempts').where('email', '=', email).execute()
  const account = await getAccount(db, user.id)
  if (!account) {
    throw new OrganizationSuspendedError('Your company is suspended by the platform operators')
  }
  return account
}

export async function updateProfile(
  db: Db | Tx,
  userId: string,
  input: { name?: string; locale?: Locale },
): Promise<void> {
  if (input.name === undefined && input.locale === undefined) return
  await db
    .updateTable('users')
    .set({
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', userId)
    .execute()
}

/** Changes the password after checking the current one; other sessions are ended. */
export async function changePassword(
  tx: Tx,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionId?: string },
): Promise<void> {
  const user = await tx
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', input.userId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new WrongPasswordError('The current password is wrong', { field: 'currentPassword' })
  }
  await setPassword(tx, input.userId, input.newPassword, input.keepSessionId)
}

async function setPassword(tx: Tx, userId: string, password: string, keepSessionId?: string) {
  await tx
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), updated_at: sql<Date>`now()` })
    .where('id', '=', userId)
    .execute()
  let sessions = tx.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepSessionId) sessions = sessions.where('id', '!=', keepSessionId)
  await sessions.execute()
}

/**
 * Emails a reset link when the address has an account; says nothing either way, so the
 * form cannot be used to find out who has an account.
 */
export async function requestPasswordReset(
  tx: Tx,
  input: { email: string; publicUrl: string },
): Promise<void> {
  const user = await tx
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale'])
    .where('email', '=', normalizeEmail(input.email))
    .executeTakeFirst()
  if (!user) return
  const token = randomToken()
  await tx
    .insertInto('password_resets')
    .values({
      token_hash: sha256(token),
      user_id: user.id,
      expires_at: sql<Date>`now() + make_interval(mins => ${RESET_TTL_MINUTES})`,
    })
    .execute()
  await queueEmail(tx, {
    to: user.email,
    locale: user.locale,
    template: 'password-reset',
    props: {
      name: user.name,
      url: `${input.publicUrl}/reset-password/${token}`,
      validMinutes: RESET_TTL_MINUTES,
    },
  })
}

/** True when the token can still be used; the reset page checks before showing its form. */
export async function isResetTokenUsable(db: Db, token: string): Promise<boolean> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
  return Boolean(row)
}

/** Sets a new password from an emailed token; the token works once, and all sessions end. */
export async function resetPassword(
  tx: Tx,
  input: { token: string; password: string },
): Promise<string> {
  const row = await tx
    .updateTable('password_resets')
    .set({ used_at: sql<Date>`now()` })
    .where('token_hash', '=', sha256(input.token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('user_id')
    .executeTakeFirst()
  if (!row) throw new InvalidTokenError('This reset link is invalid, used or expired')
  await setPassword(tx, row.user_id, input.password)
  await tx
    .deleteFrom('login_attempts')
    .where('email', '=', sql<string>`(select email from users where id = ${row.user_id})`)
    .execute()
  return row.user_id
}

/** Creates an operator: a member of the platform organisation (created on first use). */
export async function createOperator(
  tx: Tx,
  input: { email: string; password: string; name: string; locale?: Locale },
): Promise<AccountView> {
  let platform = await tx
    .selectFrom('organizations')
    .select('id')
    .where('kind', '=', 'platform')
    .orderBy('created_at')
    .executeTakeFirst()
  platform ??= await tx
    .insertInto('organizations')
    .values({ kind: 'platform', name: '共享工厂平台运营', town: 'huoju' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const userId = await insertUser(tx, { ...input, locale: input.locale ?? 'zh-CN' })
  await tx
    .insertInto('memberships')
    .values({ user_id: userId, organization_id: platform.id, role: 'member' })
    .execute()
  return (await getAccount(tx, userId))!
}
