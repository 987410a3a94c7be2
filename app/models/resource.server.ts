import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import type { AccountView } from './user.server.ts'
import { ForbiddenError, NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import { processByCode } from './processes.ts'
import type { CapacityWindowInput, ResourceInput } from './resource.schema.ts'
import { addDays, capacityWeeks, idleHours4w, shanghaiToday } from './capacity.server.ts'

function requireWorkshop(actor: AccountView) {
  if (actor.organization.kind !== 'workshop')
    throw new ForbiddenError('Only workshops list resources')
}

/** Every listed material must exist, be active, and suit the process's family. */
async function checkMaterials(db: Db | Tx, process: string, codes: string[]) {
  const family = processByCode(process)?.family
  const unique = [...new Set(codes)]
  const rows = await db
    .selectFrom('materials')
    .select(['code', 'families', 'active'])
    .where('code', 'in', unique)
    .execute()
  const bad = unique.filter((code) => {
    const row = rows.find((r) => r.code === code)
    return !row || !row.active || !family || !row.families.includes(family)
  })
  if (bad.length) {
    throw new RuleViolationError(
      'material_unsuitable',
      `Materials not usable for ${process}: ${bad.join(', ')}`,
      {
        field: 'materials',
        details: { materials: bad },
      },
    )
  }
  return unique
}

function columns(input: ResourceInput, materials: string[]) {
  return {
    process: input.process,
    name: input.name,
    make: input.make,
    model: input.model,
    materials,
    envelope_x_mm: input.envelopeMm[0],
    envelope_y_mm: input.envelopeMm[1],
    envelope_z_mm: input.envelopeMm[2],
    tolerance_mm: input.toleranceMm,
    finishes: input.finishes,
    hourly_rate_fen: input.hourlyRateFen,
    setup_fee_fen: input.setupFeeFen,
    min_quantity: input.minQuantity,
    max_quantity: input.maxQuantity,
    description: input.description,
    active: input.active,
  }
}

function syncResource(tx: Tx, resourceId: string) {
  return enqueue(
    tx,
    'search__sync',
    { resourceIds: [resourceId] },
    { jobKey: `search:resource:${resourceId}` },
  )
}

/** Lists a new machine or line for the actor's workshop; it becomes searchable via the sync job. */
export async function createResource(
  tx: Tx,
  actor: AccountView,
  input: ResourceInput,
): Promise<string> {
  requireWorkshop(actor)
  const materials = await checkMaterials(tx, input.process, input.materials)
  const row = await tx
    .insertInto('resources')
    .values({ organization_id: actor.organization.id, ...columns(input, materials) })
    .returning('id')
    .executeTakeFirstOrThrow()
  await syncResource(tx, row.id)
  return row.id
}

/** Locks one of the actor's own resources; another workshop's resource is "not found". */
async function lockOwnResource(tx: Tx, actor: AccountView, resourceId: string) {
  const row = await tx
    .selectFrom('resources')
    .select(['id', 'organization_id'])
    .where('id', '=', resourceId)
    .where('organization_id', '=', actor.organization.id)
    .forUpdate()
    .executeTakeFirst()
  if (!row) throw new NotFoundError('No such resource')
  return row
}

export async function updateResource(
  tx: Tx,
  actor: AccountView,
  resourceId: string,
  input: ResourceInput,
) {
  requireWorkshop(actor)
  await lockOwnResource(tx, actor, resourceId)
  const materials = await checkMaterials(tx, input.process, input.materials)
  await tx
    .updateTable('resources')
    .set({ ...columns(input, materials), updated_at: sql<Date>`now()` })
    .where('id', '=', resourceId)
    .execute()
  await syncResource(tx, resourceId)
}

/** Deletes a resource that has no bookings; a booked one can only be deactivated. */
export async function deleteResource(tx: Tx, actor: AccountView, resourceId: string) {
  requireWorkshop(actor)
  await lockOwnResource(tx, actor, resourceId)
  const booked = await tx
    .selectFrom('capacity_bookings')
    .select('id')
    .where('resource_id', '=', resourceId)
    .limit(1)
    .executeTakeFirst()
  if (booked) {
    throw new StateConflictError(
      'resource_booked',
      'This resource has bookings; deactivate it instead',
    )
  }
  await tx.deleteFrom('resources').where('id', '=', resourceId).execute()
  await syncResource(tx, resourceId)
}

const MAX_WINDOW_DAYS = 366

/**
 * Replaces a resource's capacity windows. Windows may not overlap, offer more than 24 h a
 * day, end in the past or reach more than a year ahead.
 */
export async function replaceCapacity(
  tx: Tx,
  actor: AccountView,
  resourceId: string,
  windows: CapacityWindowInput[],
  today = shanghaiToday(),
) {
  requireWorkshop(actor)
  await lockOwnResource(tx, actor, resourceId)
  const sorted = [...windows].sort((a, b) => a.from.localeCompare(b.from))
  const horizon = addDays(today, MAX_WINDOW_DAYS)
  sorted.forEach((w, i) => {
    const index = windows.indexOf(w)
    if (w.to < today) {
      throw new RuleViolationError('window_past', 'A window ends in the past', {
        field: 'to',
        details: { index },
      })
    }
    if (w.to > horizon) {
      throw new RuleViolationError('window_too_far', 'Offer capacity at most a year ahead', {
        field: 'to',
        details: { index },
      })
    }
    const next = sorted[i + 1]
    if (next && next.from <= w.to) {
      throw new RuleViolationError(
        'window_overlap',
        `Windows ${w.from}–${w.to} and ${next.from}–${next.to} overlap`,
        {
          field: 'from',
          details: { index: windows.indexOf(next) },
        },
      )
    }
  })
  await tx.deleteFrom('capacity_windows').where('resource_id', '=', resourceId).execute()
  if (sorted.length) {
    await tx
      .insertInto('capacity_windows')
      .values(
        sorted.map((w) => ({
          resource_id: resourceId,
          starts_on: w.from,
          ends_on: w.to,
          hours_per_day: w.hoursPerDay,
        })),
      )
      .execute()
  }
  await syncResource(tx, resourceId)
}

export function listCapacityWindows(db: Db, resourceId: string) {
  return db
    .selectFrom('capacity_windows')
    .select(['id', 'starts_on', 'ends_on', 'hours_per_day'])
    .where('resource_id', '=', resourceId)
    .orderBy('starts_on')
    .execute()
}

const resourceColumns = [
  'resources.id',
  'resources.organization_id',
  'resources.process',
  'resources.name',
  'resources.make',
  'resources.model',
  'resources.materials',
  'resources.envelope_x_mm',
  'resources.envelope_y_mm',
  'resources.envelope_z_mm',
  'resources.tolerance_mm',
  'resources.finishes',
  'resources.hourly_rate_fen',
  'resources.setup_fee_fen',
  'resources.min_quantity',
  'resources.max_quantity',
  'resources.description',
  'resources.active',
  'resources.updated_at',
] as const

/** The workshop's own resources with idle hours in the coming 4 weeks. */
export async function listOwnResources(db: Db, organizationId: string) {
  const rows = await db
    .selectFrom('resources')
    .select(resourceColumns)
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .execute()
  const idle = await idleHours4w(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({ ...r, idle_hours_4w: idle(r.id) }))
}

/** One resource with its workshop and idle hours; inactive ones only for their own workshop. */
export async function getResource(db: Db, resourceId: string, viewerOrganizationId?: string) {
  const row = await db
    .selectFrom('resources')
    .innerJoin('organizations', 'organizations.id', 'resources.organization_id')
    .select([
      ...resourceColumns,
      'organizations.name as workshop_name',
      'organizations.town as workshop_town',
      'organizations.verification_status',
      'organizations.rating',
    ])
    .where('resources.id', '=', resourceId)
    .executeTakeFirst()
  if (!row) return undefined
  if (!row.active && row.organization_id !== viewerOrganizationId) return undefined
  const idle = await idleHours4w(db, [row.id])
  return { ...row, idle_hours_4w: idle(row.id) }
}

/** The weekly calendar of one of the actor's resources. */
export async function resourceCalendar(db: Db, actor: AccountView, resourceId: string, weeks = 8) {
  const own = await db
    .selectFrom('resources')
    .select('id')
    .where('id', '=', resourceId)
    .where('organization_id', '=', actor.organization.id)
    .executeTakeFirst()
  if (!own) throw new NotFoundError('No such resource')
  const [windows, calendar] = await Promise.all([
    listCapacityWindows(db, resourceId),
    capacityWeeks(db, resourceId, weeks),
  ])
  return { windows, weeks: calendar }
}
