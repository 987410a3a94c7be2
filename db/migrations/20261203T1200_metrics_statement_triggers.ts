import { sql, type Kysely } from 'kysely'

// The metrics triggers of 20261203T1000 fired once per row: a bulk write (a seed, an import,
// a calendar of a hundred machines) queued one refresh per row and month, and seeding the
// search benchmark went from 21 s to 13 minutes. These fire once per statement and read the
// statement's rows from its transition tables: each day or month a statement moves is queued
// once. Updates only count when a column the rollups read changed.
export async function up(db: Kysely<unknown>) {
  for (const [trigger, table] of [
    ['orders_metrics', 'orders'],
    ['refunds_metrics', 'refunds'],
    ['jobs_metrics', 'jobs'],
    ['matches_metrics', 'matches'],
    ['quotes_metrics', 'quotes'],
    ['capacity_windows_metrics', 'capacity_windows'],
    ['capacity_bookings_metrics', 'capacity_bookings'],
  ] as const) {
    await sql`drop trigger ${sql.raw(trigger)} on ${sql.table(table)}`.execute(db)
  }
  for (const fn of [
    'metrics_orders_touched',
    'metrics_today_touched',
    'metrics_jobs_touched',
    'metrics_job_child_touched',
    'metrics_capacity_touched',
  ]) {
    await sql`drop function ${sql.raw(fn)}()`.execute(db)
  }

  // Orders: today (a status, payment, shipment … happened now), the day each was accepted (a
  // cancellation takes its GMV back there) and the day its job opened (the funnel). An update
  // counts only when a column the rollups read changed.
  await sql`create function metrics_order_moved(n orders, o orders) returns boolean
    language sql immutable as $$
      select (n.status, n.total_fen, n.voucher_fen, n.paid_at, n.shipped_at, n.delivered_at,
          n.completed_at, n.cancelled_at, n.sample_round, n.town, n.cluster, n.process)
        is distinct from (o.status, o.total_fen, o.voucher_fen, o.paid_at, o.shipped_at,
          o.delivered_at, o.completed_at, o.cancelled_at, o.sample_round, o.town, o.cluster,
          o.process)
    $$`.execute(db)
  await sql`create function metrics_orders_changed() returns trigger
    language plpgsql as $$
    declare
      d date;
    begin
      if tg_op = 'INSERT' then
        if not exists (select from new_rows) then return null; end if;
        for d in select distinct shanghai_day(created_at) from new_rows loop
          perform metrics_touch('day', d);
        end loop;
        for d in select distinct shanghai_day(j.opened_at) from new_rows c
            join jobs j on j.id = c.job_id loop
          perform metrics_touch('funnel', d);
        end loop;
      else
        if not exists (select from new_rows n join old_rows o on o.id = n.id
            where metrics_order_moved(n, o)) then
          return null;
        end if;
        for d in select distinct shanghai_day(n.created_at) from new_rows n
            join old_rows o on o.id = n.id where metrics_order_moved(n, o) loop
          perform metrics_touch('day', d);
        end loop;
        for d in select distinct shanghai_day(j.opened_at) from new_rows n
            join old_rows o on o.id = n.id join jobs j on j.id = n.job_id
            where metrics_order_moved(n, o) loop
          perform metrics_touch('funnel', d);
        end loop;
      end if;
      perform metrics_touch('day', shanghai_day(now()));
      return null;
    end $$`.execute(db)
  await sql`create trigger orders_metrics_insert after insert on orders
    referencing new table as new_rows
    for each statement execute function metrics_orders_changed()`.execute(db)
  await sql`create trigger orders_metrics_update after update on orders
    referencing old table as old_rows new table as new_rows
    for each statement execute function metrics_orders_changed()`.execute(db)

  // Refunds reduce GMV on the day they are decided: today.
  await sql`create function metrics_today_changed() returns trigger
    language plpgsql as $$
    begin
      perform metrics_touch('day', shanghai_day(now()));
      return null;
    end $$`.execute(db)
  await sql`create trigger refunds_metrics after insert or update of amount_fen, voucher_fen, status
    on refunds for each statement execute function metrics_today_changed()`.execute(db)

  // The funnel's day of a job: when it opened (before and after a change).
  await sql`create function metrics_jobs_changed() returns trigger
    language plpgsql as $$
    declare
      d date;
    begin
      if tg_op = 'INSERT' then
        for d in select distinct shanghai_day(opened_at) from new_rows where opened_at is not null loop
          perform metrics_touch('funnel', d);
        end loop;
      else
        for d in select distinct shanghai_day(x.opened_at) from new_rows n join old_rows o on o.id = n.id,
            lateral (values (n.opened_at), (o.opened_at)) x(opened_at)
            where x.opened_at is not null
              and (n.opened_at, n.process, n.delivery_town, n.status)
                is distinct from (o.opened_at, o.process, o.delivery_town, o.status) loop
          perform metrics_touch('funnel', d);
        end loop;
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger jobs_metrics_insert after insert on jobs
    referencing new table as new_rows
    for each statement execute function metrics_jobs_changed()`.execute(db)
  await sql`create trigger jobs_metrics_update after update on jobs
    referencing old table as old_rows new table as new_rows
    for each statement execute function metrics_jobs_changed()`.execute(db)

  // A match or a confirmed quote moves its job's funnel day.
  await sql`create function metrics_job_children_changed() returns trigger
    language plpgsql as $$
    declare
      d date;
    begin
      if tg_op = 'INSERT' then
        for d in select distinct shanghai_day(j.opened_at) from new_rows c
            join jobs j on j.id = c.job_id where j.opened_at is not null loop
          perform metrics_touch('funnel', d);
        end loop;
      else
        for d in select distinct shanghai_day(j.opened_at) from new_rows n
            join old_rows o on o.id = n.id join jobs j on j.id = n.job_id
            where j.opened_at is not null and n.confirmed_at is distinct from o.confirmed_at loop
          perform metrics_touch('funnel', d);
        end loop;
      end if;
      return null;
    end $$`.execute(db)
  await sql`create trigger matches_metrics after insert on matches
    referencing new table as new_rows
    for each statement execute function metrics_job_children_changed()`.execute(db)
  await sql`create trigger quotes_metrics_insert after insert on quotes
    referencing new table as new_rows
    for each statement execute function metrics_job_children_changed()`.execute(db)
  await sql`create trigger quotes_metrics_update after update on quotes
    referencing old table as old_rows new table as new_rows
    for each statement execute function metrics_job_children_changed()`.execute(db)

  // A calendar change moves every month its dates touch (at most three years from its start).
  await sql`create function metrics_capacity_months(starts_on date, ends_on date)
    returns setof date language sql immutable as $$
      select g::date from generate_series(date_trunc('month', starts_on),
        least(ends_on, starts_on + interval '36 months'), interval '1 month') g
    $$`.execute(db)
  await sql`create function metrics_capacity_changed() returns trigger
    language plpgsql as $$
    declare
      m date;
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        for m in select distinct metrics_capacity_months(starts_on, ends_on) from new_rows loop
          perform metrics_touch('capacity', m);
        end loop;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        for m in select distinct metrics_capacity_months(starts_on, ends_on) from old_rows loop
          perform metrics_touch('capacity', m);
        end loop;
      end if;
      return null;
    end $$`.execute(db)
  for (const table of ['capacity_windows', 'capacity_bookings']) {
    await sql`create trigger ${sql.raw(`${table}_metrics_insert`)} after insert on ${sql.table(table)}
      referencing new table as new_rows
      for each statement execute function metrics_capacity_changed()`.execute(db)
    await sql`create trigger ${sql.raw(`${table}_metrics_update`)} after update on ${sql.table(table)}
      referencing old table as old_rows new table as new_rows
      for each statement execute function metrics_capacity_changed()`.execute(db)
    await sql`create trigger ${sql.raw(`${table}_metrics_delete`)} after delete on ${sql.table(table)}
      referencing old table as old_rows
      for each statement execute function metrics_capacity_changed()`.execute(db)
  }
}
