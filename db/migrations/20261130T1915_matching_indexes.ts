import { sql, type Kysely } from 'kysely'

// Matching reads every candidate machine of a process and its capacity before the deadline.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index resources_process_active_idx on resources (process) where active`.execute(
    db,
  )
  await sql`create index capacity_windows_resource_idx on capacity_windows (resource_id, starts_on)`.execute(
    db,
  )
}
