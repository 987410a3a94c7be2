// Synthetic marketplace history for the operator console benchmark (metrics.bench.ts, issue 9):
// workshops across Zhongshan's towns (search-data.ts's town ↔ cluster profile and machines),
// design firms, a year of jobs (more of them lately), matches, quotes, orders along their
// lifecycle with ~10 order events each, bookings of the machines they run on, disputes,
// refunds and 服务券 redemptions. Everything past the workshops is set-based SQL over
// generate_series; every draw is bench_u(i, salt), a hash of the row number, so a size gives
// the same rows on every run (ids included) apart from dates, which are relative to now.
//
// Loading runs with session_replication_role = replica: neither the rollup triggers (which
// would enqueue a refresh job per row) nor the foreign-key triggers fire, so the SQL itself
// keeps every reference valid and checkForeignKeys() proves it afterwards.
import type postgres from 'postgres'
import type { Db } from '../../db/client.ts'
import { towns } from '../../app/models/towns.ts'
import { mulberry32, planResources, planWorkshops, type MaterialFamilies } from './search-data.ts'

export interface MetricsDataSize {
  orders: number
  jobs: number
  workshops: number
  firms: number
  /** Order events per order (exactly). */
  eventsPerOrder: number
  /** Days of history, ending today (Shanghai). */
  days: number
}

export function metricsDataSize(orders: number): MetricsDataSize {
  const scale = orders / 1_000_000
  return {
    orders,
    jobs: Math.round(orders * 1.1),
    workshops: Math.max(20, Math.round(2000 * scale)),
    firms: Math.max(50, Math.round(5000 * scale)),
    eventsPerOrder: 10,
    days: 365,
  }
}

const SEED = 9

/** The loader's connections: no user triggers, no FK checks, no waiting for WAL flushes. */
export const LOADER_CONNECTION = {
  session_replication_role: 'replica',
  synchronous_commit: 'off',
  work_mem: '256MB',
  maintenance_work_mem: '1GB',
  application_name: 'bench-metrics-load',
}

/** The tables the bulk inserts fill: checkForeignKeys() checks their references. */
export const LOADED_TABLES = [
  'jobs',
  'matches',
  'quotes',
  'orders',
  'order_events',
  'capacity_windows',
  'capacity_bookings',
  'disputes',
  'refunds',
  'voucher_programs',
  'voucher_grants',
  'voucher_redemptions',
]
/** The big ones: their secondary indexes are dropped before the rows and built after them. */
const DEFERRED_INDEX_TABLES = [
  'jobs',
  'matches',
  'quotes',
  'orders',
  'order_events',
  'capacity_bookings',
]

// ---------------------------------------------------------------------------------------
// Supply: workshops and machines (JS, a few thousand rows), firms and calendars (SQL)

/** Inserts the workshops and their 1–8 machines (search-data.ts's plans, seeded). */
export async function seedWorkshops(db: Db, size: MetricsDataSize, today: string) {
  const families: MaterialFamilies = new Map(
    (await db.selectFrom('materials').select(['code', 'families']).execute()).map((r) => [
      r.code,
      r.families,
    ]),
  )
  const rng = mulberry32(SEED)
  // search-data scales 8–92 machines per workshop to the total: ×4.5 on average gives 1–8.
  const plans = planWorkshops(rng, size.workshops, Math.round(size.workshops * 4.5))
  for (let i = 0; i < plans.length; i += 500) {
    await db
      .insertInto('organizations')
      .values(plans.slice(i, i + 500).map((p) => p.row))
      .execute()
  }
  let batch: ReturnType<typeof planResources>['resources'] = []
  let resources = 0
  for (const plan of plans) {
    // Their 8-week windows and bookings are dropped: seedHistory writes a year of calendar.
    batch.push(...planResources(rng, plan, families, today).resources)
    if (batch.length >= 1000) {
      await db.insertInto('resources').values(batch).execute()
      resources += batch.length
      batch = []
    }
  }
  if (batch.length) await db.insertInto('resources').values(batch).execute()
  resources += batch.length
  return { workshops: plans.length, resources }
}

// ---------------------------------------------------------------------------------------
// History: one SQL statement per table, run two at a time

