import type { z } from 'zod'
import type { schemas } from './api-contract.ts'
import { ApiError, iso } from './api.server.ts'
import { analysisInMm, type CadFileRow } from '../models/cad-file.server.ts'
import type { getJobForViewer, listOwnJobs } from '../models/job.server.ts'
import type { JobInput } from '../models/job.schema.ts'

/** 403 for a workshop that sees the job but may not open its files yet. */
export function deniedError(denied: 'not_invited' | 'nda_required') {
  return denied === 'nda_required'
    ? new ApiError(403, 'nda_required', "Accept the job's NDA first (POST /api/v1/jobs/{id}/nda)")
    : new ApiError(403, 'not_invited', "Only invited workshops may open this job's files")
}

type Viewed = NonNullable<Awaited<ReturnType<typeof getJobForViewer>>>

/** The API shape of a CAD file: analysis in mm (rescaled when the file is in inches). */
export function cadFileBody(f: CadFileRow) {
  const a = f.analysis_status === 'done' ? analysisInMm(f) : null
  const mesh = a?.kind === 'mesh' ? a : null
  const sheet = a?.kind === 'sheet' ? a : null
  return {
    id: f.id,
    name: f.original_name,
    format: f.format,
    size_bytes: f.size_bytes,
    sha256: f.sha256,
    created_at: iso(f.created_at),
    analysis: {
      status: f.analysis_status,
      units: f.units,
      volume_mm3: mesh?.volumeMm3 ?? null,
      surface_area_mm2: mesh?.surfaceAreaMm2 ?? null,
      bbox_mm: mesh?.bboxMm ?? null,
      triangles: mesh?.triangles ?? null,
      watertight: mesh ? mesh.watertight : null,
      extents_mm: sheet?.extentsMm ?? null,
      cut_length_mm: sheet?.cutLengthMm ?? null,
      pierces: sheet?.pierces ?? null,
      warnings: a?.warnings ?? [],
      ...(f.analysis_status === 'failed'
        ? { error_code: f.analysis_error_code ?? 'internal', error: f.analysis_error ?? '' }
        : {}),
    },
    thumbnail_url: f.thumbnail_key ? `/cad/${f.id}/thumbnail.png` : null,
    download_url: `/api/v1/files/${f.id}/download`,
  }
}

/** The API shape of a job as `viewed` allows: part files only when they may be opened. */
export function jobBody({ job, parts, role, invited, ndaAcceptedAt, filesAllowed }: Viewed) {
  return {
    id: job.id,
    organization_id: job.organization_id,
    title: job.title,
    description: job.description,
    process: job.process,
    material: job.material,
    tolerance_mm: job.tolerance_mm,
    thickness_mm: job.thickness_mm,
    finish: job.finish,
    needs_sample: job.needs_sample,
    deadline: job.deadline,
    budget_fen: role === 'workshop' ? null : job.budget_fen,
    delivery_town: job.delivery_town,
    delivery_address: job.delivery_address,
    visibility: job.visibility,
    nda_required: job.nda_required,
    aql: job.aql,
    status: job.status,
    opened_at: iso(job.opened_at),
    created_at: iso(job.created_at),
    updated_at: iso(job.updated_at),
    parts: parts.map((p) => ({
      quantity: p.quantity,
      format: p.format,
      file: filesAllowed ? cadFileBody(p) : null,
    })),
    access: {
      role,
      files_allowed: filesAllowed,
      invited,
      nda_accepted_at: iso(ndaAcceptedAt),
    },
  }
}

export function jobSummaryBody(j: Awaited<ReturnType<typeof listOwnJobs>>[number]) {
  return {
    id: j.id,
    title: j.title,
    status: j.status,
    process: j.process,
    deadline: j.deadline,
    part_count: Number(j.part_count),
    total_quantity: Number(j.total_quantity),
    pending_parts: Number(j.pending_parts),
    created_at: iso(j.created_at),
    opened_at: iso(j.opened_at),
  }
}

type JobFields = z.output<typeof schemas.JobRequest>

export function jobInputFromApi(v: Omit<JobFields, 'parts'>): JobInput {
  return {
    title: v.title,
    description: v.description,
    process: v.process,
    material: v.material,
    toleranceMm: v.tolerance_mm,
    thicknessMm: v.thickness_mm,
    finish: v.finish,
    needsSample: v.needs_sample,
    deadline: v.deadline,
    budgetFen: v.budget_fen,
    deliveryTown: v.delivery_town,
    deliveryAddress: v.delivery_address,
    visibility: v.visibility,
    ndaRequired: v.nda_required,
    aql: v.aql,
  }
}

/** A stored job as API input, so a PATCH merges into it and is validated whole. */
export function jobToApiInput(job: Viewed['job']): Omit<JobFields, 'parts'> {
  return {
    title: job.title,
    description: job.description,
    process: job.process as JobFields['process'],
    material: job.material,
    tolerance_mm: job.tolerance_mm,
    thickness_mm: job.thickness_mm,
    finish: job.finish,
    needs_sample: job.needs_sample,
    deadline: job.deadline,
    budget_fen: job.budget_fen,
    delivery_town: job.delivery_town as JobFields['delivery_town'],
    delivery_address: job.delivery_address,
    visibility: job.visibility,
    nda_required: job.nda_required,
    aql: job.aql as JobFields['aql'],
  }
}
