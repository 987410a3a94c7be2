// Statement months (issue 8): Shanghai calendar months written `YYYY-MM`. Client-safe: the
// payout page's month links use them too.

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/

export const isMonth = (value: unknown): value is string =>
  typeof value === 'string' && MONTH_PATTERN.test(value)

/** The month `delta` months after `month`. */
export function shiftMonth(month: string, delta: number) {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const index = y * 12 + (m - 1) + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}
