import { sql, type Kysely } from 'kysely'

// metrics_touch queued the refresh with graphile-worker's add_job and a job key: the key's job
// row stays locked by the writing transaction until it commits. Every transaction that moved
// today's orders waited for the one before on that row, and two that also locked each other's
// rows deadlocked (a workshop confirming a quote while the designer accepted another on the
// same job: the scale test's 500s). Now a trigger only appends to metrics_dirty, a plain insert
// that waits for nobody; workers turn the pending days into one metrics__refresh 'drain' job
// every few seconds (workers/runner.ts), which refreshes each day and deletes its rows in the
// same transaction.
export async function up(db: Kysely<unknown>) {
  await sql`create table metrics_dirty (
    id bigserial primary key,
    kind text not null check (kind in ('day', 'funnel', 'capacity')),
    day date not null,
    created_at timestamptz not null default now()
  )`.execute(db)
  await sql`create index metrics_dirty_kind_day_idx on metrics_dirty (kind, day)`.execute(db)
  await sql`create or replace function metrics_touch(kind text, day date) returns void
    language plpgsql as $$
    begin
      if day is null then return; end if;
      if kind = 'capacity' then day := date_trunc('month', day)::date; end if;
      insert into metrics_dirty (kind, day) values (kind, day);
    end $$`.execute(db)
}
