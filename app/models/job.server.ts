import { sql } from 'kysely'
import type { Db, Tx } from '../../db/client.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
import { shanghaiToday, addDays } from './capacity.server.ts'
import { ForbiddenError, NotFoundError, RuleViolationError, StateConflictError } from './errors.ts'
import { isStandardAql, type JobInput, type JobStatusFilter } from './job.schema.ts'
import { processByCode } from './processes.ts'
import { queueEmail } from './email.server.ts'
import { ownersOf } from './organization.server.ts'
import { isMatched } from './matching.server.ts'
import type { AccountView } from './user.server.ts'
import { requireDesignFirm } from './actor.server.ts'
import { declineOpenQuotes } from './quote.server.ts'

// Jobs (加工需求): a design firm's request with its CAD parts. A job is edited as a draft
// and opened once every part is analysed; who may see its files is decided here
// (fileAccess), for pages, the API and downloads alike.

/** How far ahead a deadline may be. */
const MAX_DEADLINE_DAYS = 730

export interface PartInput {
  fileId: string
  quantity: number
}

async function checkJobInput(tx: Tx, input: JobInput, today: string) {
  if (!isStandardAql(input.aql)) {
    throw new RuleViolationError('invalidChoice', 'The AQL is not in the GB/T 2828.1 series', {
      field: 'aql',
    })
  }
  if (input.process !== null && !processByCode(input.process)) {
    throw new RuleViolationError('invalidChoice', 'Unknown process', { field: 'process' })
  }
  if (input.material !== null) {
    const material = await tx
      .selectFrom('materials')
      .select('code')
      .where('code', '=', input.material)
      .where('active', '=', true)
      .executeTakeFirst()
    if (!material) {
      throw new RuleViolationError('invalidChoice', 'Unknown material', { field: 'material' })
    }
  }
  if (input.deadline <= today) {
    throw new RuleViolationError('deadline_past', 'The deadline must be after today', {
      field: 'deadline',
    })
  }
  if (input.deadline > addDays(today, MAX_DEADLINE_DAYS)) {
    throw new RuleViolationError('deadline_far', 'The deadline is more than two years ahead', {
      field: 'deadline',
    })
  }
}

function jobColumns(input: JobInput) {
  return {
    title: input.title,
    description: input.description,
    process: input.process,
    material: input.material,
    tolerance_mm: input.toleranceMm,
    thickness_mm: input.thicknessMm,
    finish: input.finish,
    needs_sample: input.needsSample,
    deadline: input.deadline,
    budget_fen: input.budgetFen,
    delivery_town: input.deliveryTown,
    delivery_address: input.deliveryAddress,
    visibility: input.visibility,
    nda_required: input.ndaRequired,
    aql: input.aql,
  }
}

/**
 * Attaches `parts` to a draft job, replacing its parts. Each file must be the actor's
 * organisation's (another firm's id is 404, as if it did not exist) and not on another job.
 * Files dropped from the job are deleted; their storage keys are returned for removal after
 * commit.
 */
async function replaceParts(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  parts: PartInput[],
): Promise<string[]> {
  const ids = parts.map((p) => p.fileId)
  if (new Set(ids).size !== ids.length) {
    throw new RuleViolationError('duplicate_part', 'A file appears twice in the parts', {
      field: 'parts',
    })
  }
  if (ids.length) {
    const files = await tx
      .selectFrom('job_files')
      .leftJoin('job_parts', 'job_parts.file_id', 'job_files.id')
      .select(['job_files.id', 'job_parts.job_id'])
      .where('job_files.id', 'in', ids)
      .where('job_files.organization_id', '=', actor.organization.id)
      .forUpdate('job_files')
      .execute()
    const found = new Map(files.map((f) => [f.id, f.job_id]))
    for (const id of ids) {
      if (!found.has(id))
        throw new NotFoundError(`No such file: ${id}`, { details: { file_id: id } })
      const other = found.get(id)
      if (other && other !== jobId) {
        throw new StateConflictError('file_in_other_job', 'This file is a part of another job', {
          details: { file_id: id },
        })
      }
    }
  }
  const dropped = await tx
    .deleteFrom('job_files')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('job_parts')
        .select('file_id')
        .where('job_id', '=', jobId)
        .where('file_id', 'not in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']),
    )
    .returning(['storage_key', 'preview_key', 'thumbnail_key', 'svg_key'])
    .execute()
  await tx.deleteFrom('job_parts').where('job_id', '=', jobId).execute()
  if (parts.length) {
    await tx
      .insertInto('job_parts')
      .values(
        parts.map((p, i) => ({
          job_id: jobId,
          file_id: p.fileId,
          quantity: p.quantity,
          position: i,
        })),
      )
      .execute()
  }
  return dropped.flatMap(storageKeysOf)
}

