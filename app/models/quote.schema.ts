import { z } from 'zod'
import { yuanToFen } from './money.ts'

// Quote input (issue 6): the API's snake_case JSON and the pages' forms (yuan typed by people,
// messages as i18n keys) produce the same ConfirmInput / ManualQuoteInput.

/** The bounds every quote price obeys (fen). */
export const MAX_UNIT_PRICE_FEN = 1_000_000_000
export const MAX_LEAD_DAYS = 365

const unitPriceFen = z.number().int().min(1).max(MAX_UNIT_PRICE_FEN)
const leadDays = z.number().int().min(1).max(MAX_LEAD_DAYS)
const comment = z.string().trim().max(2000)

export const ConfirmQuoteApiSchema = z
  .object({
    unit_price_fen: unitPriceFen.optional(),
    batch_lead_days: leadDays.optional(),
    comment: comment.optional(),
  })
  .strict()

/** Accepting: optionally the total the designer saw, so a quote revised meanwhile is refused. */
export const AcceptQuoteApiSchema = z
  .object({ expected_total_fen: z.number().int().positive().optional() })
  .strict()

export const DeclineQuoteApiSchema = z
  .object({ reason: z.string().trim().min(1).max(1000) })
  .strict()

export const ManualQuoteApiSchema = z
  .object({
    resource_id: z.uuid(),
    /** One unit price for every part, or `parts` with one per part. */
    unit_price_fen: unitPriceFen.optional(),
    parts: z
      .array(z.object({ file_id: z.uuid(), unit_price_fen: unitPriceFen }).strict())
      .min(1)
      .max(200)
      .optional(),
    setup_fen: z.number().int().min(0).max(MAX_UNIT_PRICE_FEN).default(0),
    sample_price_fen: z.number().int().min(0).max(MAX_UNIT_PRICE_FEN).default(0),
    sample_lead_days: z.number().int().min(0).max(MAX_LEAD_DAYS),
    batch_lead_days: leadDays,
    machine_hours: z.number().positive().max(100_000),
    comment: comment.default(''),
  })
  .strict()
  .refine((v) => (v.unit_price_fen === undefined) !== (v.parts === undefined), {
    message: 'Give unit_price_fen or parts (one unit price per part), not both',
    path: ['unit_price_fen'],
  })

// Forms: yuan strings; empty optional fields mean "unchanged".
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)
const yuan = (min: number) =>
  z.string().transform((v, ctx) => {
    const fen = yuanToFen(v)
    if (fen === undefined || fen < min || fen > MAX_UNIT_PRICE_FEN) {
      ctx.addIssue({ code: 'custom', message: 'error.money' })
      return z.NEVER
    }
    return fen
  })
const days = (min: number) =>
  z.coerce
    .number({ error: 'error.number' })
    .int('error.wholeDays')
    .min(min, 'error.leadDays')
    .max(MAX_LEAD_DAYS, 'error.leadDays')

export const ConfirmQuoteFormSchema = z.object({
  quoteId: z.uuid(),
  unitPrice: z.preprocess(emptyToUndefined, yuan(1).optional()),
  batchLeadDays: z.preprocess(emptyToUndefined, days(1).optional()),
  comment: z.string().trim().max(2000, 'error.tooLong').default(''),
})

export const DeclineQuoteFormSchema = z.object({
  quoteId: z.uuid(),
  reason: z
    .string({ error: 'error.required' })
    .trim()
    .min(1, 'error.required')
    .max(1000, 'error.tooLong'),
})

/** The manual quote form: `unitPrice.<fileId>` per part, the rest as in the API. */
export const ManualQuoteFormSchema = z.object({
  resourceId: z.uuid({ error: 'error.invalidChoice' }),
  setup: z.preprocess((v) => (v === '' || v === undefined ? '0' : v), yuan(0)),
  samplePrice: z.preprocess((v) => (v === '' || v === undefined ? '0' : v), yuan(0)),
  sampleLeadDays: z.preprocess((v) => (v === '' || v === undefined ? '0' : v), days(0)),
  batchLeadDays: days(1),
  machineHours: z.coerce
    .number({ error: 'error.number' })
    .positive('error.machineHours')
    .max(100_000, 'error.machineHours'),
  comment: z.string().trim().max(2000, 'error.tooLong').default(''),
})
