// Pricing (DESIGN §6, issue 6): the tables are data an operator edits, `priceQuote` is a pure
// function of one part, one resource and the tables. No clock, no randomness, no I/O: the same
// input always gives the same quote, so matching can call it for every candidate.
//
// Money. Fen in (integers), fen out (integers). Each breakdown line is computed in floating
// point and rounded once, half-up (Math.round), as a *per-part* amount; a variable line of the
// batch is that per-part amount × quantity, so the quote holds exactly
//
//   totalFen = unitPriceFen × quantity + setupFen = Σ breakdown[].amountFen
//
//   unitPriceFen  what one part of the batch costs: material + machine time + finish − quantity
//                 discount, plus the platform fee on that net amount.
//   setupFen      the one-off charges of the batch: the resource's setup fee, the mould
//                 (moulding), plus the platform fee on them. Not amortised into the unit price,
//                 so an order reads "unit × quantity + one-off" with nothing hidden.
//   samplePriceFen the quote for quantity 1 (a sample pays the setup and, moulding, the mould).
//
// Per-part variable cost by family (ρ in g/cm³ is ρ·10⁻⁶ kg/mm³):
//   additive     material = V·(1 + support)·ρ·price/kg
//                hours    = V / buildRate + (bbox z / layerHeight)·secondsPerLayer / 3600
//   subtractive  stock    = Π(bbox + 2·margin);  material = stock·ρ·price/kg
//                hours    = (stock − V) / removalRate / 60 + surface / finishingRate / 60
//   sheet        sheet    = extent x·extent y / utilisation;  material = sheet·t·ρ·price/kg
//                hours    = cutLength / speed(t) / 60 + pierces·secondsPerPierce / 3600,
//                speed(t) = the row with the smallest max thickness ≥ t (thicker: unsupported)
//   moulding     material = V·(1 + support (runner, sprue))·ρ·price/kg
//                hours    = cycleSeconds / cavities / 3600;  the mould (toolingFen) is one-off
//   hourly       no material (来料加工: the customer supplies the parts or fabric)
//                hours    = (minutesPerPart + surface dm²·minutesPerDm2) / 60
//   machine time = hours·resource.hourlyRateFen; finish = surface dm²·Σ matched surcharges
//   (surface: the mesh's surface area, or both faces of the sheet's extents).
//
// Quantity breaks discount the variable cost (material + machine time + finish): the discount
// at quantity q is the largest one of the breaks whose minimum ≤ q. A plain break makes the
// 50th part cheaper than the 49th in total (49 × 100 > 50 × 95), so the discount is capped:
// the net per part N(q) is the lowest integer, never below the break's full discount, for which
//   unit(q) ≤ unit(q − 1)   and   q·unit(q) ≥ (q − 1)·unit(q − 1)
// (unit = N + platform fee on N). Above a break the unit price therefore steps down over a few
// quantities until it reaches the break's full discount; totals never fall. A step of one fen
// at quantity x needs unit ≥ x, so parts whose unit price in fen is below about the break
// quantity (¥0.50 at 50, ¥2 at 200, ¥10 at 1,000) keep only part of that break's discount, or
// none: whole-fen unit prices with total = unit × quantity + setup cannot do better (a finer
// unit, 厘, could). The `quantity_discount_capped` note and the line's detail say so.
//
// Lead time: the resource works HOURS_PER_DAY machine hours a day. sampleLeadDays =
// handling + mould days + ⌈hours of one part / 8⌉, batchLeadDays = handling + mould days +
// ⌈machineHours / 8⌉, both counted from the go-ahead (payment).
import { DomainError } from './errors.ts'
import type { ProcessCode, ProcessFamily } from './processes.ts'

/** Machine hours a resource is assumed to work per day for the lead-time estimates. */
export const HOURS_PER_DAY = 8
/** The largest batch priced; the job form accepts the same (PartQuantitySchema). */
export const MAX_QUANTITY = 10_000_000

