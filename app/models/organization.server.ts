import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import type { Locale, MembershipRole } from '../../db/schema.ts'
import { randomToken, sha256 } from '../utils/crypto.server.ts'
import type { AccountView } from './user.server.ts'
import { getAccount, insertUser, normalizeEmail } from './user.server.ts'
import {
  AlreadyMemberError,
  ForbiddenError,
  InvalidTokenError,
  LastOwnerError,
  NotFoundError,
  OrganizationSuspendedError,
} from './errors.ts'
import { queueEmail } from './email.server.ts'

export const INVITATION_TTL_DAYS = 7

function requireOwner(actor: AccountView) {
  if (actor.role !== 'owner') throw new ForbiddenError('Only owners can manage members')
}

/** Members of the actor's organisation, owners first. */
export function listMembers(db: Db, organizationId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
    .where('memberships.organization_id', '=', organizationId)
    .orderBy(sql`memberships.role = 'owner'`, 'desc')
    .orderBy('memberships.created_at')
    .execute()
}

export function listPendingInvitations(db: Db, organizationId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'created_at', 'expires_at'])
    .where('organization_id', '=', organizationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute()
}

/**
 * Invites an email to the actor's organisation (owners only) and emails the link.
 * A pending invitation to the same email is replaced.
 */
export async function inviteMember(
  tx: Tx,
  input: {
    actor: AccountView
    email: string
    role: MembershipRole
    publicUrl: string
    locale: Locale
  },
) {
  requireOwner(input.actor)
  const email = normalizeEmail(input.email)
  const existing = await tx
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst()
  if (existing) {
    throw new AlreadyMemberError('This email already belongs to a company', { field: 'email' })
  }
  await tx
    .updateTable('invitations')
    .set({ revoked_at: sql<Date>`now()` })
    .where('organization_id', '=', input.actor.organization.id)
    .where('email', '=', email)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute()
  const token = randomToken()
  const invitation = await tx
    .insertInto('invitations')
    .values({
      organization_id: input.actor.organization.id,
      email,
      role: input.role,
      token_hash: sha256(token),
      invited_by: input.actor.user.id,
      expires_at: sql<Date>`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
    })
    .returning(['id', 'email', 'role', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow()
  await queueEmail(tx, {
    to: email,
    locale: input.locale,
    template: 'invitation',
    props: {
      inviter: input.actor.user.name,
      organization: input.actor.organization.name,
      role: input.role,
      url: `${input.publicUrl}/invitations/${token}`,
      validDays: INVITATION_TTL_DAYS,
    },
  })
  return invitation
}

export async function revokeInvitation(
  db: Db,
  input: { actor: AccountView; invitationId: string },
) {
  requireOwner(input.actor)
  const row = await db
    .updateTable('invitations')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', input.invitationId)
    .where('organization_id', '=', input.actor.organization.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  if (!row) throw new NotFoundError('No such pending invitation')
}

/** The invitation behind an emailed token, while it can still be accepted. */
export async function findInvitation(db: Db | Tx, token: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('organizations', 'organizations.id', 'invitations.organization_id')
    .leftJoin('users as inviter', 'inviter.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'invitations.organization_id',
      'organizations.name as organization_name',
      'organizations.kind as organization_kind',
      'inviter.name as inviter_name',
    ])
    .where('invitations.token_hash', '=', sha256(token))
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', sql<Date>`now()`)
    .where('organizations.suspended_at', 'is', null)
    .executeTakeFirst()
}

/** Creates the invited user's account and membership; the token then stops working. */
export async function acceptInvitation(
  tx: Tx,
  input: { token: string; name: string; password: string; locale: Locale },
): Promise<AccountView> {
  const invitation = await tx
    .updateTable('invitations')
    .set({ accepted_at: sql<Date>`now()` })
    .where('token_hash', '=', sha256(input.token))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['organization_id', 'email', 'role'])
    .executeTakeFirst()
  if (!invitation) throw new InvalidTokenError('This invitation is invalid, used or expired')
  const organization = await tx
    .selectFrom('organizations')
    .select('suspended_at')
    .where('id', '=', invitation.organization_id)
    .executeTakeFirstOrThrow()
  if (organization.suspended_at) {
    throw new OrganizationSuspendedError('This company is suspended by the platform operators')
  }
  const userId = await insertUser(tx, {
    email: invitation.email,
    name: input.name,
    password: input.password,
    locale: input.locale,
  })
  await tx
    .insertInto('memberships')
    .values({ user_id: userId, organization_id: invitation.organization_id, role: invitation.role })
    .execute()
  return (await getAccount(tx, userId))!
}

/** Removes a member (owners only); an organisation always keeps one owner. */
export async function removeMember(tx: Tx, input: { actor: AccountView; userId: string }) {
  requireOwner(input.actor)
  const orgId = input.actor.organization.id
  const members = await tx
    .selectFrom('memberships')
    .select(['user_id', 'role'])
    .where('organization_id', '=', orgId)
    .forUpdate()
    .execute()
  const target = members.find((m) => m.user_id === input.userId)
  if (!target) throw new NotFoundError('No such member')
  if (target.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1) {
    throw new LastOwnerError('A company needs at least one owner')
  }
  // The user has no other organisation, so removing the membership removes the account.
  await tx.deleteFrom('users').where('id', '=', input.userId).execute()
}

/** The owners of these organisations, to email them (name and language included). */
export async function ownersOf(db: Db | Tx, organizationIds: string[]) {
  // No ids, no query: `in ()` is not SQL, and a placeholder like '' is not a uuid.
  if (!organizationIds.length) return []
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.email', 'users.name', 'users.locale', 'memberships.organization_id'])
    .where('memberships.organization_id', 'in', organizationIds)
    .where('memberships.role', '=', 'owner')
    .execute()
}
