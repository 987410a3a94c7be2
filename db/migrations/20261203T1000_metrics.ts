import { sql, type Kysely } from 'kysely'

// The operator console's figures (issue 9, decision 012). Orders carry the dimensions they
// are counted under, fixed at acceptance: the machine's process, the workshop's town and its
// first industry cluster (the cluster 服务券 eligibility also reads from the workshop). Three rollups, each by day ('d') and
// by month ('m'), kept by the metrics__refresh task: triggers enqueue it, in the writing
// transaction, for every day or month a change can move. A dashboard reads whole months from
// the month rows and the days at either end from the day rows.
//   metrics_rollup  orders, GMV, refunds, completions, disputes and stage-time histograms,
//                   by the day each happened, per town × cluster × process;
//   party_rollup    orders and money per workshop and per design firm (the top lists);
//   funnel_rollup   jobs by the day they opened and how far they got;
//   capacity_rollup offered and booked machine hours per day (utilisation).
export async function up(db: Kysely<unknown>) {
  await sql`alter table orders
    add column process text not null default '',
    add column town text not null default '',
    add column cluster text not null default ''`.execute(db)
  await sql`update orders o set
      process = coalesce((select process from resources where id = o.resource_id), j.process, ''),
      town = coalesce(w.town, ''),
      cluster = coalesce(w.clusters[1], '')
    from jobs j, organizations w
    where j.id = o.job_id and w.id = o.workshop_organization_id`.execute(db)

  // What a day's refresh reads: the orders of the day by each of their milestones.
  for (const column of ['created_at', 'paid_at', 'delivered_at', 'completed_at', 'cancelled_at']) {
    await sql`create index ${sql.raw(`orders_${column.replace('_at', '')}_day_idx`)}
      on orders (${sql.ref(column)}) where ${sql.ref(column)} is not null`.execute(db)
  }
  // Top lists under a town, cluster or process filter read the orders themselves.
  for (const column of ['town', 'cluster', 'process']) {
    await sql`create index ${sql.raw(`orders_${column}_created_idx`)}
      on orders (${sql.ref(column)}, created_at)`.execute(db)
  }
  await sql`create index refunds_created_idx on refunds (created_at)`.execute(db)
  await sql`create index disputes_created_idx on disputes (created_at)`.execute(db)
  await sql`create index order_events_sample_approved_idx on order_events (created_at)
    where payload ->> 'action' = 'approve_sample'`.execute(db)
  await sql`create index jobs_opened_idx on jobs (opened_at) where opened_at is not null`.execute(
    db,
  )
  await sql`create index quotes_job_confirmed_idx on quotes (job_id) where confirmed_at is not null`.execute(
    db,
  )
  await sql`create index capacity_windows_days_idx on capacity_windows (starts_on, ends_on)`.execute(
    db,
  )
  await sql`create index capacity_bookings_days_idx on capacity_bookings (starts_on, ends_on)`.execute(
    db,
  )

  const grain = sql`grain char(1) not null check (grain in ('d', 'm'))`
  const dims = sql`town text not null, cluster text not null, process text not null`
  await sql`create table metrics_rollup (
    ${grain}, period date not null, ${dims},
    orders integer not null default 0,
    gmv_fen bigint not null default 0,
    voucher_fen bigint not null default 0,
    refund_fen bigint not null default 0,
    cancelled integer not null default 0,
    paid integer not null default 0,
    completed integer not null default 0,
    on_time integer not null default 0,
    disputed integer not null default 0,
    quote_to_paid integer[] not null default '{}',
    sample_rounds integer[] not null default '{}',
    shipped_to_delivered integer[] not null default '{}',
    inspection integer[] not null default '{}',
    primary key (grain, period, town, cluster, process)
  )`.execute(db)
  await sql`create table party_rollup (
    ${grain}, period date not null,
    organization_id uuid not null references organizations (id) on delete cascade,
    role char(1) not null check (role in ('w', 'b')),
    orders integer not null default 0,
    gmv_fen bigint not null default 0,
    refund_fen bigint not null default 0,
    completed integer not null default 0,
    primary key (grain, period, role, organization_id)
  )`.execute(db)
  await sql`create table funnel_rollup (
    ${grain}, period date not null, ${dims},
    opened integer not null default 0,
    matched integer not null default 0,
    quoted integer not null default 0,
    ordered integer not null default 0,
    sample_ok integer not null default 0,
    completed integer not null default 0,
    primary key (grain, period, town, cluster, process)
  )`.execute(db)
  await sql`create table capacity_rollup (
    period date not null, ${dims},
    offered_hours double precision not null default 0,
    booked_hours double precision not null default 0,
    primary key (period, town, cluster, process)
  )`.execute(db)

  // Enqueues the refresh of one day's or month's rows (graphile-worker's add_job, so it
  // commits with the change; the key folds a burst of changes into one run).
  await sql`create function metrics_touch(kind text, day date) returns void
    language plpgsql as $$
    begin
      if day is null then return; end if;
      if kind = 'capacity' then day := date_trunc('month', day)::date; end if;
      perform graphile_worker.add_job('metrics__refresh',
        json_build_object('kind', kind, 'day', day),
        run_at := now() + interval '2 seconds',
        max_attempts := 10,
        job_key := 'metrics:' || kind || ':' || day,
        job_key_mode := 'preserve_run_at');
    end $$`.execute(db)
  await sql`create function shanghai_day(t timestamptz) returns date
    language sql immutable as $$ select (t at time zone 'Asia/Shanghai')::date $$`.execute(db)

  await sql`create function metrics_orders_touched() returns trigger
    language plpgsql as $$
    begin
      perform metrics_touch('day', shanghai_day(now()));
      perform metrics_touch('day', shanghai_day(new.created_at));
      perform metrics_touch('funnel', (select shanghai_day(opened_at) from jobs where id = new.job_id));
      return null;
    end $$`.execute(db)
  await sql`create trigger orders_metrics after insert or update of status, total_fen, voucher_fen,
      paid_at, shipped_at, delivered_at, completed_at, cancelled_at, sample_round, town, cluster, process
    on orders for each row execute function metrics_orders_touched()`.execute(db)

  await sql`create function metrics_today_touched() returns trigger
    language plpgsql as $$
    begin
      perform metrics_touch('day', shanghai_day(now()));
      return null;
    end $$`.execute(db)
  await sql`create trigger refunds_metrics after insert or update of amount_fen, voucher_fen
    on refunds for each row execute function metrics_today_touched()`.execute(db)

  await sql`create function metrics_jobs_touched() returns trigger
    language plpgsql as $$
    begin
      if tg_op = 'UPDATE' then perform metrics_touch('funnel', shanghai_day(old.opened_at)); end if;
      perform metrics_touch('funnel', shanghai_day(new.opened_at));
      return null;
    end $$`.execute(db)
  await sql`create trigger jobs_metrics after insert or update of opened_at, process,
      delivery_town, status
    on jobs for each row execute function metrics_jobs_touched()`.execute(db)

  await sql`create function metrics_job_child_touched() returns trigger
    language plpgsql as $$
    begin
      perform metrics_touch('funnel', (select shanghai_day(opened_at) from jobs where id = new.job_id));
      return null;
    end $$`.execute(db)
  await sql`create trigger matches_metrics after insert on matches
    for each row execute function metrics_job_child_touched()`.execute(db)
  await sql`create trigger quotes_metrics after insert or update of confirmed_at on quotes
    for each row execute function metrics_job_child_touched()`.execute(db)

  // A calendar change moves every month its dates touch (at most three years of them).
  await sql`create function metrics_capacity_touched() returns trigger
    language plpgsql as $$
    declare
      r record;
      m date;
    begin
      for r in select * from (values (old.starts_on, old.ends_on), (new.starts_on, new.ends_on))
          as v(starts_on, ends_on) where v.starts_on is not null loop
        m := date_trunc('month', r.starts_on)::date;
        while m <= r.ends_on and m < date_trunc('month', r.starts_on) + interval '36 months' loop
          perform metrics_touch('capacity', m);
          m := (m + interval '1 month')::date;
        end loop;
      end loop;
      return null;
    end $$`.execute(db)
  for (const table of ['capacity_windows', 'capacity_bookings']) {
    await sql`create trigger ${sql.raw(`${table}_metrics`)} after insert or update or delete
      on ${sql.table(table)} for each row execute function metrics_capacity_touched()`.execute(db)
  }
}
