import type { Db } from '../../db/client.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'

// Money fixtures shared by the integration tests of issue 8.

/**
 * An approved 服务券 grant for `organizationId` this Shanghai year, on a programme of its own
 * (open from a month ago to a year ahead, every process and cluster). Its id.
 */
export async function grantVoucher(
  db: Db,
  organizationId: string,
  programme: { name?: string; shareBps?: number; capFen?: number; budgetFen?: number } = {},
) {
  const today = shanghaiToday()
  const program = await db
    .insertInto('voucher_programs')
    .values({
      name: programme.name ?? '中山市制造业服务券',
      share_bps: programme.shareBps ?? 5000,
      annual_cap_fen: programme.capFen ?? 30_000_000,
      budget_fen: programme.budgetFen ?? 1_000_000_000,
      valid_from: addDays(today, -30),
      valid_until: addDays(today, 365),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('voucher_grants')
    .values({
      program_id: program.id,
      organization_id: organizationId,
      year: Number(today.slice(0, 4)),
      status: 'approved',
    })
    .execute()
  return program.id
}

/** The order's row as stored. */
export const orderRow = (db: Db, o: { id: string }) =>
  db.selectFrom('orders').selectAll().where('id', '=', o.id).executeTakeFirstOrThrow()

/** The order's payouts, oldest first. */
export const payoutsOf = (db: Db, o: { id: string }) =>
  db.selectFrom('payouts').selectAll().where('order_id', '=', o.id).orderBy('created_at').execute()

/** The order's refunds, oldest first. */
export const refundsOf = (db: Db, o: { id: string }) =>
  db.selectFrom('refunds').selectAll().where('order_id', '=', o.id).orderBy('created_at').execute()
