import { loadConfig } from '../../app/config.server.ts'
import { createLogger } from '../../app/utils/logger.server.ts'
import { openDatabase, type Database } from '../../app/server/boot.server.ts'

/**
 * Opens the same database `npm start` uses (DATABASE_URL, or the embedded one under
 * DATA_DIR — which must not be running in another process at the same time).
 */
export async function openCliDatabase(): Promise<Database> {
  const config = loadConfig()
  return openDatabase(config, createLogger(process.env.LOG_LEVEL ?? 'warn'))
}
