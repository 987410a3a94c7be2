import { sql, type Kysely } from 'kysely'

// The order lifecycle (issue 7): payment by bank transfer, sample rounds, shipments,
// inspection with measurements, disputes, attachments, messages and reviews. Forward-only.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table orders
    add column quantity integer not null default 0,
    add column sample_round integer not null default 0,
    add column batch_round integer not null default 1,
    add column max_sample_rounds integer not null default 3,
    add column aql double precision not null default 1.0,
    add column inspection_level text not null default 'II',
    add column paid_at timestamptz,
    add column shipped_at timestamptz,
    add column delivered_at timestamptz,
    add column completed_at timestamptz,
    add column cancelled_at timestamptz,
    add column inspector_user_id uuid references users (id) on delete set null,
    add column cancel_requested_by text check (cancel_requested_by in ('buyer', 'workshop')),
    add column refunded_fen bigint not null default 0 check (refunded_fen >= 0),
    add column reminders jsonb not null default '{}'::jsonb`.execute(db)
  await sql`update orders set quantity = quotes.quantity from quotes where quotes.id = orders.quote_id`.execute(
    db,
  )
  await sql`create index orders_status_idx on orders (status, updated_at)`.execute(db)

  await sql`alter table jobs add column aql double precision not null default 1.0`.execute(db)
  await sql`alter table organizations
    add column on_time_rate double precision,
    add column completed_orders integer not null default 0,
    add column buyer_rating double precision`.execute(db)

  // Attachments of an order (shipment and sample photos, inspection reports, evidence,
  // message files): the files table gains a purpose and the order they belong to.
  await sql`alter table files drop constraint files_purpose_check`.execute(db)
  await sql`alter table files add constraint files_purpose_check check (purpose in
    ('certificate', 'business_license', 'workshop_photo', 'resource_photo', 'order_attachment'))`.execute(
    db,
  )
  await sql`alter table files add column order_id uuid references orders (id) on delete cascade`.execute(
    db,
  )
  await sql`create index files_order_idx on files (order_id) where order_id is not null`.execute(db)

  await db.schema
    .createTable('payments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) =>
      c.notNull().check(sql`provider in ('bank_transfer', 'stripe')`),
    )
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('reported', 'confirmed', 'failed', 'refunded')`),
    )
    .addColumn('payer_name', 'text')
    .addColumn('transferred_on', 'date')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bank_reference', 'text')
    .addColumn('provider_ref', 'text')
    .addColumn('reported_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reported_at', 'timestamptz')
    .addColumn('confirmed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index payments_order_open_key on payments (order_id, provider)
    where status in ('reported', 'confirmed')`.execute(db)
  await sql`create index payments_status_idx on payments (status, reported_at)`.execute(db)

  await db.schema
    .createTable('shipments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('sample', 'batch')`))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attachment_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('shipped_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index shipments_order_idx on shipments (order_id, created_at)`.execute(db)

  await db.schema
    .createTable('sample_reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) =>
      c.notNull().check(sql`decision in ('approved', 'rejected')`),
    )
    .addColumn('feedback', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attachment_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('reviewed_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('sample_reviews_order_round_key', ['order_id', 'round'])
    .execute()

  await db.schema
    .createTable('inspections')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('inspector_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('lot_size', 'integer', (c) => c.notNull())
    .addColumn('aql', 'double precision', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('code_letter', 'text', (c) => c.notNull())
    .addColumn('sample_size', 'integer', (c) => c.notNull())
    .addColumn('accept_number', 'integer', (c) => c.notNull())
    .addColumn('reject_number', 'integer', (c) => c.notNull())
    .addColumn('defects_found', 'integer', (c) => c.notNull().check(sql`defects_found >= 0`))
    // [{ feature, nominal, tol_minus, tol_plus, measured: number[], pass }]
    .addColumn('measurements', 'jsonb', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('accept', 'reject')`))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attachment_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('automatic', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create index inspections_order_idx on inspections (order_id, created_at)`.execute(db)

  await db.schema
    .createTable('disputes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('inspection_rejected', 'sample_rounds_exhausted')`),
    )
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('resolution', 'text', (c) =>
      c.check(sql`resolution in ('rework', 'partial_refund', 'full_refund')`),
    )
    .addColumn('refund_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('opened_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolved_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index disputes_order_open_key on disputes (order_id) where status = 'open'`.execute(
    db,
  )

  await db.schema
    .createTable('dispute_evidence')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('dispute_id', 'uuid', (c) =>
      c.notNull().references('disputes.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('author_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('attachment_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // Messages: one thread per order ('order:<id>') and, before acceptance, one per job and
  // workshop ('job:<jobId>:<workshopId>'). Reads are kept per user and thread.
  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('thread', 'text', (c) => c.notNull())
    .addColumn('order_id', 'uuid', (c) => c.references('orders.id').onDelete('cascade'))
    .addColumn('job_id', 'uuid', (c) => c.references('jobs.id').onDelete('cascade'))
    .addColumn('workshop_organization_id', 'uuid', (c) =>
      c.references('organizations.id').onDelete('cascade'),
    )
    .addColumn('sender_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('sender_organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attachment_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'messages_thread_check',
      sql`(order_id is not null and job_id is null) or (job_id is not null and order_id is null
        and workshop_organization_id is not null)`,
    )
    .execute()
  await sql`create index messages_thread_idx on messages (thread, id)`.execute(db)
  await db.schema
    .createTable('message_reads')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('thread', 'text', (c) => c.notNull())
    .addColumn('last_read_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_reads_pkey', ['user_id', 'thread'])
    .execute()

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) =>
      c.notNull().check(sql`direction in ('buyer_to_workshop', 'workshop_to_buyer')`),
    )
    .addColumn('author_organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('subject_organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('author_user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    // The designer rates quality, communication and on-time; the workshop rates the buyer.
    .addColumn('quality', 'smallint', (c) => c.check(sql`quality between 1 and 5`))
    .addColumn('communication', 'smallint', (c) => c.check(sql`communication between 1 and 5`))
    .addColumn('on_time', 'smallint', (c) => c.check(sql`on_time between 1 and 5`))
    .addColumn('overall', 'double precision', (c) =>
      c.notNull().check(sql`overall between 1 and 5`),
    )
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reviews_order_direction_key', ['order_id', 'direction'])
    .execute()
  await sql`create index reviews_subject_idx on reviews (subject_organization_id, created_at desc)`.execute(
    db,
  )
}
