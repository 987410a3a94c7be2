import { expireQuotes } from '../../app/models/quote.server.ts'
import type { TaskDeps } from '../context.ts'

/** Marks pending quotes past their validity as expired (hourly; reads treat them so already). */
export async function quotesExpire(
  _payload: unknown,
  deps: Pick<TaskDeps, 'db' | 'logger'>,
): Promise<void> {
  const expired = await expireQuotes(deps.db)
  if (expired) deps.logger.info({ quotes: expired }, 'lapsed quotes expired')
}
