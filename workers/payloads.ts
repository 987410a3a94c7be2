import { z } from 'zod'

// Payload schema per task: ids only. Tasks parse with these first; enqueue is typed by them.
export const taskPayloads = {
  email__send: z.object({ emailId: z.string().uuid() }),
  sessions__cleanup: z.object({}).passthrough(),
} as const

export type TaskName = keyof typeof taskPayloads
export type TaskPayload<N extends TaskName> = z.input<(typeof taskPayloads)[N]>