// bench_u: uniform [0, 1) from a row number and a salt, every draw of the data set; bench_ws
// and bench_res number the workshops and machines so that a draw can pick one by number.
const HELPERS = `
create function bench_u(i bigint, salt text) returns double precision
  language sql immutable parallel safe
  as $$ select (hashtext(salt || i::text)::bigint + 2147483648) / 4294967296.0 $$;
create unlogged table bench_ws as
  select row_number() over (order by id)::int as n, id, town, clusters[1] as cluster
  from organizations where kind = 'workshop';
create unlogged table bench_res as
  select row_number() over (order by r.id)::int as n, r.id, r.process, w.n as ws_n, w.id as ws_id
  from resources r join bench_ws w on w.id = r.organization_id;
create unique index on bench_ws (n);
create unique index on bench_res (n);
`

function paramsSql(size: MetricsDataSize, now: Date, firstDay: string) {
  const townList = towns.map((t) => `'${t.code}'`).join(', ')
  return `
create unlogged table bench_params as select
  '${now.toISOString()}'::timestamptz as now,
  ('${firstDay}'::date::timestamp at time zone 'Asia/Shanghai') as t0,
  ${size.orders}::int as orders, ${size.jobs}::int as jobs, ${size.firms}::int as firms,
  (select count(*) from bench_res)::int as resources,
  array[${townList}]::text[] as towns;
`
}

// Design firms, and each machine's calendar: month-long windows from the first month of the
// history to the month after this one (9 in 10 machines list one; 1 month in 20 is left out).
const SUPPLY = `
insert into organizations (id, kind, name, town, created_at, verification_status)
select md5('firm' || i)::uuid, 'design_firm', '设计工作室 ' || i,
  p.towns[1 + floor(bench_u(i, 'ftown') * cardinality(p.towns))::int],
  p.t0 - interval '30 days', 'verified'
from bench_params p, generate_series(1, p.firms) i;

insert into capacity_windows (id, resource_id, starts_on, ends_on, hours_per_day, created_at)
select md5('window' || r.n || '-' || m)::uuid, r.id, s.month::date,
  (s.month + interval '1 month' - interval '1 day')::date,
  (array[8, 10, 12, 16, 20])[1 + floor(bench_u(r.n, 'hpd') * 5)::int], p.t0
from bench_res r cross join bench_params p cross join generate_series(0, 13) m
  cross join lateral (select date_trunc('month', p.t0 at time zone 'Asia/Shanghai')
    + make_interval(months => m) as month) s
where bench_u(r.n, 'cal') < 0.9 and bench_u(r.n * 100 + m, 'gap') >= 0.05;

update resources r set peak_hours_per_day = w.peak
from (select resource_id, max(hours_per_day) as peak from capacity_windows group by 1) w
where w.resource_id = r.id;
`

