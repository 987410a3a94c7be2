import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { requireDesignFirm, requireOperator } from './actor.server.ts'
import { shanghaiToday } from './capacity.server.ts'
import { queueEmail } from './email.server.ts'
import { ForbiddenError, NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import { ownersOf } from './organization.server.ts'
import type { AccountView } from './user.server.ts'
import { bestVoucher, openGrants, relatedParties, usesOf, voucherYear } from './voucher.server.ts'
import { ProgramInputSchema, type ProgramInput } from './voucher.schema.ts'
import { audit } from './audit.server.ts'

// 服务券 around the redemption (voucher.server.ts): operators run programmes (every change
// audited) and decide grants; design firms apply for the current Shanghai year; everyone sees
// what is used and left. The amounts themselves are fixed at acceptance, never here.

const programColumns = [
  'voucher_programs.id',
  'voucher_programs.name',
  'voucher_programs.share_bps',
  'voucher_programs.annual_cap_fen',
  'voucher_programs.budget_fen',
  'voucher_programs.processes',
  'voucher_programs.clusters',
  'voucher_programs.valid_from',
  'voucher_programs.valid_until',
  'voucher_programs.created_at',
  'voucher_programs.updated_at',
] as const

/** Net redeemed of a programme (all years): what its budget has paid. */
const programUsed = sql<number>`(select coalesce(sum(r.amount_fen - r.reversed_fen), 0)::bigint
  from voucher_redemptions r where r.program_id = voucher_programs.id)`

/** Programmes with what their budget has paid and has left, newest validity first. */
export async function listPrograms(db: Db | Tx, year = voucherYear(shanghaiToday())) {
  const rows = await db
    .selectFrom('voucher_programs')
    .select(programColumns)
    .select(programUsed.as('used_fen'))
    .select(
      sql<number>`(select count(*) from voucher_grants g
        where g.program_id = voucher_programs.id and g.status = 'applied')::int`.as('applications'),
    )
    .select(
      sql<number>`(select count(*) from voucher_grants g where g.program_id = voucher_programs.id
        and g.status = 'approved' and g.year = ${year})::int`.as('grants'),
    )
    .orderBy('voucher_programs.valid_until', 'desc')
    .orderBy('voucher_programs.name')
    .execute()
  return rows.map(withLeft)
}

function withLeft<T extends { budget_fen: number; used_fen: number }>(row: T) {
  const used = Number(row.used_fen)
  return { ...row, used_fen: used, left_fen: Math.max(0, row.budget_fen - used) }
}

export type ProgramView = Awaited<ReturnType<typeof listPrograms>>[number]

/** One programme with its budget used and left, or undefined. */
export async function getProgram(db: Db | Tx, programId: string) {
  const program = await db
    .selectFrom('voucher_programs')
    .select(programColumns)
    .where('id', '=', programId)
    .executeTakeFirst()
  if (!program) return undefined
  return withLeft({ ...program, used_fen: await programUsedFen(db, programId) })
}

/** What a programme's budget has paid, net of reversals, in all years. */
async function programUsedFen(db: Db | Tx, programId: string) {
  const row = await db
    .selectFrom('voucher_redemptions')
    .select(sql<number>`coalesce(sum(amount_fen - reversed_fen), 0)::bigint`.as('used'))
    .where('program_id', '=', programId)
    .executeTakeFirstOrThrow()
  return Number(row.used)
}

/** The audited snapshot of a programme (the model's field names). */
function snapshot(p: {
  name: string
  share_bps: number
  annual_cap_fen: number
  budget_fen: number
  processes: string[]
  clusters: string[]
  valid_from: string
  valid_until: string
}): ProgramInput {
  return {
    name: p.name,
    shareBps: p.share_bps,
    annualCapFen: p.annual_cap_fen,
    budgetFen: p.budget_fen,
    processes: p.processes as ProgramInput['processes'],
    clusters: p.clusters as ProgramInput['clusters'],
    validFrom: p.valid_from,
    validUntil: p.valid_until,
  }
}

function columnsOf(input: ProgramInput) {
  return {
    name: input.name,
    share_bps: input.shareBps,
    annual_cap_fen: input.annualCapFen,
    budget_fen: input.budgetFen,
    processes: input.processes,
    clusters: input.clusters,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
  }
}

/** Creates a programme (operators), audited. Returns its id. */
export async function createProgram(tx: Tx, actor: AccountView, input: ProgramInput) {
  requireOperator(actor, 'Operators run voucher programmes')
  const valid = ProgramInputSchema.parse(input)
  const row = await tx
    .insertInto('voucher_programs')
    .values({ ...columnsOf(valid), created_by: actor.user.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  await audit(tx, actor, 'voucher_program.create', row.id, null, valid)
  return row.id
}

/**
 * Changes a programme (operators): the fields given replace the stored ones and the whole is
 * checked again (a ZodError for bad input). The budget cannot drop below what it has paid.
 */
export async function updateProgram(
  tx: Tx,
  actor: AccountView,
  programId: string,
  patch: Partial<ProgramInput>,
) {
  requireOperator(actor, 'Operators run voucher programmes')
  const current = await tx
    .selectFrom('voucher_programs')
    .select(programColumns)
    .where('id', '=', programId)
    .forUpdate()
    .executeTakeFirst()
  if (!current) throw new NotFoundError('No such voucher programme')
  const before = snapshot(current)
  const after = ProgramInputSchema.parse({ ...before, ...patch })
  // Locked above, so no accept can redeem between this sum and the update.
  const used = await programUsedFen(tx, programId)
  if (after.budgetFen < used) {
    throw new RuleViolationError(
      'voucher_budget_below_used',
      `The budget cannot be less than the ${used} fen already redeemed`,
      { field: 'budget_fen', details: { used_fen: used } },
    )
  }
  await tx
    .updateTable('voucher_programs')
    .set({ ...columnsOf(after), updated_at: sql<Date>`now()` })
    .where('id', '=', programId)
    .execute()
  await audit(tx, actor, 'voucher_program.update', programId, before, after)
}

/** A programme's changes, newest first, with who made each. */
export function listProgramChanges(db: Db | Tx, programId: string, limit = 20) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select([
      'audit_log.id',
      'audit_log.action',
      'audit_log.created_at',
      'users.name as actor_name',
    ])
    .where('audit_log.subject', '=', programId)
    .where('audit_log.action', 'like', 'voucher_%')
    .orderBy('audit_log.created_at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute()
}

// --- grants

/** Net redeemed by the grant's firm from the grant's programme in the grant's year. */
const grantUsed = sql<number>`(select coalesce(sum(r.amount_fen - r.reversed_fen), 0)::bigint
  from voucher_redemptions r where r.program_id = voucher_grants.program_id
  and r.organization_id = voucher_grants.organization_id and r.year = voucher_grants.year)`

/**
 * A programme's grants and applications (open applications first) with the firm's name,
 * 统一社会信用代码, and its cap used and left in the grant's year.
 */
export async function listGrants(db: Db | Tx, programId: string) {
  const rows = await db
    .selectFrom('voucher_grants')
    .innerJoin('voucher_programs', 'voucher_programs.id', 'voucher_grants.program_id')
    .innerJoin('organizations', 'organizations.id', 'voucher_grants.organization_id')
    .select([
      'voucher_grants.id',
      'voucher_grants.program_id',
      'voucher_grants.organization_id',
      'organizations.name as organization_name',
      'organizations.legal_name',
      'organizations.uscc',
      'voucher_grants.year',
      'voucher_grants.status',
      'voucher_grants.note',
      'voucher_grants.decision_note',
      'voucher_grants.decided_at',
      'voucher_grants.created_at',
      'voucher_programs.annual_cap_fen',
    ])
    .select(grantUsed.as('used_fen'))
    .where('voucher_grants.program_id', '=', programId)
    .orderBy(sql`voucher_grants.status = 'applied'`, 'desc')
    .orderBy('voucher_grants.year', 'desc')
    .orderBy('voucher_grants.created_at', 'desc')
    .execute()
  return rows.map((r) => {
    const used = Number(r.used_fen)
    return { ...r, used_fen: used, remaining_cap_fen: Math.max(0, r.annual_cap_fen - used) }
  })
}

export type GrantView = Awaited<ReturnType<typeof listGrants>>[number]

/** One grant as listGrants shows it, or undefined. */
export async function getGrant(db: Db | Tx, grantId: string) {
  const grant = await db
    .selectFrom('voucher_grants')
    .select('program_id')
    .where('id', '=', grantId)
    .executeTakeFirst()
  if (!grant) return undefined
  return (await listGrants(db, grant.program_id)).find((g) => g.id === grantId)
}

async function openProgram(tx: Tx, programId: string, today: string) {
  const program = await tx
    .selectFrom('voucher_programs')
    .select(['id', 'name', 'valid_until'])
    .where('id', '=', programId)
    .executeTakeFirst()
  if (!program) throw new NotFoundError('No such voucher programme')
  if (program.valid_until < today) {
    throw new StateConflictError('voucher_program_closed', 'This programme has ended')
  }
  return program
}

/**
 * A design firm's owner applies for this Shanghai year. One application per programme, firm
 * and year; a rejected one may apply again (back to applied). Returns the grant id.
 */
export async function applyForGrant(
  tx: Tx,
  actor: AccountView,
  programId: string,
  input: { note: string },
  today = shanghaiToday(),
) {
  requireDesignFirm(actor, 'Design firms apply for service vouchers')
  if (actor.role !== 'owner') {
    throw new ForbiddenError("Only the firm's owners apply for service vouchers")
  }
  await openProgram(tx, programId, today)
  const year = voucherYear(today)
  const existing = await tx
    .selectFrom('voucher_grants')
    .select(['id', 'status'])
    .where('program_id', '=', programId)
    .where('organization_id', '=', actor.organization.id)
    .where('year', '=', year)
    .forUpdate()
    .executeTakeFirst()
  if (existing?.status === 'applied') {
    throw new StateConflictError('voucher_already_applied', 'The firm has applied already')
  }
  if (existing?.status === 'approved') {
    throw new StateConflictError('voucher_already_granted', 'The firm holds this grant already')
  }
  const values = {
    status: 'applied' as const,
    note: input.note,
    decision_note: '',
    applied_by: actor.user.id,
    decided_by: null,
    decided_at: null,
  }
  if (existing) {
    await tx.updateTable('voucher_grants').set(values).where('id', '=', existing.id).execute()
    return existing.id
  }
  // Two owners applying at once: the unique key lets one in, the other is told it applied.
  const row = await tx
    .insertInto('voucher_grants')
    .values({ ...values, program_id: programId, organization_id: actor.organization.id, year })
    .onConflict((oc) => oc.constraint('voucher_grants_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!row) throw new StateConflictError('voucher_already_applied', 'The firm has applied already')
  return row.id
}

async function mailDecision(
  tx: Tx,
  grant: { organization_id: string; program_name: string; organization_name: string },
  approved: boolean,
  note: string,
  publicUrl: string,
) {
  for (const owner of await ownersOf(tx, [grant.organization_id])) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template: 'voucher-decision',
      props: {
        name: owner.name,
        firm: grant.organization_name,
        program: grant.program_name,
        approved,
        note,
        url: `${publicUrl}/vouchers`,
      },
    })
  }
}

/** An operator approves or rejects an application; the firm's owners are told by email. */
export async function decideGrant(
  tx: Tx,
  actor: AccountView,
  grantId: string,
  input: { decision: 'approve' | 'reject'; note: string },
  options: { publicUrl: string },
) {
  requireOperator(actor, 'Operators decide voucher applications')
  const grant = await tx
    .selectFrom('voucher_grants')
    .innerJoin('voucher_programs', 'voucher_programs.id', 'voucher_grants.program_id')
    .innerJoin('organizations', 'organizations.id', 'voucher_grants.organization_id')
    .select([
      'voucher_grants.id',
      'voucher_grants.status',
      'voucher_grants.organization_id',
      'voucher_grants.program_id',
      'voucher_programs.name as program_name',
      'organizations.name as organization_name',
    ])
    .where('voucher_grants.id', '=', grantId)
    .forUpdate(['voucher_grants'])
    .executeTakeFirst()
  if (!grant) throw new NotFoundError('No such voucher application')
  if (grant.status !== 'applied') {
    throw new StateConflictError('voucher_not_applied', 'This application was decided already', {
      details: { status: grant.status },
    })
  }
  const approved = input.decision === 'approve'
  await tx
    .updateTable('voucher_grants')
    .set({
      status: approved ? 'approved' : 'rejected',
      decision_note: input.note,
      decided_by: actor.user.id,
      decided_at: sql<Date>`now()`,
    })
    .where('id', '=', grantId)
    .execute()
  await audit(tx, actor, `voucher_grant.${input.decision}`, grant.program_id, null, {
    grant_id: grantId,
    organization_id: grant.organization_id,
    note: input.note,
  })
  await mailDecision(tx, grant, approved, input.note, options.publicUrl)
}

/**
 * An operator grants a design firm directly for this Shanghai year (an application waiting
 * or rejected becomes the approved grant). Returns the grant id.
 */
export async function grantDirectly(
  tx: Tx,
  actor: AccountView,
  programId: string,
  input: { organizationId: string; note: string },
  options: { publicUrl: string; today?: string },
) {
  requireOperator(actor, 'Operators grant service vouchers')
  const today = options.today ?? shanghaiToday()
  const program = await openProgram(tx, programId, today)
  const firm = await tx
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', input.organizationId)
    .where('kind', '=', 'design_firm')
    .executeTakeFirst()
  if (!firm) {
    throw new RuleViolationError('voucher_not_design_firm', 'Only design firms hold vouchers', {
      field: 'organization_id',
    })
  }
  const year = voucherYear(today)
  const row = await tx
    .insertInto('voucher_grants')
    .values({
      program_id: programId,
      organization_id: firm.id,
      year,
      status: 'approved',
      decision_note: input.note,
      decided_by: actor.user.id,
      decided_at: sql<Date>`now()`,
    })
    .onConflict((oc) =>
      oc
        .constraint('voucher_grants_key')
        .doUpdateSet({
          status: 'approved',
          decision_note: input.note,
          decided_by: actor.user.id,
          decided_at: sql<Date>`now()`,
        })
        .where('voucher_grants.status', '<>', 'approved'),
    )
    .returning('id')
    .executeTakeFirst()
  if (!row) {
    throw new StateConflictError('voucher_already_granted', 'The firm holds this grant already')
  }
  await audit(tx, actor, 'voucher_grant.grant', programId, null, {
    grant_id: row.id,
    organization_id: firm.id,
    note: input.note,
  })
  await mailDecision(
    tx,
    { organization_id: firm.id, organization_name: firm.name, program_name: program.name },
    true,
    input.note,
    options.publicUrl,
  )
  return row.id
}

/** Design firms whose name (or legal name) contains `query`, for a direct grant. */
export function searchDesignFirms(db: Db | Tx, query: string, limit = 50) {
  const pattern = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'uscc'])
    .where('kind', '=', 'design_firm')
    .$if(query.trim() !== '', (q) =>
      q.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('legal_name', 'ilike', pattern)])),
    )
    .orderBy('name')
    .limit(limit)
    .execute()
}

