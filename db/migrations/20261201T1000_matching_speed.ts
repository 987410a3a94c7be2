import { sql, type Kysely } from 'kysely'

// Matching reads, for every job, every active machine of the job's processes (the filter
// columns, the prices, the workshop), then the calendars of its best candidates. Covering
// indexes make both index-only scans, a fraction of the pages (a resources row also carries
// its name and description): they replace the plain indexes on the same keys.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index resources_matching_idx on resources (process)
    include (id, organization_id, materials, tolerance_mm, envelope_x_mm, envelope_y_mm,
      envelope_z_mm, min_quantity, max_quantity, hourly_rate_fen, setup_fee_fen)
    where active`.execute(db)
  await sql`drop index resources_process_active_idx`.execute(db)
  await sql`drop index capacity_windows_resource_idx`.execute(db)
  await sql`create index capacity_windows_resource_idx on capacity_windows (resource_id, starts_on)
    include (ends_on, hours_per_day)`.execute(db)
  await sql`drop index capacity_bookings_resource_idx`.execute(db)
  await sql`create index capacity_bookings_resource_idx on capacity_bookings (resource_id)
    include (starts_on, ends_on, hours)`.execute(db)
}
