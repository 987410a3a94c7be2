// Scale-out figures (issue 10): the production processes (`start:web`, `start:worker`) on
// Debian's PostgreSQL as a separate server (tests/scale/postgres.ts), with the demo set plus a
// synthetic supply side (BENCH_SCALE_RESOURCES machines, default 10,000), loaded with 1 web
// process, then 2 (+1 worker both times) at 20/50/100 concurrent users (BENCH_SCALE_USERS):
// requests/s and latency percentiles of the search page, a workshop's job board page and an
// order page (logged in). With 2 web processes the users are split evenly between them, as a
// load balancer would. Ignores the server run.ts started; runs BENCH_SECONDS per figure after
// BENCH_WARMUP_SECONDS of warm-up. All traffic stays on 127.0.0.1.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { createDb } from '../../db/client.ts'
import { shanghaiToday } from '../../app/models/capacity.server.ts'
import { startDebianPostgres } from '../scale/postgres.ts'
import { appProcess, commandFor, runScript, type AppProcess } from '../scale/processes.ts'
import {
  DEMO_DESIGNER,
  defineScenario,
  freePort,
  login,
  percentile,
  type BenchResult,
} from './lib.ts'
import { mulberry32, planResources, planWorkshops, type MaterialFamilies } from './search-data.ts'

const DEMO_WORKSHOP = { email: 'workshop@demo.test', password: 'demo-password' }

