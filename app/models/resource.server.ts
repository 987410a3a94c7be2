import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { recordSearchChange } from '../../search/changes.server.ts'
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

/** Records a change to one resource's search document (it carries idle hours and the workshop). */
export function syncResource(tx: Tx, resourceId: string) {
  return recordSearchChange(tx, { resourceIds: [resourceId] })
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

/**
 * Deletes a resource that has no bookings; a booked one can only be deactivated. Returns
 * the storage keys of its photos: delete those bytes after the transaction commits.
 */
export async function deleteResource(
  tx: Tx,
  actor: AccountView,
  resourceId: string,
): Promise<string[]> {
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
  const photos = await tx
    .deleteFrom('files')
    .where('resource_id', '=', resourceId)
    .returning('storage_key')
    .execute()
  await tx.deleteFrom('resources').where('id', '=', resourceId).execute()
  await syncResource(tx, resourceId)
  return photos.map((p) => p.storage_key)
}

/** A resource's photos, oldest first (photos are public, like the resource). */
export function listResourcePhotos(db: Db, resourceId: string) {
  return db
    .selectFrom('files')
    .select(['id', 'original_name', 'content_type', 'size_bytes', 'created_at'])
    .where('resource_id', '=', resourceId)
    .where('purpose', '=', 'resource_photo')
    .orderBy('created_at')
    .execute()
}

const MAX_WINDOW_DAYS = 366

/**
 * Replaces a resource's capacity from today on. Windows that ended before today are
 * history and stay as they are; the windows given replace every other one. They may not
 * overlap (each other or that history), offer more than 24 h a day, end in the past or
 * reach more than a year ahead.
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
  await writeCapacity(tx, resourceId, windows, today)
}

/** Adds one window to a resource's current ones (the rules of replaceCapacity apply). */
export async function addCapacityWindow(
  tx: Tx,
  actor: AccountView,
  resourceId: string,
  window: CapacityWindowInput,
  today = shanghaiToday(),
) {
  requireWorkshop(actor)
  await lockOwnResource(tx, actor, resourceId)
  const current = await currentWindows(tx, resourceId, today)
  await writeCapacity(tx, resourceId, [...current, window], today)
}

/** Removes one current or future window; 404 for a window that is not this resource's. */
export async function removeCapacityWindow(
  tx: Tx,
  actor: AccountView,
  resourceId: string,
  windowId: string,
  today = shanghaiToday(),
) {
  requireWorkshop(actor)
  await lockOwnResource(tx, actor, resourceId)
  const rows = await tx
    .selectFrom('capacity_windows')
    .select(['id', 'ends_on'])
    .where('resource_id', '=', resourceId)
    .execute()
  const target = rows.find((w) => w.id === windowId)
  if (!target) throw new NotFoundError('No such capacity window')
  if (target.ends_on < today) {
    throw new RuleViolationError('window_past', 'A window that has ended cannot be changed')
  }
  const current = await currentWindows(tx, resourceId, today)
  await writeCapacity(
    tx,
    resourceId,
    current.filter((w) => w.id !== windowId),
    today,
  )
}

async function currentWindows(tx: Tx, resourceId: string, today: string) {
  const rows = await tx
    .selectFrom('capacity_windows')
    .select(['id', 'starts_on', 'ends_on', 'hours_per_day'])
    .where('resource_id', '=', resourceId)
    .where('ends_on', '>=', today)
    .execute()
  return rows.map((w) => ({
    id: w.id,
    from: w.starts_on,
    to: w.ends_on,
    hoursPerDay: w.hours_per_day,
  }))
}

// The caller holds the resource's lock.
async function writeCapacity(
  tx: Tx,
  resourceId: string,
  windows: CapacityWindowInput[],
  today: string,
) {
  const history = await tx
    .selectFrom('capacity_windows')
    .select(['starts_on', 'ends_on'])
    .where('resource_id', '=', resourceId)
    .where('ends_on', '<', today)
    .execute()
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
    const past = history.find((h) => h.ends_on >= w.from)
    if (past) {
      throw new RuleViolationError(
        'window_overlap',
        `Window ${w.from}–${w.to} overlaps the past window ${past.starts_on}–${past.ends_on}`,
        { field: 'from', details: { index } },
      )
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
  await tx
    .deleteFrom('capacity_windows')
    .where('resource_id', '=', resourceId)
    .where('ends_on', '>=', today)
    .execute()
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

/**
 * One resource with its workshop and idle hours; inactive ones, and those of a suspended
 * workshop, only for their own workshop.
 */
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
    .select(sql<boolean>`organizations.suspended_at is null`.as('listed'))
    .where('resources.id', '=', resourceId)
    .executeTakeFirst()
  if (!row) return undefined
  const { listed, ...resource } = row
  if (!(resource.active && listed) && resource.organization_id !== viewerOrganizationId) {
    return undefined
  }
  const idle = await idleHours4w(db, [resource.id])
  return { ...resource, idle_hours_4w: idle(resource.id) }
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
