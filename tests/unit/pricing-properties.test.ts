import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  defaultPricingTables,
  priceQuote,
  type PricingGeometry,
  type PricingInput,
  type PricingTables,
  type Quote,
} from '../../app/models/pricing.ts'
import { processes } from '../../app/models/processes.ts'

const RUNS = 400
const defaults = defaultPricingTables()

// Tables: the defaults, or the defaults with another fee and random breaks (unsorted,
// duplicated, steep: up to 60 % off), which is where rounding and break boundaries bite.
const breakRow = fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 6000 }))
const tablesArb: fc.Arbitrary<PricingTables> = fc.oneof(
  fc.constant(defaults),
  fc
    .record({
      platformFeeBps: fc.integer({ min: 0, max: 3000 }),
      quantityBreaks: fc.array(breakRow, { maxLength: 6 }),
    })
    .map((t) => ({ ...defaults, ...t })),
)

const size = (min: number, max: number) => fc.double({ min, max, noNaN: true })

const meshArb: fc.Arbitrary<PricingGeometry> = fc
  .record({
    bbox: fc.tuple(size(0.5, 600), size(0.5, 600), size(0.5, 600)),
    fill: size(0.02, 1),
    roughness: size(0.6, 4),
  })
  .map(({ bbox: [x, y, z], fill, roughness }) => ({
    kind: 'mesh',
    volumeMm3: x * y * z * fill,
    surfaceAreaMm2: 2 * (x * y + y * z + z * x) * roughness,
    bboxMm: [x, y, z],
  }))

// Thickness ≤ 16 mm: both default sheet processes cut that.
const sheetArb: fc.Arbitrary<PricingGeometry> = fc
  .record({
    w: size(5, 2500),
    h: size(5, 2500),
    contour: size(1, 6),
    pierces: fc.integer({ min: 0, max: 300 }),
    thicknessMm: size(0.3, 16),
  })
  .map(({ w, h, contour, pierces, thicknessMm }) => ({
    kind: 'sheet',
    extentsMm: [w, h],
    cutLengthMm: 2 * (w + h) * contour,
    pierces,
    thicknessMm,
  }))

const partArb = fc.constantFrom(...processes).chain((p) =>
  fc.record({
    process: fc.constant<string>(p.code),
    geometry:
      p.family === 'sheet'
        ? sheetArb
        : p.family === 'hourly'
          ? fc.oneof(meshArb, sheetArb)
          : meshArb,
    material: fc.record({
      code: fc.constant('m'),
      densityGCm3: size(0.5, 20),
      priceFenPerKg: fc.integer({ min: 0, max: 100_000 }),
    }),
    resource: fc.record({
      hourlyRateFen: fc.integer({ min: 0, max: 100_000 }),
      setupFeeFen: fc.integer({ min: 0, max: 500_000 }),
    }),
    finish: fc.option(
      fc.constantFrom(
        '阳极氧化',
        '喷砂 阳极氧化 黑色',
        'black anodized',
        '镜面抛光',
        '珐琅',
        '',
        '无',
      ),
      { nil: undefined },
    ),
  }),
)

/** A quantity anywhere, or right around one of the tables' breaks. */
const quantityFor = (tables: PricingTables) =>
  fc.oneof(
    fc.integer({ min: 1, max: 3000 }),
    fc.integer({ min: 1, max: 2_000_000 }),
    tables.quantityBreaks.length
      ? fc
          .tuple(
            fc.constantFrom(...tables.quantityBreaks.map(([min]) => min)),
            fc.integer({ min: -3, max: 5 }),
          )
          .map(([min, offset]) => Math.max(1, min + offset))
      : fc.integer({ min: 1, max: 100 }),
  )

const inputArb: fc.Arbitrary<PricingInput> = tablesArb.chain((tables) =>
  fc.record({ part: partArb, quantity: quantityFor(tables) }).map(({ part, quantity }) => ({
    ...part,
    quantity,
    tables,
  })),
)

const money = (q: Quote) => [q.unitPriceFen, q.setupFen, q.totalFen, q.samplePriceFen]

