import { describe, expect, test } from 'vitest'
import { defaultPricingTables, priceQuote, type PricingInput } from '../../app/models/pricing.ts'
import { figuresFromPricing, platformFeeIn } from '../../app/models/quote.server.ts'
import {
  MatchWeightsSchema,
  PricingTablesSchema,
  normaliseWeights,
} from '../../app/models/settings.schema.ts'
import { defaultWeights } from '../../app/models/scoring.ts'

// A quote over several parts (issue 6): its figures are the parts' sums, its breakdown sums
// to its total, and the platform fee inside an amount is what was added on top of the net.

const tables = defaultPricingTables()
const part = (bbox: [number, number, number], quantity: number): PricingInput => ({
  process: 'cnc_milling_3axis',
  material: { code: 'al6061', densityGCm3: 2.7, priceFenPerKg: 3000 },
  geometry: {
    kind: 'mesh',
    volumeMm3: bbox[0] * bbox[1] * bbox[2] * 0.5,
    surfaceAreaMm2: 2 * (bbox[0] * bbox[1] + bbox[1] * bbox[2] + bbox[0] * bbox[2]),
    bboxMm: bbox,
  },
  quantity,
  resource: { hourlyRateFen: 12_000, setupFeeFen: 20_000 },
  tables,
})

describe('quote figures', () => {
  test('one part: the quote is the part’s quote', () => {
    const quote = priceQuote(part([80, 60, 30], 100))
    const f = figuresFromPricing([{ fileId: 'a', quantity: 100, quote }])
    expect(f).toMatchObject({
      quantity: 100,
      unitPriceFen: quote.unitPriceFen,
      setupFen: quote.setupFen,
      totalFen: quote.totalFen,
      samplePriceFen: quote.samplePriceFen,
      batchLeadDays: quote.batchLeadDays,
    })
    expect(f.totalFen).toBe(f.unitPriceFen * 100 + f.setupFen)
    expect(f.breakdown.reduce((s, l) => s + l.amount_fen, 0)).toBe(f.totalFen)
  })

  test('several parts: sums, the longest lead time, a breakdown by kind that adds up', () => {
    const a = priceQuote(part([80, 60, 30], 100))
    const b = priceQuote(part([200, 120, 40], 7))
    const f = figuresFromPricing([
      { fileId: 'a', quantity: 100, quote: a },
      { fileId: 'b', quantity: 7, quote: b },
    ])
    expect(f.quantity).toBe(107)
    expect(f.totalFen).toBe(a.totalFen + b.totalFen)
    expect(f.setupFen).toBe(a.setupFen + b.setupFen)
    expect(f.samplePriceFen).toBe(a.samplePriceFen + b.samplePriceFen)
    expect(f.batchLeadDays).toBe(Math.max(a.batchLeadDays, b.batchLeadDays))
    expect(f.unitPriceFen).toBe(Math.round((f.totalFen - f.setupFen) / 107))
    expect(f.lines.map((l) => l.total_fen)).toEqual([a.totalFen, b.totalFen])
    expect(new Set(f.breakdown.map((l) => l.key)).size).toBe(f.breakdown.length)
    expect(f.breakdown.reduce((s, l) => s + l.amount_fen, 0)).toBe(f.totalFen)
  })

  test('the platform fee inside an amount', () => {
    expect(platformFeeIn(10_800, 800)).toBe(800)
    expect(platformFeeIn(10_000, 0)).toBe(0)
    expect(platformFeeIn(1, 800)).toBe(0)
  })
})

describe('settings', () => {
  test('the defaults are valid settings (an operator can save them back unchanged)', () => {
    expect(PricingTablesSchema.safeParse(defaultPricingTables()).success).toBe(true)
    expect(MatchWeightsSchema.safeParse({ ...defaultWeights }).success).toBe(true)
  })

  test('weights are stored scaled to sum to 1; all zero is refused', () => {
    const w = normaliseWeights({ ...defaultWeights, price: 0.7 })
    expect(Object.values(w).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3)
    expect(w.price).toBeCloseTo(0.7 / 1.35, 3)
    const zero = Object.fromEntries(Object.keys(defaultWeights).map((k) => [k, 0]))
    expect(MatchWeightsSchema.safeParse(zero).success).toBe(false)
  })
})
