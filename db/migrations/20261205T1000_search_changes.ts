import { sql, type Kysely } from 'kysely'

// Scale (issue 10): several web processes each hold an embedded capability index. Every change
// that moves a search document appends its scope here in the same transaction as the change
// (search/changes.server.ts); each process follows the feed by id (search/follower.server.ts).
// Ids can become visible out of order, so followers re-ask for the holes they saw. The nightly
// sessions__cleanup deletes rows older than a day.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('scope', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index search_changes_created_at_idx on search_changes (created_at)`.execute(db)
}
