import { runOrderSchedule } from '../../app/models/order-schedule.server.ts'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/**
 * The order lifecycle's clock (every 15 minutes): auto-confirms deliveries and auto-accepts
 * inspections past their windows, and sends the reminders before them.
 */
export async function ordersSchedule(
  rawPayload: unknown,
  deps: Pick<TaskDeps, 'db' | 'logger' | 'publicUrl'>,
): Promise<void> {
  taskPayloads.orders__schedule.parse(rawPayload ?? {})
  const result = await runOrderSchedule(deps.db, { publicUrl: deps.publicUrl })
  if (result.autoConfirmed.length || result.autoAccepted.length || result.reminded.length) {
    deps.logger.info(
      {
        autoConfirmed: result.autoConfirmed.length,
        autoAccepted: result.autoAccepted.length,
        reminded: result.reminded.length,
      },
      'order schedule ran',
    )
  }
  for (const { orderId, error } of result.failed) {
    deps.logger.error({ err: error, orderId }, 'order schedule failed for an order')
  }
  // Failed orders are due again on the next run; failing the job would only redo the others.
}
