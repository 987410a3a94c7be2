import type { Db } from '../db/client.ts'
import { idleHours4w } from '../app/models/capacity.server.ts'
import { processByCode } from '../app/models/processes.ts'
import { certifications, clusters } from '../app/models/taxonomy.ts'
import { townByCode } from '../app/models/towns.ts'
import type { CapabilityDocument } from './types.ts'

const BATCH = 5000

type MaterialNames = Map<string, string>

/**
 * What documents of one load share: material labels, and per workshop its fields, so the
 * 50 machines of a workshop hold one copy of its name, codes and location (PostgreSQL rows
 * carry fresh strings each; at 100k documents the copies were tens of MB the index kept).
 */
interface Shared {
  names: MaterialNames
  workshops: Map<string, WorkshopPart>
  strings: Map<string, string>
}

interface WorkshopPart {
  workshopId: string
  workshopName: string
  town: string
  clusters: string[]
  certifications: string[]
  verified: boolean
  rating: number | null
  geo: { lat: number; lng: number } | null
  /** The workshop's share of `keywords`: town, clusters, certifications. */
  keywords: string
}

async function loadShared(db: Db): Promise<Shared> {
  const materials = await db
    .selectFrom('materials')
    .select(['code', 'name_zh', 'name_en'])
    .execute()
  return {
    names: new Map(materials.map((m) => [m.code, `${m.name_zh} ${m.name_en}`])),
    workshops: new Map(),
    strings: new Map(),
  }
}

function intern(shared: Shared, value: string): string {
  const known = shared.strings.get(value)
  if (known !== undefined) return known
  shared.strings.set(value, value)
  return value
}

function workshopPart(shared: Shared, row: DocumentRow): WorkshopPart {
  const known = shared.workshops.get(row.workshop_id)
  if (known) return known
  const town = townByCode(row.town)
  const part: WorkshopPart = {
    workshopId: row.workshop_id,
    workshopName: row.workshop_name,
    town: row.town ?? '',
    clusters: row.clusters,
    certifications: row.certifications,
    verified: row.verification_status === 'verified',
    rating: row.rating,
    geo:
      row.lat !== null && row.lng !== null
        ? { lat: row.lat, lng: row.lng }
        : town
          ? { lat: town.lat, lng: town.lng }
          : null,
    keywords: [
      town ? `${town.zh} ${town.en}` : '',
      ...row.clusters.map((code) => {
        const c = clusters.find((x) => x.code === code)
        return c ? `${c.zh} ${c.en}` : code
      }),
      ...row.certifications.map((code) => {
        const c = certifications.find((x) => x.code === code)
        return c ? `${c.zh} ${c.en}` : code
      }),
    ]
      .filter(Boolean)
      .join(' '),
  }
  shared.workshops.set(row.workshop_id, part)
  return part
}

function documentQuery(db: Db) {
  return db
    .selectFrom('resources')
    .innerJoin('organizations', 'organizations.id', 'resources.organization_id')
    .select([
      'resources.id',
      'resources.active',
      'resources.process',
      'resources.name',
      'resources.make',
      'resources.model',
      'resources.description',
      'resources.materials',
      'resources.finishes',
      'resources.envelope_x_mm',
      'resources.envelope_y_mm',
      'resources.envelope_z_mm',
      'resources.tolerance_mm',
      'organizations.id as workshop_id',
      'organizations.kind',
      'organizations.name as workshop_name',
      'organizations.town',
      'organizations.clusters',
      'organizations.certifications',
      'organizations.verification_status',
      'organizations.rating',
      'organizations.lat',
      'organizations.lng',
      'organizations.suspended_at',
    ])
    .orderBy('resources.id')
}

type DocumentRow = Awaited<ReturnType<ReturnType<typeof documentQuery>['execute']>>[number]

/** Active machines of workshops that are not suspended. */
const searchable = (row: DocumentRow) =>
  row.active && row.kind === 'workshop' && row.suspended_at === null

