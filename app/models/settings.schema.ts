import { z } from 'zod'
import { defaultWeights, type ScoreTerm } from './scoring.ts'
import { processCodes } from './processes.ts'

// The operator's platform settings (issue 6): pricing tables, matching weights and how long a
// quote stays valid. Client-safe: the console form and the API parse with the same schemas.

const positive = z.number().finite().positive()
const nonNegative = z.number().finite().min(0)

export const ProcessPricingSchema = z
  .object({
    family: z.enum(['additive', 'subtractive', 'sheet', 'moulding', 'hourly']),
    removalRateMm3PerMin: positive.max(1e7).optional(),
    finishingRateMm2PerMin: positive.max(1e7).optional(),
    stockMarginMm: nonNegative.max(100).optional(),
    buildRateMm3PerHour: positive.max(1e8).optional(),
    layerHeightMm: positive.max(10).optional(),
    secondsPerLayer: nonNegative.max(600).optional(),
    supportFactor: nonNegative.max(5).optional(),
    cutSpeedMmPerMinByThickness: z
      .array(z.tuple([positive.max(500), positive.max(1e6)]))
      .min(1)
      .max(50)
      .optional(),
    secondsPerPierce: nonNegative.max(600).optional(),
    sheetUtilisation: positive.max(1).optional(),
    toolingFen: z.number().int().min(0).max(1e10).optional(),
    cycleSeconds: positive.max(3600).optional(),
    cavities: z.number().int().min(1).max(256).optional(),
    minutesPerPart: positive.max(10_000).optional(),
    minutesPerDm2: nonNegative.max(10_000).optional(),
    handlingDays: z.number().int().min(0).max(60).optional(),
    toolingDays: z.number().int().min(0).max(180).optional(),
  })
  .strict()

export const PricingTablesSchema = z
  .object({
    platformFeeBps: z.number().int().min(0).max(5000),
    processes: z.partialRecord(z.enum(processCodes), ProcessPricingSchema),
    finishSurchargeFenPerDm2: z.record(
      z.string().trim().min(1).max(40),
      z.number().int().min(0).max(1_000_000),
    ),
    quantityBreaks: z
      .array(z.tuple([z.number().int().min(1).max(10_000_000), z.number().int().min(0).max(9000)]))
      .max(20),
  })
  .strict()

export const MatchWeightsSchema = z
  .object(
    Object.fromEntries(
      (Object.keys(defaultWeights) as ScoreTerm[]).map((term) => [term, z.number().min(0).max(1)]),
    ) as Record<ScoreTerm, z.ZodNumber>,
  )
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), {
    message: 'At least one weight must be above zero',
  })

export const QuoteValidityDaysSchema = z.number().int().min(1).max(60)

export const DEFAULT_QUOTE_VALIDITY_DAYS = 7

/** Weights as stored: scaled to sum to 1, rounded to 4 places. */
export function normaliseWeights(weights: Record<ScoreTerm, number>): Record<ScoreTerm, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0)
  return Object.fromEntries(
    Object.entries(weights).map(([term, w]) => [term, Math.round((w / sum) * 10000) / 10000]),
  ) as Record<ScoreTerm, number>
}

/** The platform's escrow account buyers transfer to (bank-transfer payments, issue 7). */
export const BankAccountSchema = z
  .object({
    accountName: z.string().trim().min(2).max(120),
    bankName: z.string().trim().min(2).max(120),
    accountNumber: z
      .string()
      .trim()
      .regex(/^[0-9 ]{8,40}$/),
  })
  .strict()
export type BankAccount = z.output<typeof BankAccountSchema>
