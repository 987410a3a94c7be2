import { describe, expect, test } from 'vitest'
import {
  MAX_QUANTITY,
  PricingError,
  defaultPricingTables,
  priceQuote,
  type PriceLine,
  type PricingInput,
  type PricingTables,
  type Quote,
} from '../../app/models/pricing.ts'
import { processes } from '../../app/models/processes.ts'

// Round numbers so every figure below can be checked with a pocket calculator. The defaults
// have their own tests at the end.
const tables: PricingTables = {
  platformFeeBps: 800,
  processes: {
    cnc_milling_3axis: {
      family: 'subtractive',
      removalRateMm3PerMin: 2000,
      finishingRateMm2PerMin: 400,
      stockMarginMm: 5,
      handlingDays: 2,
    },
    sla: {
      family: 'additive',
      buildRateMm3PerHour: 50_000,
      layerHeightMm: 0.1,
      secondsPerLayer: 9,
      supportFactor: 0.1,
      handlingDays: 1,
    },
    laser_cutting: {
      family: 'sheet',
      // Deliberately out of order: the thinnest row that covers the sheet is used.
      cutSpeedMmPerMinByThickness: [
        [3, 6000],
        [1, 20_000],
        [2, 10_000],
      ],
      secondsPerPierce: 1,
      sheetUtilisation: 0.8,
    },
    injection_molding: {
      family: 'moulding',
      toolingFen: 2_000_000,
      cycleSeconds: 36,
      cavities: 2,
      supportFactor: 0.1,
      toolingDays: 20,
      handlingDays: 2,
    },
    polishing: { family: 'hourly', minutesPerPart: 4, minutesPerDm2: 5, handlingDays: 1 },
  },
  finishSurchargeFenPerDm2: { 阳极氧化: 200, 喷砂: 100, 抛光: 300, 镜面抛光: 600 },
  quantityBreaks: [
    [1, 0],
    [50, 500],
    [200, 1000],
    [1000, 1500],
  ],
}

const al6061 = { code: 'al6061', densityGCm3: 2.7, priceFenPerKg: 2800 }
const ss304 = { code: 'ss304', densityGCm3: 7.93, priceFenPerKg: 2500 }

/** A solid 40 × 30 × 20 mm block: V = 24,000 mm³, A = 2·(1200 + 800 + 600) = 5,200 mm². */
const block = {
  kind: 'mesh' as const,
  volumeMm3: 24_000,
  surfaceAreaMm2: 5200,
  bboxMm: [40, 30, 20] as [number, number, number],
}

const millingJob = (quantity: number): PricingInput => ({
  process: 'cnc_milling_3axis',
  material: al6061,
  geometry: block,
  quantity,
  finish: '阳极氧化 黑色',
  resource: { hourlyRateFen: 12_000, setupFeeFen: 30_000 },
  tables,
})

const amounts = (q: Quote) => Object.fromEntries(q.breakdown.map((l) => [l.key, l.amountFen]))
const lineOf = (q: Quote, key: PriceLine['key']) => q.breakdown.find((l) => l.key === key)
const sum = (q: Quote) => q.breakdown.reduce((s, l) => s + l.amountFen, 0)

