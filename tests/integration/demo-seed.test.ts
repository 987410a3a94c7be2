import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { createLocalStorage } from '../../app/models/storage.server.ts'
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { DEMO_PASSWORD, demoAccounts, seedDemo } from '../../db/seed.ts'
import { escrowFigures } from '../../app/models/escrow.server.ts'
import { DEMO_HORIZON_DAYS, demoUscc } from '../../db/demo/supply.ts'
import { processByCode, processCodes } from '../../app/models/processes.ts'
import { isValidUscc } from '../../app/models/uscc.ts'
import { townByCode } from '../../app/models/towns.ts'
import { certificationCodes, clusterCodes } from '../../app/models/taxonomy.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { verifyLogin } from '../../app/models/user.server.ts'
import { matchJob } from '../../app/models/matching.server.ts'
import { funnel, metrics } from '../../app/models/metrics.server.ts'
import { checkLedger } from '../../app/models/ledger-check.server.ts'
import { demoFirmEmails } from '../../db/demo/metrics.ts'

const t = useTestDatabase()

async function counts() {
  const count = async (
    table: 'users' | 'organizations' | 'resources' | 'capacity_windows' | 'capacity_bookings',
  ) => {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
  return {
    users: await count('users'),
    organizations: await count('organizations'),
    resources: await count('resources'),
    windows: await count('capacity_windows'),
    bookings: await count('capacity_bookings'),
  }
}

const storage = createLocalStorage(mkdtempSync(path.join(os.tmpdir(), 'sf-demo-files-')))

beforeAll(async () => {
  await seedDemo(t.db, { storage, publicUrl: 'http://localhost:3000' })
})

describe('demo seed: money', () => {
  test('a 服务券 programme granted to the demo designer, and an order completed with the voucher and its payout paid', async () => {
    const grant = await t.db
      .selectFrom('voucher_grants')
      .innerJoin('voucher_programs', 'voucher_programs.id', 'voucher_grants.program_id')
      .innerJoin('organizations', 'organizations.id', 'voucher_grants.organization_id')
      .select(['voucher_programs.name', 'voucher_grants.status', 'organizations.name as firm'])
      .executeTakeFirstOrThrow()
    expect(grant).toEqual({
      name: '中山市工业设计服务券（演示）',
      status: 'approved',
      firm: '古镇灯饰设计工作室',
    })
    const order = await t.db
      .selectFrom('orders')
      .innerJoin('organizations', 'organizations.id', 'orders.workshop_organization_id')
      .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
      .selectAll('orders')
      .select('organizations.name as workshop')
      .where('buyer.name', '=', '古镇灯饰设计工作室')
      .executeTakeFirstOrThrow()
    expect(order).toMatchObject({ status: 'completed', workshop: '小榄精密数控加工厂' })
    expect(order.voucher_fen).toBe(Math.floor(order.subtotal_fen / 2))
    expect(order.total_fen).toBe(order.subtotal_fen - order.voucher_fen)
    const payouts = await t.db
      .selectFrom('payouts')
      .selectAll()
      .where('order_id', '=', order.id)
      .execute()
    expect(payouts).toMatchObject([
      {
        milestone: 'final',
        status: 'paid',
        gross_fen: order.subtotal_fen,
        fee_fen: order.platform_fee_fen,
        bank_reference: 'ICBC-PAYOUT-DEMO-0001',
      },
    ])
    expect(await escrowFigures(t.db, order.id)).toEqual({
      paid_fen: order.subtotal_fen,
      released_fen: order.subtotal_fen,
      refunded_fen: 0,
      escrow_fen: 0,
    })
  })
})

describe('demo seed: dashboard history', () => {
  const to = shanghaiToday()
  const from = addDays(to, -89)

  test('the last 90 days have orders, GMV and booked hours in 古镇 lighting, and a funnel', async () => {
    const byTown = await metrics(t.db, { from, to, group_by: 'town' })
    const guzhen = byTown.series.find((s) => s.key === 'guzhen')
    expect(guzhen?.orders).toBeGreaterThan(10)
    expect(guzhen?.gmv_fen).toBeGreaterThan(0)
    expect(guzhen?.utilisation).toBeGreaterThan(0.05)
    expect(guzhen?.utilisation).toBeLessThan(0.9)
    expect(byTown.series.filter((s) => s.orders > 0).length).toBeGreaterThanOrEqual(5)

    // What the e2e journey filters to; the rollups are there without a worker.
    const lighting = await metrics(t.db, {
      from,
      to,
      group_by: 'day',
      town: 'guzhen',
      cluster: 'lighting',
    })
    expect(lighting.totals.orders).toBeGreaterThan(10)
    expect(lighting.totals.completed).toBeGreaterThan(0)
    expect(lighting.totals.booked_hours).toBeGreaterThan(0)
    const direct = await sql<{ n: number }>`select count(*)::int as n from orders
      where town = 'guzhen' and cluster = 'lighting' and status <> 'cancelled'
        and shanghai_day(created_at) between ${from}::date and ${to}::date`.execute(t.db)
    expect(lighting.totals.orders).toBe(direct.rows[0]!.n)

    // More orders lately: the last 45 days have more than the 45 before them.
    const ordersIn = async (a: string, b: string) =>
      (await metrics(t.db, { from: a, to: b, group_by: 'week' })).totals.orders
    expect(await ordersIn(addDays(to, -44), to)).toBeGreaterThan(
      await ordersIn(from, addDays(to, -45)),
    )

    const stages = (await funnel(t.db, { from, to, group_by: 'day' })).stages.map((s) => s.count)
    const [opened, matched, quoted, ordered] = stages
    expect(opened).toBeGreaterThan(ordered!)
    expect(ordered).toBeGreaterThan(0)
    expect(matched).toBeLessThanOrEqual(opened!)
    expect(quoted).toBeLessThanOrEqual(matched!)
    expect(ordered).toBeLessThanOrEqual(quoted!)
  })

  test('the history runs each order through its lifecycle and the ledger still reconciles', async () => {
    const orders = await t.db
      .selectFrom('orders')
      .innerJoin('jobs', 'jobs.id', 'orders.job_id')
      .selectAll('orders')
      .select('jobs.opened_at')
      .execute()
    expect(orders.length).toBeGreaterThanOrEqual(120)
    expect(orders.length).toBeLessThanOrEqual(220)
    const statuses = new Set(orders.map((o) => o.status))
    for (const status of ['completed', 'in_production', 'disputed', 'cancelled', 'refunded']) {
      expect(statuses, status).toContain(status)
    }
    expect(orders.filter((o) => o.status === 'completed').length).toBeGreaterThan(orders.length / 2)

    const now = Date.now()
    for (const o of orders) {
      const at = (d: Date | null) => d?.getTime() ?? null
      const steps = [at(o.opened_at), at(o.created_at), at(o.paid_at), at(o.shipped_at)]
      const known = steps.filter((v): v is number => v !== null)
      expect(known, o.number).toEqual([...known].sort((a, b) => a - b))
      expect(Math.max(...known, at(o.completed_at) ?? 0, at(o.cancelled_at) ?? 0)).toBeLessThan(
        now + 1,
      )
      expect(o.number).toMatch(/^SF\d{13}$/)
      expect(o.number.slice(2, 10)).toBe(shanghaiToday(o.created_at).replaceAll('-', ''))
      if (o.status === 'completed') expect(o.completed_at, o.number).not.toBeNull()
      if (o.status === 'cancelled') expect(o.cancelled_at, o.number).not.toBeNull()
      if (!['awaiting_payment', 'cancelled'].includes(o.status)) {
        expect(o.paid_at, o.number).not.toBeNull()
      }
      if (o.delivered_at) expect(o.delivered_at >= o.shipped_at!).toBe(true)
    }

    // Events chain from acceptance to the order's status, in time, one per version.
    const broken = await sql<{ number: string }>`
      with e as (
        select e.order_id, e.from_status, e.to_status, e.created_at,
          lag(e.to_status) over w as previous, lag(e.created_at) over w as previous_at,
          row_number() over w as n, count(*) over (partition by e.order_id) as events,
          last_value(e.to_status) over (w rows between unbounded preceding and unbounded following)
            as last
        from order_events e
        window w as (partition by e.order_id order by e.id)
      )
      select distinct o.number from e join orders o on o.id = e.order_id
      where (e.n = 1 and (e.from_status is not null or e.to_status <> 'awaiting_payment'))
        or (e.n > 1 and e.from_status is distinct from e.previous)
        or e.created_at < e.previous_at
        or e.last <> o.status or e.events <> o.version
      order by 1`.execute(t.db)
    expect(broken.rows).toEqual([])

    // Between the new firms and the supply workshops: the demo logins keep their one order.
    const parties = await sql<{ buyer: string; workshop: string; n: number }>`
      select buyer_user.email as buyer, workshop_user.email as workshop, count(*)::int as n
      from orders o
        join memberships bm on bm.organization_id = o.buyer_organization_id and bm.role = 'owner'
        join users buyer_user on buyer_user.id = bm.user_id
        join memberships wm on wm.organization_id = o.workshop_organization_id
          and wm.role = 'owner'
        join users workshop_user on workshop_user.id = wm.user_id
      group by 1, 2`.execute(t.db)
    for (const p of parties.rows) {
      if (p.buyer === 'designer@demo.test') {
        expect(p).toEqual({ buyer: 'designer@demo.test', workshop: 'workshop@demo.test', n: 1 })
      } else {
        expect(demoFirmEmails).toContain(p.buyer)
        expect(p.workshop).toMatch(/^demo-ws-\d+@demo\.test$/)
      }
    }

    const ledger = await checkLedger(t.db)
    expect(ledger.problems).toEqual([])
    expect(ledger.figures.paid_fen).toBeGreaterThan(0)
    const refunds = await t.db.selectFrom('refunds').select('reason').execute()
    expect(refunds.length).toBeGreaterThan(0)

    const firm = await verifyLogin(t.db, {
      email: demoFirmEmails[0]!,
      password: DEMO_PASSWORD,
      ip: '127.0.0.1',
    })
    expect(firm.organization).toMatchObject({ kind: 'design_firm', town: 'guzhen' })
  })
})

describe('demo seed: jobs', () => {
  test('the demo designer has four open jobs with analysed parts, a draft and a job ordered to completion', async () => {
    const jobs = await t.db
      .selectFrom('jobs')
      .innerJoin('organizations', 'organizations.id', 'jobs.organization_id')
      .select(['jobs.id', 'jobs.status', 'jobs.process', 'organizations.name'])
      .where('organizations.name', '=', '古镇灯饰设计工作室')
      .orderBy('jobs.created_at')
      .execute()
    expect(jobs.map((j) => [j.name, j.process, j.status])).toEqual([
      ['古镇灯饰设计工作室', 'cnc_milling_3axis', 'open'],
      ['古镇灯饰设计工作室', 'laser_cutting', 'open'],
      ['古镇灯饰设计工作室', 'cnc_milling_5axis', 'open'],
      ['古镇灯饰设计工作室', 'sls', 'open'],
      ['古镇灯饰设计工作室', 'sla', 'draft'],
      ['古镇灯饰设计工作室', 'cnc_milling_3axis', 'closed'],
    ])
    const parts = await t.db
      .selectFrom('job_parts')
      .innerJoin('job_files', 'job_files.id', 'job_parts.file_id')
      .select(['job_files.format', 'job_files.analysis_status', 'job_files.analysis'])
      .where('job_parts.job_id', 'in', [jobs[0]!.id, jobs[1]!.id])
      .orderBy('job_files.format', 'desc')
      .execute()
    expect(parts.map((p) => [p.format, p.analysis_status])).toEqual([
      ['stl', 'done'],
      ['dxf', 'done'],
    ])
    // The L-shaped bracket: (80·8 + 8·52) mm² × 30 mm, closed.
    expect(parts[0]!.analysis).toMatchObject({ kind: 'mesh', watertight: true })
    expect((parts[0]!.analysis as { volumeMm3: number }).volumeMm3).toBeCloseTo(1056 * 30, 3)
    expect(parts[1]!.analysis).toMatchObject({ kind: 'sheet', extentsMm: [300, 200], pierces: 6 })
    // The lamp housing (a 24-sided prism, ø120 × 90 mm) and the U-shaped nylon bracket.
    const partOf = async (jobId: string) => {
      const row = await t.db
        .selectFrom('job_parts')
        .innerJoin('job_files', 'job_files.id', 'job_parts.file_id')
        .select(['job_files.analysis_status', 'job_files.analysis', 'job_parts.quantity'])
        .where('job_parts.job_id', '=', jobId)
        .executeTakeFirstOrThrow()
      return {
        ...row,
        analysis: row.analysis as { volumeMm3: number; bboxMm: number[] },
      }
    }
    const housing = await partOf(jobs[2]!.id)
    expect(housing).toMatchObject({ analysis_status: 'done', quantity: 80 })
    expect(housing.analysis).toMatchObject({ kind: 'mesh', watertight: true })
    housing.analysis.bboxMm.forEach((d, i) => expect(d).toBeCloseTo([120, 120, 90][i]!, 2))
    // 12 · r² · sin 15° · h, within the float32 rounding of the STL's vertices.
    const prism = 12 * 3600 * Math.sin(Math.PI / 12) * 90
    expect(Math.abs(housing.analysis.volumeMm3 / prism - 1)).toBeLessThan(1e-4)
    const clip = await partOf(jobs[3]!.id)
    expect(clip).toMatchObject({ analysis_status: 'done', quantity: 300 })
    expect(clip.analysis).toMatchObject({ kind: 'mesh', watertight: true, bboxMm: [90, 40, 25] })
    expect(clip.analysis.volumeMm3).toBeCloseTo((90 * 5 + 2 * 35 * 5) * 25, 3)
    // Opening queued their matching (the completed example's too: matching skips a closed job).
    const queued = await sql<{ key: string }>`
      select key from graphile_worker._private_jobs where key like 'match:%'`.execute(t.db)
    expect(queued.rows.map((r) => r.key).sort()).toEqual(
      jobs
        .filter((j) => j.status !== 'draft')
        .map((j) => `match:${j.id}`)
        .sort(),
    )
    const invited = await t.db
      .selectFrom('job_invitations')
      .innerJoin('organizations', 'organizations.id', 'job_invitations.organization_id')
      .select('organizations.name')
      .where('job_invitations.job_id', '=', jobs[0]!.id)
      .execute()
    expect(invited).toEqual([{ name: '小榄精密数控加工厂' }])
    const emails = await t.db
      .selectFrom('emails')
      .select('to_address')
      .where('template', '=', 'job-invitation')
      .execute()
    expect(emails).toEqual([{ to_address: 'workshop@demo.test' }])
  })
})

describe('demo seed: matching', () => {
  test('every open demo job matches several demo workshops, the demo logins among them', async () => {
    const orgOf = async (email: string) =>
      (
        await t.db
          .selectFrom('memberships')
          .innerJoin('users', 'users.id', 'memberships.user_id')
          .select('memberships.organization_id')
          .where('users.email', '=', email)
          .executeTakeFirstOrThrow()
      ).organization_id
    const workshop = await orgOf('workshop@demo.test')
    const workshop2 = await orgOf('workshop2@demo.test')
    const jobs = await t.db
      .selectFrom('jobs')
      .select(['id', 'process'])
      .where('status', '=', 'open')
      .orderBy('created_at')
      .execute()
    const matched = new Map<string, string[]>()
    for (const job of jobs) {
      // What the queued match__job task does.
      const outcome = await matchJob(t.db, job.id, { publicUrl: 'http://localhost:3000' })
      const rows = await t.db
        .selectFrom('matches')
        .innerJoin('organizations', 'organizations.id', 'matches.organization_id')
        .select(['matches.organization_id', 'organizations.verification_status'])
        .where('matches.job_id', '=', job.id)
        .execute()
      expect(outcome?.matched, job.process!).toBe(rows.length)
      expect(rows.length, job.process!).toBeGreaterThanOrEqual(2)
      expect(rows.every((r) => r.verification_status === 'verified')).toBe(true)
      matched.set(
        job.process!,
        rows.map((r) => r.organization_id),
      )
    }
    expect([...matched.keys()]).toEqual([
      'cnc_milling_3axis',
      'laser_cutting',
      'cnc_milling_5axis',
      'sls',
    ])
    expect(matched.get('cnc_milling_5axis')).toContain(workshop)
    expect(matched.get('sls')).toContain(workshop)
    expect([...matched.values()].some((orgs) => orgs.includes(workshop2))).toBe(true)
  })
})

describe('demo seed: supply side', () => {
  test('creates at least 40 workshops and 150 resources', async () => {
    const workshops = await t.db
      .selectFrom('organizations')
      .select(['id', 'town', 'clusters', 'certifications', 'lat', 'lng'])
      .where('kind', '=', 'workshop')
      .execute()
    expect(workshops.length).toBeGreaterThanOrEqual(40)
    const { resources } = await counts()
    expect(resources).toBeGreaterThanOrEqual(150)
    for (const w of workshops) {
      const town = townByCode(w.town)
      expect(town, `town ${w.town}`).toBeDefined()
      expect(w.clusters.every((c) => (clusterCodes as string[]).includes(c))).toBe(true)
      expect(w.certifications.every((c) => (certificationCodes as string[]).includes(c))).toBe(true)
      expect(Math.abs(w.lat! - town!.lat)).toBeLessThanOrEqual(0.02)
      expect(Math.abs(w.lng! - town!.lng)).toBeLessThanOrEqual(0.02)
    }
    // The towns' industry clusters are represented.
    const towns = new Set(workshops.map((w) => w.town))
    for (const town of [
      'guzhen',
      'xiaolan',
      'nantou',
      'dongfeng',
      'shaxi',
      'dachong',
      'huoju',
      'cuiheng',
    ]) {
      expect(towns.has(town), town).toBe(true)
    }
  })

  test('every resource lists only materials that suit its process family', async () => {
    const materials = await t.db.selectFrom('materials').select(['code', 'families']).execute()
    const families = new Map(materials.map((m) => [m.code, m.families]))
    const resources = await t.db
      .selectFrom('resources')
      .select(['id', 'process', 'materials', 'make', 'model', 'hourly_rate_fen'])
      .execute()
    const processes = new Set<string>()
    for (const r of resources) {
      processes.add(r.process)
      const family = processByCode(r.process)?.family
      expect(family, r.process).toBeDefined()
      expect(r.materials.length).toBeGreaterThan(0)
      for (const code of r.materials) {
        expect(families.get(code), `${r.process} ${r.make} ${r.model}: ${code}`).toContain(family)
      }
      expect(r.make).not.toBe('')
      expect(r.model).not.toBe('')
      expect(Number.isInteger(r.hourly_rate_fen)).toBe(true)
      expect(r.hourly_rate_fen).toBeGreaterThan(0)
    }
    // Every listed process has at least one machine.
    expect([...processes].sort()).toEqual([...processCodes].sort())
  })

  test('every active resource offers capacity in the coming 8 weeks, and some hours are booked', async () => {
    const today = shanghaiToday()
    const last = addDays(today, DEMO_HORIZON_DAYS - 1)
    const without = await t.db
      .selectFrom('resources')
      .select(['resources.id', 'resources.name'])
      .where('resources.active', '=', true)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('capacity_windows')
              .select('capacity_windows.id')
              .whereRef('capacity_windows.resource_id', '=', 'resources.id')
              .where('capacity_windows.starts_on', '<=', last)
              .where('capacity_windows.ends_on', '>=', today),
          ),
        ),
      )
      .execute()
    expect(without).toEqual([])
    const windows = await t.db
      .selectFrom('capacity_windows')
      .select(['starts_on', 'ends_on', 'hours_per_day'])
      .execute()
    for (const w of windows) {
      // The coming 8 weeks, or the dashboard history's past (db/demo/metrics.ts): never both.
      const ahead = w.starts_on >= today && w.ends_on <= last
      expect(ahead || w.ends_on < today, `${w.starts_on}…${w.ends_on}`).toBe(true)
      expect(w.starts_on <= w.ends_on).toBe(true)
      expect(w.hours_per_day).toBeGreaterThan(0)
      expect(w.hours_per_day).toBeLessThanOrEqual(24)
    }
    const { bookings } = await counts()
    expect(bookings).toBeGreaterThanOrEqual(5)
    // Bookings never take more than the hours offered over their dates.
    const overbooked = await sql<{ id: string }>`
      select b.id from capacity_bookings b
      where b.hours > (
        select coalesce(sum(w.hours_per_day * (least(w.ends_on, b.ends_on) - greatest(w.starts_on, b.starts_on) + 1)), 0)
        from capacity_windows w
        where w.resource_id = b.resource_id and w.starts_on <= b.ends_on and w.ends_on >= b.starts_on
      )`.execute(t.db)
    expect(overbooked.rows).toEqual([])
  })

  test("workshop@demo.test's workshop in 小榄 owns the DMG MORI 5-axis mill", async () => {
    const rows = await t.db
      .selectFrom('resources')
      .innerJoin('organizations', 'organizations.id', 'resources.organization_id')
      .innerJoin('memberships', 'memberships.organization_id', 'organizations.id')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select([
        'resources.process',
        'resources.name',
        'resources.make',
        'resources.model',
        'resources.materials',
        'resources.tolerance_mm',
        'resources.envelope_x_mm',
        'resources.envelope_y_mm',
        'resources.envelope_z_mm',
        'resources.hourly_rate_fen',
        'resources.setup_fee_fen',
        'resources.finishes',
        'organizations.town',
        'organizations.verification_status',
      ])
      .where('users.email', '=', 'workshop@demo.test')
      .execute()
    const fiveAxis = rows.find((r) => r.process === 'cnc_milling_5axis')
    expect(fiveAxis).toMatchObject({
      name: 'DMG MORI DMU 50 五轴加工中心',
      make: 'DMG MORI',
      model: 'DMU 50',
      tolerance_mm: 0.01,
      envelope_x_mm: 500,
      envelope_y_mm: 450,
      envelope_z_mm: 400,
      hourly_rate_fen: 18_000,
      setup_fee_fen: 30_000,
      town: 'xiaolan',
      verification_status: 'verified',
    })
    expect(fiveAxis!.materials).toEqual(expect.arrayContaining(['al6061', 'al7075', 'ss304']))
    expect(fiveAxis!.finishes).toEqual(['阳极氧化', '喷砂'])
    expect(rows.map((r) => r.process).sort()).toEqual([
      'cnc_milling_3axis',
      'cnc_milling_5axis',
      'cnc_turning',
      'sls',
    ])

    const printers = await t.db
      .selectFrom('resources')
      .innerJoin('memberships', 'memberships.organization_id', 'resources.organization_id')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .innerJoin('organizations', 'organizations.id', 'resources.organization_id')
      .select(['resources.process', 'organizations.town', 'organizations.verification_status'])
      .where('users.email', '=', 'workshop2@demo.test')
      .execute()
    expect(printers.map((p) => p.process).sort()).toEqual(['fdm', 'mjf', 'sla', 'sls'])
    expect(printers.every((p) => p.town === 'huoju' && p.verification_status === 'verified')).toBe(
      true,
    )
  })

  test('credit codes are valid and unique; the operator queue has pending workshops', async () => {
    const orgs = await t.db
      .selectFrom('organizations')
      .select(['uscc', 'legal_name', 'verification_status', 'verified_at', 'rating'])
      .where('kind', '=', 'workshop')
      .execute()
    const codes = orgs.map((o) => o.uscc).filter((c): c is string => c !== null)
    expect(codes.length).toBeGreaterThanOrEqual(40)
    for (const code of codes) {
      expect(isValidUscc(code), code).toBe(true)
      expect(code.startsWith('91442000')).toBe(true)
    }
    expect(new Set(codes).size).toBe(codes.length)
    expect(demoUscc(7)).toBe(demoUscc(7))
    for (const o of orgs.filter((o) => o.uscc)) expect(o.legal_name).toMatch(/有限公司$/)

    const byStatus = (s: string) => orgs.filter((o) => o.verification_status === s)
    expect(byStatus('pending').length).toBeGreaterThanOrEqual(3)
    expect(byStatus('unsubmitted').length).toBeGreaterThanOrEqual(2)
    expect(byStatus('verified').length).toBeGreaterThanOrEqual(30)
    expect(byStatus('verified').every((o) => o.verified_at !== null)).toBe(true)
    const rated = orgs.filter((o) => o.rating !== null)
    expect(rated.length).toBeGreaterThanOrEqual(10)
    expect(rated.every((o) => o.rating! >= 3.5 && o.rating! <= 5)).toBe(true)
  })

  test('running the seed again adds nothing', async () => {
    const before = await counts()
    const created = await seedDemo(t.db, { storage })
    expect(created).toEqual([])
    expect(await counts()).toEqual(before)
  })

  test('the original demo logins and a supply workshop login still work', async () => {
    for (const account of demoAccounts) {
      const view = await verifyLogin(t.db, {
        email: account.email,
        password: DEMO_PASSWORD,
        ip: '127.0.0.1',
      })
      expect(view.user.email).toBe(account.email)
    }
    const supplier = await verifyLogin(t.db, {
      email: 'demo-ws-01@demo.test',
      password: DEMO_PASSWORD,
      ip: '127.0.0.1',
    })
    expect(supplier.organization.kind).toBe('workshop')
    expect(supplier.role).toBe('owner')
  })
})
