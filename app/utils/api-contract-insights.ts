import { z } from 'zod'
import { DEFAULT_INSIGHT_PERIOD, type InsightPeriod } from '../models/workshop-insights.ts'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for a workshop's insights (issue 9), merged into api-contract.ts: its
// utilisation, revenue, on-time rate, rating trend and quote win rate over a period
// (app/models/workshop-insights.server.ts says how each is counted).

const fen = z.number().int()
const hours = z.number().describe('Machine hours, one decimal')
const ratio = z
  .number()
  .min(0)
  .nullable()
  .describe(
    'A ratio with four decimals (0.1667 = 16.67 %); null when there is nothing to divide by',
  )
const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
  .describe('YYYY-MM, a Shanghai calendar month')
const count = z.number().int().min(0)

/** `?period=`: 30, 90 or 365 (days), 90 when left out; the API's route and the dashboard parse it. */
export const insightsQuery = z.object({
  period: z
    .enum(['30', '90', '365'], { error: 'period is 30, 90 or 365' })
    .optional()
    .transform((p): InsightPeriod => (p ? (Number(p) as InsightPeriod) : DEFAULT_INSIGHT_PERIOD)),
})

export const insightSchemas = {
  WorkshopInsights: z.object({
    period: z.object({
      days: z.union([z.literal(30), z.literal(90), z.literal(365)]),
      from: z.iso.date().describe('First Shanghai day of the period'),
      to: z.iso.date().describe('Last Shanghai day of the period: today'),
    }),
    utilisation: z.object({
      offered_hours: hours,
      booked_hours: hours,
      utilisation: ratio.describe('booked ÷ offered hours of all its machines'),
      resources: z.array(
        z.object({
          resource_id: z.uuid(),
          name: z.string(),
          process: z.string(),
          active: z.boolean(),
          offered_hours: hours,
          booked_hours: hours,
          utilisation: ratio,
        }),
      ),
    }),
    revenue: z.object({
      revenue_fen: fen.describe('contract − refunded'),
      contract_fen: fen.describe('total_fen of its orders completed in the period'),
      refunded_fen: fen.describe('Refunds recorded on those orders (partial refunds at disputes)'),
      orders: count.describe('Orders completed in the period'),
      months: z.array(z.object({ month, revenue_fen: fen, orders: count })),
    }),
    on_time: z.object({
      completed: count.describe('Orders completed in the period with a batch shipped'),
      on_time: count.describe('Of those, the last batch shipped (Shanghai day) by the deadline'),
      rate: ratio,
    }),
    ratings: z.object({
      reviews: count.describe("Design firms' reviews of the workshop in the period"),
      mean: z.number().nullable().describe('Mean overall score, one decimal'),
      months: z.array(z.object({ month, reviews: count, mean: z.number().nullable() })),
    }),
    quotes: z.object({
      sent: count.describe(
        'Quotes it sent (manual) or confirmed (estimates) in the period; estimates never confirmed are left out',
      ),
      accepted: count,
      pending: count.describe('Still waiting for the design firm'),
      win_rate: ratio.describe('accepted ÷ sent'),
    }),
  }),
} satisfies Record<string, z.ZodType>

export const insightEndpoints: EndpointOf<keyof typeof insightSchemas>[] = [
  {
    method: 'get',
    path: '/api/v1/workshop/insights',
    query: [
      {
        name: 'period',
        description: '30, 90 (the default) or 365: the last days up to today, Shanghai time',
      },
    ],
    summary:
      "The workshop's insights over a period: utilisation (booked ÷ offered machine hours, per machine), revenue of completed orders less their refunds (per month), on-time delivery rate, mean review score per month and quote win rate (workshops)",
    auth: true,
    response: { status: 200, schema: 'WorkshopInsights' },
    errors: [400, 401, 403],
  },
]
