import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { requireOperator } from './actor.server.ts'
import { audit } from './audit.server.ts'
import { NotFoundError, StateConflictError } from './errors.ts'
import {
  ORGANIZATIONS_PER_PAGE,
  SuspendReasonSchema,
  type OrganizationQuery,
} from './operations.schema.ts'
import type { AccountView } from './user.server.ts'
import { syncWorkshop } from './workshop.server.ts'

// Suspending an organisation (issue 9, "suspend an organisation: its listings leave search,
// its sessions end"). While organizations.suspended_at is set: getAccount finds none of its
// members, so no session or access token authenticates and login is refused; its machines are
// not search documents (search/document.ts), not matched (matching.server.ts) and its public
// pages are gone; its open jobs leave the job board and its quotes cannot be accepted.

const directoryColumns = [
  'organizations.id',
  'organizations.name',
  'organizations.kind',
  'organizations.town',
  'organizations.verification_status',
  'organizations.suspended_at',
  'organizations.suspended_reason',
  'organizations.created_at',
] as const

const likeAny = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/**
 * The operators' organisation directory: by name, legal name or 统一社会信用代码 (`q`, any
 * part) and kind, by name, a page at a time, with each one's member count.
 */
export async function listOrganizations(
  db: Db,
  query: OrganizationQuery,
  perPage = ORGANIZATIONS_PER_PAGE,
) {
  let select = db.selectFrom('organizations')
  if (query.q) {
    const pattern = likeAny(query.q)
    select = select.where((eb) =>
      eb.or([
        eb('organizations.name', 'ilike', pattern),
        eb('organizations.legal_name', 'ilike', pattern),
        eb('organizations.uscc', 'ilike', pattern),
      ]),
    )
  }
  if (query.kind) select = select.where('organizations.kind', '=', query.kind)
  const [rows, count] = await Promise.all([
    select
      .select(directoryColumns)
      .select(
        sql<number>`(select count(*) from memberships
          where memberships.organization_id = organizations.id)::int`.as('members'),
      )
      .orderBy('organizations.name')
      .orderBy('organizations.id')
      .limit(perPage)
      .offset((query.page - 1) * perPage)
      .execute(),
    select.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ])
  const total = Number(count.total)
  return {
    organizations: rows,
    page: query.page,
    perPage,
    total,
    pages: Math.max(1, Math.ceil(total / perPage)),
  }
}

export type DirectoryOrganization = Awaited<
  ReturnType<typeof listOrganizations>
>['organizations'][number]

/** One organisation as the directory shows it, or undefined. */
export function getDirectoryOrganization(db: Db | Tx, organizationId: string) {
  return db
    .selectFrom('organizations')
    .select(directoryColumns)
    .select(
      sql<number>`(select count(*) from memberships
        where memberships.organization_id = organizations.id)::int`.as('members'),
    )
    .where('organizations.id', '=', organizationId)
    .executeTakeFirst()
}

async function lockOrganization(tx: Tx, organizationId: string) {
  const org = await tx
    .selectFrom('organizations')
    .select(['id', 'kind', 'suspended_at', 'suspended_reason'])
    .where('id', '=', organizationId)
    .forUpdate()
    .executeTakeFirst()
  if (!org) throw new NotFoundError('No such organisation')
  return org
}

/**
 * Suspends an organisation (operators), in the caller's transaction: records when and why,
 * ends every session of its members, audits, and queues the re-index that takes its machines
 * out of search. The platform itself cannot be suspended (409 cannot_suspend_platform); a
 * suspended one is refused again (409 already_suspended), so a second submit changes nothing.
 * Returns how many sessions ended.
 */
export async function suspendOrganization(
  tx: Tx,
  operator: AccountView,
  input: { organizationId: string; reason: string },
): Promise<{ sessionsEnded: number }> {
  requireOperator(operator, 'Operators suspend organisations')
  const reason = SuspendReasonSchema.parse(input.reason)
  const org = await lockOrganization(tx, input.organizationId)
  if (org.kind === 'platform') {
    throw new StateConflictError(
      'cannot_suspend_platform',
      'The platform operators’ own organisation cannot be suspended',
    )
  }
  if (org.suspended_at) {
    throw new StateConflictError('already_suspended', 'This organisation is already suspended', {
      details: { suspended_at: new Date(org.suspended_at).toISOString() },
    })
  }
  const after = await tx
    .updateTable('organizations')
    .set({ suspended_at: sql<Date>`now()`, suspended_reason: reason, updated_at: sql<Date>`now()` })
    .where('id', '=', org.id)
    .returning(['suspended_at', 'suspended_reason'])
    .executeTakeFirstOrThrow()
  const ended = await tx
    .deleteFrom('sessions')
    .where('user_id', 'in', (eb) =>
      eb
        .selectFrom('memberships')
        .select('memberships.user_id')
        .where('memberships.organization_id', '=', org.id),
    )
    .executeTakeFirst()
  await audit(
    tx,
    operator,
    'organization.suspend',
    org.id,
    { suspended_at: null, suspended_reason: null },
    after,
  )
  await syncWorkshop(tx, org.id)
  return { sessionsEnded: Number(ended.numDeletedRows) }
}

/**
 * Lifts a suspension (operators), audited, and queues the re-index that puts its machines back
 * in search. Members log in again; their old sessions stay ended. One that is not suspended is
 * refused (409 not_suspended).
 */
export async function reactivateOrganization(
  tx: Tx,
  operator: AccountView,
  input: { organizationId: string },
): Promise<void> {
  requireOperator(operator, 'Operators reactivate organisations')
  const org = await lockOrganization(tx, input.organizationId)
  if (!org.suspended_at) {
    throw new StateConflictError('not_suspended', 'This organisation is not suspended')
  }
  await tx
    .updateTable('organizations')
    .set({ suspended_at: null, suspended_reason: null, updated_at: sql<Date>`now()` })
    .where('id', '=', org.id)
    .execute()
  await audit(
    tx,
    operator,
    'organization.reactivate',
    org.id,
    { suspended_at: org.suspended_at, suspended_reason: org.suspended_reason },
    { suspended_at: null, suspended_reason: null },
  )
  await syncWorkshop(tx, org.id)
}
