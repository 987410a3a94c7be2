// Pricing budget (issue 6): priceQuote is a pure function that matching calls for every
// candidate resource, so it must price ≥ 100,000 quotes/s. Prices BENCH_PRICING_QUOTES
// (default 250,000) pre-generated, varied inputs (every process, meshes and sheets, finishes,
// quantities 1 … 100,000 log-uniform so every quantity break and its capped steps are hit) in
// this process, no HTTP. Reports throughput (median of BENCH_PRICING_RUNS passes, default 5)
// and the median and p99 time of single quotes. Prints, never asserts.
import {
  defaultPricingTables,
  priceQuote,
  type PricingGeometry,
  type PricingInput,
} from '../../app/models/pricing.ts'
import { processes } from '../../app/models/processes.ts'
import { defineScenario, percentile } from './lib.ts'

const QUOTES = Number(process.env.BENCH_PRICING_QUOTES) || 250_000
const RUNS = Number(process.env.BENCH_PRICING_RUNS) || 5

/** mulberry32: the same inputs on every run. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

const materials = [
  { code: 'al6061', densityGCm3: 2.7, priceFenPerKg: 2800 },
  { code: 'ss304', densityGCm3: 7.93, priceFenPerKg: 2500 },
  { code: 'abs', densityGCm3: 1.05, priceFenPerKg: 2000 },
  { code: 'resin_std', densityGCm3: 1.15, priceFenPerKg: 40_000 },
  { code: 'ti_tc4', densityGCm3: 4.43, priceFenPerKg: 30_000 },
]
const finishes = [
  undefined,
  undefined,
  '阳极氧化 黑色',
  '喷砂',
  'black anodized',
  '镜面抛光',
  '珐琅',
]

function generate(count: number): PricingInput[] {
  const random = rng(6)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const between = (lo: number, hi: number) => lo + random() * (hi - lo)
  const tables = defaultPricingTables()
  const inputs: PricingInput[] = []
  for (let i = 0; i < count; i++) {
    const p = pick(processes)
    const sheet = p.family === 'sheet' || (p.family === 'hourly' && random() < 0.5)
    let geometry: PricingGeometry
    if (sheet) {
      const w = between(20, 1500)
      const h = between(20, 1500)
      geometry = {
        kind: 'sheet',
        extentsMm: [w, h],
        cutLengthMm: 2 * (w + h) * between(1, 4),
        pierces: Math.floor(between(1, 60)),
        thicknessMm: pick([0.8, 1, 1.5, 2, 3, 4, 6, 8, 10]),
      }
    } else {
      const x = between(5, 300)
      const y = between(5, 300)
      const z = between(2, 150)
      geometry = {
        kind: 'mesh',
        volumeMm3: x * y * z * between(0.05, 0.9),
        surfaceAreaMm2: 2 * (x * y + y * z + z * x) * between(0.8, 2.5),
        bboxMm: [x, y, z],
      }
    }
    inputs.push({
      process: p.code,
      material: pick(materials),
      geometry,
      quantity: Math.max(1, Math.round(Math.exp(between(0, Math.log(100_000))))),
      finish: pick(finishes),
      resource: {
        hourlyRateFen: Math.round(between(30, 500)) * 100,
        setupFeeFen: Math.round(between(0, 1000)) * 100,
      },
      tables,
    })
  }
  return inputs
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export default defineScenario({
  name: 'pricing',
  async run(ctx) {
    const inputs = generate(QUOTES)
    let capped = 0
    let checksum = 0
    for (const input of inputs) {
      const q = priceQuote(input)
      checksum += q.totalFen % 997
      if (q.notes.some((n) => n.code === 'quantity_discount_capped')) capped++
    }
    ctx.note(
      `pricing: ${inputs.length.toLocaleString('en')} inputs, ${processes.length} processes, ` +
        `quantities 1…100,000 (${((capped / inputs.length) * 100).toFixed(1)} % in a capped ` +
        `discount step), checksum ${checksum}`,
    )

    const rates: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now()
      for (const input of inputs) checksum += priceQuote(input).totalFen % 7
      rates.push(inputs.length / ((performance.now() - started) / 1000))
    }
    ctx.note(
      `(1) throughput, median of ${RUNS} passes: ${Math.round(median(rates)).toLocaleString('en')} ` +
        `quotes/s (budget ≥ 100,000; min ${Math.round(Math.min(...rates)).toLocaleString('en')}, ` +
        `max ${Math.round(Math.max(...rates)).toLocaleString('en')})`,
    )

    // One timer per quote: the timer's own cost is measured and reported beside it.
    const single = new Float64Array(inputs.length)
    const empty = new Float64Array(inputs.length)
    for (let i = 0; i < inputs.length; i++) {
      const t0 = performance.now()
      checksum += priceQuote(inputs[i]!).totalFen % 7
      single[i] = (performance.now() - t0) * 1000
      const t1 = performance.now()
      empty[i] = (performance.now() - t1) * 1000
    }
    single.sort()
    empty.sort()
    ctx.note(
      `(2) single quotes: median ${percentile(single, 50).toFixed(2)} µs, p99 ` +
        `${percentile(single, 99).toFixed(2)} µs, max ${single[single.length - 1]!.toFixed(0)} µs ` +
        `(timer alone: median ${percentile(empty, 50).toFixed(2)} µs); checksum ${checksum % 1000}`,
    )
    return []
  },
})
