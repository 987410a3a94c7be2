import { z } from 'zod'
import type { Db } from '../../db/client.ts'
import type {
  CapabilityIndex,
  CapabilityQuery,
  CapabilitySearchResult,
  SortOrder,
} from '../../search/types.ts'
import { processCodes } from './processes.ts'
import { townByCode, townCodes } from './towns.ts'
import { certificationCodes, clusterCodes } from './taxonomy.ts'
import { BadQueryError } from './errors.ts'

export const MAX_QUERY_LENGTH = 200
export const MAX_PER_PAGE = 100
export const DEFAULT_PER_PAGE = 20

const num = (label: string) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .refine(Number.isFinite, `${label} must be a number`)

const triple = z.string().transform((v, ctx) => {
  const parts = v
    .split(/[,x×*\s]+/)
    .filter(Boolean)
    .map(Number)
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p <= 0 || p > 10_000)) {
    ctx.addIssue({
      code: 'custom',
      message: 'min_envelope_mm is three sizes in mm, e.g. 300,200,50',
    })
    return z.NEVER
  }
  return parts as [number, number, number]
})

const point = z.string().transform((v, ctx) => {
  const [lat, lng] = v.split(',').map((p) => Number(p.trim()))
  if (
    lat === undefined ||
    lng === undefined ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lng) ||
    Math.abs(lat) > 90 ||
    Math.abs(lng) > 180
  ) {
    ctx.addIssue({ code: 'custom', message: 'near is "lat,lng"' })
    return z.NEVER
  }
  return { lat, lng }
})

function oneOf<T extends string>(name: string, codes: readonly T[]) {
  return z.array(z.string()).superRefine((values, ctx) => {
    for (const value of values) {
      if (!codes.includes(value as T))
        ctx.addIssue({ code: 'custom', message: `unknown ${name} "${value}"`, params: { value } })
    }
  }) as unknown as z.ZodType<T[]>
}

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)

/** The search parameters of /capabilities and GET /api/v1/capabilities (one place, one meaning). */
export const CapabilityParamsSchema = z.object({
  q: z
    .string()
    .trim()
    .max(MAX_QUERY_LENGTH, `q is at most ${MAX_QUERY_LENGTH} characters`)
    .optional(),
  process: oneOf('process', processCodes).default([]),
  material: z.array(z.string().max(40)).default([]),
  town: oneOf('town', townCodes).default([]),
  cluster: oneOf('cluster', clusterCodes).default([]),
  certification: oneOf('certification', certificationCodes).default([]),
  verified: z.preprocess(blankToUndefined, z.enum(['true', 'false', '1', '0']).optional()),
  min_envelope_mm: z.preprocess(blankToUndefined, triple.optional()),
  max_tolerance_mm: z.preprocess(blankToUndefined, num('max_tolerance_mm').positive().optional()),
  min_idle_hours: z.preprocess(blankToUndefined, num('min_idle_hours').min(0).optional()),
  near: z.preprocess(blankToUndefined, point.optional()),
  /** A town code instead of coordinates, for people (the page's "distance from"). */
  near_town: z.preprocess(
    blankToUndefined,
    z.enum(townCodes, { error: 'unknown near_town' }).optional(),
  ),
  radius_km: z.preprocess(blankToUndefined, num('radius_km').positive().max(500).optional()),
  sort: z.preprocess(
    blankToUndefined,
    z.enum(['relevance', 'rating', 'idle', 'distance']).default('relevance'),
  ),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1000).default(1)),
  per_page: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .int()
      .min(1)
      .default(DEFAULT_PER_PAGE)
      .transform((n) => Math.min(n, MAX_PER_PAGE)),
  ),
})

export type CapabilityParams = z.output<typeof CapabilityParamsSchema>

const listKeys = ['process', 'material', 'town', 'cluster', 'certification'] as const

/** URLSearchParams → the object the schema reads (repeated keys become arrays). */
export function paramsFromSearch(search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of new Set(search.keys())) {
    const values = search
      .getAll(key)
      .flatMap((v) => ((listKeys as readonly string[]).includes(key) ? v.split(',') : [v]))
    const cleaned = values.map((v) => v.trim()).filter((v) => v !== '')
    out[key] = (listKeys as readonly string[]).includes(key) ? cleaned : (cleaned[0] ?? '')
  }
  return out
}

/** Parsed parameters → the index query; unknown materials are refused by name. */
export async function toCapabilityQuery(
  db: Db,
  params: CapabilityParams,
): Promise<CapabilityQuery> {
  if (params.material.length) {
    const known = await db
      .selectFrom('materials')
      .select('code')
      .where('code', 'in', params.material)
      .execute()
    const unknown = params.material.filter((m) => !known.some((k) => k.code === m))
    if (unknown.length) {
      throw new BadQueryError(`unknown material "${unknown.join('", "')}"`, {
        field: 'material',
        details: { values: unknown },
      })
    }
  }
  const town = params.near_town ? townByCode(params.near_town) : undefined
  const near = params.near ?? (town ? { lat: town.lat, lng: town.lng } : undefined)
  const sort: SortOrder = params.sort
  if (sort === 'distance' && !near) {
    throw new BadQueryError('sort=distance needs near (lat,lng) or near_town', {
      field: 'near_town',
    })
  }
  if (params.radius_km !== undefined && !near) {
    throw new BadQueryError('radius_km needs near (lat,lng) or near_town', { field: 'near_town' })
  }
  return {
    q: params.q || undefined,
    process: params.process,
    material: params.material,
    town: params.town,
    cluster: params.cluster,
    certification: params.certification,
    verified:
      params.verified === undefined
        ? undefined
        : params.verified === 'true' || params.verified === '1',
    minEnvelopeMm: params.min_envelope_mm,
    maxToleranceMm: params.max_tolerance_mm,
    minIdleHours: params.min_idle_hours,
    near,
    radiusKm: params.radius_km,
    sort,
    page: params.page,
    perPage: params.per_page,
  }
}

/** The promised API shape of a search result. */
export function capabilityResponse(result: CapabilitySearchResult) {
  return {
    hits: result.hits.map(({ document: d, distanceKm }) => ({
      resource_id: d.id,
      name: d.name,
      make: d.make,
      model: d.model,
      workshop: {
        id: d.workshopId,
        name: d.workshopName,
        town: d.town,
        verified: d.verified,
        rating: d.rating,
      },
      process: d.process,
      materials: d.materials,
      envelope_mm: d.envelopeMm,
      tolerance_mm: d.toleranceMm,
      idle_hours_4w: d.idleHours4w,
      ...(distanceKm !== undefined ? { distance_km: Math.round(distanceKm * 10) / 10 } : {}),
    })),
    facets: {
      process: result.facets.process,
      material: result.facets.material,
      town: result.facets.town,
      cluster: result.facets.cluster,
      certification: result.facets.certification,
      verified: result.facets.verified,
    },
    total: result.total,
    page: result.page,
    per_page: result.perPage,
  }
}

export type CapabilityResponse = ReturnType<typeof capabilityResponse>

/** Parses, validates and runs a capability search. */
export async function searchCapabilities(
  db: Db,
  index: CapabilityIndex,
  raw: Record<string, unknown>,
) {
  const params = CapabilityParamsSchema.parse(raw)
  const query = await toCapabilityQuery(db, params)
  return { params, response: capabilityResponse(await index.search(query)) }
}
