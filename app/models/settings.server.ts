import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { requireOperator } from './actor.server.ts'
import { audit } from './audit.server.ts'
import { defaultPricingTables, type PricingTables } from './pricing.ts'
import { defaultWeights, type ScoreTerm } from './scoring.ts'
import {
  BankAccountSchema,
  DEFAULT_QUOTE_VALIDITY_DAYS,
  type BankAccount,
  MatchWeightsSchema,
  normaliseWeights,
  PricingTablesSchema,
  QuoteValidityDaysSchema,
} from './settings.schema.ts'
import type { AccountView } from './user.server.ts'

// Platform settings an operator tunes (issue 6): stored as one jsonb row per key, read with
// the defaults in code filling whatever was never saved. Every change writes an audit entry.

export interface PlatformSettings {
  pricingTables: PricingTables
  weights: Record<ScoreTerm, number>
  quoteValidityDays: number
  /** Where buyers transfer to; null until an operator sets it. */
  bankAccount: BankAccount | null
}

const settingKeys = {
  pricingTables: 'pricing_tables',
  weights: 'match_weights',
  quoteValidityDays: 'quote_validity_days',
  bankAccount: 'bank_account',
} as const satisfies Record<keyof PlatformSettings, string>

const schemas = {
  pricingTables: PricingTablesSchema,
  weights: MatchWeightsSchema,
  quoteValidityDays: QuoteValidityDaysSchema,
  bankAccount: BankAccountSchema.nullable(),
}

/** The settings in force: stored values where valid, else the defaults. */
export async function getPlatformSettings(db: Db | Tx): Promise<PlatformSettings> {
  const rows = await db
    .selectFrom('platform_settings')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(settingKeys))
    .execute()
  const stored = new Map(rows.map((r) => [r.key, r.value]))
  const read = <K extends keyof PlatformSettings>(key: K, fallback: PlatformSettings[K]) => {
    const parsed = schemas[key].safeParse(stored.get(settingKeys[key]))
    return parsed.success ? (parsed.data as PlatformSettings[K]) : fallback
  }
  return {
    pricingTables: read('pricingTables', defaultPricingTables()),
    weights: read('weights', { ...defaultWeights }),
    quoteValidityDays: read('quoteValidityDays', DEFAULT_QUOTE_VALIDITY_DAYS),
    bankAccount: read('bankAccount', null),
  }
}

/**
 * Saves one setting (operators), with an audit entry holding the value before and after.
 * Weights are stored scaled to sum to 1. Returns the stored value.
 */
export async function saveSetting<K extends keyof PlatformSettings>(
  tx: Tx,
  actor: AccountView,
  key: K,
  value: PlatformSettings[K],
): Promise<PlatformSettings[K]> {
  requireOperator(actor, 'Operators tune the platform settings')
  const parsed = schemas[key].parse(value) as PlatformSettings[K]
  const stored = (
    key === 'weights' ? normaliseWeights(parsed as Record<ScoreTerm, number>) : parsed
  ) as PlatformSettings[K]
  const before = (await getPlatformSettings(tx))[key]
  await tx
    .insertInto('platform_settings')
    .values({ key: settingKeys[key], value: stored, updated_by: actor.user.id })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        value: stored,
        updated_by: actor.user.id,
        updated_at: sql<Date>`now()`,
      }),
    )
    .execute()
  await audit(tx, actor, 'settings.update', settingKeys[key], before, stored)
  return stored
}

/** The latest settings changes, newest first, with who made each (null: a deleted user). */
export async function listSettingsChanges(db: Db | Tx, limit = 20) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select([
      'audit_log.id',
      'audit_log.subject',
      'audit_log.created_at',
      'users.name as actor_name',
      'users.email as actor_email',
    ])
    .where('audit_log.action', '=', 'settings.update')
    .orderBy('audit_log.created_at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute()
}