describe('worked examples', () => {
  test('an aluminium block on a 3-axis mill, 10 pieces, anodised', () => {
    // Stock (40+10)·(30+10)·(20+10) = 60,000 mm³ · 2.7e-6 kg/mm³ = 0.162 kg · 2,800 fen/kg
    //   = 453.6 → 454 fen material per part.
    // Removal 60,000 − 24,000 = 36,000 mm³ / 2,000 mm³/min = 18 min; finishing 5,200 mm² /
    //   400 mm²/min = 13 min; 31 min = 0.51667 h · 12,000 fen/h = 6,200 fen machine time.
    // 阳极氧化 matched in "阳极氧化 黑色": 0.52 dm² · 200 = 104 fen.
    // Variable 454 + 6,200 + 104 = 6,758 per part; fee 8 % = 540.64 → 541; unit 7,299.
    // Setup 30,000 + 8 % = 32,400. Total 7,299 · 10 + 32,400 = 105,390.
    const q = priceQuote(millingJob(10))
    expect(q).toMatchObject({
      quantity: 10,
      unitPriceFen: 7299,
      setupFen: 32_400,
      totalFen: 105_390,
      samplePriceFen: 7299 + 32_400,
      machineHours: 5.1667,
      sampleLeadDays: 2 + 1,
      batchLeadDays: 2 + 1,
      notes: [],
    })
    expect(amounts(q)).toEqual({
      material: 4540,
      machine_time: 62_000,
      finish: 1040,
      setup: 30_000,
      platform_fee: 541 * 10 + 2400,
    })
    expect(lineOf(q, 'material')!.detail).toEqual({
      perPartFen: 454,
      kgPerPart: 0.162,
      fenPerKg: 2800,
      stockMm3: 60_000,
    })
    expect(lineOf(q, 'machine_time')!.detail).toMatchObject({
      perPartFen: 6200,
      hoursPerPart: 0.5167,
    })
    expect(lineOf(q, 'finish')!.detail).toEqual({
      perPartFen: 104,
      dm2PerPart: 0.52,
      fenPerDm2: 200,
    })
    expect(lineOf(q, 'setup')).toMatchObject({ label_zh: '开机调试费', label_en: 'Setup' })
    expect(sum(q)).toBe(q.totalFen)
  })

  test('the same block at 100 pieces gets the full 5 % break', () => {
    // 5 % of 6,758 = 337.9 → 338; net 6,420; fee 513.6 → 514; unit 6,934.
    const q = priceQuote(millingJob(100))
    expect(q.unitPriceFen).toBe(6934)
    expect(q.totalFen).toBe(6934 * 100 + 32_400)
    expect(lineOf(q, 'quantity_discount')).toMatchObject({
      amountFen: -338 * 100,
      detail: { bps: 500, perPartFen: -338, fullPerPartFen: -338, capped: 0 },
    })
    expect(q.samplePriceFen).toBe(7299 + 32_400)
    expect(sum(q)).toBe(q.totalFen)
  })

  test('at the 50 break the discount steps in without any total falling', () => {
    // 49 parts: 49 · 7,299 = 357,651. The full discount at 50 would give 50 · 6,934 = 346,700,
    // less than 49 parts, so the unit price may only drop to ⌈357,651 / 50⌉ = 7,154 (net
    // 6,624: 6,624 + 530 = 7,154); at 51 to ⌈50 · 7,154 / 51⌉ = 7,014 (net 6,494); at 52
    // the full 6,934 already keeps 52 · 6,934 = 360,568 above 51 · 7,014 = 357,714.
    const units = [49, 50, 51, 52, 53].map((n) => priceQuote(millingJob(n)).unitPriceFen)
    expect(units).toEqual([7299, 7154, 7014, 6934, 6934])
    const at50 = priceQuote(millingJob(50))
    expect(lineOf(at50, 'quantity_discount')!.detail).toEqual({
      bps: 500,
      perPartFen: 6624 - 6758,
      fullPerPartFen: -338,
      capped: 1,
    })
    expect(at50.notes.map((n) => n.code)).toEqual(['quantity_discount_capped'])
    expect(sum(at50)).toBe(at50.totalFen)
  })

  test('an SLA part is priced from volume, supports and height', () => {
    // Resin 1.15 g/cm³, ¥400/kg. Material 10,000 mm³ · 1.1 · 1.15e-6 = 0.01265 kg · 40,000
    //   = 506 fen. Hours 10,000 / 50,000 = 0.2 h + 20 mm / 0.1 mm = 200 layers · 9 s = 0.5 h;
    //   0.7 h · 8,000 fen/h = 5,600 fen. Variable 6,106; fee 488.48 → 488; unit 6,594.
    //   Setup 5,000 + 400. Sample: 6,594 + 5,400 = 11,994.
    const input: PricingInput = {
      process: 'sla',
      material: { code: 'resin_std', densityGCm3: 1.15, priceFenPerKg: 40_000 },
      geometry: { kind: 'mesh', volumeMm3: 10_000, surfaceAreaMm2: 6000, bboxMm: [40, 25, 20] },
      quantity: 3,
      resource: { hourlyRateFen: 8000, setupFeeFen: 5000 },
      tables,
    }
    const q = priceQuote(input)
    expect(q).toMatchObject({
      unitPriceFen: 6594,
      setupFen: 5400,
      totalFen: 3 * 6594 + 5400,
      samplePriceFen: 11_994,
      machineHours: 2.1,
      sampleLeadDays: 2,
      batchLeadDays: 2,
    })
    expect(amounts(q)).toEqual({
      material: 506 * 3,
      machine_time: 5600 * 3,
      setup: 5000,
      platform_fee: 488 * 3 + 400,
    })
    expect(lineOf(q, 'material')!.detail).toMatchObject({ kgPerPart: 0.01265, supportFactor: 0.1 })
    expect(priceQuote({ ...input, quantity: 1 }).totalFen).toBe(11_994)
  })

  test('a laser-cut 2 mm stainless plate, 200 pieces, bead-blasted', () => {
    // 200 × 100 mm extents / 0.8 use = 25,000 mm² · 2 mm = 50,000 mm³ · 7.93e-6 = 0.3965 kg ·
    //   2,500 = 991.25 → 991 fen. Cut 900 mm at 10,000 mm/min (the 2 mm row) = 0.0015 h, plus
    //   7 pierces · 1 s = 0.00194 h; 0.00344 h · 15,000 = 51.7 → 52 fen. 喷砂 on both faces:
    //   4 dm² · 100 = 400 fen. Variable 1,443.
    // 5 % (from 50): net 1,443 − 72 = 1,371, unit 1,371 + 110 = 1,481 (reached at 52).
    // 10 % at 200 would be net 1,299, unit 1,403: 200 · 1,403 = 280,600 < 199 · 1,481 =
    //   294,719. So at 200 the unit may drop by ⌊1,481/200⌋ = 7 only: 1,474 (net 1,365,
    //   fee 109.2 → 109), total 294,800 ≥ 294,719.
    const plate = {
      kind: 'sheet' as const,
      extentsMm: [200, 100] as [number, number],
      cutLengthMm: 900,
      pierces: 7,
      thicknessMm: 2,
    }
    const input: PricingInput = {
      process: 'laser_cutting',
      material: ss304,
      geometry: plate,
      quantity: 200,
      finish: '喷砂',
      resource: { hourlyRateFen: 15_000, setupFeeFen: 10_000 },
      tables,
    }
    const q = priceQuote(input)
    expect(q.unitPriceFen).toBe(1474)
    expect(q.setupFen).toBe(10_800)
    expect(q.totalFen).toBe(1474 * 200 + 10_800)
    expect(amounts(q)).toEqual({
      material: 991 * 200,
      machine_time: 52 * 200,
      finish: 400 * 200,
      quantity_discount: (1365 - 1443) * 200,
      setup: 10_000,
      platform_fee: 109 * 200 + 800,
    })
    expect(lineOf(q, 'material')!.detail).toEqual({
      perPartFen: 991,
      kgPerPart: 0.3965,
      fenPerKg: 2500,
      sheetMm2: 25_000,
    })
    expect(priceQuote({ ...input, quantity: 199 }).totalFen).toBe(199 * 1481 + 10_800)
    // By 300 the full 10 % applies: unit 1,403.
    const at300 = priceQuote({ ...input, quantity: 300 })
    expect(at300.unitPriceFen).toBe(1403)
    expect(lineOf(at300, 'quantity_discount')!.detail).toMatchObject({
      perPartFen: -144,
      capped: 0,
    })
    // 2.5 mm is cut at the 3 mm row's 6,000 mm/min: 0.0025 h + 0.00194 h → 67 fen.
    const thicker = priceQuote({ ...input, geometry: { ...plate, thicknessMm: 2.5 } })
    expect(lineOf(thicker, 'machine_time')!.detail!.perPartFen).toBe(67)
  })

  test('an injection-moulded part pays the mould once and the cycle per part', () => {
    // ABS 15,000 mm³ · 1.1 (runner) · 1.05e-6 = 0.017325 kg · 2,000 = 34.65 → 35 fen.
    // 36 s cycle / 2 cavities = 18 s = 0.005 h · 9,000 = 45 fen. Variable 80, unit 80 + 6 = 86.
    // One-off: setup 20,000 + mould 2,000,000 = 2,020,000, + 8 % = 2,181,600.
    const input: PricingInput = {
      process: 'injection_molding',
      material: { code: 'abs', densityGCm3: 1.05, priceFenPerKg: 2000 },
      geometry: { kind: 'mesh', volumeMm3: 15_000, surfaceAreaMm2: 9000, bboxMm: [80, 50, 20] },
      quantity: 1,
      resource: { hourlyRateFen: 9000, setupFeeFen: 20_000 },
      tables,
    }
    const sample = priceQuote(input)
    expect(sample).toMatchObject({
      unitPriceFen: 86,
      setupFen: 2_181_600,
      totalFen: 86 + 2_181_600,
      samplePriceFen: 86 + 2_181_600,
      // 2 handling + 20 mould + 1 machine day
      sampleLeadDays: 23,
    })
    expect(lineOf(sample, 'tooling')).toMatchObject({ amountFen: 2_000_000, label_zh: '模具费' })

    // 5,000 pieces: 25 machine hours → 4 days. The 5 % break at 50 steps in (net 79, 78, 77,
    // then 76 at 53: unit 82). At 200 (10 %) and 1,000 (15 %) a 1-fen step down would need a
    // unit price ≥ the quantity (82 < 200): 82 · 200 − 1·200 < 82 · 199. So the unit price stays
    // 82 and the note says the discount was reduced.
    const batch = priceQuote({ ...input, quantity: 5000 })
    expect(batch).toMatchObject({
      unitPriceFen: 82,
      totalFen: 82 * 5000 + 2_181_600,
      samplePriceFen: 86 + 2_181_600,
      machineHours: 25,
      batchLeadDays: 2 + 20 + 4,
    })
    expect(lineOf(batch, 'quantity_discount')).toMatchObject({
      amountFen: -4 * 5000,
      detail: { bps: 1500, perPartFen: -4, fullPerPartFen: -12, capped: 1 },
    })
    expect(batch.notes.map((n) => n.code)).toEqual(['quantity_discount_capped'])
    expect(sum(batch)).toBe(batch.totalFen)
  })

  test('a robot polishing job is machine time only (the customer supplies the parts)', () => {
    // (4 min + 2.5 dm² · 5 min) = 16.5 min = 0.275 h · 12,000 = 3,300 fen per part.
    // 100 pieces: 5 % = 165 → net 3,135, fee 250.8 → 251, unit 3,386.
    const input: PricingInput = {
      process: 'polishing',
      material: ss304,
      geometry: { kind: 'mesh', volumeMm3: 50_000, surfaceAreaMm2: 25_000, bboxMm: [120, 80, 30] },
      quantity: 100,
      resource: { hourlyRateFen: 12_000, setupFeeFen: 20_000 },
      tables,
    }
    const q = priceQuote(input)
    expect(q).toMatchObject({
      unitPriceFen: 3386,
      setupFen: 21_600,
      totalFen: 338_600 + 21_600,
      machineHours: 27.5,
      sampleLeadDays: 1 + 1,
      batchLeadDays: 1 + 4,
    })
    expect(amounts(q)).toEqual({
      machine_time: 330_000,
      quantity_discount: -16_500,
      setup: 20_000,
      platform_fee: 25_100 + 1600,
    })
    // A flat part drawn as a DXF works too: both faces of 100 × 50 mm = 1 dm².
    const flat = priceQuote({
      ...input,
      quantity: 1,
      geometry: {
        kind: 'sheet',
        extentsMm: [100, 50],
        cutLengthMm: 300,
        pierces: 1,
        thicknessMm: 1,
      },
    })
    // (4 + 1 · 5) min = 0.15 h · 12,000 = 1,800; + 144 fee.
    expect(flat.unitPriceFen).toBe(1944)
  })
})

