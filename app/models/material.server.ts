import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { NotFoundError, StateConflictError } from './errors.ts'
import type { AccountView } from './user.server.ts'
import { recordSearchChange } from '../../search/changes.server.ts'
import { requireOperator } from './actor.server.ts'
import { audit } from './audit.server.ts'

const materialColumns = [
  'code',
  'name_zh',
  'name_en',
  'families',
  'density_g_cm3',
  'price_fen_per_kg',
  'active',
] as const

/** The material catalogue; inactive materials only when asked (operators). */
export function listMaterials(db: Db, options: { includeInactive?: boolean } = {}) {
  let query = db.selectFrom('materials').select(materialColumns).orderBy('code')
  if (!options.includeInactive) query = query.where('active', '=', true)
  return query.execute()
}

/** One material by code, active or not. */
export function getMaterial(db: Db, code: string) {
  return db
    .selectFrom('materials')
    .select(materialColumns)
    .where('code', '=', code)
    .executeTakeFirst()
}

export interface MaterialInput {
  code: string
  nameZh: string
  nameEn: string
  families: string[]
  densityGCm3: number
  priceFenPerKg: number
  active: boolean
}

/** Adds a material to the catalogue (operators), audited. */
export async function createMaterial(tx: Tx, actor: AccountView, input: MaterialInput) {
  requireOperator(actor, 'Operators manage the catalogue')
  const row = await tx
    .insertInto('materials')
    .values({
      code: input.code,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      families: input.families,
      density_g_cm3: input.densityGCm3,
      price_fen_per_kg: input.priceFenPerKg,
      active: input.active,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning(materialColumns)
    .executeTakeFirst()
  if (!row)
    throw new StateConflictError('material_exists', 'A material with this code exists', {
      field: 'code',
    })
  await audit(tx, actor, 'material.create', row.code, null, row)
}

/**
 * Edits a material, audited when anything changed; names feed search keywords, so every
 * resource is re-indexed.
 */
export async function updateMaterial(tx: Tx, actor: AccountView, input: MaterialInput) {
  requireOperator(actor, 'Operators manage the catalogue')
  const before = await tx
    .selectFrom('materials')
    .select(materialColumns)
    .where('code', '=', input.code)
    .forUpdate()
    .executeTakeFirst()
  if (!before) throw new NotFoundError('No such material')
  const after = await tx
    .updateTable('materials')
    .set({
      name_zh: input.nameZh,
      name_en: input.nameEn,
      families: input.families,
      density_g_cm3: input.densityGCm3,
      price_fen_per_kg: input.priceFenPerKg,
      active: input.active,
      updated_at: sql<Date>`now()`,
    })
    .where('code', '=', input.code)
    .returning(materialColumns)
    .executeTakeFirstOrThrow()
  // A form saved unchanged (or submitted twice) is no change to record.
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await audit(tx, actor, 'material.update', input.code, before, after)
  }
  await recordSearchChange(tx, { all: true })
}
