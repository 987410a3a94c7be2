import { z } from 'zod'
import { yuanToFen } from './money.ts'
import type { ProcessFamily } from './processes.ts'

// The operators' material catalogue form. Messages are i18n keys (app/locales).
export const processFamilies = [
  'additive',
  'subtractive',
  'sheet',
  'moulding',
  'hourly',
] as const satisfies readonly ProcessFamily[]

const name = z
  .string({ error: 'error.required' })
  .trim()
  .min(1, 'error.required')
  .max(80, 'error.tooLong')

export const MaterialFormSchema = z.object({
  code: z
    .string({ error: 'error.required' })
    .trim()
    .regex(/^[a-z0-9_]{2,40}$/, 'error.materialCode'),
  nameZh: name,
  nameEn: name,
  families: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(z.enum(processFamilies, { error: 'error.invalidChoice' }))
      .min(1, 'error.familiesRequired'),
  ),
  density: z.coerce
    .number({ error: 'error.number' })
    .gt(0, 'error.density')
    .max(25, 'error.density'),
  price: z.string({ error: 'error.required' }).transform((v, ctx) => {
    const fen = yuanToFen(v)
    if (fen === undefined) {
      ctx.addIssue({ code: 'custom', message: 'error.money' })
      return z.NEVER
    }
    return fen
  }),
  active: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
})

export type MaterialForm = z.output<typeof MaterialFormSchema>

/** The model's input from a valid form. */
export function materialInputFromForm(v: MaterialForm) {
  return {
    code: v.code,
    nameZh: v.nameZh,
    nameEn: v.nameEn,
    families: [...new Set(v.families)],
    densityGCm3: v.density,
    priceFenPerKg: v.price,
    active: v.active,
  }
}
