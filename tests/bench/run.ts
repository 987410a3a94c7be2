// `npm run bench`: starts the production build once, then runs every tests/bench/*.bench.ts
// scenario against it and prints one table. Never asserts on timings: exit 0 when the run
// completed, 1 when it could not run (no build, server did not start, login failed…).
//
// Environment: BENCH_SECONDS (default 10) per measured run, BENCH_CONNECTIONS (default 20),
// BENCH_WARMUP_SECONDS (default 2, not reported), BENCH_ONLY (comma-separated scenario names).
// To add a benchmark, drop a `<name>.bench.ts` here whose default export is
// `defineScenario({ name, run(ctx) { return [await ctx.bench({ title, path })] } })`;
// figures that are not HTTP runs go through `ctx.note(line)` and print under the table.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  DEMO_DESIGNER,
  ROOT,
  SERVER_BUILD,
  formatTable,
  isBuilt,
  login,
  machineInfo,
  measure,
  startServer,
  type BenchContext,
  type BenchResult,
  type Scenario,
} from './lib.ts'

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number, got "${raw}"`)
    process.exit(1)
  }
  return value
}

async function loadScenarios(): Promise<Scenario[]> {
  const dir = path.join(ROOT, 'tests/bench')
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort()
  const scenarios: Scenario[] = []
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default?: Scenario }
    if (!mod.default || typeof mod.default.run !== 'function') {
      throw new Error(`${file}: default export must be defineScenario({ name, run })`)
    }
    if (only.length === 0 || only.includes(mod.default.name)) scenarios.push(mod.default)
  }
  return scenarios
}

async function main(): Promise<number> {
  if (!isBuilt()) {
    console.error(`No production build at ${SERVER_BUILD}: run \`npm run build\` first.`)
    return 1
  }
  const seconds = numberFromEnv('BENCH_SECONDS', 10) || 10
  const connections = numberFromEnv('BENCH_CONNECTIONS', 20) || 20
  const warmupSeconds = numberFromEnv('BENCH_WARMUP_SECONDS', 2)
  const scenarios = await loadScenarios()
  if (scenarios.length === 0) {
    console.error('No scenario matched (tests/bench/*.bench.ts, BENCH_ONLY).')
    return 1
  }

  console.log(machineInfo())
  console.log(
    `${connections} connections, ${warmupSeconds} s warm-up + ${seconds} s measured per run; ` +
      `scenarios: ${scenarios.map((s) => s.name).join(', ')}`,
  )
  console.log('starting server (production build, fresh embedded PostgreSQL)…')
  const { server, startupMs } = await startServer()
  // Ctrl+C: the server runs in its own process group, so take it down before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the server…`)
      void server.stop().finally(() => process.exit(130))
    })
  }
  console.log(`server ready at ${server.baseUrl} in ${(startupMs / 1000).toFixed(1)} s`)

  let failed = false
  const results: BenchResult[] = []
  const notes: string[] = []
  try {
    const cookies = new Map<string, Promise<string>>()
    const ctx: BenchContext = {
      baseUrl: server.baseUrl,
      serverProcessGroup: server.processGroup,
      seconds,
      connections,
      sessionCookie(account = DEMO_DESIGNER) {
        let cookie = cookies.get(account.email)
        if (!cookie) {
          cookie = login(server.baseUrl, account)
          cookies.set(account.email, cookie)
        }
        return cookie
      },
      async bench(options) {
        process.stdout.write(`  ${options.title} … `)
        const result = await measure(server.baseUrl, {
          ...options,
          seconds,
          connections,
          warmupSeconds,
        })
        console.log(`${result.rps.toFixed(0)} req/s`)
        return result
      },
      note(line) {
        notes.push(line)
        console.log(`  ${line}`)
      },
    }
    for (const scenario of scenarios) {
      console.log(`scenario ${scenario.name}`)
      results.push(...(await scenario.run(ctx)))
    }
  } catch (error) {
    failed = true
    console.error('benchmark failed:', error)
  } finally {
    await server.stop()
    console.log('server stopped, temp data removed')
  }
  if (failed) return 1

  console.log('')
  console.log(formatTable(results))
  console.log('latency percentiles: per-request timings of 2xx responses (nearest rank)')
  if (notes.length) console.log(['', 'notes (figures outside the table):', ...notes].join('\n'))
  for (const r of results) {
    if (r.non2xx > 0 || r.errors > 0) {
      const codes = Object.entries(r.badStatuses)
        .map(([code, n]) => `${code}×${n}`)
        .join(', ')
      console.log(
        `WARNING ${r.title}: ${r.non2xx} non-2xx (${codes || 'none'}), ${r.errors} errors ` +
          `(${r.timeouts} timeouts): these figures measure failures, not the endpoint.`,
      )
    }
  }
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
