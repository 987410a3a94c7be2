import { sql, type Kysely } from 'kysely'

// Matching reads its candidates' calendars for their idle hours before the deadline; a heavy
// job that few machines have the hours for read thousands of them, only to find each short. A
// machine never offers more hours before a deadline than the most hours a day any of its
// capacity windows offers times the days to it. resources.peak_hours_per_day keeps that peak
// (0 without windows) and matching reads it with the candidate row in its one scan: a machine
// whose peak cannot reach the job's machine hours is a miss without a calendar read. Windows
// that have ended still count: that only loosens the bound, and keeps it free of dates (it
// holds whatever day matching takes as today).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table resources add column peak_hours_per_day numeric(4,1) not null default 0`.execute(
    db,
  )
  await sql`update resources r set peak_hours_per_day = w.peak
    from (select resource_id, max(hours_per_day) as peak from capacity_windows group by resource_id) w
    where w.resource_id = r.id`.execute(db)

  // Kept on every write of a window, whoever writes it (the capacity form, seeds, tests). The
  // resource row is locked first: writers of one machine's windows queue there, and each later
  // statement here reads afresh, so a concurrent write is never missed.
  await sql`create function resources_peak_hours_touched() returns trigger
    language plpgsql as $$
    declare
      rid uuid;
    begin
      if tg_op = 'INSERT' then
        -- A new window can only raise the peak.
        perform from resources where id = new.resource_id for no key update;
        update resources set peak_hours_per_day = new.hours_per_day
          where id = new.resource_id and peak_hours_per_day < new.hours_per_day;
        return null;
      end if;
      -- A window changed or removed may have been the peak: take the most of those left.
      for rid in select distinct v.id from (values (old.resource_id), (new.resource_id)) as v(id)
          where v.id is not null loop
        perform from resources where id = rid for no key update;
        update resources r set peak_hours_per_day = p.peak
          from (select coalesce(max(hours_per_day), 0) as peak
            from capacity_windows where resource_id = rid) p
          where r.id = rid and r.peak_hours_per_day <> p.peak;
      end loop;
      return null;
    end $$`.execute(db)
  await sql`create trigger capacity_windows_peak_hours
    after insert or delete or update of resource_id, hours_per_day on capacity_windows
    for each row execute function resources_peak_hours_touched()`.execute(db)

  // Matching's scan is index-only: the covering index gains the column.
  await sql`drop index resources_matching_idx`.execute(db)
  await sql`create index resources_matching_idx on resources (process)
    include (id, organization_id, materials, tolerance_mm, envelope_x_mm, envelope_y_mm,
      envelope_z_mm, min_quantity, max_quantity, hourly_rate_fen, setup_fee_fen,
      peak_hours_per_day)
    where active`.execute(db)
}