/** A programme's redemptions, newest first, with the order and the firm. */
export function listRedemptions(db: Db | Tx, programId: string, limit = 200) {
  return db
    .selectFrom('voucher_redemptions')
    .innerJoin('orders', 'orders.id', 'voucher_redemptions.order_id')
    .innerJoin('organizations', 'organizations.id', 'voucher_redemptions.organization_id')
    .select([
      'voucher_redemptions.id',
      'voucher_redemptions.order_id',
      'orders.number as order_number',
      'orders.status as order_status',
      'orders.subtotal_fen',
      'organizations.name as organization_name',
      'voucher_redemptions.year',
      'voucher_redemptions.amount_fen',
      'voucher_redemptions.reversed_fen',
      'voucher_redemptions.created_at',
    ])
    .where('voucher_redemptions.program_id', '=', programId)
    .orderBy('voucher_redemptions.created_at', 'desc')
    .limit(limit)
    .execute()
}

// --- what a design firm sees

/**
 * The programmes a design firm can still use or apply for (not ended), with its grant for this
 * Shanghai year and its remaining cap (the annual cap less what it has redeemed this year).
 */
export async function firmPrograms(db: Db | Tx, organizationId: string, today = shanghaiToday()) {
  const year = voucherYear(today)
  const rows = await db
    .selectFrom('voucher_programs')
    .leftJoin('voucher_grants', (j) =>
      j
        .onRef('voucher_grants.program_id', '=', 'voucher_programs.id')
        .on('voucher_grants.organization_id', '=', organizationId)
        .on('voucher_grants.year', '=', year),
    )
    .select(programColumns)
    .select([
      'voucher_grants.id as grant_id',
      'voucher_grants.status as grant_status',
      'voucher_grants.note as grant_note',
      'voucher_grants.decision_note as grant_decision_note',
      'voucher_grants.decided_at as grant_decided_at',
    ])
    .select(
      sql<number>`(select coalesce(sum(r.amount_fen - r.reversed_fen), 0)::bigint
        from voucher_redemptions r where r.program_id = voucher_programs.id
        and r.organization_id = ${organizationId} and r.year = ${year})`.as('used_fen'),
    )
    .where('voucher_programs.valid_until', '>=', today)
    .orderBy('voucher_programs.valid_until')
    .orderBy('voucher_programs.name')
    .execute()
  return {
    year,
    programs: rows.map((r) => {
      const used = Number(r.used_fen)
      return {
        ...r,
        used_fen: used,
        remaining_cap_fen: Math.max(0, r.annual_cap_fen - used),
        open: r.valid_from <= today,
      }
    }),
  }
}

