import { sql, type Kysely } from 'kysely'

// Rate limits (issue 10) that hold across every web process: one row per key (e.g.
// `login:ip:203.0.113.7`) and fixed window, bumped by one upsert per request. The nightly
// sessions__cleanup task deletes windows that have ended.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pkey', ['key', 'window_start'])
    .execute()
  // The cleanup deletes windows by when they ended.
  await sql`create index rate_limits_expires_at_idx on rate_limits (expires_at)`.execute(db)
}