/** Per process code: how fast material goes and what the machine needs. */
export interface ProcessPricing {
  family: ProcessFamily
  /** subtractive: stock removed per minute. */
  removalRateMm3PerMin?: number
  /** subtractive: finishing passes over the part's surface; absent: no finishing time. */
  finishingRateMm2PerMin?: number
  /** subtractive: stock = bbox + 2 × margin per axis (default 0). */
  stockMarginMm?: number
  /** additive: volume built per hour. */
  buildRateMm3PerHour?: number
  /** additive: with secondsPerLayer, hours grow with the part's height (bbox z). */
  layerHeightMm?: number
  secondsPerLayer?: number
  /** additive: extra material share for supports and powder refresh; moulding: runner and
   * sprue. Default 0. */
  supportFactor?: number
  /** sheet: [max thickness mm, cut speed mm/min] rows; a thicker sheet cannot be cut. */
  cutSpeedMmPerMinByThickness?: [number, number][]
  /** sheet: seconds per pierce (default 0). */
  secondsPerPierce?: number
  /** sheet: share of the bought sheet the part uses, 0 < u ≤ 1 (default 1). */
  sheetUtilisation?: number
  /** moulding: the mould, charged once per batch (and for a sample). */
  toolingFen?: number
  /** moulding: one shot of the machine. */
  cycleSeconds?: number
  /** moulding: parts per shot (default 1). */
  cavities?: number
  /** hourly: minutes per part. */
  minutesPerPart?: number
  /** hourly: extra minutes per dm² of surface (polishing scales with area; default 0). */
  minutesPerDm2?: number
  /** Days for receiving, inspection, packing and dispatch (default 1). */
  handlingDays?: number
  /** Days to make the tooling before the first part (default 0). */
  toolingDays?: number
}

export interface PricingTables {
  /** Platform fee on the subtotal, basis points (800 = 8 %). */
  platformFeeBps: number
  processes: Record<string, ProcessPricing>
  /** Finish name → fen per dm² of surface. A job's free-text finish is matched by the names
   * it contains (longest first, case- and width-insensitive, z = s); unknown → 0 with a note. */
  finishSurchargeFenPerDm2: Record<string, number>
  /** [min quantity, discount bps on the variable cost]. */
  quantityBreaks: [number, number][]
}

export type PricingGeometry =
  | { kind: 'mesh'; volumeMm3: number; surfaceAreaMm2: number; bboxMm: [number, number, number] }
  | {
      kind: 'sheet'
      extentsMm: [number, number]
      cutLengthMm: number
      pierces: number
      thicknessMm: number
    }

export interface PricingInput {
  process: string
  material: { code: string; densityGCm3: number; priceFenPerKg: number }
  geometry: PricingGeometry
  /** Integer, 1 … MAX_QUANTITY. */
  quantity: number
  finish?: string
  resource: { hourlyRateFen: number; setupFeeFen: number }
  tables: PricingTables
}

export type PriceLineKey =
  | 'material'
  | 'machine_time'
  | 'finish'
  | 'quantity_discount'
  | 'setup'
  | 'tooling'
  | 'platform_fee'

export interface PriceLine {
  /** Stable machine code. */
  key: PriceLineKey
  label_zh: string
  label_en: string
  /** For the whole batch; negative for the discount. */
  amountFen: number
  /** The figures behind the amount (perPartFen, kgPerPart, hoursPerPart, bps…). */
  detail?: Record<string, number>
}

/** Something the buyer or workshop should know about a quote; the app translates by code. */
export interface PricingNote {
  code: 'unknown_finish' | 'quantity_discount_capped'
  message: string
}

export interface Quote {
  quantity: number
  /** Per part, platform fee included, one-off charges excluded. */
  unitPriceFen: number
  /** One-off charges of the batch (setup, mould) with their platform fee. */
  setupFen: number
  /** unitPriceFen × quantity + setupFen, and Σ breakdown. */
  totalFen: number
  /** The total of the same quote for quantity 1. */
  samplePriceFen: number
  /** Resource hours for the whole batch. */
  machineHours: number
  sampleLeadDays: number
  batchLeadDays: number
  breakdown: PriceLine[]
  notes: PricingNote[]
}

export type PricingErrorCode = 'invalid_input' | 'unsupported_geometry'

/** Input that cannot be priced: bad numbers or tables, or geometry the process cannot make. */
export class PricingError extends DomainError {
  readonly kind = 'invalid'
  constructor(
    readonly code: PricingErrorCode,
    message: string,
    options: { field?: string } = {},
  ) {
    super(message, options)
  }
}

const LABELS: Record<PriceLineKey, { label_zh: string; label_en: string }> = {
  material: { label_zh: '材料费', label_en: 'Material' },
  machine_time: { label_zh: '机时费', label_en: 'Machine time' },
  finish: { label_zh: '表面处理费', label_en: 'Finish' },
  quantity_discount: { label_zh: '数量折扣', label_en: 'Quantity discount' },
  setup: { label_zh: '开机调试费', label_en: 'Setup' },
  tooling: { label_zh: '模具费', label_en: 'Tooling (mould)' },
  platform_fee: { label_zh: '平台服务费', label_en: 'Platform fee' },
}

function line(key: PriceLineKey, amountFen: number, detail?: Record<string, number>): PriceLine {
  const labels = LABELS[key]
  return detail
    ? { key, label_zh: labels.label_zh, label_en: labels.label_en, amountFen, detail }
    : { key, label_zh: labels.label_zh, label_en: labels.label_en, amountFen }
}

