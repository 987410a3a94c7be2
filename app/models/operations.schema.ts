import { z } from 'zod'

// Operations (issue 9): the operators' organisation directory, suspensions and the audit log.
// Client-safe: the console pages and the API parse with the same schemas. Messages are i18n
// keys (app/locales).

export const organizationKinds = ['design_firm', 'workshop', 'platform'] as const

/** Organisations listed a page. */
export const ORGANIZATIONS_PER_PAGE = 25
/** Audit entries listed a page. */
export const AUDIT_PER_PAGE = 50
export const MAX_SUSPEND_REASON = 500

const blankToUndefined = (v: unknown) =>
  v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v

export const SuspendReasonSchema = z
  .string({ error: 'error.required' })
  .trim()
  .min(1, 'error.required')
  .max(MAX_SUSPEND_REASON, 'error.tooLong')

/** `?q=&kind=&page=` of the directory (page and API). */
export const OrganizationQuerySchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  kind: z.preprocess(blankToUndefined, z.enum(organizationKinds).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
})
export type OrganizationQuery = z.output<typeof OrganizationQuerySchema>

/** `?action=&subject=&before=` of the audit log (page and API). */
export const AuditQuerySchema = z.object({
  /** A prefix of the action: `organization.` or `organization.suspend`. */
  action: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(80)
      .regex(/^[a-z0-9_.]+$/, 'Letters, digits, _ and . only')
      .optional(),
  ),
  /** The subject exactly: an organisation's id, a setting's key, a material's code. */
  subject: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  /** The id of the last entry of the previous page: the page starts after it. */
  before: z.preprocess(blankToUndefined, z.uuid().optional()),
})
export type AuditQuery = z.output<typeof AuditQuerySchema>

/** Read a query string with `schema`: its fields as strings, repeated keys' first value. */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of params) if (!(key in out)) out[key] = value
  return out
}
