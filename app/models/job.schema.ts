import { z } from 'zod'
import { processCodes } from './processes.ts'
import { townCodes } from './towns.ts'
import { yuanToFen } from './money.ts'
import { aqlValues } from './aql.ts'

// Form input for a job (加工需求). Messages are i18n keys (app/locales). The API has its own
// snake_case schema (app/utils/api-contract.ts); both produce a JobInput.

export const jobStatuses = ['draft', 'open', 'closed', 'cancelled'] as const
export type JobStatusFilter = (typeof jobStatuses)[number]

export const jobVisibilities = ['public', 'invited'] as const
export type JobVisibility = (typeof jobVisibilities)[number]

/** The job's AQL when none is chosen: the usual one for machined parts. */
export const DEFAULT_JOB_AQL = 1

export function isStandardAql(value: number): boolean {
  return (aqlValues as readonly number[]).includes(value)
}

/** An AQL as GB/T 2828.1 prints it below 10 ("1.0", "4.0"), else as is. */
export function aqlLabel(aql: number): string {
  return Number.isInteger(aql) && aql < 10 ? aql.toFixed(1) : String(aql)
}

export interface JobInput {
  title: string
  description: string
  /** null: "not sure — suggest one". */
  process: string | null
  material: string | null
  toleranceMm: number
  /** Sheet thickness for DXF parts (mm); null for mesh-only jobs. */
  thicknessMm: number | null
  finish: string
  needsSample: boolean
  /** 'YYYY-MM-DD', Shanghai. */
  deadline: string
  budgetFen: number | null
  deliveryTown: string
  deliveryAddress: string
  visibility: JobVisibility
  ndaRequired: boolean
  /** Acceptance quality limit for the inspection (GB/T 2828.1 series); the order copies it. */
  aql: number
}

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean())
const emptyToNull = (v: unknown) => (v === '' || v === undefined ? null : v)

export const JobFormSchema = z.object({
  title: z
    .string({ error: 'error.required' })
    .trim()
    .min(2, 'error.required')
    .max(120, 'error.tooLong'),
  description: z.string().trim().max(5000, 'error.tooLong').default(''),
  process: z.preprocess(
    emptyToNull,
    z.enum(processCodes, { error: 'error.invalidChoice' }).nullable(),
  ),
  material: z.preprocess(emptyToNull, z.string().max(40).nullable()),
  toleranceMm: z.coerce
    .number({ error: 'error.number' })
    .gt(0, 'error.tolerancePositive')
    .max(10, 'error.toleranceRange'),
  thicknessMm: z.preprocess(
    emptyToNull,
    z.coerce
      .number({ error: 'error.number' })
      .gt(0, 'error.thickness')
      .max(100, 'error.thickness')
      .nullable(),
  ),
  finish: z.string().trim().max(200, 'error.tooLong').default(''),
  needsSample: checkbox,
  deadline: z.iso.date({ error: 'error.date' }),
  budget: z.preprocess(
    emptyToNull,
    z
      .string()
      .transform((v, ctx) => {
        const fen = yuanToFen(v)
        if (fen === undefined || fen <= 0) {
          ctx.addIssue({ code: 'custom', message: 'error.money' })
          return z.NEVER
        }
        return fen
      })
      .nullable(),
  ),
  deliveryTown: z.enum(townCodes, { error: 'error.invalidChoice' }),
  deliveryAddress: z.string().trim().max(300, 'error.tooLong').default(''),
  visibility: z.enum(jobVisibilities, { error: 'error.invalidChoice' }),
  ndaRequired: checkbox,
  aql: z.coerce
    .number({ error: 'error.aql' })
    .refine(isStandardAql, 'error.aql')
    .default(DEFAULT_JOB_AQL),
})

export function jobInputFromForm(v: z.output<typeof JobFormSchema>): JobInput {
  return {
    title: v.title,
    description: v.description,
    process: v.process,
    material: v.material,
    toleranceMm: v.toleranceMm,
    thicknessMm: v.thicknessMm,
    finish: v.finish,
    needsSample: v.needsSample,
    deadline: v.deadline,
    budgetFen: v.budget,
    deliveryTown: v.deliveryTown,
    deliveryAddress: v.deliveryAddress,
    visibility: v.visibility,
    ndaRequired: v.ndaRequired,
    aql: v.aql,
  }
}

export const PartQuantitySchema = z.coerce
  .number({ error: 'error.number' })
  .int('error.integer')
  .min(1, 'error.quantity')
  .max(10_000_000, 'error.quantity')