// Jobs: opened over the year with a density rising linearly to twice the first day's; the
// first `orders` of them get an order. Each draws its machine (uniformly: a workshop's share of
// the orders follows its machine count), its design firm, delivery town (the workshop's 6 times
// in 10), how many matches
// (ordered jobs always have one), the quote → order timeline and the order's money.
const JOBS_STAGE = `
create unlogged table bench_job as
select j.i, md5('job' || j.i)::uuid as id, j.opened_at,
  r.n as res_n, r.id as resource_id, r.process, w.id as workshop_id, w.town, w.cluster,
  md5('firm' || (1 + floor(bench_u(j.i, 'firm') * p.firms)::int))::uuid as firm_id,
  case when bench_u(j.i, 'dtown') < 0.6 then w.town
    else p.towns[1 + floor(bench_u(j.i, 'dtown2') * cardinality(p.towns))::int] end as delivery_town,
  case when j.i <= p.orders or bench_u(j.i, 'matched') < 0.7
    then 1 + floor(bench_u(j.i, 'nm') * 3)::int else 0 end as matches,
  j.i <= p.orders or bench_u(j.i, 'quoted') < 0.6 as quoted,
  -- Quote 2–48 h after opening, confirmed 1–24 h later, accepted 1–72 h after that; squeezed
  -- into the time left for jobs opened lately.
  t.opened_at + make_interval(secs => t.qc * t.s) as q_created,
  t.opened_at + make_interval(secs => (t.qc + t.qf) * t.s) as q_confirmed,
  t.opened_at + make_interval(secs => (t.qc + t.qf + t.oc) * t.s) as accepted_at,
  bench_u(j.i, 'qn') < case when j.i <= p.orders then 0.05 else 0.2 end as unconfirmed,
  bench_u(j.i, 'ns') < 0.6 as needs_sample,
  case when bench_u(j.i, 'sr') < 0.75 then 1 when bench_u(j.i, 'sr') < 0.93 then 2 else 3 end
    as rounds,
  3 + floor(8 * bench_u(j.i, 'sl'))::int as sample_lead,
  5 + floor(21 * bench_u(j.i, 'bl'))::int as batch_lead,
  0.8 + 0.5 * bench_u(j.i, 'bf') as batch_factor,
  (10 * 2 ^ floor(8 * bench_u(j.i, 'qty')))::int as quantity,
  (50000 + floor(5000000 * bench_u(j.i, 'batch') ^ 2))::bigint as batch_fen,
  case when bench_u(j.i, 'ns') < 0.6 then (20000 + floor(200000 * bench_u(j.i, 'sfen')))::bigint
    else 0 end as sample_fen
from bench_params p
  cross join lateral (select i, p.t0 + (p.now - p.t0) * (sqrt(1 + 3 * bench_u(i, 'open')) - 1)
      as opened_at, 1 + floor(bench_u(i, 'res') * p.resources)::int as res_n
    from generate_series(1, p.jobs) i offset 0) j
  join bench_res r on r.n = j.res_n
  join bench_ws w on w.n = r.ws_n
  cross join lateral (select j.opened_at,
    (2 + 46 * bench_u(j.i, 'qc')) * 3600 as qc, (1 + 23 * bench_u(j.i, 'qf')) * 3600 as qf,
    (1 + 71 * bench_u(j.i, 'oc')) * 3600 as oc,
    least(1.0, 0.9 * extract(epoch from p.now - j.opened_at) / ((2 + 46 * bench_u(j.i, 'qc')
      + 1 + 23 * bench_u(j.i, 'qf') + 1 + 71 * bench_u(j.i, 'oc')) * 3600)) as s) t;
create unique index on bench_job (i);
`

/** Milestones of an order that happened (≤ now): condition, time, from, to, action. */
const milestones: [string, string, string, string, string][] = [
  ['true', 'created_at', `''`, `'awaiting_payment'`, 'accept'],
  [
    'paid_at is not null',
    'paid_at',
    `'awaiting_payment'`,
    `case when needs_sample then 'sampling' else 'in_production' end`,
    'confirm_payment',
  ],
  [
    'sample_shipped_at is not null',
    'sample_shipped_at',
    `'sampling'`,
    `'sample_shipped'`,
    'ship_sample',
  ],
  [
    'sample_approved_at is not null',
    'sample_approved_at',
    `'sample_shipped'`,
    `'in_production'`,
    'approve_sample',
  ],
  ['shipped_at is not null', 'shipped_at', `'in_production'`, `'shipped'`, 'ship'],
  ['delivered_at is not null', 'delivered_at', `'shipped'`, `'inspecting'`, 'confirm_delivery'],
  ['dispute_at is not null', 'dispute_at', `'inspecting'`, `'disputed'`, 'open_dispute'],
  ['resolved_at is not null', 'resolved_at', `'disputed'`, 'status', 'resolve_dispute'],
  [
    'completed_at is not null and dispute_at is null',
    'completed_at',
    `'inspecting'`,
    `'completed'`,
    'accept_delivery',
  ],
  [
    'cancelled_at is not null',
    'cancelled_at',
    `case when paid_at is null then 'awaiting_payment' when needs_sample then 'sampling'
      else 'in_production' end`,
    `'cancelled'`,
    'cancel',
  ],
]
const milestoneArray = (pick: (m: (typeof milestones)[number]) => string, type: string) =>
  `array_remove(array[${milestones
    .map((m) => `case when ${m[0]} then ${pick(m)} end`)
    .join(', ')}]::${type}[], null)`