describe('finishes', () => {
  const withFinish = (finish: string | undefined, t: PricingTables = tables) =>
    priceQuote({ ...millingJob(1), finish, tables: t })

  test('the longest name wins and each part of the text counts once', () => {
    // 镜面抛光 (600), not 镜面抛光 + 抛光.
    expect(lineOf(withFinish('镜面抛光'), 'finish')!.detail!.fenPerDm2).toBe(600)
    // Two finishes in one text add up: 喷砂 100 + 阳极氧化 200.
    expect(lineOf(withFinish('喷砂 + 阳极氧化'), 'finish')!.detail!.fenPerDm2).toBe(300)
    // Full-width spaces and case do not matter.
    expect(lineOf(withFinish('　阳极氧化　'), 'finish')!.detail!.fenPerDm2).toBe(200)
  })

  test('an unknown finish costs 0 and says so', () => {
    const q = withFinish('珐琅彩绘')
    expect(lineOf(q, 'finish')).toMatchObject({ amountFen: 0, detail: { fenPerDm2: 0 } })
    expect(q.notes).toEqual([
      { code: 'unknown_finish', message: expect.stringContaining('珐琅彩绘') },
    ])
  })

  test('no finish, an empty one or 无 adds no line', () => {
    for (const finish of [undefined, '', '  ', '无', 'none']) {
      const q = withFinish(finish)
      expect(lineOf(q, 'finish'), String(finish)).toBeUndefined()
      expect(q.notes).toEqual([])
    }
  })

  test('the default names match the texts designers type, in Chinese and English', () => {
    const defaults = { ...defaultPricingTables(), processes: tables.processes }
    const rate = (finish: string) =>
      lineOf(withFinish(finish, defaults), 'finish')!.detail!.fenPerDm2
    expect(rate('阳极氧化 黑色')).toBe(200)
    expect(rate('black anodized')).toBe(200)
    expect(rate('Hard anodising')).toBe(400)
    expect(rate('硬质阳极氧化')).toBe(400)
    // The demo job's "打磨 喷白漆": sanding 150 + paint 200.
    expect(rate('打磨 喷白漆')).toBe(350)
    expect(rate('bead blasted')).toBe(100)
    expect(rate('mirror polished')).toBe(600)
  })

  test('a table edited in place is read afresh', () => {
    const t: PricingTables = { ...tables, finishSurchargeFenPerDm2: { 喷砂: 100 } }
    expect(lineOf(withFinish('拉丝', t), 'finish')!.detail!.fenPerDm2).toBe(0)
    t.finishSurchargeFenPerDm2['拉丝'] = 150
    expect(lineOf(withFinish('拉丝', t), 'finish')!.detail!.fenPerDm2).toBe(150)
    t.finishSurchargeFenPerDm2['拉丝'] = 180
    expect(lineOf(withFinish('拉丝', t), 'finish')!.detail!.fenPerDm2).toBe(180)
  })
})

