import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { StorageEnv } from './models/storage.server.ts'
import type { StripeConfig } from './models/stripe.server.ts'

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('共享工厂 Shared Factory <no-reply@shared-factory.local>'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  WORKER: z.enum(['inline', 'off']).default('inline'),
  DEMO_DATA: z.enum(['auto', 'off']).optional(),
  MAX_FORM_KB: z.coerce.number().int().positive().default(1024),
  MAX_UPLOAD_MB: z.coerce.number().int().positive().default(200),
  MEILISEARCH_URL: z.string().url().optional(),
  MEILISEARCH_KEY: z.string().optional(),
  /** S3-compatible object storage for uploads; without S3_BUCKET files live in DATA_DIR/files. */
  S3_BUCKET: z.string().min(1).optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** Card payments and Connect payouts; all three keys or none (bank transfer only). */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().min(1).optional(),
  /** Another Stripe API host (a local stub); Stripe's own when unset. */
  STRIPE_API_URL: z.string().url().optional(),
  /** Comma-separated proxy hops to trust for the client IP (express "trust proxy"). */
  TRUST_PROXY: z.string().default('loopback'),
  /** Rate limits on login, sign-up, password reset and uploads: on, off, or a multiplier. */
  RATE_LIMITS: z
    .union([z.enum(['on', 'off']), z.coerce.number().positive()])
    .default('on')
    .transform((v) => (v === 'on' ? 1 : v === 'off' ? 0 : v)),
  /** How long SIGTERM waits for in-flight requests and running jobs before cutting them. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
})

/** A production process (`npm run start:web` / `start:worker`): stricter rules, see loadConfig. */
export type ProductionRole = 'web' | 'worker'

export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  dataDir: string
  databaseUrl: string | undefined
  sessionSecrets: string[]
  smtpUrl: string | undefined
  mailFrom: string
  publicUrl: string
  logLevel: string
  worker: 'inline' | 'off'
  demoData: 'auto' | 'off'
  maxFormBytes: number
  maxUploadBytes: number
  meilisearchUrl: string | undefined
  meilisearchKey: string | undefined
  s3: {
    bucket: string
    endpoint: string | undefined
    region: string
    accessKeyId: string | undefined
    secretAccessKey: string | undefined
    forcePathStyle: boolean
  } | null
  trustProxy: string
  /** Multiplies every rate limit (app/models/rate-limit.server.ts); 0: off. */
  rateLimits: number
  secureCookies: boolean
  stripe: StripeConfig | null
  shutdownTimeoutMs: number
}

/**
 * Reads the environment once; a bad value stops the process with the variable named.
 * A production role (`npm run start:web` / `start:worker`) requires DATABASE_URL (never an
 * embedded database) and SESSION_SECRET (every process must sign and check cookies and
 * download links alike, so none may make up its own), and leaves demo data off unless told.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { production?: ProductionRole } = {},
): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (options.production) {
    const script = `npm run start:${options.production}`
    const missing: string[] = []
    if (!e.DATABASE_URL) {
      missing.push(
        `DATABASE_URL: ${script} needs a PostgreSQL URL (production processes never start an embedded database; \`npm start\` runs everything on embedded defaults)`,
      )
    }
    if (!e.SESSION_SECRET) {
      missing.push(
        `SESSION_SECRET: ${script} needs a secret of at least 32 characters, the same in every web and worker process (e.g. \`openssl rand -base64 32\`)`,
      )
    }
    if (missing.length) throw new Error(`Invalid environment:\n${missing.join('\n')}`)
  }
  const dataDir = path.resolve(e.DATA_DIR)
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '')
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecrets: [e.SESSION_SECRET ?? persistedSecret(dataDir)],
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl,
    logLevel: e.LOG_LEVEL,
    worker: e.WORKER,
    demoData: e.DEMO_DATA ?? (options.production ? 'off' : 'auto'),
    maxFormBytes: e.MAX_FORM_KB * 1024,
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    meilisearchUrl: e.MEILISEARCH_URL,
    meilisearchKey: e.MEILISEARCH_KEY,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          // Self-hosted stores (MinIO …) behind an endpoint want path-style URLs.
          forcePathStyle: (e.S3_FORCE_PATH_STYLE ?? (e.S3_ENDPOINT ? 'true' : 'false')) === 'true',
        }
      : null,
    trustProxy: e.TRUST_PROXY,
    rateLimits: e.RATE_LIMITS,
    secureCookies: e.NODE_ENV === 'production' && publicUrl.startsWith('https://'),
    stripe: stripeConfig(e),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  }
}

function stripeConfig(e: z.output<typeof EnvSchema>): StripeConfig | null {
  const keys = [e.STRIPE_SECRET_KEY, e.STRIPE_WEBHOOK_SECRET, e.STRIPE_PUBLISHABLE_KEY]
  if (keys.every((k) => !k)) return null
  if (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET || !e.STRIPE_PUBLISHABLE_KEY) {
    throw new Error(
      'Invalid environment:\nSTRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PUBLISHABLE_KEY go together',
    )
  }
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET,
    publishableKey: e.STRIPE_PUBLISHABLE_KEY,
    apiUrl: e.STRIPE_API_URL,
  }
}

// Generated once and kept beside the data, so sessions survive restarts without configuration.
function persistedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

/** Where uploads are stored, for createStorage: S3 when configured, else DATA_DIR/files. */
export function storageEnv(config: Config): StorageEnv {
  return {
    dataDir: config.dataDir,
    s3Bucket: config.s3?.bucket,
    s3Endpoint: config.s3?.endpoint,
    s3Region: config.s3?.region,
    s3AccessKeyId: config.s3?.accessKeyId,
    s3SecretAccessKey: config.s3?.secretAccessKey,
    s3ForcePathStyle: config.s3?.forcePathStyle,
    // Local download URLs are signed with the session secret (checked by /downloads/:token).
    signingSecret: config.sessionSecrets[0]!,
  }
}
