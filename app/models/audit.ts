// What an audit entry changed, for people: the paths whose values differ between `before` and
// `after` (nested objects walked key by key, arrays and scalars compared whole). No `.server`:
// the audit page renders it and the API returns it.

export interface AuditChange {
  /** Dotted path from the top (`pricingTables.platformFeeBps`); '' for the value itself. */
  path: string
  /** undefined: the key did not exist on that side. */
  before: unknown
  after: unknown
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The changed paths, in the keys' order (before's keys first, then keys only after has). */
export function auditChanges(before: unknown, after: unknown, path = ''): AuditChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    return keys.flatMap((key) =>
      auditChanges(before[key], after[key], path ? `${path}.${key}` : key),
    )
  }
  return same(before, after) ? [] : [{ path, before, after }]
}

/** A value as the audit page shows it: JSON, pretty; '—' for nothing. */
export function auditValue(value: unknown): string {
  if (value === undefined || value === null) return '—'
  if (typeof value === 'string') return value
  return JSON.stringify(value, null, 2)
}