// Orders: the plan of each (paid, sample rounds, production, shipping, delivery, inspection),
// then what of it has happened by now. 3 % are cancelled (a third after paying, refunded);
// 2.5 % are disputed after delivery when that has happened: still open, or settled with a
// partial refund (then completed) or a full one (refunded).
// Each level is fenced (offset 0): pulled up, its expressions would be copied into every use.
const ORDERS_STAGE = `
create unlogged table bench_order as
select f.*,
  ${milestoneArray((m) => m[1], 'timestamptz')} as ev_at,
  ${milestoneArray((m) => m[2], 'text')} as ev_from,
  ${milestoneArray((m) => m[3], 'text')} as ev_to,
  ${milestoneArray((m) => `'${m[4]}'`, 'text')} as ev_action
from (
  -- What the order is now, and its money after refunds.
  select e.*,
    case when cancel then 'cancelled'
      when dispute_at is not null then case when resolved_at is null then 'disputed'
        when full_refund then 'refunded' else 'completed' end
      when completed_plan <= now then 'completed'
      when delivered_plan <= now then 'inspecting'
      when shipped_plan <= now then 'shipped'
      when prod_start <= now then 'in_production'
      when needs_sample and sample_shipped_plan <= now then 'sample_shipped'
      when paid_plan <= now then case when needs_sample then 'sampling' else 'in_production' end
      else 'awaiting_payment' end as status,
    case when cancel then null
      when dispute_at is not null then case when resolved_at is not null and not full_refund
        then resolved_at end
      when completed_plan <= now then completed_plan end as completed_at,
    case when cancel and cancel_paid then total_fen
      when resolved_at is not null and full_refund then total_fen
      when resolved_at is not null then floor(total_fen * (0.1 + 0.3 * bench_u(i, 'part')))::bigint
      else 0 end as refund_fen,
    case when (cancel and cancel_paid) or (resolved_at is not null and full_refund)
      then voucher_fen else 0 end as refund_voucher_fen,
    case when cancel and cancel_paid then cancelled_at else resolved_at end as refund_at
  from (
    -- The milestones that have happened by now.
    select d.*,
      case when cancel then case when cancel_paid
          then created_at + (cancelled_at - created_at) * 0.5 end
        when paid_plan <= now then paid_plan end as paid_at,
      case when not cancel and needs_sample and sample_shipped_plan <= now
        then sample_shipped_plan end as sample_shipped_at,
      case when not cancel and needs_sample and approved_plan <= now
        then approved_plan end as sample_approved_at,
      case when not cancel and shipped_plan <= now then shipped_plan end as shipped_at,
      case when not cancel and delivered_plan <= now then delivered_plan end as delivered_at,
      case when not cancel and disputed and dispute_plan <= now then dispute_plan end as dispute_at,
      case when not cancel and disputed and resolved_plan <= now then resolved_plan end
        as resolved_at,
      case when cancel or not needs_sample then 0 when approved_plan <= now then rounds
        when sample_shipped_plan <= now then 1 else 0 end as sample_round
    from (
      select c.*,
        shipped_plan + make_interval(secs => dh) as delivered_plan,
        shipped_plan + make_interval(secs => dh + (24 + 144 * bench_u(i, 'ih')) * 3600)
          as completed_plan,
        shipped_plan + make_interval(secs => dh + dsh) as dispute_plan,
        shipped_plan + make_interval(secs => dh + dsh + (2 + 8 * bench_u(i, 'rsd')) * 86400)
          as resolved_plan
      from (
        select b.*,
          prod_start + make_interval(secs => batch_lead * batch_factor * 86400) as shipped_plan,
          (12 + 84 * bench_u(i, 'dh')) * 3600 as dh,
          (12 + 60 * bench_u(i, 'dsh')) * 3600 as dsh
        from (
          select a.*,
            case when needs_sample then approved_plan else paid_plan end as prod_start
          from (
            -- The plan: paid 1–96 h after acceptance; sample rounds of lead + 3 days review.
            select j.i, j.id as job_id, md5('order' || j.i)::uuid as id,
              md5('quote' || j.i)::uuid as quote_id, j.firm_id, j.workshop_id, j.resource_id,
              j.process, j.town, j.cluster, j.needs_sample, j.rounds, j.sample_lead, j.batch_lead,
              j.batch_factor, j.quantity, j.batch_fen, j.sample_fen, p.now,
              j.accepted_at as created_at,
              j.accepted_at + make_interval(secs => (1 + 95 * bench_u(j.i, 'pd')) * 3600)
                as paid_plan,
              j.accepted_at + make_interval(secs => (1 + 95 * bench_u(j.i, 'pd')) * 3600,
                days => j.sample_lead) as sample_shipped_plan,
              j.accepted_at + make_interval(secs => (1 + 95 * bench_u(j.i, 'pd')) * 3600
                - 86400 * bench_u(j.i, 'ap'), days => j.rounds * (j.sample_lead + 3))
                as approved_plan,
              shanghai_day(j.accepted_at) + 3 + j.batch_lead
                + case when j.needs_sample then j.sample_lead + 3 else 0 end
                + (-3 + floor(14 * bench_u(j.i, 'slack')))::int as deadline,
              bench_u(j.i, 'cx') < 0.03 as cancel,
              bench_u(j.i, 'cxp') < 0.33 as cancel_paid,
              -- Cancelled 1–72 h after acceptance, or before now when that is sooner.
              case when bench_u(j.i, 'cx') >= 0.03 then null
                when j.accepted_at + interval '72 hours' <= p.now
                then j.accepted_at + make_interval(secs => (1 + 71 * bench_u(j.i, 'cxh')) * 3600)
                else j.accepted_at + (p.now - j.accepted_at) * bench_u(j.i, 'cxh') end
                as cancelled_at,
              bench_u(j.i, 'dx') < 0.025 as disputed,
              bench_u(j.i, 'full') < 0.35 as full_refund,
              v.voucher_fen,
              j.batch_fen + j.sample_fen - v.voucher_fen as total_fen,
              greatest(1, round(j.batch_lead * j.batch_factor * (2 + 6 * bench_u(j.i, 'mh'))))
                as machine_hours
            from bench_job j cross join bench_params p
              cross join lateral (select case when bench_u(j.i, 'vx') < 0.15
                then least(floor((j.batch_fen + j.sample_fen) * 0.3), 1000000)::bigint
                else 0::bigint end as voucher_fen) v
            where j.i <= p.orders
          offset 0) a
        offset 0) b
      offset 0) c
    offset 0) d
  offset 0) e
offset 0) f;
create unique index on bench_order (i);
`