/** Turns rows into documents; rows that must not be searchable come back in `missing`. */
async function toDocuments(
  db: Db,
  rows: DocumentRow[],
  shared: Shared,
  idleOf?: (id: string) => number,
): Promise<{ documents: CapabilityDocument[]; missing: string[] }> {
  const documents: CapabilityDocument[] = []
  const missing: string[] = []
  const idle =
    idleOf ??
    (await idleHours4w(
      db,
      rows.filter(searchable).map((r) => r.id),
    ))
  for (const row of rows) {
    if (!searchable(row)) {
      missing.push(row.id)
      continue
    }
    documents.push(toDocument(row, shared, idle(row.id)))
  }
  return { documents, missing }
}

function toDocument(row: DocumentRow, shared: Shared, idleHours: number): CapabilityDocument {
  const workshop = workshopPart(shared, row)
  const process = processByCode(row.process)
  const keywords = [
    process ? `${process.zh} ${process.en}` : row.process,
    ...row.materials.map((code) => shared.names.get(code) ?? code),
    workshop.keywords,
    ...row.finishes,
  ]
    .filter(Boolean)
    .join(' ')
  return {
    id: row.id,
    workshopId: workshop.workshopId,
    workshopName: workshop.workshopName,
    town: workshop.town,
    clusters: workshop.clusters,
    certifications: workshop.certifications,
    verified: workshop.verified,
    rating: workshop.rating,
    process: intern(shared, row.process),
    materials: row.materials.map((m) => intern(shared, m)),
    name: row.name,
    make: intern(shared, row.make),
    model: intern(shared, row.model),
    description: row.description,
    finishes: row.finishes.map((f) => intern(shared, f)),
    envelopeMm: [row.envelope_x_mm, row.envelope_y_mm, row.envelope_z_mm],
    toleranceMm: row.tolerance_mm,
    idleHours4w: idleHours,
    geo: workshop.geo,
    keywords,
  }
}

/**
 * The search documents for `scope`: active resources of workshops not suspended, denormalised
 * with the workshop and idle hours. Ids in scope without a document (deleted, deactivated, of
 * a suspended workshop) are returned in `missing` so the caller removes them from the index.
 * For every document (a full rebuild) use `allCapabilityDocuments`, which never holds all rows
 * at once.
 */
export async function loadCapabilityDocuments(
  db: Db,
  scope: { resourceIds: string[] } | { organizationId: string },
): Promise<{ documents: CapabilityDocument[]; missing: string[] }> {
  const shared = await loadShared(db)
  let query = documentQuery(db)
  if ('resourceIds' in scope) {
    if (scope.resourceIds.length === 0) return { documents: [], missing: [] }
    query = query.where('resources.id', 'in', scope.resourceIds)
  } else {
    query = query.where('organizations.id', '=', scope.organizationId)
  }
  const rows = await query.execute()
  const result = await toDocuments(db, rows, shared)
  if ('resourceIds' in scope) {
    const found = new Set(rows.map((r) => r.id))
    for (const id of scope.resourceIds) if (!found.has(id)) result.missing.push(id)
  }
  return result
}

/**
 * Every searchable document, in batches of `batchSize` resources (keyset pages by id), so
 * a full rebuild holds one page of rows at a time rather than all of them (at 100k
 * resources the rows alone are a few hundred MB of JS objects).
 */
export async function* allCapabilityDocuments(
  db: Db,
  batchSize = BATCH,
): AsyncGenerator<CapabilityDocument[]> {
  const shared = await loadShared(db)
  // Idle hours of every resource in one pass over the calendar (per batch, the windows
  // table was scanned again for each page of ids: 4× slower at 100k resources).
  const idle = await idleHours4w(db, 'all')
  let after: string | undefined
  for (;;) {
    let query = documentQuery(db).limit(batchSize)
    if (after !== undefined) query = query.where('resources.id', '>', after)
    const rows = await query.execute()
    if (rows.length === 0) return
    after = rows[rows.length - 1]!.id
    const { documents } = await toDocuments(db, rows, shared, idle)
    if (documents.length) yield documents
    if (rows.length < batchSize) return
  }
}
