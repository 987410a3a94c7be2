import { sql, type Kysely } from 'kysely'

// Quotes, orders and the operator's platform settings (issue 6). Forward-only.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per setting ('pricing_tables', 'match_weights', 'quote_validity_days'); absent
  // rows mean the defaults in code. Every change is also written to audit_log.
  await db.schema
    .createTable('platform_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index audit_log_created_idx on audit_log (created_at desc)`.execute(db)

  await db.schema
    .createTable('quotes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job_id', 'uuid', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('resource_id', 'uuid', (c) => c.references('resources.id').onDelete('set null'))
    .addColumn('match_id', 'uuid', (c) => c.references('matches.id').onDelete('set null'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('auto', 'manual')`))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'accepted', 'declined', 'expired', 'withdrawn')`),
    )
    .addColumn('material', 'text')
    // Σ of the lines' quantities; unit price = (total − setup) / quantity for one part.
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price_fen', 'bigint', (c) => c.notNull().check(sql`unit_price_fen >= 0`))
    .addColumn('setup_fen', 'bigint', (c) => c.notNull().check(sql`setup_fen >= 0`))
    .addColumn('sample_price_fen', 'bigint', (c) => c.notNull().check(sql`sample_price_fen >= 0`))
    .addColumn('total_fen', 'bigint', (c) => c.notNull().check(sql`total_fen > 0`))
    .addColumn('platform_fee_bps', 'integer', (c) => c.notNull())
    .addColumn('machine_hours', sql`numeric(10,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('sample_lead_days', 'integer', (c) => c.notNull().check(sql`sample_lead_days >= 0`))
    .addColumn('batch_lead_days', 'integer', (c) => c.notNull().check(sql`batch_lead_days > 0`))
    // Per part: [{ file_id, quantity, unit_price_fen, setup_fen, total_fen, sample_price_fen }]
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    // [{ label, amount_fen }] summing to total_fen
    .addColumn('breakdown', 'jsonb', (c) => c.notNull())
    // What the pricing model said before the workshop adjusted it (auto quotes).
    .addColumn('estimate', 'jsonb')
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decline_reason', 'text')
    .addColumn('valid_until', 'timestamptz', (c) => c.notNull())
    // An auto quote is the platform's estimate until the workshop confirms it; only a
    // confirmed quote can be accepted. Manual quotes are confirmed when sent.
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // One live quote per workshop and job (an auto quote, or a manual one when not matched).
  await sql`create unique index quotes_job_workshop_live_key on quotes (job_id, organization_id)
    where status in ('pending', 'accepted')`.execute(db)
  await sql`create index quotes_organization_idx on quotes (organization_id, status, created_at desc)`.execute(
    db,
  )
  await sql`create index quotes_pending_valid_idx on quotes (valid_until) where status = 'pending'`.execute(
    db,
  )

  await db.schema
    .createTable('orders')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // A readable number for people and bank-transfer references: SF + date + sequence.
    .addColumn('number', 'text', (c) => c.notNull().unique())
    // One order per job: the unique key is the last line of defence against double accepts.
    .addColumn('job_id', 'uuid', (c) => c.notNull().unique().references('jobs.id'))
    .addColumn('quote_id', 'uuid', (c) => c.notNull().unique().references('quotes.id'))
    .addColumn('buyer_organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('workshop_organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id'),
    )
    .addColumn('resource_id', 'uuid', (c) => c.references('resources.id').onDelete('set null'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(
        sql`status in ('awaiting_payment', 'cancelled', 'sampling', 'sample_shipped',
            'in_production', 'shipped', 'delivered', 'inspecting', 'disputed', 'completed',
            'refunded')`,
      ),
    )
    .addColumn('needs_sample', 'boolean', (c) => c.notNull())
    // Amounts, computed once at acceptance: batch + sample (when the job needs one) =
    // subtotal; the platform fee is part of the subtotal; total = subtotal − voucher.
    .addColumn('batch_fen', 'bigint', (c) => c.notNull().check(sql`batch_fen > 0`))
    .addColumn('sample_fen', 'bigint', (c) => c.notNull().check(sql`sample_fen >= 0`))
    .addColumn('subtotal_fen', 'bigint', (c) => c.notNull())
    .addColumn('platform_fee_fen', 'bigint', (c) => c.notNull().check(sql`platform_fee_fen >= 0`))
    .addColumn('voucher_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('sample_lead_days', 'integer', (c) => c.notNull())
    .addColumn('batch_lead_days', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'date', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('accepted_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'orders_amounts_check',
      sql`subtotal_fen = batch_fen + sample_fen
      and total_fen = subtotal_fen - voucher_fen and voucher_fen >= 0 and total_fen >= 0`,
    )
    .execute()
  await sql`create index orders_buyer_idx on orders (buyer_organization_id, created_at desc)`.execute(
    db,
  )
  await sql`create index orders_workshop_idx on orders (workshop_organization_id, created_at desc)`.execute(
    db,
  )
  await sql`create sequence order_number_seq`.execute(db)

  await db.schema
    .createTable('order_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('actor_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index order_events_order_idx on order_events (order_id, id)`.execute(db)

  // Bookings of an order's machine hours (the table exists since the supply migration).
  await sql`alter table capacity_bookings add constraint capacity_bookings_order_fkey
    foreign key (order_id) references orders (id) on delete cascade`.execute(db)
}