describe('bad input', () => {
  const error = (input: PricingInput): PricingError => {
    try {
      priceQuote(input)
    } catch (e) {
      expect(e).toBeInstanceOf(PricingError)
      return e as PricingError
    }
    throw new Error('priceQuote did not throw')
  }

  test('quantity must be a whole number from 1', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN, Infinity, MAX_QUANTITY + 1]) {
      const e = error(millingJob(quantity))
      expect(e.code, String(quantity)).toBe('invalid_input')
      expect(e.field).toBe('quantity')
    }
  })

  test('non-finite geometry and negative rates are refused', () => {
    const base = millingJob(1)
    const cases: PricingInput[] = [
      { ...base, geometry: { ...block, volumeMm3: Number.NaN } },
      { ...base, geometry: { ...block, surfaceAreaMm2: -1 } },
      { ...base, geometry: { ...block, bboxMm: [40, Infinity, 20] } },
      { ...base, resource: { hourlyRateFen: -100, setupFeeFen: 0 } },
      { ...base, resource: { hourlyRateFen: 100, setupFeeFen: -1 } },
      { ...base, resource: { hourlyRateFen: 100.5, setupFeeFen: 0 } },
      { ...base, material: { ...al6061, densityGCm3: 0 } },
      { ...base, material: { ...al6061, priceFenPerKg: -2800 } },
      { ...base, process: 'welding' },
      { ...base, process: 'toString' },
      {
        ...base,
        tables: {
          ...tables,
          processes: {
            cnc_milling_3axis: { family: 'subtractive', removalRateMm3PerMin: -2000 },
          },
        },
      },
      { ...base, tables: { ...tables, platformFeeBps: -1 } },
      // From JSON: missing or mistyped parts are bad input, not TypeErrors.
      { ...base, geometry: null as unknown as PricingInput['geometry'] },
      {
        ...base,
        tables: { ...tables, processes: undefined as unknown as PricingTables['processes'] },
      },
      { ...base, finish: 42 as unknown as string },
      { ...base, tables: { ...tables, quantityBreaks: [[0, 500]] } },
      { ...base, tables: { ...tables, quantityBreaks: [[50, 20_000]] } },
    ]
    for (const input of cases) {
      expect(
        error(input).code,
        JSON.stringify(input, (_k, v: unknown) => (v === tables ? '…' : v)),
      ).toBe('invalid_input')
    }
  })

  test('geometry the process cannot make is unsupported', () => {
    const sheet = {
      kind: 'sheet' as const,
      extentsMm: [200, 100] as [number, number],
      cutLengthMm: 900,
      pierces: 7,
      thicknessMm: 2,
    }
    const laser = { ...millingJob(1), process: 'laser_cutting', material: ss304 }
    expect(error({ ...laser, geometry: block }).code).toBe('unsupported_geometry')
    expect(error({ ...laser, geometry: { ...sheet, thicknessMm: 4 } }).code).toBe(
      'unsupported_geometry',
    )
    expect(error({ ...millingJob(1), geometry: sheet }).code).toBe('unsupported_geometry')
    expect(error({ ...millingJob(1), process: 'sla', geometry: sheet }).code).toBe(
      'unsupported_geometry',
    )
    // A sheet without a thickness is bad input, not a missing capability.
    expect(error({ ...laser, geometry: { ...sheet, thicknessMm: 0 } }).code).toBe('invalid_input')
  })

  test('the error is a domain error the routes map to 422', () => {
    const e = error(millingJob(0))
    expect(e.kind).toBe('invalid')
    expect(e.name).toBe('PricingError')
    expect(e.message).toMatch(/quantity/)
  })
})

