import type { Db } from '../db/client.ts'
import type { Logger } from './utils/logger.server.ts'
import type { CapabilityIndex } from '../search/types.ts'
import type { FileStorage } from './models/storage.server.ts'
import type { StripeGateway } from './models/stripe.server.ts'

export interface Health {
  status: 'ok' | 'error'
  db: 'up' | 'down'
  worker: 'up' | 'down' | 'unknown'
  search: 'embedded' | 'meilisearch'
  search_status: 'up' | 'down'
  search_documents?: number
}

/** Server settings the app may read; secrets never reach the browser. */
export interface AppSettings {
  publicUrl: string
  demoMode: boolean
  secureCookies: boolean
  sessionSecrets: string[]
  maxFormBytes: number
  maxUploadBytes: number
  /** Multiplies every rate limit (models/rate-limit.server.ts); 0 turns them off. */
  rateLimits: number
}

/** Remix load context, built per request by server.ts. */
export interface AppContext {
  db: Db
  search: CapabilityIndex
  storage: FileStorage
  /** Card payments and Connect payouts; null when the platform takes bank transfers only. */
  stripe: StripeGateway | null
  settings: AppSettings
  logger: Logger
  requestId: string
  clientIp: string
  /** The CSRF token forms on this page must carry (from the signed CSRF cookie). */
  csrfToken: string
  /** This response's Content-Security-Policy nonce, for the inline scripts it renders. */
  cspNonce: string
  health(): Promise<Health>
}

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
declare module '@remix-run/server-runtime' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
