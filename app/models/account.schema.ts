import { z } from 'zod'
import { townCodes } from './towns.ts'

// Shared by forms (Conform) and the JSON API. Messages are i18n keys.
const email = z
  .string({ error: 'error.required' })
  .trim()
  .max(254, 'error.tooLong')
  .pipe(z.email({ error: 'error.email' }))
const password = z
  .string({ error: 'error.required' })
  .min(8, 'error.passwordLength')
  .max(200, 'error.passwordLength')
const name = z
  .string({ error: 'error.required' })
  .trim()
  .min(1, 'error.required')
  .max(100, 'error.tooLong')
export const localeSchema = z.enum(['zh-CN', 'en'], { error: 'error.invalidChoice' })

/** A same-site path to go to after logging in; anything else becomes undefined. */
export const redirectToSchema = z
  .string()
  .optional()
  .transform((value) =>
    value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
      ? value
      : undefined,
  )

export const LoginSchema = z.object({
  email,
  password: z
    .string({ error: 'error.required' })
    .min(1, 'error.required')
    .max(200, 'error.passwordLength'),
  redirectTo: redirectToSchema,
})

export const SignupSchema = z.object({
  kind: z.enum(['design_firm', 'workshop'], { error: 'error.invalidChoice' }),
  organizationName: z
    .string({ error: 'error.required' })
    .trim()
    .min(2, 'error.required')
    .max(120, 'error.tooLong'),
  town: z.enum(townCodes, { error: 'error.invalidChoice' }),
  name,
  email,
  password,
})

export const ForgotPasswordSchema = z.object({ email })

export const ResetPasswordSchema = z
  .object({ password, confirmPassword: z.string({ error: 'error.required' }) })
  .refine((v) => v.password === v.confirmPassword, {
    message: 'error.passwordMismatch',
    path: ['confirmPassword'],
  })

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'error.required' }).min(1, 'error.required').max(200),
    newPassword: password,
    confirmPassword: z.string({ error: 'error.required' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    message: 'error.passwordMismatch',
    path: ['confirmPassword'],
  })

export const ProfileSchema = z.object({ name, locale: localeSchema })

export const InviteSchema = z.object({
  email,
  role: z.enum(['owner', 'member'], { error: 'error.invalidChoice' }).default('member'),
})

export const AcceptInvitationSchema = z.object({ name, password })

export const TokenNameSchema = z.object({
  name: z
    .string({ error: 'error.required' })
    .trim()
    .min(1, 'error.required')
    .max(80, 'error.tooLong'),
})