describe('pricing properties', () => {
  test('amounts are non-negative integers and the lines add up to the total', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const q = priceQuote(input)
        for (const v of money(q)) {
          expect(Number.isSafeInteger(v)).toBe(true)
          expect(v).toBeGreaterThanOrEqual(0)
        }
        let sum = 0
        for (const l of q.breakdown) {
          expect(Number.isSafeInteger(l.amountFen), l.key).toBe(true)
          if (l.key === 'quantity_discount') expect(l.amountFen).toBeLessThanOrEqual(0)
          else expect(l.amountFen, l.key).toBeGreaterThanOrEqual(0)
          sum += l.amountFen
        }
        expect(sum).toBe(q.totalFen)
        expect(q.unitPriceFen * q.quantity + q.setupFen).toBe(q.totalFen)
        expect(new Set(q.breakdown.map((l) => l.key)).size).toBe(q.breakdown.length)
        expect(q.machineHours).toBeGreaterThanOrEqual(0)
        expect(q.batchLeadDays).toBeGreaterThanOrEqual(q.sampleLeadDays)
      }),
      { numRuns: RUNS },
    )
  })

  test('the sample price is the total for quantity 1', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const q = priceQuote(input)
        const one = priceQuote({ ...input, quantity: 1 })
        expect(q.samplePriceFen).toBe(one.totalFen)
        expect(q.sampleLeadDays).toBe(one.batchLeadDays)
      }),
      { numRuns: RUNS },
    )
  })

  test('one more part never lowers the total nor raises the unit price', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = priceQuote(input)
        const b = priceQuote({ ...input, quantity: input.quantity + 1 })
        expect(b.totalFen).toBeGreaterThanOrEqual(a.totalFen)
        expect(b.unitPriceFen).toBeLessThanOrEqual(a.unitPriceFen)
        expect(b.machineHours).toBeGreaterThanOrEqual(a.machineHours)
        expect(b.batchLeadDays).toBeGreaterThanOrEqual(a.batchLeadDays)
        expect(b.setupFen).toBe(a.setupFen)
        expect(b.samplePriceFen).toBe(a.samplePriceFen)
      }),
      { numRuns: RUNS },
    )
  })

  test('for any two quantities the larger batch costs at least as much, per part no more', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        (input, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x]
          const a = priceQuote({ ...input, quantity: lo })
          const b = priceQuote({ ...input, quantity: hi })
          expect(b.totalFen).toBeGreaterThanOrEqual(a.totalFen)
          expect(b.unitPriceFen).toBeLessThanOrEqual(a.unitPriceFen)
        },
      ),
      { numRuns: RUNS },
    )
  })

  test('the applied discount is never more than the break offers', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const q = priceQuote(input)
        const discount = q.breakdown.find((l) => l.key === 'quantity_discount')
        if (!discount) return
        const d = discount.detail!
        expect(d.perPartFen).toBeLessThanOrEqual(0)
        expect(d.perPartFen).toBeGreaterThanOrEqual(d.fullPerPartFen!)
        expect(d.capped).toBe(d.perPartFen === d.fullPerPartFen ? 0 : 1)
        expect(q.notes.some((n) => n.code === 'quantity_discount_capped')).toBe(d.capped === 1)
      }),
      { numRuns: RUNS },
    )
  })

  test('the same input gives the same quote', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const first = priceQuote(input)
        expect(priceQuote(structuredClone(input))).toEqual(first)
        expect(priceQuote(input)).toEqual(first)
      }),
      { numRuns: RUNS },
    )
  })

  test('every quantity from 1 to 1,500 on every process, one by one', () => {
    // Exhaustive around the default breaks (50, 200, 1,000) for a cheap and a dear part.
    for (const p of processes) {
      for (const scale of [0.2, 5]) {
        const geometry: PricingGeometry =
          p.family === 'sheet'
            ? {
                kind: 'sheet',
                extentsMm: [300 * scale, 200 * scale],
                cutLengthMm: 2000 * scale,
                pierces: 9,
                thicknessMm: 3,
              }
            : {
                kind: 'mesh',
                volumeMm3: 30_000 * scale ** 3,
                surfaceAreaMm2: 9000 * scale ** 2,
                bboxMm: [50 * scale, 40 * scale, 30 * scale],
              }
        const input: PricingInput = {
          process: p.code,
          material: { code: 'm', densityGCm3: 2.7, priceFenPerKg: 2800 },
          geometry,
          quantity: 1,
          finish: '阳极氧化',
          resource: { hourlyRateFen: 12_000, setupFeeFen: 30_000 },
          tables: defaults,
        }
        let previous = priceQuote(input)
        for (let quantity = 2; quantity <= 1500; quantity++) {
          const q = priceQuote({ ...input, quantity })
          if (q.totalFen < previous.totalFen || q.unitPriceFen > previous.unitPriceFen) {
            throw new Error(`${p.code} ×${scale}: quantity ${quantity - 1} → ${quantity}`)
          }
          previous = q
        }
      }
    }
  })
})