/** Figures in `detail` are for people: four decimals (hours, dm², mm³), six for kg (mg). */
const r4 = (x: number) => Math.round(x * 1e4) / 1e4
const r6 = (x: number) => Math.round(x * 1e6) / 1e6

const isRecord = (value: unknown): value is object => typeof value === 'object' && value !== null

function invalid(message: string, field?: string): never {
  throw new PricingError('invalid_input', message, field ? { field } : {})
}

interface Bounds {
  /** Smallest allowed value (inclusive unless `above`). Default 0. */
  min?: number
  above?: boolean
  max?: number
  integer?: boolean
}

function check(value: unknown, field: string, bounds: Bounds = {}): number {
  const { min = 0, above = false, max, integer = false } = bounds
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return invalid(`${field} must be a finite number`, field)
  }
  if (integer && !Number.isSafeInteger(value)) invalid(`${field} must be an integer`, field)
  if (above ? value <= min : value < min) {
    invalid(`${field} must be ${above ? 'greater than' : 'at least'} ${min}`, field)
  }
  if (max !== undefined && value > max) invalid(`${field} must be at most ${max}`, field)
  return value
}

function optional(value: number | undefined, field: string, fallback: number, bounds?: Bounds) {
  return value === undefined ? fallback : check(value, field, bounds)
}

function required(value: number | undefined, field: string, bounds?: Bounds): number {
  if (value === undefined) invalid(`${field} is missing from the pricing tables`, field)
  return check(value, field, bounds)
}

// ---------------------------------------------------------------------------------------------
// Per-part cost of one family

interface PartCost {
  /** null: no material line (hourly services work on the customer's material). */
  materialFen: number | null
  materialDetail: Record<string, number>
  hours: number
  toolingFen: number
}

const KG_PER_MM3_PER_G_CM3 = 1e-6

function unsupported(message: string): never {
  throw new PricingError('unsupported_geometry', message, { field: 'geometry' })
}

function surfaceDm2(geometry: PricingGeometry): number {
  return geometry.kind === 'mesh'
    ? geometry.surfaceAreaMm2 / 1e4
    : (2 * geometry.extentsMm[0] * geometry.extentsMm[1]) / 1e4
}

function validateGeometry(geometry: PricingGeometry): void {
  if (geometry.kind === 'mesh') {
    check(geometry.volumeMm3, 'geometry.volumeMm3')
    check(geometry.surfaceAreaMm2, 'geometry.surfaceAreaMm2')
    if (!Array.isArray(geometry.bboxMm) || geometry.bboxMm.length !== 3) {
      invalid('geometry.bboxMm must hold three extents', 'geometry.bboxMm')
    }
    for (const v of geometry.bboxMm) check(v, 'geometry.bboxMm')
  } else if (geometry.kind === 'sheet') {
    if (!Array.isArray(geometry.extentsMm) || geometry.extentsMm.length !== 2) {
      invalid('geometry.extentsMm must hold two extents', 'geometry.extentsMm')
    }
    for (const v of geometry.extentsMm) check(v, 'geometry.extentsMm')
    check(geometry.cutLengthMm, 'geometry.cutLengthMm')
    check(geometry.pierces, 'geometry.pierces', { integer: true })
    check(geometry.thicknessMm, 'geometry.thicknessMm', { above: true })
  } else {
    invalid('geometry.kind must be mesh or sheet', 'geometry')
  }
}

function materialKg(volumeMm3: number, densityGCm3: number): number {
  return volumeMm3 * densityGCm3 * KG_PER_MM3_PER_G_CM3
}