// The history's tables, one statement each; with replica mode their order does not matter, so
// two connections take them largest first. Order events come in four slices of orders.
function historyStatements(size: MetricsDataSize): { label: string; sql: string }[] {
  const slices = 4
  const per = Math.ceil(size.orders / slices)
  const events = Array.from({ length: slices }, (_, s) => ({
    label: `order_events ${s + 1}/${slices}`,
    sql: `
insert into order_events (order_id, actor_user_id, from_status, to_status, payload, created_at)
select o.id, null,
  case when k <= cardinality(o.ev_at) then nullif(o.ev_from[k], '') else o.status end,
  case when k <= cardinality(o.ev_at) then o.ev_to[k] else o.status end,
  case when k > cardinality(o.ev_at) then '{"action":"message"}'::jsonb
    when o.ev_action[k] = 'approve_sample'
      then jsonb_build_object('action', 'approve_sample', 'round', o.sample_round)
    else jsonb_build_object('action', o.ev_action[k]) end,
  case when k <= cardinality(o.ev_at) then o.ev_at[k]
    -- Messages fall between acceptance and the last milestone (or now, while it runs).
    else o.created_at + (case when o.status in ('completed', 'refunded', 'cancelled')
      then o.ev_at[cardinality(o.ev_at)] else o.now end - o.created_at)
      * bench_u(o.i * 16 + k, 'msg') end
from bench_order o cross join generate_series(1, ${size.eventsPerOrder}) k
where o.i > ${s * per} and o.i <= ${(s + 1) * per}`,
  }))
  return [
    ...events,
    {
      label: 'matches',
      sql: `
insert into matches (id, job_id, resource_id, organization_id, rank, score, reasons, estimate,
  created_at)
select md5('match' || j.i || '-' || k)::uuid, j.id, r.id, r.ws_id, k, 1 - 0.1 * k, '[]', '{}',
  j.opened_at + interval '1 minute'
from bench_job j cross join bench_params p cross join lateral generate_series(1, j.matches) k
  join bench_res r on r.n = case when k = 1 then j.res_n
    else (j.res_n - 1 + k * 7919) % p.resources + 1 end`,
    },
    {
      label: 'quotes',
      sql: `
insert into quotes (id, job_id, organization_id, resource_id, match_id, source, status,
  quantity, unit_price_fen, setup_fen, sample_price_fen, total_fen, platform_fee_bps,
  machine_hours, sample_lead_days, batch_lead_days, lines, breakdown, valid_until, confirmed_at,
  decided_at, created_at, updated_at)
select q.id, j.id, r.ws_id, r.id, md5('match' || j.i || '-' || q.rank)::uuid, 'auto', q.status,
  j.quantity, j.batch_fen / j.quantity, j.batch_fen % j.quantity, j.sample_fen,
  j.batch_fen + j.sample_fen, 500,
  greatest(1, round(j.batch_lead * j.batch_factor * (2 + 6 * bench_u(j.i, 'mh')))),
  case when j.needs_sample then j.sample_lead else 0 end, j.batch_lead, '[]', '[]',
  q.created_at + interval '14 days', q.confirmed_at,
  case when q.status in ('accepted', 'declined') then j.accepted_at end, q.created_at, q.created_at
from bench_job j cross join bench_params p
  cross join lateral (values
    (1, md5('quote' || j.i)::uuid,
      case when j.i <= p.orders then 'accepted'
        when j.opened_at < p.now - interval '14 days' then 'expired' else 'pending' end,
      j.q_created, case when not j.unconfirmed then j.q_confirmed end),
    (2, md5('quote2-' || j.i)::uuid,
      case when j.i <= p.orders then 'declined' else 'expired' end,
      j.q_created + (j.q_confirmed - j.q_created) * 0.5,
      case when bench_u(j.i, 'q2c') < 0.8 then j.q_confirmed end)
  ) q(rank, id, status, created_at, confirmed_at)
  join bench_res r on r.n = case when q.rank = 1 then j.res_n
    else (j.res_n - 1 + q.rank * 7919) % p.resources + 1 end
where j.quoted and j.matches >= q.rank and (q.rank = 1 or bench_u(j.i, 'q2') < 0.45)`,
    },
    {
      label: 'jobs',
      sql: `
insert into jobs (id, organization_id, title, process, tolerance_mm, needs_sample, deadline,
  delivery_town, status, opened_at, created_at, updated_at, matched_at)
select j.id, j.firm_id, '零件加工 ' || j.i, j.process, 0.05, j.needs_sample,
  shanghai_day(j.opened_at) + 20 + j.batch_lead, j.delivery_town,
  case when j.i <= p.orders or j.opened_at < p.now - interval '30 days' then 'closed' else 'open' end,
  j.opened_at, j.opened_at - interval '1 hour', j.opened_at,
  case when j.matches > 0 then j.opened_at + interval '1 minute' end
from bench_job j cross join bench_params p`,
    },
    {
      label: 'orders',
      sql: `
insert into orders (id, number, job_id, quote_id, buyer_organization_id, workshop_organization_id,
  resource_id, status, needs_sample, batch_fen, sample_fen, subtotal_fen, platform_fee_fen,
  voucher_fen, total_fen, sample_lead_days, batch_lead_days, deadline, created_at, updated_at,
  quantity, sample_round, paid_at, shipped_at, delivered_at, completed_at, cancelled_at,
  cancel_requested_by, refunded_fen, process, town, cluster)
select o.id, 'SF' || lpad(o.i::text, 9, '0'), o.job_id, o.quote_id, o.firm_id, o.workshop_id,
  o.resource_id, o.status, o.needs_sample, o.batch_fen, o.sample_fen, o.batch_fen + o.sample_fen,
  round((o.batch_fen + o.sample_fen) * 0.05)::bigint, o.voucher_fen, o.total_fen,
  case when o.needs_sample then o.sample_lead else 0 end, o.batch_lead, o.deadline, o.created_at,
  o.ev_at[cardinality(o.ev_at)], o.quantity, o.sample_round, o.paid_at, o.shipped_at,
  o.delivered_at, o.completed_at, o.cancelled_at,
  case when o.cancelled_at is not null then 'buyer' end,
  o.refund_fen, o.process, o.town, o.cluster
from bench_order o`,
    },
    {
      label: 'capacity_bookings',
      sql: `
insert into capacity_bookings (id, resource_id, order_id, starts_on, ends_on, hours, created_at)
select md5('booking' || o.i)::uuid, o.resource_id, o.id, shanghai_day(o.prod_start),
  shanghai_day(o.shipped_plan), o.machine_hours, o.created_at
from bench_order o where not o.cancel`,
    },
    {
      label: 'disputes, refunds, vouchers',
      sql: `
insert into disputes (id, order_id, reason, status, resolution, refund_fen, resolved_at, created_at)
select md5('dispute' || o.i)::uuid, o.id, 'inspection_rejected',
  case when o.resolved_at is null then 'open' else 'resolved' end,
  case when o.resolved_at is null then null when o.full_refund then 'full_refund'
    else 'partial_refund' end,
  o.refund_fen, o.resolved_at, o.dispute_at
from bench_order o where o.dispute_at is not null;

insert into refunds (id, order_id, reason, amount_fen, voucher_fen, provider, status, created_at,
  completed_at)
select md5('refund' || o.i)::uuid, o.id,
  case when o.cancel then 'cancelled' when o.full_refund then 'full_refund'
    else 'partial_refund' end,
  o.refund_fen, o.refund_voucher_fen, 'bank_transfer',
  case when o.refund_at > o.now - interval '2 days' then 'pending' else 'succeeded' end,
  o.refund_at,
  case when o.refund_at <= o.now - interval '2 days' then o.refund_at + interval '1 day' end
from bench_order o where o.refund_at is not null;

insert into voucher_programs (id, name, share_bps, annual_cap_fen, budget_fen, valid_from,
  valid_until, created_at)
select md5('program' || k)::uuid, (array['中山市共享工厂服务券', '古镇灯饰产业服务券',
  '小榄五金产业服务券'])[k], 3000, 5000000, (array[20000000000, 8000000000, 6000000000])[k],
  shanghai_day(p.t0) - 30, shanghai_day(p.now) + 365, p.t0 - interval '30 days'
from bench_params p cross join generate_series(1, 3) k;

insert into voucher_grants (id, program_id, organization_id, year, status, decided_at, created_at)
select distinct on (v.grant_id) v.grant_id, v.program_id, v.firm_id, v.year, 'approved', p.t0, p.t0
from (select md5('grant' || k || '-' || o.firm_id || '-' || y)::uuid as grant_id,
    md5('program' || k)::uuid as program_id, o.firm_id, y as year
  from bench_order o
    cross join lateral (select 1 + floor(3 * bench_u(o.i, 'prog'))::int as k,
      extract(year from o.created_at at time zone 'Asia/Shanghai')::int as y) g
  where o.voucher_fen > 0) v cross join bench_params p;

insert into voucher_redemptions (id, order_id, program_id, grant_id, organization_id, year,
  amount_fen, reversed_fen, created_at)
select md5('redemption' || o.i)::uuid, o.id, md5('program' || g.k)::uuid,
  md5('grant' || g.k || '-' || o.firm_id || '-' || g.y)::uuid, o.firm_id, g.y, o.voucher_fen,
  case when o.cancel then o.voucher_fen else 0 end, o.created_at
from bench_order o
  cross join lateral (select 1 + floor(3 * bench_u(o.i, 'prog'))::int as k,
    extract(year from o.created_at at time zone 'Asia/Shanghai')::int as y) g
where o.voucher_fen > 0`,
    },
  ]
}

