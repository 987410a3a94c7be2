import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { shanghaiToday } from './capacity.server.ts'

// 服务券 service vouchers: a programme pays `share` of a contract for the design firms granted
// it, up to a cap per firm and calendar year (Shanghai) and up to the programme's budget. The
// amount is fixed when the quote is accepted; cancellations and refunds give it back.

/** The year a voucher counts against: the Shanghai calendar year of `today`. */
export function voucherYear(today: string) {
  return Number(today.slice(0, 4))
}

/** min(share × contract, the firm's remaining annual cap, the programme's remaining budget). */
export function voucherAmount(input: {
  contractFen: number
  shareBps: number
  capLeftFen: number
  budgetLeftFen: number
}) {
  const share = Math.floor((input.contractFen * input.shareBps) / 10_000)
  return Math.max(0, Math.min(share, input.capLeftFen, input.budgetLeftFen))
}

/** What a firm has used of a programme in a year, and the programme in all. */
export async function voucherUse(
  db: Db | Tx,
  programId: string,
  organizationId: string,
  year: number,
) {
  const row = await db
    .selectFrom('voucher_redemptions')
    .select([
      sql<number>`coalesce(sum(amount_fen - reversed_fen), 0)::bigint`.as('program'),
      sql<number>`coalesce(sum(amount_fen - reversed_fen) filter (
        where organization_id = ${organizationId} and year = ${year}), 0)::bigint`.as('firm'),
    ])
    .where('program_id', '=', programId)
    .executeTakeFirstOrThrow()
  return { programUsedFen: Number(row.program), firmUsedFen: Number(row.firm) }
}

/**
 * Buyer and workshop are related when one person owns both, or they sit at the same address:
 * such orders get no voucher (operators see the flag).
 */
export async function relatedParties(tx: Db | Tx, buyerId: string, workshopId: string) {
  const shared = await tx
    .selectFrom('memberships as a')
    .innerJoin('memberships as b', 'b.user_id', 'a.user_id')
    .select('a.user_id')
    .where('a.organization_id', '=', buyerId)
    .where('b.organization_id', '=', workshopId)
    .where('a.role', '=', 'owner')
    .where('b.role', '=', 'owner')
    .executeTakeFirst()
  if (shared) return true
  const address = await tx
    .selectFrom('organizations as a')
    .innerJoin('organizations as b', (j) =>
      j.on(
        sql<boolean>`regexp_replace(lower(a.address), '\\s', '', 'g')
          = regexp_replace(lower(b.address), '\\s', '', 'g')`,
      ),
    )
    .select('a.id')
    .where('a.id', '=', buyerId)
    .where('b.id', '=', workshopId)
    .where(sql<boolean>`coalesce(trim(a.address), '') <> ''`)
    .executeTakeFirst()
  return Boolean(address)
}

/**
 * At acceptance: the best voucher the buyer's approved grants give this order, redeemed and
 * taken off what the buyer pays. Locks the programmes (then the grant) so concurrent accepts
 * can never spend past a cap or a budget. Returns the voucher amount (0 when none applies).
 */
export async function redeemVoucher(
  tx: Tx,
  order: {
    id: string
    buyer_organization_id: string
    workshop_organization_id: string
    subtotal_fen: number
  },
  job: { process: string },
  today = shanghaiToday(),
) {
  if (await relatedParties(tx, order.buyer_organization_id, order.workshop_organization_id)) {
    await tx.updateTable('orders').set({ related_party: true }).where('id', '=', order.id).execute()
    return 0
  }
  const year = voucherYear(today)
  const workshop = await tx
    .selectFrom('organizations')
    .select('clusters')
    .where('id', '=', order.workshop_organization_id)
    .executeTakeFirstOrThrow()
  const programs = await tx
    .selectFrom('voucher_programs')
    .innerJoin('voucher_grants', 'voucher_grants.program_id', 'voucher_programs.id')
    .select([
      'voucher_programs.id',
      'voucher_programs.share_bps',
      'voucher_programs.annual_cap_fen',
      'voucher_programs.budget_fen',
      'voucher_grants.id as grant_id',
    ])
    .where('voucher_grants.organization_id', '=', order.buyer_organization_id)
    .where('voucher_grants.year', '=', year)
    .where('voucher_grants.status', '=', 'approved')
    .where('voucher_programs.valid_from', '<=', today)
    .where('voucher_programs.valid_until', '>=', today)
    .where((eb) =>
      eb.or([
        eb(sql`cardinality(voucher_programs.processes)`, '=', 0),
        eb(sql`${job.process}::text`, '=', sql`any(voucher_programs.processes)`),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb(sql`cardinality(voucher_programs.clusters)`, '=', 0),
        eb(sql`voucher_programs.clusters`, '&&', sql`${workshop.clusters}::text[]`),
      ]),
    )
    .orderBy('voucher_programs.id')
    .execute()
  if (!programs.length) return 0
  // One lock order for everyone (by id) so two accepts never wait on each other in a circle.
  await tx
    .selectFrom('voucher_programs')
    .select('id')
    .where(
      'id',
      'in',
      programs.map((p) => p.id),
    )
    .orderBy('id')
    .forUpdate()
    .execute()
  let best: { amount: number; program: (typeof programs)[number] } | undefined
  for (const program of programs) {
    const use = await voucherUse(tx, program.id, order.buyer_organization_id, year)
    const amount = voucherAmount({
      contractFen: order.subtotal_fen,
      shareBps: program.share_bps,
      capLeftFen: program.annual_cap_fen - use.firmUsedFen,
      budgetLeftFen: program.budget_fen - use.programUsedFen,
    })
    if (amount > (best?.amount ?? 0)) best = { amount, program }
  }
  if (!best) return 0
  await tx
    .insertInto('voucher_redemptions')
    .values({
      order_id: order.id,
      program_id: best.program.id,
      grant_id: best.program.grant_id,
      organization_id: order.buyer_organization_id,
      year,
      amount_fen: best.amount,
    })
    .execute()
  await tx
    .updateTable('orders')
    .set({ voucher_fen: best.amount, total_fen: sql<number>`subtotal_fen - ${best.amount}` })
    .where('id', '=', order.id)
    .execute()
  return best.amount
}
