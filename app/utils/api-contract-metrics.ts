import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for the console's metrics (issue 9), merged into api-contract.ts.

const share = z.number().min(0).nullable()
const Series = z.object({
  key: z
    .string()
    .describe(
      'YYYY-MM-DD (day; week: its Monday), YYYY-MM (month), or a town, cluster or process code ("" not given)',
    ),
  orders: z.number().int().describe('Orders accepted, not cancelled'),
  gmv_fen: z.number().int().describe('Their contract value less refunds on the refund date'),
  completed: z.number().int(),
  disputed: z.number().int().describe('Disputes opened'),
  offered_hours: z.number(),
  booked_hours: z.number(),
  utilisation: share.describe('booked ÷ offered hours'),
})
const hist = <T extends z.ZodType>(t: T) =>
  z.object({
    quote_to_paid: t,
    sample_rounds: t,
    shipped_to_delivered: t,
    inspection: t,
  })

export const metricsSchemas = {
  Metrics: z.object({
    from: z.iso.date(),
    to: z.iso.date(),
    group_by: z.enum(['day', 'week', 'month', 'town', 'cluster', 'process']),
    series: z.array(Series),
    totals: Series.omit({ key: true }).extend({
      gross_fen: z.number().int().describe('Before refunds'),
      refund_fen: z.number().int(),
      voucher_fen: z.number().int().describe('Paid by 服务券 programmes'),
      cancelled: z.number().int(),
      paid: z.number().int(),
      on_time: z.number().int(),
      on_time_rate: share,
      dispute_rate: share,
      medians: hist(z.number().nullable()).describe('Hours (sample_rounds: rounds)'),
      stage_counts: hist(z.number().int()),
    }),
  }),
  Funnel: z.object({
    from: z.iso.date(),
    to: z.iso.date(),
    stages: z.array(
      z.object({
        stage: z.enum(['opened', 'matched', 'quoted', 'ordered', 'sample_ok', 'completed']),
        count: z.number().int(),
        from_previous: share,
        from_opened: share,
      }),
    ),
  }),
}

const filters = [
  { name: 'from', description: 'YYYY-MM-DD (Shanghai); with `to`, at most three years' },
  { name: 'to', description: 'YYYY-MM-DD (Shanghai), today unless told' },
  { name: 'range', description: 'today | 7d | 30d | 90d (ending today), instead of from/to' },
  { name: 'town', description: "A town code (the workshop's; the funnel: the delivery town)" },
  { name: 'cluster', description: 'An industry cluster code' },
  { name: 'process', description: 'A process code' },
  { name: 'workshop', description: "A workshop's organisation id" },
]

export const metricsEndpoints: EndpointOf<keyof typeof metricsSchemas>[] = [
  {
    method: 'get',
    path: '/api/v1/ops/metrics',
    query: [
      ...filters,
      { name: 'group_by', description: 'day (default) | week | month | town | cluster | process' },
    ],
    summary:
      'Orders, GMV, completions, disputes and utilisation per group with totals, medians per stage, on-time and dispute rates (operators). `Accept: text/csv` or `/api/v1/ops/metrics.csv` answers CSV with a total line. 400 invalid_query: from after to, a range over three years, an unknown town/cluster/process',
    auth: true,
    response: { status: 200, schema: 'Metrics' },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/ops/funnel',
    query: filters,
    summary:
      'Jobs opened in the range and how many were matched, quoted, ordered, had the sample approved (or needed none) and completed, with conversion rates (operators); CSV as for metrics (`/api/v1/ops/funnel.csv`)',
    auth: true,
    response: { status: 200, schema: 'Funnel' },
    errors: [400, 401, 403],
  },
]
