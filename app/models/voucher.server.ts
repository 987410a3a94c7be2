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
 * Buyer and workshop are related when they are one legal owner — the same 统一社会信用代码 or
 * registered name (one company with a design and a workshop account; a login belongs to one
 * organisation only) — or sit at the same address: such orders get no voucher, and operators
 * see the flag.
 */
export async function relatedParties(tx: Db | Tx, buyerId: string, workshopId: string) {
  const squash = (column: string) =>
    sql`regexp_replace(lower(coalesce(${sql.ref(column)}, '')), '\\s', '', 'g')`
  const related = await tx
    .selectFrom('organizations as a')
    .innerJoin('organizations as b', (j) =>
      j.on((eb) =>
        eb.or(
          (['uscc', 'legal_name', 'address'] as const).map((field) =>
            eb.and([
              eb(squash(`a.${field}`), '=', squash(`b.${field}`)),
              eb(squash(`a.${field}`), '<>', ''),
            ]),
          ),
        ),
      ),
    )
    .select('a.id')
    .where('a.id', '=', buyerId)
    .where('b.id', '=', workshopId)
    .executeTakeFirst()
  return Boolean(related)
}

/**
 * The buyer's approved grants for this Shanghai year on programmes open `today` that cover
 * `process`, with what each programme pays and its clusters (checked per workshop).
 */
export function openGrants(db: Db | Tx, buyerId: string, process: string | null, today: string) {
  return db
    .selectFrom('voucher_programs')
    .innerJoin('voucher_grants', 'voucher_grants.program_id', 'voucher_programs.id')
    .select([
      'voucher_programs.id',
      'voucher_programs.name',
      'voucher_programs.share_bps',
      'voucher_programs.annual_cap_fen',
      'voucher_programs.budget_fen',
      'voucher_programs.clusters',
      'voucher_grants.id as grant_id',
    ])
    .where('voucher_grants.organization_id', '=', buyerId)
    .where('voucher_grants.year', '=', voucherYear(today))
    .where('voucher_grants.status', '=', 'approved')
    .where('voucher_programs.valid_from', '<=', today)
    .where('voucher_programs.valid_until', '>=', today)
    .where((eb) =>
      eb.or([
        eb(sql`cardinality(voucher_programs.processes)`, '=', 0),
        eb(sql`${process ?? ''}::text`, '=', sql`any(voucher_programs.processes)`),
      ]),
    )
    .orderBy('voucher_programs.id')
    .execute()
}

export type OpenGrant = Awaited<ReturnType<typeof openGrants>>[number]

/**
 * The largest voucher the grants give a contract of `contractFen` with a workshop serving
 * `clusters` (a programme limited to clusters needs one of them), given what each programme
 * has used; undefined when none gives anything.
 */
export function bestVoucher(
  grants: OpenGrant[],
  uses: Map<string, { firmUsedFen: number; programUsedFen: number }>,
  contractFen: number,
  clusters: readonly string[],
) {
  let best: { amount: number; grant: OpenGrant } | undefined
  for (const grant of grants) {
    if (grant.clusters.length && !grant.clusters.some((c) => clusters.includes(c))) continue
    const use = uses.get(grant.id) ?? { firmUsedFen: 0, programUsedFen: 0 }
    const amount = voucherAmount({
      contractFen,
      shareBps: grant.share_bps,
      capLeftFen: grant.annual_cap_fen - use.firmUsedFen,
      budgetLeftFen: grant.budget_fen - use.programUsedFen,
    })
    if (amount > (best?.amount ?? 0)) best = { amount, grant }
  }
  return best
}

/** What the firm has used of each grant's programme this year (see voucherUse). */
export async function usesOf(db: Db | Tx, grants: OpenGrant[], buyerId: string, today: string) {
  const year = voucherYear(today)
  return new Map(
    await Promise.all(
      grants.map(async (g) => [g.id, await voucherUse(db, g.id, buyerId, year)] as const),
    ),
  )
}

/**
 * At acceptance: the best voucher the buyer's approved grants give this order, redeemed and
 * taken off what the buyer pays. The programmes are locked (in id order, so two accepts never
 * wait on each other in a circle) before their use is read: concurrent accepts run one after
 * another and can never spend past a firm's cap or a programme's budget. Returns the voucher
 * amount (0 when none applies).
 */
export async function redeemVoucher(
  tx: Tx,
  order: {
    id: string
    buyer_organization_id: string
    workshop_organization_id: string
    subtotal_fen: number
  },
  job: { process: string | null },
  today = shanghaiToday(),
) {
  if (await relatedParties(tx, order.buyer_organization_id, order.workshop_organization_id)) {
    await tx.updateTable('orders').set({ related_party: true }).where('id', '=', order.id).execute()
    return 0
  }
  const grants = await openGrants(tx, order.buyer_organization_id, job.process, today)
  if (!grants.length) return 0
  await tx
    .selectFrom('voucher_programs')
    .select('id')
    .where(
      'id',
      'in',
      grants.map((g) => g.id),
    )
    .orderBy('id')
    .forUpdate()
    .execute()
  const workshop = await tx
    .selectFrom('organizations')
    .select('clusters')
    .where('id', '=', order.workshop_organization_id)
    .executeTakeFirstOrThrow()
  const uses = await usesOf(tx, grants, order.buyer_organization_id, today)
  const best = bestVoucher(grants, uses, order.subtotal_fen, workshop.clusters)
  if (!best) return 0
  await tx
    .insertInto('voucher_redemptions')
    .values({
      order_id: order.id,
      program_id: best.grant.id,
      grant_id: best.grant.grant_id,
      organization_id: order.buyer_organization_id,
      year: voucherYear(today),
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