export type FirmProgram = Awaited<ReturnType<typeof firmPrograms>>['programs'][number]

/**
 * What each of a job's quotes would get from the buyer's best approved grant this year (the
 * rule of redeemVoucher: process, the workshop's clusters, validity dates, related parties):
 * a read-only estimate by quote id; acceptance fixes the real amount.
 */
export async function estimateVouchers(
  db: Db | Tx,
  buyerId: string,
  job: { process: string | null },
  quotes: { id: string; workshopId: string; contractFen: number }[],
  today = shanghaiToday(),
) {
  const estimates: Record<string, { voucherFen: number; payFen: number; program: string }> = {}
  if (!quotes.length) return estimates
  const grants = await openGrants(db, buyerId, job.process, today)
  if (!grants.length) return estimates
  const uses = await usesOf(db, grants, buyerId, today)
  const workshopIds = [...new Set(quotes.map((q) => q.workshopId))]
  const workshops = await db
    .selectFrom('organizations')
    .select(['id', 'clusters'])
    .where('id', 'in', workshopIds)
    .execute()
  const related = new Set(
    (
      await Promise.all(
        workshopIds.map(async (id) => ((await relatedParties(db, buyerId, id)) ? id : null)),
      )
    ).filter((id) => id !== null),
  )
  for (const quote of quotes) {
    if (related.has(quote.workshopId)) continue
    const clusters = workshops.find((w) => w.id === quote.workshopId)?.clusters ?? []
    const best = bestVoucher(grants, uses, quote.contractFen, clusters)
    if (best) {
      estimates[quote.id] = {
        voucherFen: best.amount,
        payFen: quote.contractFen - best.amount,
        program: best.grant.name,
      }
    }
  }
  return estimates
}
