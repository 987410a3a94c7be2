import { z } from 'zod'
import { yuanToFen } from './money.ts'
import { processCodes } from './processes.ts'
import { clusterCodes } from './taxonomy.ts'

// 服务券 programme and grant input (issue 8): the API's snake_case JSON and the console's forms
// (a percentage and yuan typed by people, messages as i18n keys) both become a ProgramInput,
// which the model checks once more with ProgramInputSchema, the one place the bounds live.

/** A programme pays at most 90 % of a contract: the firm always pays part itself. */
export const MAX_SHARE_BPS = 9000
/** ¥100,000,000,000: far above any real budget, well inside a bigint and a float's integers. */
export const MAX_PROGRAM_FEN = 10_000_000_000_000

const day = z.iso.date()
const name = z.string().trim().min(1).max(100)
const note = z.string().trim().max(1000)

/** The programme as the model stores it (camelCase, fen, basis points). */
export const ProgramInputSchema = z
  .object({
    name,
    shareBps: z.number().int().min(1).max(MAX_SHARE_BPS),
    annualCapFen: z.number().int().min(1).max(MAX_PROGRAM_FEN),
    budgetFen: z.number().int().min(1).max(MAX_PROGRAM_FEN),
    processes: z.array(z.enum(processCodes)).max(processCodes.length),
    clusters: z.array(z.enum(clusterCodes)).max(clusterCodes.length),
    validFrom: day,
    validUntil: day,
  })
  .refine((v) => v.validUntil >= v.validFrom, {
    message: 'valid_until is before valid_from',
    path: ['validUntil'],
  })
export type ProgramInput = z.output<typeof ProgramInputSchema>

const programApiFields = {
  name,
  share_bps: z
    .number()
    .int()
    .min(1)
    .max(MAX_SHARE_BPS)
    .describe('Share of the contract in basis points, 1–9000 (at most 90 %)'),
  annual_cap_fen: z
    .number()
    .int()
    .min(1)
    .max(MAX_PROGRAM_FEN)
    .describe('Per design firm and Shanghai calendar year'),
  budget_fen: z.number().int().min(1).max(MAX_PROGRAM_FEN),
  processes: z
    .array(z.enum(processCodes))
    .max(processCodes.length)
    .describe('Eligible processes; empty: all'),
  clusters: z
    .array(z.enum(clusterCodes))
    .max(clusterCodes.length)
    .describe("Eligible industry clusters (the workshop's); empty: all"),
  valid_from: day,
  valid_until: day,
}

export const ProgramCreateApiSchema = z
  .object({
    ...programApiFields,
    processes: programApiFields.processes.default([]),
    clusters: programApiFields.clusters.default([]),
  })
  .strict()
  .refine((v) => v.valid_until >= v.valid_from, {
    message: 'valid_until is before valid_from',
    path: ['valid_until'],
  })

/** Each key sent replaces that field; the result is checked whole (dates in order). */
export const ProgramPatchApiSchema = z
  .object(programApiFields)
  .partial()
  .strict()
  .refine((v) => !v.valid_from || !v.valid_until || v.valid_until >= v.valid_from, {
    message: 'valid_until is before valid_from',
    path: ['valid_until'],
  })

type ProgramApiInput = Partial<z.output<typeof ProgramCreateApiSchema>>

/** The API's field names → the model's (keys left out stay out). */
export function programInputFromApi(body: ProgramApiInput): Partial<ProgramInput> {
  const input: Partial<ProgramInput> = {}
  if (body.name !== undefined) input.name = body.name
  if (body.share_bps !== undefined) input.shareBps = body.share_bps
  if (body.annual_cap_fen !== undefined) input.annualCapFen = body.annual_cap_fen
  if (body.budget_fen !== undefined) input.budgetFen = body.budget_fen
  if (body.processes !== undefined) input.processes = body.processes
  if (body.clusters !== undefined) input.clusters = body.clusters
  if (body.valid_from !== undefined) input.validFrom = body.valid_from
  if (body.valid_until !== undefined) input.validUntil = body.valid_until
  return input
}

export const ApplicationApiSchema = z.object({ note: note.default('') }).strict()