function partCost(
  code: string,
  p: ProcessPricing,
  input: PricingInput,
  fenPerKg: number,
  density: number,
): PartCost {
  const g = input.geometry
  const f = `tables.processes.${code}`
  switch (p.family) {
    case 'additive': {
      if (g.kind !== 'mesh') return unsupported(`${code} prints solids: a mesh is needed`)
      const buildRate = required(p.buildRateMm3PerHour, `${f}.buildRateMm3PerHour`, {
        above: true,
      })
      const support = optional(p.supportFactor, `${f}.supportFactor`, 0)
      const layer = optional(p.layerHeightMm, `${f}.layerHeightMm`, 0, { above: true })
      const perLayer = optional(p.secondsPerLayer, `${f}.secondsPerLayer`, 0)
      if (perLayer > 0 && layer === 0) invalid(`${f}.layerHeightMm is missing`, f)
      const kg = materialKg(g.volumeMm3 * (1 + support), density)
      const layers = layer > 0 ? g.bboxMm[2] / layer : 0
      return {
        materialFen: kg * fenPerKg,
        materialDetail: { kgPerPart: r6(kg), fenPerKg, supportFactor: support },
        hours: g.volumeMm3 / buildRate + (layers * perLayer) / 3600,
        toolingFen: 0,
      }
    }
    case 'subtractive': {
      if (g.kind !== 'mesh') return unsupported(`${code} machines solids: a mesh is needed`)
      const removal = required(p.removalRateMm3PerMin, `${f}.removalRateMm3PerMin`, {
        above: true,
      })
      const finishing = optional(p.finishingRateMm2PerMin, `${f}.finishingRateMm2PerMin`, 0, {
        above: true,
      })
      const margin = optional(p.stockMarginMm, `${f}.stockMarginMm`, 0)
      const [x, y, z] = g.bboxMm
      const stock = (x + 2 * margin) * (y + 2 * margin) * (z + 2 * margin)
      const kg = materialKg(stock, density)
      const removed = Math.max(0, stock - g.volumeMm3)
      const finishingMin = finishing > 0 ? g.surfaceAreaMm2 / finishing : 0
      return {
        materialFen: kg * fenPerKg,
        materialDetail: { kgPerPart: r6(kg), fenPerKg, stockMm3: r4(stock) },
        hours: (removed / removal + finishingMin) / 60,
        toolingFen: 0,
      }
    }
    case 'sheet': {
      if (g.kind !== 'sheet') {
        return unsupported(`${code} cuts sheets: a 2D drawing (DXF) with a thickness is needed`)
      }
      const speeds = p.cutSpeedMmPerMinByThickness
      if (!Array.isArray(speeds) || speeds.length === 0) {
        invalid(`${f}.cutSpeedMmPerMinByThickness is missing from the pricing tables`, f)
      }
      let speed = 0
      let best = Infinity
      for (const row of speeds) {
        if (!Array.isArray(row)) invalid(`${f}.cutSpeedMmPerMinByThickness rows are pairs`, f)
        const max = check(row[0], `${f}.cutSpeedMmPerMinByThickness`, { above: true })
        const v = check(row[1], `${f}.cutSpeedMmPerMinByThickness`, { above: true })
        // The thinnest row that still covers the sheet, whatever the table's order.
        if (max >= g.thicknessMm && max < best) {
          best = max
          speed = v
        }
      }
      if (speed === 0) return unsupported(`${code} does not cut ${g.thicknessMm} mm sheet`)
      const perPierce = optional(p.secondsPerPierce, `${f}.secondsPerPierce`, 0)
      const use = optional(p.sheetUtilisation, `${f}.sheetUtilisation`, 1, { above: true, max: 1 })
      const sheet = (g.extentsMm[0] * g.extentsMm[1]) / use
      const kg = materialKg(sheet * g.thicknessMm, density)
      return {
        materialFen: kg * fenPerKg,
        materialDetail: { kgPerPart: r6(kg), fenPerKg, sheetMm2: r4(sheet) },
        hours: g.cutLengthMm / speed / 60 + (g.pierces * perPierce) / 3600,
        toolingFen: 0,
      }
    }
    case 'moulding': {
      if (g.kind !== 'mesh') return unsupported(`${code} moulds solids: a mesh is needed`)
      const cycle = required(p.cycleSeconds, `${f}.cycleSeconds`, { above: true })
      const cavities = optional(p.cavities, `${f}.cavities`, 1, { min: 1, integer: true })
      const tooling = optional(p.toolingFen, `${f}.toolingFen`, 0, { integer: true })
      const runner = optional(p.supportFactor, `${f}.supportFactor`, 0)
      const kg = materialKg(g.volumeMm3 * (1 + runner), density)
      return {
        materialFen: kg * fenPerKg,
        materialDetail: { kgPerPart: r6(kg), fenPerKg, supportFactor: runner },
        hours: cycle / cavities / 3600,
        toolingFen: tooling,
      }
    }
    case 'hourly': {
      const perPart = required(p.minutesPerPart, `${f}.minutesPerPart`)
      const perDm2 = optional(p.minutesPerDm2, `${f}.minutesPerDm2`, 0)
      return {
        materialFen: null,
        materialDetail: {},
        hours: (perPart + surfaceDm2(g) * perDm2) / 60,
        toolingFen: 0,
      }
    }
    default:
      return invalid(`${f}.family is not a process family`, f)
  }
}

// ---------------------------------------------------------------------------------------------
// Finish

const NO_FINISH = new Set(['', '无', '不需要', '无需', 'none', 'no', 'n/a', '-', '/'])

const normaliseFinish = (text: string) =>
  text.normalize('NFKC').toLowerCase().replace(/z/g, 's').replace(/\s+/g, ' ').trim()