/** Runs `tasks` on `workers` connections at once, each task timed. */
async function runPool<T>(
  tasks: { label: string; run: () => Promise<T> }[],
  workers: number,
  onDone: (label: string, ms: number) => void,
) {
  const queue = [...tasks]
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        const started = performance.now()
        await task.run()
        onDone(task.label, performance.now() - started)
      }
    }),
  )
}

export interface HistoryTimings {
  stageMs: number
  insertMs: number
  indexMs: number
  slowest: { label: string; ms: number }[]
}

/**
 * The year of history after seedWorkshops: staging tables, then every table's rows with the
 * secondary indexes of the big ones dropped (as the migrations define them) and rebuilt
 * afterwards, which is several times faster than maintaining them row by row.
 */
export async function seedHistory(
  load: postgres.Sql,
  size: MetricsDataSize,
  now: Date,
  firstDay: string,
  progress: (line: string) => void,
): Promise<HistoryTimings> {
  let started = performance.now()
  for (const [label, text] of [
    ['helpers', HELPERS],
    ['parameters', paramsSql(size, now, firstDay)],
    ['design firms and calendars', SUPPLY],
    ['staged jobs', JOBS_STAGE],
    ['staged orders', ORDERS_STAGE],
  ] as const) {
    const t = performance.now()
    await load.unsafe(text)
    progress(`${label} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
  const stageMs = performance.now() - started

  const deferred = await load<{ name: string; def: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indrelid
    where c.relnamespace = 'public'::regnamespace and c.relname = any(${DEFERRED_INDEX_TABLES})
      and not exists (select from pg_constraint k where k.conindid = i.indexrelid)`
  for (const { name } of deferred) await load.unsafe(`drop index ${name}`)

  const timed: { label: string; ms: number }[] = []
  started = performance.now()
  await runPool(
    historyStatements(size).map((s) => ({ label: s.label, run: () => load.unsafe(s.sql) })),
    2,
    (label, ms) => {
      timed.push({ label, ms })
      progress(`${label} in ${(ms / 1000).toFixed(1)} s`)
    },
  )
  const insertMs = performance.now() - started
  started = performance.now()
  await runPool(
    deferred.map((d) => ({ label: d.name, run: () => load.unsafe(d.def) })),
    2,
    (label, ms) => timed.push({ label: `index ${label}`, ms }),
  )
  const indexMs = performance.now() - started
  progress(`${deferred.length} secondary indexes rebuilt in ${(indexMs / 1000).toFixed(1)} s`)
  return { stageMs, insertMs, indexMs, slowest: timed.sort((a, b) => b.ms - a.ms).slice(0, 5) }
}

/** Rows that break a foreign key of the loaded tables (none expected), per constraint. */
export async function checkForeignKeys(load: postgres.Sql) {
  const fks = await load<
    { name: string; tbl: string; ref: string; cols: string[]; refcols: string[] }[]
  >`
    select k.conname as name, k.conrelid::regclass::text as tbl, k.confrelid::regclass::text as ref,
      array(select a.attname from unnest(k.conkey) with ordinality u(n, o)
        join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.o)::text[] as cols,
      array(select a.attname from unnest(k.confkey) with ordinality u(n, o)
        join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.o)::text[]
        as refcols
    from pg_constraint k
    where k.contype = 'f' and k.conrelid::regclass::text = any(${LOADED_TABLES})`
  const broken: string[] = []
  await runPool(
    fks.map((fk) => ({
      label: fk.name,
      run: async () => {
        const on = fk.cols.map((c, i) => `r.${fk.refcols[i]} = t.${c}`).join(' and ')
        const present = fk.cols.map((c) => `t.${c} is not null`).join(' and ')
        const [row] = await load.unsafe<{ n: number }[]>(
          `select count(*)::int as n from ${fk.tbl} t
           where ${present} and not exists (select from ${fk.ref} r where ${on})`,
        )
        if (row && row.n > 0) broken.push(`${fk.name}: ${row.n}`)
      },
    })),
    2,
    () => {},
  )
  return { checked: fks.length, broken }
}

/** Drops the staging tables and the hash function: nothing of the app reads them. */
export async function dropStaging(load: postgres.Sql) {
  await load.unsafe(`drop table bench_order, bench_job, bench_params, bench_res, bench_ws;
    drop function bench_u(bigint, text)`)
}
