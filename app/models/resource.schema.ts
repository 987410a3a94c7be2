import { z } from 'zod'
import { processCodes } from './processes.ts'
import { yuanToFen } from './money.ts'

// Form and API input for a resource (machine or line). Messages are i18n keys.
const mm = z.coerce
  .number({ error: 'error.number' })
  .gt(0, 'error.envelopeRange')
  .max(10_000, 'error.envelopeRange')

const yuan = z.string({ error: 'error.required' }).transform((v, ctx) => {
  const fen = yuanToFen(v)
  if (fen === undefined) {
    ctx.addIssue({ code: 'custom', message: 'error.money' })
    return z.NEVER
  }
  return fen
})

const list = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().trim().min(1).max(40)).max(30),
)

/** "阳极氧化, 喷砂；抛光" → ['阳极氧化', '喷砂', '抛光'] */
const commaList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(/[,，;；、\n]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : (v ?? []),
  z.array(z.string().max(40, 'error.tooLong')).max(20, 'error.tooMany'),
)

const optionalInt = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.coerce
    .number({ error: 'error.number' })
    .int('error.integer')
    .min(1, 'error.quantity')
    .max(10_000_000)
    .optional(),
)

const resourceFields = {
  process: z.enum(processCodes, { error: 'error.invalidChoice' }),
  name: z
    .string({ error: 'error.required' })
    .trim()
    .min(2, 'error.required')
    .max(120, 'error.tooLong'),
  make: z.string().trim().max(80, 'error.tooLong').default(''),
  model: z.string().trim().max(80, 'error.tooLong').default(''),
  materials: list.pipe(z.array(z.string()).min(1, 'error.materialsRequired')),
  envelopeX: mm,
  envelopeY: mm,
  envelopeZ: mm,
  toleranceMm: z.coerce
    .number({ error: 'error.number' })
    .gt(0, 'error.tolerancePositive')
    .max(10, 'error.toleranceRange'),
  finishes: commaList,
  hourlyRate: yuan,
  setupFee: yuan.optional().transform((v) => v ?? 0),
  minQuantity: optionalInt.transform((v) => v ?? 1),
  maxQuantity: optionalInt,
  description: z.string().trim().max(2000, 'error.tooLong').default(''),
  active: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
}

export const ResourceFormSchema = z
  .object(resourceFields)
  .refine((v) => v.maxQuantity === undefined || v.maxQuantity >= v.minQuantity, {
    message: 'error.minAboveMax',
    path: ['maxQuantity'],
  })

export type ResourceInput = {
  process: z.output<typeof resourceFields.process>
  name: string
  make: string
  model: string
  materials: string[]
  envelopeMm: [number, number, number]
  toleranceMm: number
  finishes: string[]
  hourlyRateFen: number
  setupFeeFen: number
  minQuantity: number
  maxQuantity: number | null
  description: string
  active: boolean
}

export function resourceInputFromForm(v: z.output<typeof ResourceFormSchema>): ResourceInput {
  return {
    process: v.process,
    name: v.name,
    make: v.make,
    model: v.model,
    materials: v.materials,
    envelopeMm: [v.envelopeX, v.envelopeY, v.envelopeZ],
    toleranceMm: v.toleranceMm,
    finishes: v.finishes,
    hourlyRateFen: v.hourlyRate,
    setupFeeFen: v.setupFee,
    minQuantity: v.minQuantity,
    maxQuantity: v.maxQuantity ?? null,
    description: v.description,
    active: v.active,
  }
}

const day = z.iso.date({ error: 'error.date' })

export const CapacityWindowSchema = z
  .object({
    from: day,
    to: day,
    hoursPerDay: z.coerce
      .number({ error: 'error.number' })
      .gt(0, 'error.hoursPerDay')
      .max(24, 'error.hoursPerDay')
      .multipleOf(0.5, 'error.hoursStep'),
  })
  .refine((w) => w.to >= w.from, { message: 'error.dateOrder', path: ['to'] })

export type CapacityWindowInput = z.output<typeof CapacityWindowSchema>