interface FinishNames {
  /** Object.keys of the table when the entry was made: the entry is reused only while the
   * table still has exactly these names (tables may be edited in place). */
  names: string[]
  /** Normalised names, longest first. */
  sorted: { name: string; key: string }[]
  /** Finish text → the names it contains (null: no finish). Amounts are read afresh. */
  byText: Map<string, string[] | null>
}

const byLengthThenText = (a: { key: string }, b: { key: string }) =>
  b.key.length - a.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

// Normalising and sorting ~60 names, then searching a text for them, costs more than pricing a
// part, and matching prices one job's finish on many resources: both are remembered per table
// object. The cache changes nothing but speed.
const finishNameCache = new WeakMap<Record<string, number>, FinishNames>()
const FINISH_TEXTS_CACHED = 1000

function finishNames(table: Record<string, number>): FinishNames {
  const names = Object.keys(table)
  const cached = finishNameCache.get(table)
  if (cached && cached.names.length === names.length) {
    let same = true
    for (let i = 0; i < names.length && same; i++) same = names[i] === cached.names[i]
    if (same) return cached
  }
  const sorted: FinishNames['sorted'] = []
  for (const name of names) {
    const key = normaliseFinish(name)
    if (key !== '') sorted.push({ name, key })
  }
  sorted.sort(byLengthThenText)
  const entry = { names, sorted, byText: new Map<string, string[] | null>() }
  finishNameCache.set(table, entry)
  return entry
}

/** The table's names found in `text`, longest first, each piece of text once; null when the
 * text says "no finish". */
function matchFinish(text: string, table: Record<string, number>): string[] | null {
  if (typeof table !== 'object' || table === null) {
    invalid('tables.finishSurchargeFenPerDm2 must be a record', 'tables')
  }
  const entry = finishNames(table)
  const known = entry.byText.get(text)
  if (known !== undefined) return known
  let rest = normaliseFinish(text)
  let matched: string[] | null = null
  if (!NO_FINISH.has(rest)) {
    matched = []
    for (const { name, key } of entry.sorted) {
      if (!rest.includes(key)) continue
      matched.push(name)
      rest = rest.split(key).join('\u0000')
    }
  }
  if (entry.byText.size >= FINISH_TEXTS_CACHED) entry.byText.clear()
  entry.byText.set(text, matched)
  return matched
}

// ---------------------------------------------------------------------------------------------
// Quantity discount, capped so totals never fall

interface Band {
  start: number
  bps: number
}

const byStartThenBps = (a: Band, b: Band) => a.start - b.start || a.bps - b.bps

/** Bands of strictly rising discount from q = 1; the discount at q is the largest of the
 * breaks whose minimum ≤ q. */
function discountBands(breaks: PricingTables['quantityBreaks']): Band[] {
  if (!Array.isArray(breaks)) invalid('tables.quantityBreaks must be a list', 'tables')
  const rows: Band[] = []
  let sorted = true
  for (const row of breaks) {
    if (!Array.isArray(row) || row.length !== 2) {
      invalid('tables.quantityBreaks rows must be [min quantity, bps]', 'tables')
    }
    rows.push({
      start: check(row[0], 'tables.quantityBreaks', { min: 1, integer: true }),
      bps: check(row[1], 'tables.quantityBreaks', { integer: true, max: 10_000 }),
    })
    if (rows.length > 1 && byStartThenBps(rows[rows.length - 2]!, rows[rows.length - 1]!) > 0) {
      sorted = false
    }
  }
  if (!sorted) rows.sort(byStartThenBps)
  const bands: Band[] = [{ start: 1, bps: 0 }]
  for (const row of rows) {
    const last = bands[bands.length - 1]!
    if (row.start <= 1) last.bps = Math.max(last.bps, row.bps)
    else if (row.bps > last.bps) bands.push(row)
  }
  return bands
}

// Module-level helpers, not closures: a closure per call costs more than the arithmetic.
const bpsOf = (amount: number, bps: number) => Math.round((amount * bps) / 10_000)
const unitOf = (net: number, feeBps: number) => net + bpsOf(net, feeBps)

/** Smallest net n with unitOf(n) ≥ target (unitOf is strictly increasing in n). */
function smallestNet(target: number, feeBps: number): number {
  let n = Math.max(0, Math.floor((target * 10_000) / (10_000 + feeBps)))
  while (unitOf(n, feeBps) < target) n++
  while (n > 0 && unitOf(n - 1, feeBps) >= target) n--
  return n
}

/**
 * Net variable cost per part at quantity q (fen). Walks up from q = 1 through the bands: at
 * each quantity past a break the unit price drops by as much as it can without the total
 * falling below the total of one part fewer, until it reaches the band's full discount. The
 * largest step at x is the closed form ceil(U·(x−1)/x) = U − ⌊U/x⌋, so the walk takes about
 * (break × extra discount) steps; once no step is possible (U < x, roughly) none ever is
 * again, so the walk stops there.
 */