function numbers(name: string, fallback: number[]): number[] {
  const raw = process.env[name]
  if (!raw) return fallback
  const values = raw.split(',').map((v) => Number(v.trim()))
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${name} must be comma-separated positive integers, got "${raw}"`)
  }
  return values
}

interface Target {
  title: string
  path: string
  cookie?: string
}

/** `users` connections split over `bases`, all measured together; one figure. */
async function measureAcross(
  bases: string[],
  target: Target,
  users: number,
  seconds: number,
  warmupSeconds: number,
): Promise<BenchResult> {
  const share = (i: number) => Math.floor(users / bases.length) + (i < users % bases.length ? 1 : 0)
  const options = (base: string, i: number, duration: number): autocannon.Options => ({
    url: new URL(target.path, base).href,
    headers: target.cookie ? { cookie: target.cookie } : undefined,
    connections: share(i),
    duration,
    timeout: 10,
  })
  const run = (opts: autocannon.Options, latencies?: number[]) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(opts, (err: unknown, result) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
      )
      if (latencies) {
        instance.on('response', (_client, status, _bytes, ms) => {
          if (status >= 200 && status < 300) latencies.push(ms)
        })
      }
    })
  if (warmupSeconds > 0) {
    await Promise.all(bases.map((base, i) => run(options(base, i, warmupSeconds))))
  }
  const latencies: number[] = []
  const results = await Promise.all(
    bases.map((base, i) => run(options(base, i, seconds), latencies)),
  )
  const sorted = Float64Array.from(latencies).sort()
  const badStatuses: Record<string, number> = {}
  for (const result of results) {
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
      if (!code.startsWith('2')) badStatuses[code] = (badStatuses[code] ?? 0) + (stat.count ?? 0)
    }
  }
  const sum = (f: (r: autocannon.Result) => number) => results.reduce((s, r) => s + f(r), 0)
  return {
    title: `${target.title} · ${bases.length} web · ${users} users`,
    seconds: Math.max(...results.map((r) => r.duration)),
    connections: users,
    requests: sum((r) => r.requests.total),
    rps: sum((r) => r.requests.average),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    non2xx: sum((r) => r.non2xx),
    badStatuses,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  }
}

/** Synthetic verified workshops and machines beside the demo set, for search to chew on. */
async function seedSupply(databaseUrl: string, resources: number) {
  const db = createDb(databaseUrl, { max: 2, applicationName: 'scale-bench-seed' })
  try {
    const families: MaterialFamilies = new Map(
      (await db.selectFrom('materials').select(['code', 'families']).execute()).map((r) => [
        r.code,
        r.families,
      ]),
    )
    const rng = mulberry32(20261205)
    const plans = planWorkshops(rng, Math.max(1, Math.round(resources / 50)), resources)
    for (let i = 0; i < plans.length; i += 500) {
      await db
        .insertInto('organizations')
        .values(plans.slice(i, i + 500).map((p) => p.row))
        .execute()
    }
    const today = shanghaiToday()
    for (const plan of plans) {
      const planned = planResources(rng, plan, families, today)
      await db.insertInto('resources').values(planned.resources).execute()
      for (let i = 0; i < planned.windows.length; i += 5000) {
        await db
          .insertInto('capacity_windows')
          .values(planned.windows.slice(i, i + 5000))
          .execute()
      }
      if (planned.bookings.length) {
        await db.insertInto('capacity_bookings').values(planned.bookings).execute()
      }
    }
    // The demo designer's order, for the order page.
    const order = await db
      .selectFrom('orders')
      .innerJoin('memberships', 'memberships.organization_id', 'orders.buyer_organization_id')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('orders.id')
      .where('users.email', '=', DEMO_DESIGNER.email)
      .orderBy('orders.created_at', 'desc')
      .executeTakeFirst()
    const counts = await sql<{ resources: number; orders: number }>`
      select (select count(*) from resources)::int as resources,
             (select count(*) from orders)::int as orders`.execute(db)
    return { orderId: order?.id, counts: counts.rows[0]! }
  } finally {
    await db.destroy()
  }
}

export default defineScenario({
  name: 'scale',
  async run(ctx) {
    const users = numbers('BENCH_SCALE_USERS', [20, 50, 100])
    const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2) || 0
    const resources = numbers('BENCH_SCALE_RESOURCES', [10_000])[0]!
    ctx.note(
      `scale: ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model.trim() ?? ''}; web ` +
        `\`${commandFor('web').cmd} ${commandFor('web').args.join(' ')}\`, PostgreSQL separate`,
    )
    const pg = await startDebianPostgres()
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sf-scale-bench-'))
    const processes: AppProcess[] = []
    try {
      await pg.createDatabase('shared_factory_bench')
      const databaseUrl = pg.urlFor('shared_factory_bench')
      const ports = [await freePort(), await freePort()]
      const env = {
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        SESSION_SECRET: randomBytes(32).toString('base64url'),
        DATA_DIR: dataDir,
        PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
        RATE_LIMITS: 'off',
        WORKER: 'off',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'warn',
        MEILISEARCH_URL: undefined,
      }
      for (const script of ['db:migrate', 'db:seed']) {
        const result = runScript(script, env)
        if (result.code !== 0) throw new Error(`${script} failed:\n${result.output}`)
      }
      const seeded = await seedSupply(databaseUrl, resources)
      if (!seeded.orderId) throw new Error('the demo designer has no order to open')
      ctx.note(
        `scale: data ${seeded.counts.resources} machines, ${seeded.counts.orders} orders ` +
          `on PostgreSQL ${pg.version}`,
      )
      const webs = ports.map((port, i) =>
        appProcess({ name: `web ${i + 1}`, kind: 'web', port, env, readyTimeoutMs: 180_000 }),
      )
      const worker = appProcess({
        name: 'worker',
        kind: 'worker',
        env: { ...env, LOG_LEVEL: 'info' },
      })
      processes.push(...webs, worker)
      await Promise.all([webs[0]!.start(), worker.start()])
      const designer = await login(webs[0]!.baseUrl!, DEMO_DESIGNER)
      const workshop = await login(webs[0]!.baseUrl!, DEMO_WORKSHOP)
      const targets: Target[] = [
        { title: 'search page', path: `/capabilities?q=${encodeURIComponent('铝 三轴')}` },
        { title: 'job board page', path: '/workshop/job-board', cookie: workshop },
        { title: 'order page', path: `/orders/${seeded.orderId}`, cookie: designer },
      ]
      const results: BenchResult[] = []
      for (const count of [1, 2]) {
        if (count === 2) await webs[1]!.start()
        const bases = webs.slice(0, count).map((w) => w.baseUrl!)
        for (const n of users) {
          for (const target of targets) {
            process.stdout.write(`  ${target.title} · ${count} web · ${n} users … `)
            const result = await measureAcross(bases, target, n, ctx.seconds, warmup)
            console.log(`${result.rps.toFixed(0)} req/s, p95 ${result.p95.toFixed(0)} ms`)
            results.push(result)
          }
        }
      }
      for (const target of targets) {
        for (const n of users) {
          const one = results.find((r) => r.title === `${target.title} · 1 web · ${n} users`)
          const two = results.find((r) => r.title === `${target.title} · 2 web · ${n} users`)
          if (one && two && one.rps > 0) {
            ctx.note(
              `scale: ${target.title} at ${n} users: 2 web processes ${(two.rps / one.rps).toFixed(2)}× ` +
                `the requests/s of 1 (${one.rps.toFixed(0)} → ${two.rps.toFixed(0)})`,
            )
          }
        }
      }
      return results
    } finally {
      await Promise.all(processes.map((p) => p.stop().catch(() => {})))
      await pg.destroy().catch(() => {})
      await rm(dataDir, { recursive: true, force: true })
    }
  },
})
