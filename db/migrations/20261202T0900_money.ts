import { sql, type Kysely } from 'kysely'

// Money (issue 8): card payments next to bank transfers, escrow released in milestones as
// payouts, refunds, a double-entry ledger, Stripe webhook events processed once, connected
// accounts for payouts, and 服务券 voucher programmes with grants and redemptions.

const accounts = [
  'buyer',
  'voucher_fund',
  'escrow',
  'platform_fee',
  'workshop_payable',
  'workshop',
  'refund_payable',
]

export async function up(db: Kysely<unknown>) {
  // Card attempts: pending until the verified webhook says succeeded (or failed).
  await sql`alter table payments drop constraint payments_status_check`.execute(db)
  await sql`alter table payments add constraint payments_status_check
    check (status in ('pending', 'reported', 'confirmed', 'failed', 'refunded'))`.execute(db)
  await db.schema
    .alterTable('payments')
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('checkout_session_id', 'text')
    .addColumn('checkout_url', 'text')
    .addColumn('payment_intent_id', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index payments_attempt_key on payments (order_id, provider, attempt)`.execute(
    db,
  )
  await sql`create unique index payments_intent_key on payments (payment_intent_id)
    where payment_intent_id is not null`.execute(db)

  await db.schema
    .createTable('processed_webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull().defaultTo('stripe'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .execute()

  await db.schema
    .createTable('connected_accounts')
    .addColumn('organization_id', 'uuid', (c) =>
      c.primaryKey().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('account_id', 'text', (c) => c.notNull().unique())
    .addColumn('details_submitted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('payouts_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // A release of escrow to the workshop: gross = fee + net. Stripe transfer or bank line.
  await db.schema
    .createTable('payouts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('milestone', 'text', (c) => c.notNull().check(sql`milestone in ('sample', 'final')`))
    .addColumn('gross_fen', 'bigint', (c) => c.notNull().check(sql`gross_fen >= 0`))
    .addColumn('fee_fen', 'bigint', (c) => c.notNull().check(sql`fee_fen >= 0`))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen >= 0`))
    .addColumn('provider', 'text', (c) =>
      c.check(sql`provider is null or provider in ('bank_transfer', 'stripe')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'paid', 'failed')`),
    )
    .addColumn('provider_ref', 'text')
    .addColumn('bank_reference', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('paid_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('paid_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('payouts_milestone_key', ['order_id', 'milestone'])
    .addCheckConstraint('payouts_sum_check', sql`gross_fen = fee_fen + amount_fen`)
    .execute()
  await sql`create index payouts_workshop_idx on payouts (organization_id, created_at desc)`.execute(
    db,
  )
  await sql`create index payouts_pending_idx on payouts (created_at) where status = 'pending'`.execute(
    db,
  )

  // Money back to the buyer (amount_fen) and to the voucher programme (voucher_fen).
  await db.schema
    .createTable('refunds')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id'))
    .addColumn('payment_id', 'uuid', (c) => c.references('payments.id'))
    .addColumn('reason', 'text', (c) =>
      c
        .notNull()
        .check(sql`reason in ('cancelled', 'partial_refund', 'full_refund', 'duplicate_payment')`),
    )
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen >= 0`))
    .addColumn('voucher_fen', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`voucher_fen >= 0`),
    )
    .addColumn('provider', 'text', (c) =>
      c.check(sql`provider is null or provider in ('bank_transfer', 'stripe')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`),
    )
    .addColumn('provider_ref', 'text')
    .addColumn('bank_reference', 'text')
    .addColumn('failure_message', 'text')
    .addColumn('recorded_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addCheckConstraint('refunds_positive_check', sql`amount_fen + voucher_fen > 0`)
    .execute()
  await sql`create index refunds_order_idx on refunds (order_id)`.execute(db)
  await sql`create index refunds_pending_idx on refunds (created_at) where status = 'pending'`.execute(
    db,
  )

  // Double entry: every line moves amount_fen from one account to another (per order).
  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('order_id', 'uuid', (c) => c.references('orders.id'))
    .addColumn('from_account', 'text', (c) =>
      c.notNull().check(sql`from_account in (${sql.join(accounts.map((a) => sql.lit(a)))})`),
    )
    .addColumn('to_account', 'text', (c) =>
      c.notNull().check(sql`to_account in (${sql.join(accounts.map((a) => sql.lit(a)))})`),
    )
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'uuid', (c) => c.references('payments.id'))
    .addColumn('payout_id', 'uuid', (c) => c.references('payouts.id'))
    .addColumn('refund_id', 'uuid', (c) => c.references('refunds.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('ledger_entries_accounts_check', sql`from_account <> to_account`)
    .execute()
  await sql`create index ledger_entries_order_idx on ledger_entries (order_id)`.execute(db)
  await sql`create index ledger_entries_at_idx on ledger_entries (created_at)`.execute(db)

  // 服务券
  await db.schema
    .createTable('voucher_programs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('share_bps', 'integer', (c) => c.notNull().check(sql`share_bps between 1 and 9000`))
    .addColumn('annual_cap_fen', 'bigint', (c) => c.notNull().check(sql`annual_cap_fen > 0`))
    .addColumn('budget_fen', 'bigint', (c) => c.notNull().check(sql`budget_fen > 0`))
    .addColumn('processes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('clusters', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_until', 'date', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('voucher_programs_dates_check', sql`valid_until >= valid_from`)
    .execute()

  await db.schema
    .createTable('voucher_grants')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('program_id', 'uuid', (c) =>
      c.notNull().references('voucher_programs.id').onDelete('cascade'),
    )
    .addColumn('organization_id', 'uuid', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('applied', 'approved', 'rejected')`),
    )
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('decision_note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('applied_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('voucher_grants_key', ['program_id', 'organization_id', 'year'])
    .execute()

  await db.schema
    .createTable('voucher_redemptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('order_id', 'uuid', (c) => c.notNull().unique().references('orders.id'))
    .addColumn('program_id', 'uuid', (c) => c.notNull().references('voucher_programs.id'))
    .addColumn('grant_id', 'uuid', (c) => c.notNull().references('voucher_grants.id'))
    .addColumn('organization_id', 'uuid', (c) => c.notNull().references('organizations.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('reversed_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'voucher_redemptions_reversal_check',
      sql`reversed_fen >= 0 and reversed_fen <= amount_fen`,
    )
    .execute()
  await sql`create index voucher_redemptions_program_idx on voucher_redemptions (program_id, organization_id, year)`.execute(
    db,
  )

  // Buyer and workshop share an owner or an address: no voucher, and operators see why.
  await db.schema
    .alterTable('orders')
    .addColumn('related_party', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<unknown>) {
  await db.schema.alterTable('orders').dropColumn('related_party').execute()
  for (const table of [
    'voucher_redemptions',
    'voucher_grants',
    'voucher_programs',
    'ledger_entries',
    'refunds',
    'payouts',
    'connected_accounts',
    'processed_webhook_events',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  await sql`drop index payments_attempt_key`.execute(db)
  await sql`drop index payments_intent_key`.execute(db)
  await db.schema
    .alterTable('payments')
    .dropColumn('attempt')
    .dropColumn('checkout_session_id')
    .dropColumn('checkout_url')
    .dropColumn('payment_intent_id')
    .dropColumn('failure_message')
    .dropColumn('updated_at')
    .execute()
  await sql`alter table payments drop constraint payments_status_check`.execute(db)
  await sql`alter table payments add constraint payments_status_check
    check (status in ('reported', 'confirmed', 'failed', 'refunded'))`.execute(db)
}
