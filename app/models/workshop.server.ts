import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { recordSearchChange } from '../../search/changes.server.ts'
import type { AccountView } from './user.server.ts'
import { NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import type { WorkshopProfileInput } from './workshop.schema.ts'
import { queueEmail } from './email.server.ts'
import { ownersOf } from './organization.server.ts'
import { idleHours4w } from './capacity.server.ts'
import { requireOperator, requireWorkshop } from './actor.server.ts'

const profileColumns = [
  'organizations.id',
  'organizations.name',
  'organizations.legal_name',
  'organizations.uscc',
  'organizations.town',
  'organizations.address',
  'organizations.lat',
  'organizations.lng',
  'organizations.description',
  'organizations.clusters',
  'organizations.certifications',
  'organizations.verification_status',
  'organizations.verification_note',
  'organizations.verification_requested_at',
  'organizations.verified_at',
  'organizations.rating',
  'organizations.created_at',
] as const

/** A workshop's full profile with its documents and photos (for itself and operators). */
export async function getWorkshopProfile(db: Db, organizationId: string) {
  const profile = await db
    .selectFrom('organizations')
    .select(profileColumns)
    .where('id', '=', organizationId)
    .where('kind', '=', 'workshop')
    .executeTakeFirst()
  if (!profile) return undefined
  const files = await db
    .selectFrom('files')
    .select([
      'id',
      'purpose',
      'certification',
      'original_name',
      'content_type',
      'size_bytes',
      'created_at',
    ])
    .where('organization_id', '=', organizationId)
    .where('purpose', 'in', ['certificate', 'business_license', 'workshop_photo'])
    .orderBy('created_at')
    .execute()
  return { ...profile, files }
}

/** Records a change to all the workshop's search documents (they carry its profile). */
export function syncWorkshop(tx: Tx, organizationId: string) {
  return recordSearchChange(tx, { organizationId })
}

/**
 * Saves the workshop's profile. Changing the legal name or credit code of a verified
 * workshop sends it back to the verification queue.
 */
export async function updateWorkshopProfile(
  tx: Tx,
  actor: AccountView,
  input: WorkshopProfileInput,
) {
  requireWorkshop(actor, 'Only workshops have this profile')
  const current = await tx
    .selectFrom('organizations')
    .select(['legal_name', 'uscc', 'verification_status'])
    .where('id', '=', actor.organization.id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const taken = await tx
    .selectFrom('organizations')
    .select('id')
    .where('uscc', '=', input.uscc)
    .where('id', '!=', actor.organization.id)
    .executeTakeFirst()
  if (taken) {
    throw new StateConflictError(
      'uscc_taken',
      'Another company on the platform has this credit code',
      {
        field: 'uscc',
      },
    )
  }
  const identityChanged = current.legal_name !== input.legalName || current.uscc !== input.uscc
  const reverify = current.verification_status === 'verified' && identityChanged
  await tx
    .updateTable('organizations')
    .set({
      name: input.name,
      legal_name: input.legalName,
      uscc: input.uscc,
      town: input.town,
      address: input.address,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      description: input.description ?? null,
      clusters: input.clusters,
      certifications: input.certifications,
      updated_at: sql<Date>`now()`,
      ...(reverify
        ? {
            verification_status: 'pending' as const,
            verification_requested_at: sql<Date>`now()`,
            verified_at: null,
            verification_note: null,
          }
        : {}),
    })
    .where('id', '=', actor.organization.id)
    .execute()
  await syncWorkshop(tx, actor.organization.id)
  return { reverify }
}

/** Puts the workshop in the operators' verification queue once its profile is complete. */
export async function requestVerification(tx: Tx, actor: AccountView) {
  requireWorkshop(actor, 'Only workshops have this profile')
  const org = await tx
    .selectFrom('organizations')
    .select(['legal_name', 'uscc', 'address', 'town', 'verification_status'])
    .where('id', '=', actor.organization.id)
    .forUpdate()
    .executeTakeFirstOrThrow()
  if (org.verification_status === 'pending') {
    throw new StateConflictError('verification_pending', 'Verification is already requested')
  }
  if (org.verification_status === 'verified') {
    throw new StateConflictError('already_verified', 'This workshop is already verified')
  }
  if (!org.legal_name || !org.uscc || !org.address || !org.town) {
    throw new RuleViolationError(
      'profile_incomplete',
      'Fill in legal name, credit code, town and address first',
    )
  }
  const license = await tx
    .selectFrom('files')
    .select('id')
    .where('organization_id', '=', actor.organization.id)
    .where('purpose', '=', 'business_license')
    .limit(1)
    .executeTakeFirst()
  if (!license) {
    throw new RuleViolationError('license_missing', 'Upload the business licence (营业执照) first')
  }
  await tx
    .updateTable('organizations')
    .set({
      verification_status: 'pending',
      verification_requested_at: sql<Date>`now()`,
      verification_note: null,
    })
    .where('id', '=', actor.organization.id)
    .execute()
}

/** Workshops waiting for an operator, oldest request first. */
export function listVerificationQueue(db: Db) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'legal_name', 'uscc', 'town', 'verification_requested_at'])
    .where('kind', '=', 'workshop')
    .where('verification_status', '=', 'pending')
    .orderBy('verification_requested_at')
    .execute()
}

