import { sql, type Kysely } from 'kysely'

// The console's rollups at every level of town × cluster × process (decision 012, "levels"):
// beside each day's rows per town × cluster × process, the rows for each coarser level with '*'
// for a dimension summed over, so that any filter and grouping reads one row per key (the whole
// platform's day is one row, not 370). The rows are filled by the rebuild that db/migrate.ts
// enqueues after this migration.
//
// Top lists under a filter read the orders of the range by one of these indexes alone: each
// carries what the list sums, and the other two dimensions.
export async function up(db: Kysely<unknown>) {
  const dims = ['town', 'cluster', 'process'] as const
  for (const dim of dims) {
    const others = dims.filter((d) => d !== dim)
    await sql`drop index if exists ${sql.raw(`orders_${dim}_created_idx`)}`.execute(db)
    await sql`create index ${sql.raw(`orders_${dim}_created_idx`)}
      on orders (${sql.ref(dim)}, created_at)
      include (${sql.raw(others.join(', '))}, status, workshop_organization_id,
        buyer_organization_id, total_fen, refunded_fen)`.execute(db)
  }
  for (const table of ['metrics_rollup', 'funnel_rollup']) {
    await sql`create index ${sql.raw(`${table}_levels_idx`)}
      on ${sql.table(table)} (grain, town, cluster, process, period)`.execute(db)
  }
  await sql`create index capacity_rollup_levels_idx
    on capacity_rollup (town, cluster, process, period)`.execute(db)
  // A workshop's sample approvals, found from its orders without reading their other events.
  await sql`create index if not exists order_events_approved_order_idx on order_events (order_id)
    where payload ->> 'action' = 'approve_sample'`.execute(db)
  // What each 服务券 programme has spent, read without the redemptions' rows.
  await sql`create index voucher_redemptions_spend_idx
    on voucher_redemptions (program_id) include (created_at, amount_fen, reversed_fen)`.execute(db)
}
