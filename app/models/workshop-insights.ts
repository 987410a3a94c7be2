// The periods a workshop's insights cover (workshop-insights.server.ts), without zod so the
// dashboard's picker can read them: the last 30, 90 or 365 Shanghai days up to today.
export const insightPeriods = [30, 90, 365] as const
export type InsightPeriod = (typeof insightPeriods)[number]
export const DEFAULT_INSIGHT_PERIOD: InsightPeriod = 90