/**
 * An operator approves or rejects a pending workshop; the owners are emailed and the
 * workshop's resources re-indexed. A decision on a workshop that is no longer pending
 * (another operator was quicker, a stale page) is refused.
 */
export async function reviewVerification(
  tx: Tx,
  operator: AccountView,
  input: {
    organizationId: string
    decision: 'approve' | 'reject'
    reason?: string
    publicUrl: string
  },
) {
  requireOperator(operator)
  const org = await tx
    .selectFrom('organizations')
    .select(['id', 'name', 'verification_status'])
    .where('id', '=', input.organizationId)
    .where('kind', '=', 'workshop')
    .forUpdate()
    .executeTakeFirst()
  if (!org) throw new NotFoundError('No such workshop')
  if (org.verification_status !== 'pending') {
    throw new StateConflictError('not_pending', 'This workshop is not waiting for verification')
  }
  const approved = input.decision === 'approve'
  await tx
    .updateTable('organizations')
    .set({
      verification_status: approved ? 'verified' : 'rejected',
      verification_note: input.reason ?? null,
      verified_at: approved ? sql<Date>`now()` : null,
      verified_by: operator.user.id,
    })
    .where('id', '=', org.id)
    .execute()
  const owners = await ownersOf(tx, [org.id])
  for (const owner of owners) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template: 'verification-result',
      props: {
        name: owner.name,
        workshop: org.name,
        approved,
        reason: input.reason ?? '',
        url: `${input.publicUrl}/workshop/profile`,
      },
    })
  }
  await syncWorkshop(tx, org.id)
}

/** What anyone may see of a workshop: profile basics and active resources; nothing if suspended. */
export async function getPublicWorkshop(db: Db, organizationId: string) {
  const workshop = await db
    .selectFrom('organizations')
    .select([
      'id',
      'name',
      'town',
      'address',
      'description',
      'clusters',
      'certifications',
      'verification_status',
      'verified_at',
      'rating',
    ])
    .where('id', '=', organizationId)
    .where('kind', '=', 'workshop')
    .where('suspended_at', 'is', null)
    .executeTakeFirst()
  if (!workshop) return undefined
  const resources = await db
    .selectFrom('resources')
    .select([
      'id',
      'process',
      'name',
      'make',
      'model',
      'materials',
      'envelope_x_mm',
      'envelope_y_mm',
      'envelope_z_mm',
      'tolerance_mm',
      'finishes',
    ])
    .where('organization_id', '=', organizationId)
    .where('active', '=', true)
    .orderBy('created_at')
    .execute()
  const idle = await idleHours4w(
    db,
    resources.map((r) => r.id),
  )
  const photos = await db
    .selectFrom('files')
    .select(['id', 'original_name'])
    .where('organization_id', '=', organizationId)
    .where('purpose', '=', 'workshop_photo')
    .orderBy('created_at')
    .execute()
  return {
    workshop: { ...workshop, verified: workshop.verification_status === 'verified' },
    resources: resources.map((r) => ({ ...r, idle_hours_4w: idle(r.id) })),
    photos,
  }
}
