import { z } from 'zod'

// Payload schema per task: ids only. Tasks parse with these first; enqueue is typed by them.
export const taskPayloads = {
  email__send: z.object({ emailId: z.string().uuid() }),
  sessions__cleanup: z.object({}).passthrough(),
  files__cleanup: z.object({}).passthrough(),
  /** Expire pending quotes past their validity (cron). */
  quotes__expire: z.object({}).passthrough(),
  /** Auto-confirm deliveries, auto-accept inspections and send their reminders (cron). */
  orders__schedule: z.object({}).passthrough(),
  /** Re-index resources: by id, all of one workshop's, or everything. */
  search__sync: z.union([
    z.object({ resourceIds: z.array(z.string().uuid()).min(1).max(1000) }),
    z.object({ organizationId: z.string().uuid() }),
    z.object({ all: z.literal(true) }),
  ]),
  /** Measure an uploaded CAD file and render its previews. */
  cad__analyse: z.object({ fileId: z.string().uuid() }),
  /** Match an opened job to resources, store its matches, email the workshops. */
  match__job: z.object({ jobId: z.string().uuid() }),
  /** Send a released payout: a Stripe transfer, or a line for an operator's bank transfer. */
  payouts__send: z.object({ payoutId: z.string().uuid() }),
  /** Send a refund: a Stripe refund of the card payment, or a line for a bank refund. */
  refunds__send: z.object({ refundId: z.string().uuid() }),
  /** Act on a verified Stripe webhook event stored in processed_webhook_events. */
  payments__stripe_event: z.object({ eventId: z.string().min(1).max(255) }),
  /**
   * Recompute the console's rollups: a day, a job-opening day, a capacity month, the periods
   * the triggers marked (drain), yesterday and today (recent), or everything (rebuild).
   */
  metrics__refresh: z.union([
    z.object({
      kind: z.enum(['day', 'funnel', 'capacity']),
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
    z.object({ kind: z.enum(['recent', 'rebuild', 'drain']) }),
  ]),
} as const

export type TaskName = keyof typeof taskPayloads
export type TaskPayload<N extends TaskName> = z.input<(typeof taskPayloads)[N]>
