import type { z } from 'zod'
import type { schemas } from './api-contract.ts'
import type { ResourceInput } from '../models/resource.schema.ts'
import type { getResource, listOwnResources } from '../models/resource.server.ts'
import { iso } from './api.server.ts'

type ResourceRow =
  | NonNullable<Awaited<ReturnType<typeof getResource>>>
  | Awaited<ReturnType<typeof listOwnResources>>[number]
type ApiResourceInput = z.output<typeof schemas.ResourceRequest>

/** What anyone may know of a machine: what it does (rates and quantities stay private). */
export function capabilityFields(r: {
  id: string
  process: string
  name: string
  make: string
  model: string
  materials: string[]
  envelope_x_mm: number
  envelope_y_mm: number
  envelope_z_mm: number
  tolerance_mm: number
  finishes: string[]
}) {
  return {
    id: r.id,
    process: r.process,
    name: r.name,
    make: r.make,
    model: r.model,
    materials: r.materials,
    envelope_mm: [r.envelope_x_mm, r.envelope_y_mm, r.envelope_z_mm] as [number, number, number],
    tolerance_mm: r.tolerance_mm,
    finishes: r.finishes,
  }
}

/** The API shape of a resource. */
export function resourceBody(r: ResourceRow) {
  return {
    ...capabilityFields(r),
    workshop_id: r.organization_id,
    hourly_rate_fen: r.hourly_rate_fen,
    setup_fee_fen: r.setup_fee_fen,
    min_quantity: r.min_quantity,
    max_quantity: r.max_quantity,
    description: r.description,
    active: r.active,
    idle_hours_4w: r.idle_hours_4w,
    updated_at: iso(r.updated_at),
  }
}

export function resourceInputFromApi(v: ApiResourceInput): ResourceInput {
  return {
    process: v.process,
    name: v.name,
    make: v.make,
    model: v.model,
    materials: v.materials,
    envelopeMm: v.envelope_mm,
    toleranceMm: v.tolerance_mm,
    finishes: v.finishes,
    hourlyRateFen: v.hourly_rate_fen,
    setupFeeFen: v.setup_fee_fen,
    minQuantity: v.min_quantity,
    maxQuantity: v.max_quantity,
    description: v.description,
    active: v.active,
  }
}

/** A stored resource as API input, so a PATCH can merge into it and be validated whole. */
export function resourceToApiInput(r: ResourceRow) {
  const { id: _id, workshop_id: _w, idle_hours_4w: _i, updated_at: _u, ...rest } = resourceBody(r)
  return rest
}
