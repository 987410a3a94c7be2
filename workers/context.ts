import type { Db } from '../db/client.ts'
import type { MailTransport } from '../emails/transport.server.ts'
import type { Logger } from '../app/utils/logger.server.ts'
import type { CapabilityIndex } from '../search/types.ts'
import type { FileStorage } from '../app/models/storage.server.ts'
import type { StripeGateway } from '../app/models/stripe.server.ts'

/** What every task may use besides its payload. */
export interface TaskDeps {
  db: Db
  mail: MailTransport
  mailFrom: string
  logger: Logger
  /**
   * The index search__sync keeps in line: Meilisearch. Null with the embedded index, which
   * lives in each web process and follows search_changes itself (search/follower.server.ts).
   */
  search: CapabilityIndex | null
  storage: FileStorage
  /** Links in emails point here. */
  publicUrl: string
  /** Card payments, transfers and refunds; null when the platform takes bank transfers only. */
  stripe: StripeGateway | null
}