describe('default tables', () => {
  const defaults = defaultPricingTables()

  test('cover every process with its family', () => {
    for (const p of processes) {
      expect(defaults.processes[p.code]?.family, p.code).toBe(p.family)
    }
    expect(Object.keys(defaults.processes).sort()).toEqual(processes.map((p) => p.code).sort())
  })

  test('price a typical part on every process at a plausible Zhongshan price', () => {
    // Per-part prices (yuan, platform fee included) a buyer would recognise.
    const plausible: Record<string, [number, number]> = {
      cnc_milling_3axis: [20, 80],
      cnc_milling_5axis: [20, 120],
      cnc_turning: [10, 80],
      fdm: [5, 60],
      sla: [10, 80],
      sls: [10, 80],
      mjf: [10, 80],
      slm: [200, 1500],
      laser_cutting: [5, 40],
      sheet_metal: [5, 60],
      injection_molding: [0.2, 5],
      polishing: [5, 40],
      textile_cutting: [0.2, 5],
    }
    const hourly: Record<string, number> = {
      cnc_milling_3axis: 10_000,
      cnc_milling_5axis: 20_000,
      cnc_turning: 9000,
      fdm: 3000,
      sla: 7000,
      sls: 12_000,
      mjf: 13_000,
      slm: 45_000,
      laser_cutting: 15_000,
      sheet_metal: 12_000,
      injection_molding: 9000,
      polishing: 10_000,
      textile_cutting: 6000,
    }
    for (const p of processes) {
      const isSheet = p.family === 'sheet'
      const q = priceQuote({
        process: p.code,
        material: isSheet
          ? ss304
          : p.family === 'subtractive'
            ? al6061
            : { code: 'x', densityGCm3: 1.1, priceFenPerKg: 30_000 },
        geometry: isSheet
          ? { kind: 'sheet', extentsMm: [200, 100], cutLengthMm: 900, pierces: 7, thicknessMm: 2 }
          : p.family === 'additive' || p.family === 'moulding'
            ? { kind: 'mesh', volumeMm3: 10_000, surfaceAreaMm2: 6000, bboxMm: [40, 25, 20] }
            : block,
        quantity: 1,
        resource: { hourlyRateFen: hourly[p.code]!, setupFeeFen: 20_000 },
        tables: defaults,
      })
      const yuan = q.unitPriceFen / 100
      const [low, high] = plausible[p.code]!
      expect(yuan, p.code).toBeGreaterThanOrEqual(low)
      expect(yuan, p.code).toBeLessThanOrEqual(high)
      expect(q.sampleLeadDays, p.code).toBeGreaterThanOrEqual(1)
    }
  })

  test('are a fresh object each time (callers may edit them)', () => {
    const a = defaultPricingTables()
    a.processes.fdm!.buildRateMm3PerHour = 1
    expect(defaultPricingTables().processes.fdm!.buildRateMm3PerHour).toBe(15_000)
  })
})