export function storageKeysOf(row: {
  storage_key: string
  preview_key: string | null
  thumbnail_key: string | null
  svg_key: string | null
}): string[] {
  return [row.storage_key, row.preview_key, row.thumbnail_key, row.svg_key].filter(
    (k): k is string => k !== null,
  )
}

/** Creates a draft job (design firms), optionally with parts from files already uploaded. */
export async function createJob(
  tx: Tx,
  actor: AccountView,
  input: JobInput,
  parts: PartInput[] = [],
  today = shanghaiToday(),
): Promise<string> {
  requireDesignFirm(actor)
  await checkJobInput(tx, input, today)
  const row = await tx
    .insertInto('jobs')
    .values({
      organization_id: actor.organization.id,
      created_by: actor.user.id,
      ...jobColumns(input),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await replaceParts(tx, actor, row.id, parts)
  return row.id
}

/** The actor's own job, locked; 404 for anyone else's. */
async function lockOwnJob(tx: Tx, actor: AccountView, jobId: string) {
  const job = await tx
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', jobId)
    .where('organization_id', '=', actor.organization.id)
    .forUpdate()
    .executeTakeFirst()
  if (!job) throw new NotFoundError('No such job')
  return job
}

function requireDraft(job: { status: string }) {
  if (job.status !== 'draft') {
    throw new StateConflictError('job_not_draft', 'Only a draft job can be changed', {
      details: { status: job.status },
    })
  }
}

/**
 * Changes a draft job; `parts`, when given, replaces its parts. An open job is 409. Returns
 * the storage keys of files that left the job (delete them after commit).
 */
export async function updateJob(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  input: JobInput,
  parts?: PartInput[],
  today = shanghaiToday(),
): Promise<string[]> {
  requireDesignFirm(actor)
  const job = await lockOwnJob(tx, actor, jobId)
  requireDraft(job)
  await checkJobInput(tx, input, today)
  await tx
    .updateTable('jobs')
    .set({ ...jobColumns(input), updated_at: sql<Date>`now()` })
    .where('id', '=', jobId)
    .execute()
  return parts ? replaceParts(tx, actor, jobId, parts) : []
}

/** Attaches one uploaded file to a draft job as a new last part. */
export async function addPart(tx: Tx, actor: AccountView, jobId: string, part: PartInput) {
  requireDesignFirm(actor)
  const job = await lockOwnJob(tx, actor, jobId)
  requireDraft(job)
  const current = await tx
    .selectFrom('job_parts')
    .select(['file_id', 'quantity'])
    .where('job_id', '=', jobId)
    .orderBy('position')
    .execute()
  await replaceParts(tx, actor, jobId, [
    ...current.map((p) => ({ fileId: p.file_id, quantity: p.quantity })),
    part,
  ])
}

/** Changes a part's quantity on a draft job. */
export async function setPartQuantity(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  fileId: string,
  quantity: number,
) {
  requireDesignFirm(actor)
  requireDraft(await lockOwnJob(tx, actor, jobId))
  const updated = await tx
    .updateTable('job_parts')
    .set({ quantity })
    .where('job_id', '=', jobId)
    .where('file_id', '=', fileId)
    .executeTakeFirst()
  if (!updated.numUpdatedRows) throw new NotFoundError('No such part')
}

/** Removes a part from a draft job and deletes its file; returns the keys to delete. */
export async function removePart(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  fileId: string,
): Promise<string[]> {
  requireDesignFirm(actor)
  requireDraft(await lockOwnJob(tx, actor, jobId))
  const part = await tx
    .selectFrom('job_parts')
    .select('file_id')
    .where('job_id', '=', jobId)
    .where('file_id', '=', fileId)
    .executeTakeFirst()
  if (!part) throw new NotFoundError('No such part')
  const row = await tx
    .deleteFrom('job_files')
    .where('id', '=', fileId)
    .returning(['storage_key', 'preview_key', 'thumbnail_key', 'svg_key'])
    .executeTakeFirstOrThrow()
  return storageKeysOf(row)
}

/**
 * Opens a draft job: it needs at least one part and every part analysed. Invited workshops
 * are emailed in the same transaction (as matching, issue 6, will be enqueued).
 */
export async function openJob(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  publicUrl: string,
  today = shanghaiToday(),
) {
  requireDesignFirm(actor)
  const job = await lockOwnJob(tx, actor, jobId)
  if (job.status === 'open') {
    throw new StateConflictError('job_already_open', 'This job is already open')
  }
  requireDraft(job)
  if (job.deadline <= today) {
    throw new RuleViolationError('deadline_past', 'The deadline must be after today', {
      field: 'deadline',
    })
  }
  const parts = await tx
    .selectFrom('job_parts')
    .innerJoin('job_files', 'job_files.id', 'job_parts.file_id')
    .select(['job_files.id', 'job_files.original_name', 'job_files.analysis_status'])
    .where('job_parts.job_id', '=', jobId)
    .execute()
  if (parts.length === 0) {
    throw new RuleViolationError('job_no_parts', 'Attach at least one CAD file first')
  }
  const notReady = parts.filter((p) => p.analysis_status !== 'done')
  if (notReady.length) {
    throw new RuleViolationError('parts_not_ready', 'Every part must be analysed first', {
      details: {
        parts: notReady.map((p) => ({
          file_id: p.id,
          name: p.original_name,
          status: p.analysis_status,
        })),
      },
    })
  }
  await tx
    .updateTable('jobs')
    .set({ status: 'open', opened_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', jobId)
    .execute()
  const invited = await tx
    .selectFrom('job_invitations')
    .select('organization_id')
    .where('job_id', '=', jobId)
    .execute()
  await emailJobToWorkshops(
    tx,
    job,
    invited.map((i) => i.organization_id),
    'job-invitation',
    publicUrl,
  )
  await enqueue(tx, 'match__job', { jobId }, { jobKey: `match:${jobId}` })
}

export interface RelaxInput {
  /** A looser tolerance (≥ the current one). */
  toleranceMm?: number
  /** A later deadline. */
  deadline?: string
  /** Any material the process works ("not sure"). */
  anyMaterial?: boolean
  /** Any process that can make the parts ("not sure"). */
  anyProcess?: boolean
}

/**
 * Loosens an open job that matched nothing (issue 6: "can relax the job"): a looser
 * tolerance, a later deadline, any material or any process; never tighter. The old matching
 * result goes and matching runs again. Refused once the job has quotes: workshops priced the
 * job as it was.
 */
export async function relaxJob(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  input: RelaxInput,
  today = shanghaiToday(),
) {
  requireDesignFirm(actor)
  const job = await lockOwnJob(tx, actor, jobId)
  if (job.status !== 'open') {
    throw new StateConflictError('job_not_open', 'Only an open job is matched', {
      details: { status: job.status },
    })
  }
  const quoted = await tx
    .selectFrom('quotes')
    .select('id')
    .where('job_id', '=', jobId)
    .limit(1)
    .executeTakeFirst()
  if (quoted) {
    throw new StateConflictError('job_has_quotes', 'Workshops have quoted on this job as it is')
  }
  const tolerance = input.toleranceMm ?? job.tolerance_mm
  if (tolerance < job.tolerance_mm || tolerance > 10) {
    throw new RuleViolationError('relax_tighter', 'A relaxed tolerance cannot be tighter', {
      field: 'toleranceMm',
    })
  }
  const deadline = input.deadline ?? job.deadline
  if (deadline < job.deadline || deadline > addDays(today, MAX_DEADLINE_DAYS)) {
    throw new RuleViolationError('relax_deadline', 'A relaxed deadline must be later', {
      field: 'deadline',
    })
  }
  const process = input.anyProcess ? null : job.process
  const material = input.anyMaterial || process === null ? null : job.material
  if (
    tolerance === job.tolerance_mm &&
    deadline === job.deadline &&
    process === job.process &&
    material === job.material
  ) {
    throw new RuleViolationError('relax_nothing', 'Loosen at least one requirement')
  }
  await tx.deleteFrom('matches').where('job_id', '=', jobId).execute()
  await tx
    .updateTable('jobs')
    .set({
      tolerance_mm: tolerance,
      deadline,
      process,
      material,
      matched_at: null,
      match_summary: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', jobId)
    .execute()
  await enqueue(tx, 'match__job', { jobId }, { jobKey: `match:${jobId}` })
}

/** Takes an open job off the market (no more quotes), or discards a draft. */
export async function cancelJob(tx: Tx, actor: AccountView, jobId: string) {
  requireDesignFirm(actor)
  const job = await lockOwnJob(tx, actor, jobId)
  if (job.status !== 'draft' && job.status !== 'open') {
    throw new StateConflictError('job_not_active', 'This job is already closed', {
      details: { status: job.status },
    })
  }
  await tx
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: sql<Date>`now()` })
    .where('id', '=', jobId)
    .execute()
  // Its quotes can no longer be accepted.
  await declineOpenQuotes(tx, jobId, 'job_cancelled')
}

/** The organisation's jobs, newest first, with part counts and analysis progress. */
export function listOwnJobs(db: Db, organizationId: string, status?: JobStatusFilter) {
  let query = db
    .selectFrom('jobs')
    .leftJoin('job_parts', 'job_parts.job_id', 'jobs.id')
    .leftJoin('job_files', 'job_files.id', 'job_parts.file_id')
    .selectAll('jobs')
    .select((eb) => [
      eb.fn.count<number>('job_parts.file_id').as('part_count'),
      eb.fn.coalesce(eb.fn.sum<number>('job_parts.quantity'), sql<number>`0`).as('total_quantity'),
      sql<number>`count(*) filter (where job_files.analysis_status = 'pending')`.as(
        'pending_parts',
      ),
      sql<string | null>`(array_agg(job_files.id order by job_parts.position)
        filter (where job_files.thumbnail_key is not null))[1]`.as('thumbnail_file_id'),
    ])
    .where('jobs.organization_id', '=', organizationId)
    .groupBy('jobs.id')
    .orderBy('jobs.created_at', 'desc')
  if (status) query = query.where('jobs.status', '=', status)
  return query.execute()
}

export type JobRole = 'owner' | 'operator' | 'workshop'

/**
 * Who `viewer` is to a job, or undefined (404). The owning firm and operators see every job;
 * a workshop sees open (or later) public jobs and the jobs it is invited to or matched with,
 * never drafts. `filesAllowed` is the one rule for opening the job's files: not a workshop,
 * or invited (or matched) and past the NDA when the job requires one.
 */
export async function jobAccess(db: Db | Tx, jobId: string, viewer: AccountView | null) {
  if (!viewer) return undefined
  const job = await db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst()
  if (!job) return undefined
  let role: JobRole
  let invited = false
  let ndaAcceptedAt: Date | null = null
  if (viewer.organization.id === job.organization_id) role = 'owner'
  else if (viewer.organization.kind === 'platform') role = 'operator'
  else if (viewer.organization.kind === 'workshop') {
    if (job.status === 'draft') return undefined
    const [invitation, matched, nda, order] = await Promise.all([
      db
        .selectFrom('job_invitations')
        .select('created_at')
        .where('job_id', '=', jobId)
        .where('organization_id', '=', viewer.organization.id)
        .executeTakeFirst(),
      isMatched(db, jobId, viewer.organization.id),
      db
        .selectFrom('nda_acceptances')
        .select('accepted_at')
        .where('job_id', '=', jobId)
        .where('organization_id', '=', viewer.organization.id)
        .executeTakeFirst(),
      db
        .selectFrom('orders')
        .select('id')
        .where('job_id', '=', jobId)
        .where('workshop_organization_id', '=', viewer.organization.id)
        .executeTakeFirst(),
    ])
    // Matched counts as invited (the platform brought the job to this workshop), and so does
    // winning the order (a manual quote on a public job): it must make the parts.
    invited = Boolean(invitation) || matched || Boolean(order)
    if (!invited && job.visibility !== 'public') return undefined
    ndaAcceptedAt = nda?.accepted_at ?? null
    role = 'workshop'
  } else return undefined
  const filesAllowed =
    role !== 'workshop' || (invited && (!job.nda_required || ndaAcceptedAt !== null))
  return { job, role, invited, ndaAcceptedAt, filesAllowed }
}

/** The job as `viewer` may see it (jobAccess) with its parts, or undefined (404). */
export async function getJobForViewer(db: Db | Tx, jobId: string, viewer: AccountView | null) {
  const access = await jobAccess(db, jobId, viewer)
  if (!access) return undefined
  const parts = await db
    .selectFrom('job_parts')
    .innerJoin('job_files', 'job_files.id', 'job_parts.file_id')
    .selectAll('job_files')
    .select(['job_parts.quantity', 'job_parts.position'])
    .where('job_parts.job_id', '=', jobId)
    .orderBy('job_parts.position')
    .execute()
  return { ...access, parts }
}

export type FileDenial = 'not_invited' | 'nda_required'

/**
 * May `viewer` open `fileId` (download, preview, thumbnail)? The uploading firm and
 * operators always; a workshop when the file's job is past draft, the workshop is invited
 * (or, from issue 6, matched) and has accepted the NDA if the job requires one. Anyone who
 * cannot even see the job gets NotFoundError; a workshop that sees the job but may not open
 * its files gets `denied` (403).
 */
export async function fileAccess(db: Db, fileId: string, viewer: AccountView | null) {
  const file = await db
    .selectFrom('job_files')
    .leftJoin('job_parts', 'job_parts.file_id', 'job_files.id')
    .selectAll('job_files')
    .select('job_parts.job_id')
    .where('job_files.id', '=', fileId)
    .executeTakeFirst()
  if (!file || !viewer) throw new NotFoundError('No such file')
  if (viewer.organization.id === file.organization_id || viewer.organization.kind === 'platform') {
    return { file, denied: undefined }
  }
  if (!file.job_id) throw new NotFoundError('No such file')
  // The job's access rule, without loading its parts (thumbnails come here once per part).
  const seen = await jobAccess(db, file.job_id, viewer)
  if (!seen) throw new NotFoundError('No such file')
  const denied: FileDenial | undefined = seen.filesAllowed
    ? undefined
    : seen.invited
      ? 'nda_required'
      : 'not_invited'
  return { file, denied }
}

/** Records a download (who, when, from where) for the job owner's log. */
export async function recordDownload(
  db: Db | Tx,
  fileId: string,
  viewer: AccountView,
  ip: string | null,
) {
  await db
    .insertInto('file_downloads')
    .values({
      file_id: fileId,
      user_id: viewer.user.id,
      organization_id: viewer.organization.id,
      ip,
    })
    .execute()
}

/** Who downloaded the job's files, newest first (the owning firm and operators only). */
export async function listDownloads(db: Db, jobId: string, viewer: AccountView) {
  const job = await db
    .selectFrom('jobs')
    .select(['organization_id'])
    .where('id', '=', jobId)
    .executeTakeFirst()
  if (
    !job ||
    (job.organization_id !== viewer.organization.id && viewer.organization.kind !== 'platform')
  ) {
    throw new NotFoundError('No such job')
  }
  return db
    .selectFrom('file_downloads')
    .innerJoin('job_parts', 'job_parts.file_id', 'file_downloads.file_id')
    .innerJoin('job_files', 'job_files.id', 'file_downloads.file_id')
    .leftJoin('users', 'users.id', 'file_downloads.user_id')
    .leftJoin('organizations', 'organizations.id', 'file_downloads.organization_id')
    .select([
      'file_downloads.id',
      'file_downloads.created_at',
      'file_downloads.ip',
      'job_files.id as file_id',
      'job_files.original_name',
      'users.name as user_name',
      'users.email as user_email',
      'organizations.name as organization_name',
      'organizations.id as organization_id',
    ])
    .where('job_parts.job_id', '=', jobId)
    .orderBy('file_downloads.created_at', 'desc')
    .limit(500)
    .execute()
}

/** A workshop accepts the job's NDA (click-through); repeating it keeps the first time. */
export async function acceptNda(tx: Tx, actor: AccountView, jobId: string) {
  if (actor.organization.kind !== 'workshop') {
    throw new ForbiddenError('Only workshops accept a job NDA')
  }
  const seen = await jobAccess(tx, jobId, actor)
  if (!seen) throw new NotFoundError('No such job')
  if (!seen.job.nda_required) {
    throw new StateConflictError('nda_not_required', 'This job has no NDA')
  }
  await tx
    .insertInto('nda_acceptances')
    .values({ job_id: jobId, organization_id: actor.organization.id, user_id: actor.user.id })
    .onConflict((oc) => oc.columns(['job_id', 'organization_id']).doNothing())
    .execute()
}

/** Workshops a firm may invite: every workshop, verified first. */
export function listInvitableWorkshops(db: Db) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'town', 'verification_status'])
    .where('kind', '=', 'workshop')
    .orderBy(sql`verification_status = 'verified'`, 'desc')
    .orderBy('name')
    .limit(500)
    .execute()
}

/** The job's invited workshops. */
export function listInvitations(db: Db, jobId: string) {
  return db
    .selectFrom('job_invitations')
    .innerJoin('organizations', 'organizations.id', 'job_invitations.organization_id')
    .leftJoin('nda_acceptances', (join) =>
      join
        .onRef('nda_acceptances.job_id', '=', 'job_invitations.job_id')
        .onRef('nda_acceptances.organization_id', '=', 'job_invitations.organization_id'),
    )
    .select([
      'organizations.id',
      'organizations.name',
      'organizations.town',
      'job_invitations.created_at',
      'nda_acceptances.accepted_at as nda_accepted_at',
    ])
    .where('job_invitations.job_id', '=', jobId)
    .orderBy('job_invitations.created_at')
    .execute()
}

/**
 * Invites a workshop to the job: it may then see the job (even when not public) and, after
 * the NDA if one is required, its files. Its owners are emailed once the job is open (or now,
 * if it already is). Inviting twice changes nothing.
 */
export async function inviteWorkshop(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  workshopId: string,
  publicUrl: string,
) {
  requireDesignFirm(actor)
  const job = await lockOwnJob(tx, actor, jobId)
  if (job.status !== 'draft' && job.status !== 'open') {
    throw new StateConflictError('job_not_active', 'This job is already closed')
  }
  const workshop = await tx
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', workshopId)
    .where('kind', '=', 'workshop')
    .executeTakeFirst()
  if (!workshop) {
    throw new NotFoundError('No such workshop', {
      field: 'workshop',
      details: { workshop_id: workshopId },
    })
  }
  const inserted = await tx
    .insertInto('job_invitations')
    .values({ job_id: jobId, organization_id: workshop.id, invited_by: actor.user.id })
    .onConflict((oc) => oc.columns(['job_id', 'organization_id']).doNothing())
    .returning('organization_id')
    .executeTakeFirst()
  if (inserted && job.status === 'open') {
    await emailJobToWorkshops(tx, job, [workshop.id], 'job-invitation', publicUrl)
  }
}

/**
 * Emails the owners of `workshopIds` about a job: an invitation, or a match. Called in the
 * transaction of the change, so the email exists exactly when the change does.
 */
export async function emailJobToWorkshops(
  tx: Tx,
  job: { id: string; title: string; organization_id: string; nda_required: boolean },
  workshopIds: string[],
  template: 'job-invitation' | 'job-matched',
  publicUrl: string,
) {
  if (!workshopIds.length) return
  const [firm, owners] = await Promise.all([
    tx
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', job.organization_id)
      .executeTakeFirstOrThrow(),
    ownersOf(tx, workshopIds),
  ])
  for (const owner of owners) {
    await queueEmail(tx, {
      to: owner.email,
      locale: owner.locale,
      template,
      props: {
        name: owner.name,
        firm: firm.name,
        job: job.title,
        ndaRequired: job.nda_required,
        url: `${publicUrl}/jobs/${job.id}`,
      },
    })
  }
}

/** Removes an invitation (its NDA acceptance stays on record). */
export async function uninviteWorkshop(
  tx: Tx,
  actor: AccountView,
  jobId: string,
  workshopId: string,
) {
  requireDesignFirm(actor)
  await lockOwnJob(tx, actor, jobId)
  const removed = await tx
    .deleteFrom('job_invitations')
    .where('job_id', '=', jobId)
    .where('organization_id', '=', workshopId)
    .executeTakeFirst()
  if (!removed.numDeletedRows) throw new NotFoundError('No such invitation')
}

/** Queues the geometry analysis of a newly uploaded file (in the upload's transaction). */
export function enqueueAnalysis(tx: Tx, fileId: string) {
  return enqueue(tx, 'cad__analyse', { fileId }, { jobKey: `cad:${fileId}`, maxAttempts: 3 })
}