export const GrantDecisionApiSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    note: note.default('').describe('Shown to the firm; required to reject'),
  })
  .strict()
  .refine((v) => v.decision === 'approve' || v.note.length > 0, {
    message: 'Say why the application is rejected',
    path: ['note'],
  })

export const DirectGrantApiSchema = z
  .object({ organization_id: z.uuid().describe('A design firm'), note: note.default('') })
  .strict()

export const ReimbursementQuerySchema = z
  .object({
    from: day.describe('First completion day (Shanghai)'),
    to: day.describe('Last completion day (Shanghai)'),
    format: z.enum(['csv', 'xlsx']).default('csv'),
  })
  .refine((v) => v.to >= v.from, { message: 'to is before from', path: ['to'] })

// --- forms: a percentage and yuan as typed, messages as i18n keys

/** "50", "12.5", "12.25 %" → basis points (1250 …), exactly; undefined if not a percentage. */
export function percentToBps(text: string): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(
    text.normalize('NFKC').trim().replace(/\s*%$/, ''),
  )
  if (!match) return undefined
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

const required = (message: string) => z.string({ error: 'error.required' }).trim().min(1, message)

function yuanField(message: string) {
  return z.string({ error: 'error.required' }).transform((text, ctx) => {
    const fen = yuanToFen(text)
    if (fen === undefined || fen < 1 || fen > MAX_PROGRAM_FEN) {
      ctx.addIssue({ code: 'custom', message: fen === undefined ? 'error.money' : message })
      return z.NEVER
    }
    return fen
  })
}

/** A list field the browser sends as repeated names (checkboxes); none ticked is empty. */
const ticked = <T extends readonly [string, ...string[]]>(codes: T) =>
  z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(codes, { error: 'error.invalid' })),
  )

export const ProgramFormSchema = z
  .object({
    name: required('error.required').pipe(z.string().max(100, 'error.tooLong')),
    share: z.string({ error: 'error.required' }).transform((text, ctx) => {
      const bps = percentToBps(text)
      if (bps === undefined || bps < 1 || bps > MAX_SHARE_BPS) {
        ctx.addIssue({ code: 'custom', message: 'error.vouchers.share' })
        return z.NEVER
      }
      return bps
    }),
    annualCap: yuanField('error.vouchers.amount'),
    budget: yuanField('error.vouchers.amount'),
    processes: ticked(processCodes),
    clusters: ticked(clusterCodes),
    validFrom: z.iso.date({ error: 'error.vouchers.date' }),
    validUntil: z.iso.date({ error: 'error.vouchers.date' }),
  })
  .refine((v) => v.validUntil >= v.validFrom, {
    message: 'error.vouchers.untilBeforeFrom',
    path: ['validUntil'],
  })

export function programInputFromForm(v: z.output<typeof ProgramFormSchema>): ProgramInput {
  return {
    name: v.name,
    shareBps: v.share,
    annualCapFen: v.annualCap,
    budgetFen: v.budget,
    processes: v.processes,
    clusters: v.clusters,
    validFrom: v.validFrom,
    validUntil: v.validUntil,
  }
}

export const ApplicationFormSchema = z.object({
  programId: z.uuid(),
  note: z.string().trim().max(1000, 'error.tooLong').default(''),
})

export const DecisionFormSchema = z
  .object({
    grantId: z.uuid(),
    decision: z.enum(['approve', 'reject'], { error: 'error.invalid' }),
    note: z.string().trim().max(1000, 'error.tooLong').default(''),
  })
  .refine((v) => v.decision === 'approve' || v.note.length > 0, {
    message: 'error.vouchers.rejectNote',
    path: ['note'],
  })

export const DirectGrantFormSchema = z.object({
  organizationId: z.uuid({ error: 'error.vouchers.chooseFirm' }),
  note: z.string().trim().max(1000, 'error.tooLong').default(''),
})

export const PeriodFormSchema = z
  .object({
    from: z.iso.date({ error: 'error.vouchers.date' }),
    to: z.iso.date({ error: 'error.vouchers.date' }),
  })
  .refine((v) => v.to >= v.from, { message: 'error.vouchers.toBeforeFrom', path: ['to'] })
