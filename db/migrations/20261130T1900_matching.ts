import { sql, type Kysely } from 'kysely'

// Matching (issue 6): the ranked matches of a job with their reasons and price estimate,
// and the sheet thickness a DXF part is priced at. Forward-only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('jobs')
    // Sheet parts (DXF) are priced by thickness; meshes carry their own geometry.
    .addColumn('thickness_mm', 'double precision', (c) =>
      c.check(sql`thickness_mm is null or (thickness_mm > 0 and thickness_mm <= 100)`),
    )
    // { matched, misses: [{ code, count, best? }] } from the last matching run.
    .addColumn('match_summary', 'jsonb')
    .addColumn('matched_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('matches')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('resource_id', 'uuid', (c) =>
      c.notNull().references('resources.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    // [{ term, value, weight, contribution }]
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    // The priced job on this resource: total, unit prices per part, lead days, breakdown.
    .addColumn('estimate', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('matches_job_resource_key', ['job_id', 'resource_id'])
    .execute()
  await sql`create index matches_organization_idx on matches (organization_id, created_at desc)`.execute(
    db,
  )
}
