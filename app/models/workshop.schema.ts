import { z } from 'zod'
import { townCodes } from './towns.ts'
import { certificationCodes, clusterCodes } from './taxonomy.ts'
import { isValidUscc, normalizeUscc } from './uscc.ts'

// Messages are i18n keys (app/locales).
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'error.tooLong')
    .optional()
    .transform((v) => (v ? v : undefined))

/** A list field from a form (repeated inputs) or the API (an array). */
const codeList = <T extends string>(codes: readonly [T, ...T[]]) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(codes, { error: 'error.invalidChoice' })).max(20),
  )

const coordinate = (min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.coerce
      .number({ error: 'error.number' })
      .min(min, 'error.coordinates')
      .max(max, 'error.coordinates')
      .optional(),
  )

export const WorkshopProfileSchema = z
  .object({
    name: z
      .string({ error: 'error.required' })
      .trim()
      .min(2, 'error.required')
      .max(120, 'error.tooLong'),
    legalName: z
      .string({ error: 'error.required' })
      .trim()
      .min(2, 'error.required')
      .max(200, 'error.tooLong'),
    uscc: z
      .string({ error: 'error.required' })
      .transform(normalizeUscc)
      .refine(isValidUscc, 'error.uscc'),
    town: z.enum(townCodes, { error: 'error.invalidChoice' }),
    address: z
      .string({ error: 'error.required' })
      .trim()
      .min(4, 'error.required')
      .max(300, 'error.tooLong'),
    lat: coordinate(20, 26),
    lng: coordinate(109, 118),
    description: optionalText(2000),
    clusters: codeList(clusterCodes),
    certifications: codeList(certificationCodes),
  })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), {
    message: 'error.coordinates',
    path: ['lng'],
  })

export type WorkshopProfileInput = z.output<typeof WorkshopProfileSchema>

export const VerificationDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), reason: optionalText(1000) }),
  z.object({
    decision: z.literal('reject'),
    reason: z
      .string({ error: 'error.reasonRequired' })
      .trim()
      .min(4, 'error.reasonRequired')
      .max(1000, 'error.tooLong'),
  }),
])

/** What a workshop may upload to its profile. */
export const documentPurposes = ['business_license', 'certificate', 'workshop_photo'] as const

/** The fields beside the file in a profile upload (form and API). */
export const WorkshopUploadSchema = z
  .object({
    purpose: z.enum(documentPurposes, { error: 'error.invalidChoice' }),
    certification: z.enum(certificationCodes, { error: 'error.invalidChoice' }).optional(),
  })
  .refine((v) => v.purpose !== 'certificate' || v.certification !== undefined, {
    message: 'error.required',
    path: ['certification'],
  })