function netPerPart(gross: number, q: number, bands: Band[], feeBps: number): number {
  let net = gross - bpsOf(gross, bands[0]!.bps)
  let price = unitOf(net, feeBps)
  for (let k = 1; k < bands.length; k++) {
    const band = bands[k]!
    if (band.start > q) break
    const floor = gross - bpsOf(gross, band.bps)
    const end = Math.min(q, (bands[k + 1]?.start ?? Infinity) - 1)
    for (let x = band.start; x <= end && net > floor; x++) {
      const n = Math.max(floor, smallestNet(price - Math.floor(price / x), feeBps))
      if (n >= net) return net
      net = n
      price = unitOf(n, feeBps)
    }
  }
  return net
}

/** Discount bps of q's band (the largest of the breaks whose minimum ≤ q). */
function bandBps(bands: Band[], q: number): number {
  let bps = 0
  for (const band of bands) if (band.start <= q) bps = band.bps
  return bps
}

const leadDays = (hours: number) => Math.max(0, Math.ceil(hours / HOURS_PER_DAY - 1e-9))

// ---------------------------------------------------------------------------------------------

/** Prices `quantity` parts on one resource, with the breakdown that explains it. */
export function priceQuote(input: PricingInput): Quote {
  // Inputs may come from JSON (the API, stored tables): a missing part is bad input, not a
  // TypeError.
  for (const key of ['material', 'geometry', 'resource', 'tables'] as const) {
    if (!isRecord(input[key])) invalid(`${key} is missing`, key)
  }
  const { tables, resource, material, geometry } = input
  if (!isRecord(tables.processes)) invalid('tables.processes is missing', 'tables')
  if (typeof input.process !== 'string') invalid('process must be a process code', 'process')
  const quantity = check(input.quantity, 'quantity', { min: 1, integer: true, max: MAX_QUANTITY })
  const density = check(material.densityGCm3, 'material.densityGCm3', { above: true })
  const fenPerKg = check(material.priceFenPerKg, 'material.priceFenPerKg', { integer: true })
  const hourlyRate = check(resource.hourlyRateFen, 'resource.hourlyRateFen', { integer: true })
  const setupFee = check(resource.setupFeeFen, 'resource.setupFeeFen', { integer: true })
  const feeBps = check(tables.platformFeeBps, 'tables.platformFeeBps', {
    integer: true,
    max: 10_000,
  })
  validateGeometry(geometry)
  const process = Object.hasOwn(tables.processes, input.process)
    ? tables.processes[input.process]
    : undefined
  if (!process) return invalid(`no pricing for process ${input.process}`, 'process')
  const f = `tables.processes.${input.process}`
  const handlingDays = optional(process.handlingDays, `${f}.handlingDays`, 1, { integer: true })
  const toolingDays = optional(process.toolingDays, `${f}.toolingDays`, 0, { integer: true })

  const cost = partCost(input.process, process, input, fenPerKg, density)
  const notes: PricingNote[] = []
  const breakdown: PriceLine[] = []

  const materialPerPart = cost.materialFen === null ? 0 : Math.round(cost.materialFen)
  const machinePerPart = Math.round(cost.hours * hourlyRate)
  let finishPerPart = 0
  let finishLine: PriceLine | undefined
  if (input.finish !== undefined && input.finish !== null && typeof input.finish !== 'string') {
    invalid('finish must be a text', 'finish')
  }
  const finishes = input.finish ? matchFinish(input.finish, tables.finishSurchargeFenPerDm2) : null
  if (finishes) {
    let fenPerDm2 = 0
    for (const name of finishes) {
      fenPerDm2 += check(tables.finishSurchargeFenPerDm2[name], 'tables.finishSurchargeFenPerDm2', {
        integer: true,
      })
    }
    if (finishes.length === 0) {
      notes.push({
        code: 'unknown_finish',
        message: `no surcharge for the finish "${input.finish!.trim()}": priced at 0, the workshop may adjust`,
      })
    }
    const dm2 = surfaceDm2(geometry)
    finishPerPart = Math.round(dm2 * fenPerDm2)
    finishLine = line('finish', 0, { perPartFen: finishPerPart, dm2PerPart: r4(dm2), fenPerDm2 })
  }
  const gross = materialPerPart + machinePerPart + finishPerPart
  if (!Number.isSafeInteger(gross * quantity)) invalid('the price is out of range', 'quantity')

  const bands = discountBands(tables.quantityBreaks)
  const net = netPerPart(gross, quantity, bands, feeBps)
  const bps = bandBps(bands, quantity)
  const fullNet = gross - bpsOf(gross, bps)
  const unitFee = bpsOf(net, feeBps)
  const unitPriceFen = net + unitFee
  const oneOff = setupFee + cost.toolingFen
  const oneOffFee = bpsOf(oneOff, feeBps)
  const setupFen = oneOff + oneOffFee
  const totalFen = unitPriceFen * quantity + setupFen
  if (!Number.isSafeInteger(totalFen)) invalid('the price is out of range', 'quantity')

  const samplePriceFen = unitOf(netPerPart(gross, 1, bands, feeBps), feeBps) + setupFen

  if (cost.materialFen !== null) {
    breakdown.push(
      line('material', materialPerPart * quantity, {
        perPartFen: materialPerPart,
        ...cost.materialDetail,
      }),
    )
  }
  const machineHours = r4(cost.hours * quantity)
  breakdown.push(
    line('machine_time', machinePerPart * quantity, {
      perPartFen: machinePerPart,
      hoursPerPart: r4(cost.hours),
      hours: machineHours,
      fenPerHour: hourlyRate,
    }),
  )
  if (finishLine) {
    finishLine.amountFen = finishPerPart * quantity
    breakdown.push(finishLine)
  }
  if (bps > 0) {
    const capped = net > fullNet
    if (capped) {
      notes.push({
        code: 'quantity_discount_capped',
        message:
          `the ${bps / 100} % quantity discount is reduced here so that no total is lower ` +
          'than the total for fewer parts',
      })
    }
    breakdown.push(
      line('quantity_discount', (net - gross) * quantity, {
        bps,
        perPartFen: net - gross,
        fullPerPartFen: fullNet - gross,
        capped: capped ? 1 : 0,
      }),
    )
  }
  breakdown.push(line('setup', setupFee))
  if (process.family === 'moulding') {
    breakdown.push(line('tooling', cost.toolingFen, { toolingDays }))
  }
  breakdown.push(
    line('platform_fee', unitFee * quantity + oneOffFee, {
      bps: feeBps,
      perPartFen: unitFee,
      oneOffFen: oneOffFee,
    }),
  )

  return {
    quantity,
    unitPriceFen,
    setupFen,
    totalFen,
    samplePriceFen,
    machineHours,
    sampleLeadDays: handlingDays + toolingDays + leadDays(cost.hours),
    batchLeadDays: handlingDays + toolingDays + leadDays(cost.hours * quantity),
    breakdown,
    notes,
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Starting tables for Zhongshan job shops (2026 yuan); operators tune them. Rates are what a
 * typical machine of the kind achieves averaged over a part, not its peak:
 * - CNC (aluminium-class averages; the hourly rate carries the material's difficulty):
 *   3-axis 2,000 mm³/min removal, 400 mm²/min finishing, 3 mm stock margin; 5-axis 2,500 /
 *   600 / 3; turning 3,000 / 800 / 2. Handling 2 days.
 * - 3D printing, per part (layer time is shared by the parts of a build, hence small):
 *   FDM 15 cm³/h, 0.2 mm layers, 2 s/layer, 15 % support; SLA 60 cm³/h, 0.1 mm, 3 s, 10 %;
 *   SLS 80 cm³/h, 0.1 mm, 1.5 s, 30 % powder refresh; MJF 100 cm³/h, 0.08 mm, 1 s, 20 %;
 *   SLM 20 cm³/h, 0.04 mm, 3 s, 25 %. Handling 1 day (SLM 2).
 * - Fibre laser (~3 kW, steel): 20 m/min up to 1 mm … 0.4 m/min at 25 mm, 1 s per pierce,
 *   80 % sheet use. Sheet metal shops (punch, laser and handling, bends not in a DXF):
 *   8 m/min at 1 mm … 0.4 m/min at 16 mm, 2 s per pierce, 75 % sheet use, 2 days.
 * - Injection moulding: ¥15,000 mould (P20, two cavities), 30 s cycle, 5 % runner,
 *   20 days for the mould, 2 days handling.
 * - Robot polishing 2 min per part + 3 min per dm²; textile cutting 0.5 min per part.
 * - Finishes (fen per dm²): 阳极氧化 200, 硬质阳极 400, 喷砂 100, 拉丝 150, 喷粉 150, 喷漆 200,
 *   电镀/镀镍 300, 镀铬 400, 镀金 3000, 钝化 100, 发黑 80, 抛光 300, 镜面抛光 600 …, with
 *   English names as stems ('anodis' matches anodised and anodizing).
 * - Platform fee 8 %; quantity breaks 5 % from 50, 10 % from 200, 15 % from 1,000.
 */
export function defaultPricingTables(): PricingTables {
  const processes: Record<ProcessCode, ProcessPricing> = {
    cnc_milling_3axis: {
      family: 'subtractive',
      removalRateMm3PerMin: 2000,
      finishingRateMm2PerMin: 400,
      stockMarginMm: 3,
      handlingDays: 2,
    },
    cnc_milling_5axis: {
      family: 'subtractive',
      removalRateMm3PerMin: 2500,
      finishingRateMm2PerMin: 600,
      stockMarginMm: 3,
      handlingDays: 2,
    },
    cnc_turning: {
      family: 'subtractive',
      removalRateMm3PerMin: 3000,
      finishingRateMm2PerMin: 800,
      stockMarginMm: 2,
      handlingDays: 2,
    },
    fdm: {
      family: 'additive',
      buildRateMm3PerHour: 15_000,
      layerHeightMm: 0.2,
      secondsPerLayer: 2,
      supportFactor: 0.15,
      handlingDays: 1,
    },
    sla: {
      family: 'additive',
      buildRateMm3PerHour: 60_000,
      layerHeightMm: 0.1,
      secondsPerLayer: 3,
      supportFactor: 0.1,
      handlingDays: 1,
    },
    sls: {
      family: 'additive',
      buildRateMm3PerHour: 80_000,
      layerHeightMm: 0.1,
      secondsPerLayer: 1.5,
      supportFactor: 0.3,
      handlingDays: 1,
    },
    mjf: {
      family: 'additive',
      buildRateMm3PerHour: 100_000,
      layerHeightMm: 0.08,
      secondsPerLayer: 1,
      supportFactor: 0.2,
      handlingDays: 1,
    },
    slm: {
      family: 'additive',
      buildRateMm3PerHour: 20_000,
      layerHeightMm: 0.04,
      secondsPerLayer: 3,
      supportFactor: 0.25,
      handlingDays: 2,
    },
    laser_cutting: {
      family: 'sheet',
      cutSpeedMmPerMinByThickness: [
        [1, 20_000],
        [2, 10_000],
        [3, 6000],
        [5, 3500],
        [8, 2000],
        [12, 1200],
        [20, 600],
        [25, 400],
      ],
      secondsPerPierce: 1,
      sheetUtilisation: 0.8,
      handlingDays: 1,
    },
    sheet_metal: {
      family: 'sheet',
      cutSpeedMmPerMinByThickness: [
        [1, 8000],
        [2, 5000],
        [3, 3500],
        [4, 2500],
        [6, 1500],
        [10, 800],
        [16, 400],
      ],
      secondsPerPierce: 2,
      sheetUtilisation: 0.75,
      handlingDays: 2,
    },
    injection_molding: {
      family: 'moulding',
      toolingFen: 1_500_000,
      cycleSeconds: 30,
      cavities: 2,
      supportFactor: 0.05,
      toolingDays: 20,
      handlingDays: 2,
    },
    polishing: { family: 'hourly', minutesPerPart: 2, minutesPerDm2: 3, handlingDays: 1 },
    textile_cutting: { family: 'hourly', minutesPerPart: 0.5, handlingDays: 1 },
  }
  return {
    platformFeeBps: 800,
    processes,
    finishSurchargeFenPerDm2: {
      阳极氧化: 200,
      硬质阳极: 400,
      硬质阳极氧化: 400,
      喷砂: 100,
      拉丝: 150,
      喷粉: 150,
      喷漆: 200,
      喷涂: 200,
      漆: 200,
      电镀: 300,
      镀镍: 300,
      镀锌: 150,
      镀铬: 400,
      镀金: 3000,
      钝化: 100,
      发黑: 80,
      抛光: 300,
      镜面抛光: 600,
      电解抛光: 400,
      透明抛光: 500,
      打磨: 150,
      砂光: 100,
      去毛刺: 50,
      丝印: 100,
      移印: 100,
      镭雕: 100,
      打标: 100,
      染色: 100,
      染黑: 100,
      蒸汽平滑: 300,
      木蜡油: 120,
      封边: 100,
      anodis: 200,
      'hard anodis': 400,
      blast: 100,
      brush: 150,
      'powder coat': 150,
      paint: 200,
      electroplat: 300,
      nickel: 300,
      zinc: 150,
      chrom: 400,
      gold: 3000,
      passivat: 100,
      'black oxide': 80,
      polish: 300,
      'mirror polish': 600,
      electropolish: 400,
      sanding: 150,
      deburr: 50,
      'silk screen': 100,
      'pad print': 100,
      'laser mark': 100,
      engrav: 100,
      dye: 100,
      'vapour smooth': 300,
      'vapor smooth': 300,
    },
    quantityBreaks: [
      [1, 0],
      [50, 500],
      [200, 1000],
      [1000, 1500],
    ],
  }
}
