import type { Db } from '../db/client.ts'
import { idleHours4w } from '../app/models/capacity.server.ts'
import { processByCode } from '../app/models/processes.ts'
import { certifications, clusters } from '../app/models/taxonomy.ts'
import { townByCode } from '../app/models/towns.ts'
import type { CapabilityDocument } from './types.ts'

export type DocumentScope = { resourceIds: string[] } | { organizationId: string } | { all: true }

const BATCH = 5000

/**
 * The search documents for `scope`: active resources of workshops, denormalised with the
 * workshop and idle hours. Ids in scope without a document (deleted, deactivated) are
 * returned in `missing` so the caller removes them from the index.
 */
export async function loadCapabilityDocuments(
  db: Db,
  scope: DocumentScope,
): Promise<{ documents: CapabilityDocument[]; missing: string[] }> {
  const [materials] = await Promise.all([
    db.selectFrom('materials').select(['code', 'name_zh', 'name_en']).execute(),
  ])
  const materialNames = new Map(materials.map((m) => [m.code, `${m.name_zh} ${m.name_en}`]))
  let query = db
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
    ])
    .orderBy('resources.id')
  if ('resourceIds' in scope) query = query.where('resources.id', 'in', scope.resourceIds)
  if ('organizationId' in scope) query = query.where('organizations.id', '=', scope.organizationId)

  const rows = await query.execute()
  const idle = await idleHours4w(db, 'all' in scope ? 'all' : rows.map((r) => r.id))
  const documents: CapabilityDocument[] = []
  const missing: string[] = []
  for (const row of rows) {
    if (!row.active || row.kind !== 'workshop') {
      missing.push(row.id)
      continue
    }
    const process = processByCode(row.process)
    const town = townByCode(row.town)
    const keywords = [
      process ? `${process.zh} ${process.en}` : row.process,
      ...row.materials.map((code) => materialNames.get(code) ?? code),
      town ? `${town.zh} ${town.en}` : '',
      ...row.clusters.map((code) => {
        const c = clusters.find((x) => x.code === code)
        return c ? `${c.zh} ${c.en}` : code
      }),
      ...row.certifications.map((code) => {
        const c = certifications.find((x) => x.code === code)
        return c ? `${c.zh} ${c.en}` : code
      }),
      ...row.finishes,
    ]
      .filter(Boolean)
      .join(' ')
    const geo =
      row.lat !== null && row.lng !== null
        ? { lat: row.lat, lng: row.lng }
        : town
          ? { lat: town.lat, lng: town.lng }
          : null
    documents.push({
      id: row.id,
      workshopId: row.workshop_id,
      workshopName: row.workshop_name,
      town: row.town ?? '',
      clusters: row.clusters,
      certifications: row.certifications,
      verified: row.verification_status === 'verified',
      rating: row.rating,
      process: row.process,
      materials: row.materials,
      name: row.name,
      make: row.make,
      model: row.model,
      description: row.description,
      finishes: row.finishes,
      envelopeMm: [row.envelope_x_mm, row.envelope_y_mm, row.envelope_z_mm],
      toleranceMm: row.tolerance_mm,
      idleHours4w: idle(row.id),
      geo,
      keywords,
    })
  }
  if ('resourceIds' in scope) {
    const found = new Set(rows.map((r) => r.id))
    for (const id of scope.resourceIds) if (!found.has(id)) missing.push(id)
  }
  return { documents, missing }
}

export { BATCH as DOCUMENT_BATCH }
