import { sql, type Kysely } from 'kysely'

// Operations (issue 9): an operator suspends an organisation — its members cannot log in, its
// machines leave search and matching — and reactivates it. Both are audited; the audit viewer
// filters the log by subject and by action prefix, newest first.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organizations')
    .addColumn('suspended_at', 'timestamptz')
    .addColumn('suspended_reason', 'text')
    .execute()
  await sql`alter table organizations add constraint organizations_suspension_check
    check ((suspended_at is null) = (suspended_reason is null))`.execute(db)

  await sql`create index audit_log_subject_idx on audit_log (subject, created_at desc, id desc)`.execute(
    db,
  )
  await sql`create index audit_log_action_idx on audit_log
    (action text_pattern_ops, created_at desc, id desc)`.execute(db)
}
