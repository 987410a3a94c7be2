import type { z } from 'zod'
import { getWorkshopProfile, type getPublicWorkshop } from '../models/workshop.server.ts'
import { ForbiddenError } from '../models/errors.ts'
import type { AccountView } from '../models/user.server.ts'
import type { AppContext } from '../context.ts'
import type { WorkshopProfileInput } from '../models/workshop.schema.ts'
import type { listMaterials } from '../models/material.server.ts'
import type { MaterialInput } from '../models/material.server.ts'
import type { schemas } from './api-contract.ts'
import { iso } from './api.server.ts'
import { capabilityFields } from './resource-api.server.ts'

type Profile = NonNullable<Awaited<ReturnType<typeof getWorkshopProfile>>>
type PublicWorkshop = NonNullable<Awaited<ReturnType<typeof getPublicWorkshop>>>
type MaterialRow = Awaited<ReturnType<typeof listMaterials>>[number]

/** Where a stored document or photo is downloaded (the route checks who may). */
export const fileUrl = (id: string) => `/files/${id}`

/** The API shape of an uploaded document or photo. */
export function fileBody(f: {
  id: string
  purpose: string
  certification?: string | null
  original_name: string
  content_type: string
  size_bytes: number
  created_at: Date | string
}) {
  return {
    id: f.id,
    purpose: f.purpose,
    certification: f.certification ?? null,
    name: f.original_name,
    content_type: f.content_type,
    size_bytes: f.size_bytes,
    created_at: iso(f.created_at),
    url: fileUrl(f.id),
  }
}

/** The API shape of a workshop's own profile (also what operators review). */
export function profileBody(p: Profile) {
  return {
    id: p.id,
    name: p.name,
    legal_name: p.legal_name,
    uscc: p.uscc,
    town: p.town,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    description: p.description,
    clusters: p.clusters,
    certifications: p.certifications,
    rating: p.rating,
    verification: {
      status: p.verification_status,
      note: p.verification_note,
      requested_at: iso(p.verification_requested_at),
      verified_at: iso(p.verified_at),
    },
    files: p.files.map(fileBody),
  }
}

/** The caller's workshop profile as the API shows it; 403 for other kinds of account. */
export async function ownProfileBody(context: AppContext, account: AccountView) {
  if (account.organization.kind !== 'workshop') {
    throw new ForbiddenError('Only workshops have this profile')
  }
  return profileBody((await getWorkshopProfile(context.db, account.organization.id))!)
}

export function profileInputFromApi(
  v: z.output<typeof schemas.WorkshopProfileRequest>,
): WorkshopProfileInput {
  return {
    name: v.name,
    legalName: v.legal_name,
    uscc: v.uscc,
    town: v.town,
    address: v.address,
    lat: v.lat ?? undefined,
    lng: v.lng ?? undefined,
    description: v.description || undefined,
    clusters: v.clusters,
    certifications: v.certifications,
  }
}

/** What anyone may read of a workshop. */
export function publicWorkshopBody({ workshop, resources, photos }: PublicWorkshop) {
  return {
    id: workshop.id,
    name: workshop.name,
    town: workshop.town,
    address: workshop.address,
    description: workshop.description,
    clusters: workshop.clusters,
    certifications: workshop.certifications,
    verified: workshop.verified,
    verified_at: iso(workshop.verified_at),
    rating: workshop.rating,
    resources: resources.map((r) => ({ ...capabilityFields(r), idle_hours_4w: r.idle_hours_4w })),
    photos: photos.map((p) => ({ id: p.id, name: p.original_name, url: fileUrl(p.id) })),
  }
}

export function materialBody(m: MaterialRow) {
  return {
    code: m.code,
    name_zh: m.name_zh,
    name_en: m.name_en,
    families: m.families,
    density_g_cm3: m.density_g_cm3,
    price_fen_per_kg: m.price_fen_per_kg,
    active: m.active,
  }
}

export function materialInputFromApi(
  v: Omit<z.output<typeof schemas.MaterialRequest>, 'code' | 'families'> & { families: string[] },
  code: string,
): MaterialInput {
  return {
    code,
    nameZh: v.name_zh,
    nameEn: v.name_en,
    families: [...new Set(v.families)],
    densityGCm3: v.density_g_cm3,
    priceFenPerKg: v.price_fen_per_kg,
    active: v.active,
  }
}
