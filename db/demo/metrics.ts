import { randomUUID } from 'node:crypto'
import { sql, type Insertable } from 'kysely'
import type { Db, Tx } from '../client.ts'
import type {
  CapacityBookingsTable,
  CapacityWindowsTable,
  DisputeEvidenceTable,
  DisputesTable,
  InspectionsTable,
  JobsTable,
  LedgerAccount,
  LedgerEntriesTable,
  MatchesTable,
  Measurement,
  OrderEventsTable,
  OrdersTable,
  OrderStatus,
  PaymentsTable,
  PayoutsTable,
  QuotesTable,
  RefundReason,
  RefundsTable,
  SampleReviewsTable,
  ShipmentsTable,
} from '../schema.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { samplingPlan } from '../../app/models/aql.ts'
import { rebuildAll } from '../../app/models/metrics-rollup.server.ts'
import { refreshWorkshopRecord } from '../../app/models/order-transition.server.ts'
import { processByCode } from '../../app/models/processes.ts'
import { platformFeeIn } from '../../app/models/quote.server.ts'
import { getPlatformSettings } from '../../app/models/settings.server.ts'
import { townByCode, type TownCode } from '../../app/models/towns.ts'
import { hashPassword } from '../../app/models/password.server.ts'
import { DEMO_HORIZON_DAYS, mulberry32 } from './supply.ts'

// The operator dashboard's history (issue 9): six more design firms (demo-firm-01…06@demo.test)
// and about four months of their jobs with the supply workshops (db/demo/supply.ts), more of
// them lately: each job opened, matched, quoted, and mostly ordered; each order taken through
// its lifecycle as far as it would have got by now — paid by bank transfer, sampled, shipped,
// delivered, inspected or auto-accepted, some disputed, refunded or cancelled — with its
// events, shipments, inspections, payouts, refunds and ledger lines dated when they happened.
// The supply machines get past capacity windows, their orders' bookings and some off-platform
// bookings, so utilisation has figures too. The demo logins' data is left as it is.
//
// Rows are written directly, one transaction for all: going through the models would take
// minutes and send mail. What must stay true is what those models keep true: the lifecycle
// table's order of events (order-lifecycle.ts), the amounts (orders_amounts_check), the
// ledger's flows and balances (escrow.server.ts; `npm run ledger:check` stays clean) and
// bookings within the hours offered. Deterministic (seeded PRNG) apart from ids and dates
// relative to now; added once (when the first demo firm's login is missing).

type Rng = () => number

const HISTORY_DAYS = 124
/** Past capacity windows start this many days back (before the first job opens). */
const PAST_WINDOW_DAYS = 130
const HOUR = 3_600_000
const DAY = 24 * HOUR

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!
const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo)
const intBetween = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1))
const round2 = (n: number) => Math.round(n * 100) / 100
const round4 = (n: number) => Math.round(n * 10_000) / 10_000

function weighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  let r = rng() * items.reduce((s, i) => s + i.weight, 0)
  for (const item of items) {
    r -= item.weight
    if (r < 0) return item
  }
  return items[items.length - 1]!
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng()
  while (p > limit) {
    k += 1
    p *= rng()
  }
  return k
}

// ---------------------------------------------------------------------------------------
// Shanghai time

const shDay = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10)
const shHour = (ms: number) => new Date(ms + 8 * HOUR).getUTCHours()
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`)
const compact = (day: string) => day.replaceAll('-', '')

/** A person's action `lo`…`hi` hours after `t`, moved into the working day (08:30–21:00). */
function human(rng: Rng, t: number, lo: number, hi: number): number {
  const at = t + between(rng, lo, hi) * HOUR
  const hour = shHour(at)
  if (hour >= 8 && hour < 21) return at
  const day = hour >= 21 ? addDays(shDay(at), 1) : shDay(at)
  return dayStart(day) + 8.5 * HOUR + between(rng, 0, 3) * HOUR
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY)

// ---------------------------------------------------------------------------------------
// Who

interface DemoFirm {
  email: string
  name: string
  owner: string
  town: TownCode
  address: string
  description: string
  /** The industry clusters whose workshops it mostly orders from, and now and then. */
  clusters: string[]
  also: string[]
  /** Its share of the jobs. */
  weight: number
}

const demoFirms: DemoFirm[] = [
  {
    email: 'demo-firm-01@demo.test',
    name: '古镇光影照明设计有限公司',
    owner: '梁思敏',
    town: 'guzhen',
    address: '中山市古镇镇中兴大道 66 号灯都时代广场 12 楼',
    description: '商业照明与家居灯饰的产品设计，从概念、结构到小批量试产。',
    clusters: ['lighting'],
    also: ['hardware', 'electronics'],
    weight: 3,
  },
  {
    email: 'demo-firm-02@demo.test',
    name: '古镇灯都创意设计工作室',
    owner: '吴嘉豪',
    town: 'guzhen',
    address: '中山市古镇镇同益工业园益昌路 3 号创意园 2 栋',
    description: '吊灯、壁灯和装饰灯的外观与结构设计，常年为古镇灯企做新品打样。',
    clusters: ['lighting'],
    also: ['hardware', 'appliances'],
    weight: 2.5,
  },
  {
    email: 'demo-firm-03@demo.test',
    name: '横栏匠心灯具设计事务所',
    owner: '何晓彤',
    town: 'henglan',
    address: '中山市横栏镇富庆一路 18 号',
    description: '户外照明与工程灯具设计，投光灯、路灯和景观灯。',
    clusters: ['lighting'],
    also: ['hardware', 'equipment'],
    weight: 1.4,
  },
  {
    email: 'demo-firm-04@demo.test',
    name: '小榄智造工业设计有限公司',
    owner: '冯志强',
    town: 'xiaolan',
    address: '中山市小榄镇升平中路 9 号小榄工业设计中心 5 楼',
    description: '五金锁具、卫浴和小家电的工业设计与结构开发。',
    clusters: ['hardware', 'appliances'],
    also: ['electronics', 'automotive'],
    weight: 1.6,
  },
  {
    email: 'demo-firm-05@demo.test',
    name: '火炬医械产品设计中心',
    owner: '邓雅文',
    town: 'huoju',
    address: '中山市火炬开发区健康路 8 号健康科技园 C 座',
    description: '医疗器械、电子产品与机器人部件的设计和手板验证。',
    clusters: ['medical', 'electronics', 'robotics'],
    also: ['equipment', 'automotive'],
    weight: 1,
  },
  {
    email: 'demo-firm-06@demo.test',
    name: '大涌木韵家具软装设计工作室',
    owner: '苏建国',
    town: 'dachong',
    address: '中山市大涌镇红木文化博览城 A 区 21 号',
    description: '实木家具与布艺软装设计，含家具五金和面料裁片开发。',
    clusters: ['furniture'],
    also: ['clothing', 'hardware'],
    weight: 0.8,
  },
]

export const demoFirmEmails = demoFirms.map((f) => f.email)

interface Firm extends DemoFirm {
  orgId: string
  userId: string
}

interface Workshop {
  id: string
  name: string
  town: string
  cluster: string
  lat: number | null
  lng: number | null
  rating: number | null
  ownerId: string
  resources: Resource[]
}

interface Resource {
  id: string
  workshop: Workshop
  process: string
  materials: string[]
  rateFen: number
  setupFen: number
  minQty: number
  maxQty: number | null
  peak: number
}

// ---------------------------------------------------------------------------------------
// What gets made

interface ProcessPlan {
  /** Machine hours per part. */
  hours: [number, number]
  qty: [number, number]
  tolerance: [number, number]
  /** Share of jobs that want a sample first. */
  sample: number
  /** How the parts are counted: 件 unless cut from sheet or cloth (片). */
  unit?: '片'
}

const processPlans: Record<string, ProcessPlan> = {
  cnc_milling_3axis: { hours: [0.08, 0.45], qty: [30, 600], tolerance: [0.02, 0.1], sample: 0.5 },
  cnc_milling_5axis: { hours: [0.3, 1.4], qty: [10, 200], tolerance: [0.01, 0.05], sample: 0.6 },
  cnc_turning: { hours: [0.02, 0.12], qty: [200, 3000], tolerance: [0.02, 0.05], sample: 0.4 },
  injection_molding: {
    hours: [0.004, 0.02],
    qty: [1000, 12000],
    tolerance: [0.05, 0.2],
    sample: 0.8,
  },
  laser_cutting: {
    hours: [0.01, 0.06],
    qty: [100, 2000],
    tolerance: [0.1, 0.2],
    sample: 0.2,
    unit: '片',
  },
  sheet_metal: { hours: [0.04, 0.2], qty: [50, 1500], tolerance: [0.1, 0.3], sample: 0.4 },
  polishing: { hours: [0.03, 0.15], qty: [200, 3000], tolerance: [0.5, 1], sample: 0.3 },
  fdm: { hours: [0.5, 3], qty: [5, 120], tolerance: [0.2, 0.4], sample: 0.1 },
  sla: { hours: [0.3, 2], qty: [5, 150], tolerance: [0.1, 0.2], sample: 0.2 },
  sls: { hours: [0.2, 1.2], qty: [20, 400], tolerance: [0.2, 0.3], sample: 0.2 },
  mjf: { hours: [0.15, 1], qty: [30, 500], tolerance: [0.2, 0.3], sample: 0.2 },
  slm: { hours: [1, 6], qty: [2, 40], tolerance: [0.05, 0.1], sample: 0.5 },
  textile_cutting: {
    hours: [0.001, 0.004],
    qty: [2000, 20000],
    tolerance: [0.5, 1],
    sample: 0.2,
    unit: '片',
  },
}

const partsByCluster: Record<string, string[]> = {
  lighting: [
    '筒灯灯体',
    '射灯灯杯',
    '吊灯灯臂',
    '吸顶灯底盘',
    '投光灯散热器',
    '水晶吊灯五金挂件',
    '轨道灯连接件',
    '台灯底座',
    '壁灯面板',
    '透镜支架',
    '路灯灯壳',
    '灯罩',
  ],
  hardware: ['门锁面板', '合页铰链', '水龙头阀芯', '柜门拉手', '五金支架', '锁芯零件', '花洒座'],
  appliances: ['风扇外壳', '电饭煲面板', '空气炸锅手柄', '小家电支架', '控制面板', '吸尘器接头'],
  clothing: ['沙发面料裁片', '靠垫布套裁片', '皮革椅面裁片'],
  furniture: ['椅子扶手', '柜门面板', '家具连接件', '实木桌腿', '办公桌钢架'],
  electronics: ['路由器外壳', '平板中框', '散热片', '显示器支架', '传感器外壳'],
  equipment: ['设备机架钣金', '传动轴', '检测夹具', '食品机械不锈钢件'],
  medical: ['骨科手术导板', '牙科模型', '康复支具', '器械手柄'],
  robotics: ['机器人关节壳体', '减速器法兰', '末端夹爪'],
  automotive: ['汽车内饰卡扣', '车灯支架', '座椅调节件'],
}

const finishesByFamily: Record<string, string[]> = {
  subtractive: ['阳极氧化 黑色', '喷砂 + 阳极氧化', '拉丝', '本色去毛刺'],
  moulding: ['哑光纹理', '高光', '本色'],
  sheet: ['喷粉 白色', '拉丝', '本色'],
  additive: ['喷砂', '喷砂 染黑', '打磨喷漆'],
  hourly: ['镜面抛光', '拉丝抛光', ''],
}

const carriers = [
  { name: '顺丰速运', prefix: 'SF' },
  { name: '德邦快递', prefix: 'DPK' },
  { name: '跨越速运', prefix: 'KY' },
  { name: '中通快递', prefix: 'ZT' },
  { name: '京东物流', prefix: 'JD' },
]

const words = {
  cancelUnpaid: [
    '项目延期，暂不下单。',
    '客户需求变更，重新出图后再发布。',
    '预算调整，先取消这单。',
  ],
  cancelWorkshop: '设备临时故障，无法按期交货，申请取消订单。',
  cancelBuyer: '同意取消。',
  approveSample: ['样品尺寸、外观确认合格，可以批量。', '试装没问题，按样品批量生产。', ''],
  rejectSample: ['装配孔位偏 0.3 mm，请调整后重新打样。', '表面有划痕，颜色偏浅，请重新打样。'],
  inspectionOk: ['外观、尺寸抽检合格。', '抽检合格，包装完好。', ''],
  inspectionBad: ['抽检不合格品超出约定，尺寸超差。', '外观划伤和色差较多，不合格。'],
  evidence: '出货前已全检，附出厂检验记录，请平台协调复检。',
  resolved: {
    full_refund: '复检确认不合格，双方同意全额退款，货物退回工厂。',
    partial_refund: '瑕疵不影响装配，双方同意按部分折让退款后收货。',
    rework: '尺寸超差属实，工厂同意返工重做一批。',
  },
}

// ---------------------------------------------------------------------------------------
// Calendars: offered and booked hours per machine and day, to keep bookings within windows

class Calendars {
  private offered = new Map<string, Float64Array>()
  private used = new Map<string, Float64Array>()
  constructor(
    private first: string,
    private days: number,
  ) {}

  private index(day: string) {
    return daysBetween(this.first, day)
  }

  private row(map: Map<string, Float64Array>, resourceId: string) {
    let row = map.get(resourceId)
    if (!row) map.set(resourceId, (row = new Float64Array(this.days)))
    return row
  }

  offer(resourceId: string, from: string, to: string, hoursPerDay: number) {
    const row = this.row(this.offered, resourceId)
    for (let i = Math.max(0, this.index(from)); i <= Math.min(this.days - 1, this.index(to)); i++) {
      row[i]! += hoursPerDay
    }
  }

  /** A booking's hours spread evenly over its days, as the capacity rollup counts them. */
  book(resourceId: string, from: string, to: string, hours: number) {
    const row = this.row(this.used, resourceId)
    const a = this.index(from)
    const b = this.index(to)
    for (let i = Math.max(0, a); i <= Math.min(this.days - 1, b); i++)
      row[i]! += hours / (b - a + 1)
  }

  sum(which: 'offered' | 'used', resourceId: string, from: string, to: string) {
    const row = (which === 'offered' ? this.offered : this.used).get(resourceId)
    if (!row) return 0
    let total = 0
    for (let i = Math.max(0, this.index(from)); i <= Math.min(this.days - 1, this.index(to)); i++) {
      total += row[i]!
    }
    return total
  }

  /** Hours a new booking over [from, to] may take, keeping the machine at most `share` booked. */
  room(resourceId: string, from: string, to: string, share: number) {
    return (
      share * this.sum('offered', resourceId, from, to) - this.sum('used', resourceId, from, to)
    )
  }
}

// ---------------------------------------------------------------------------------------
// The rows, collected and then inserted in batches

interface Rows {
  windows: Insertable<CapacityWindowsTable>[]
  bookings: Insertable<CapacityBookingsTable>[]
  jobs: Insertable<JobsTable>[]
  matches: Insertable<MatchesTable>[]
  quotes: Insertable<QuotesTable>[]
  orders: (Insertable<OrdersTable> & { id: string; number: string; created_at: Date })[]
  events: (Insertable<OrderEventsTable> & { created_at: Date })[]
  payments: (Insertable<PaymentsTable> & { id: string; amount_fen: number })[]
  shipments: Insertable<ShipmentsTable>[]
  reviews: Insertable<SampleReviewsTable>[]
  inspections: Insertable<InspectionsTable>[]
  disputes: Insertable<DisputesTable>[]
  evidence: Insertable<DisputeEvidenceTable>[]
  payouts: Insertable<PayoutsTable>[]
  refunds: (Insertable<RefundsTable> & { payment_id: string; amount_fen: number })[]
  ledger: (Insertable<LedgerEntriesTable> & { created_at: Date })[]
}

const emptyRows = (): Rows => ({
  windows: [],
  bookings: [],
  jobs: [],
  matches: [],
  quotes: [],
  orders: [],
  events: [],
  payments: [],
  shipments: [],
  reviews: [],
  inspections: [],
  disputes: [],
  evidence: [],
  payouts: [],
  refunds: [],
  ledger: [],
})

interface Context {
  rng: Rng
  now: number
  today: string
  operatorId: string
  feeBps: number
  validityDays: number
  weights: Record<string, number>
  materialNames: Map<string, string>
  workshops: Workshop[]
  byProcess: Map<string, Resource[]>
  calendars: Calendars
  rows: Rows
  /** Orders settled long enough ago to have had any fate, and disputes left open. */
  tally: { settled: number; openDisputes: number }
}

function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6371 * Math.asin(Math.sqrt(h))
}

/** What a job asks for and what the winning workshop quotes for it. */
interface Quoted {
  resource: Resource
  qty: number
  unitFen: number
  setupFen: number
  sampleFen: number
  totalFen: number
  machineHours: number
  sampleLeadDays: number
  batchLeadDays: number
}

function priceFor(ctx: Context, resource: Resource, qty: number, plan: ProcessPlan): Quoted {
  const { rng } = ctx
  const perPart = between(rng, plan.hours[0], plan.hours[1])
  const unitFen = Math.max(
    50,
    Math.round((perPart * resource.rateFen * between(rng, 1.9, 3)) / 10) * 10,
  )
  const setupFen = Math.max(
    5_000,
    Math.round((resource.setupFen * between(rng, 1, 2.5)) / 100) * 100,
  )
  const machineHours = round2(qty * perPart + between(rng, 1, 4))
  const sampleLeadDays = intBetween(rng, 2, 4)
  const batchLeadDays = Math.min(
    18,
    Math.max(3, Math.ceil(machineHours / Math.max(4, resource.peak * 0.6)) + intBetween(rng, 2, 5)),
  )
  return {
    resource,
    qty,
    unitFen,
    setupFen,
    sampleFen: Math.round((setupFen * 0.6 + unitFen * 3) / 100) * 100,
    totalFen: unitFen * qty + setupFen,
    machineHours,
    sampleLeadDays,
    batchLeadDays,
  }
}

function breakdownOf(totalFen: number, setupFen: number, feeBps: number) {
  const fee = platformFeeIn(totalFen, feeBps)
  const setup = Math.round((setupFen * 10_000) / (10_000 + feeBps))
  return [
    {
      key: 'parts',
      label_zh: '零件加工（单价 × 数量）',
      label_en: 'Parts (unit price × quantity)',
      amount_fen: totalFen - fee - setup,
    },
    {
      key: 'setup',
      label_zh: '一次性费用（编程、装夹、治具）',
      label_en: 'One-off charges (programming, set-up, fixtures)',
      amount_fen: setup,
    },
    {
      key: 'platform_fee',
      label_zh: '平台服务费（已含）',
      label_en: 'Platform fee (included)',
      amount_fen: fee,
    },
  ]
}

// ---------------------------------------------------------------------------------------
// One job and, usually, its order

type JobFate = 'no_match' | 'no_quote' | 'quoted' | 'ordered'
type OrderFate =
  | 'normal'
  | 'cancel_unpaid'
  | 'cancel_paid'
  | 'full_refund'
  | 'partial_refund'
  | 'rework'
  | 'dispute_open'

function makeJob(ctx: Context, firm: Firm, openedAt: number) {
  const { rng, rows, now } = ctx
  // The workshop that wins (or would have): mostly from the firm's own industry.
  const clusters = rng() < 0.8 ? firm.clusters : firm.also
  const own = ctx.workshops.filter((w) => clusters.includes(w.cluster))
  const pool = own.length ? own : ctx.workshops
  const workshop = pick(rng, pool)
  const resource = pick(rng, workshop.resources)
  const plan = processPlans[resource.process]
  const family = processByCode(resource.process)?.family
  if (!plan || !family) return
  const roll = rng()
  const jobFate: JobFate =
    roll < 0.04 ? 'no_match' : roll < 0.09 ? 'no_quote' : roll < 0.16 ? 'quoted' : 'ordered'

  const material = pick(rng, resource.materials.slice(0, 3))
  const needsSample = rng() < plan.sample
  const today = ctx.today
  // Quantity within the machine's range (a calendar that cannot take its hours drops the job).
  let qty = intBetween(rng, plan.qty[0], plan.qty[1])
  qty = Math.max(resource.minQty, Math.min(resource.maxQty ?? qty, qty))
  const quoted = priceFor(ctx, resource, qty, plan)
  const late = rng() < 0.08
  const productionDays = (needsSample ? quoted.sampleLeadDays + 4 : 0) + quoted.batchLeadDays + 3
  const openedDay = shDay(openedAt)
  let deadline = addDays(openedDay, productionDays + (late ? -2 : intBetween(rng, 5, 18)))
  const lastBookable = addDays(today, DEMO_HORIZON_DAYS - 6)
  if (deadline > lastBookable) deadline = lastBookable
  if (deadline <= openedDay) deadline = addDays(openedDay, 3)

  const part = pick(rng, partsByCluster[workshop.cluster] ?? partsByCluster.hardware!)
  const processName = processByCode(resource.process)!.zh
  const materialName = ctx.materialNames.get(material) ?? material
  const finish = pick(rng, finishesByFamily[family] ?? [''])
  const unit = plan.unit ?? '件'
  const title = needsSample
    ? `${part} ${processName}（打样 + ${qty} ${unit}）`
    : `${part} ${processName} ${qty} ${unit}`
  const tolerance =
    jobFate === 'no_match'
      ? 0.005
      : Math.max(0.01, round2(between(rng, plan.tolerance[0], plan.tolerance[1])))
  const jobId = randomUUID()
  const createdAt = openedAt - between(rng, 0.3, 30) * HOUR
  const matchedAt = openedAt + between(rng, 20, 120) * 1000

  // Matches: the winner's machine and others of the process, ranked by a plausible score.
  const candidates = [resource]
  const others = (ctx.byProcess.get(resource.process) ?? []).filter(
    (r) => r.workshop.id !== workshop.id,
  )
  const wanted = intBetween(rng, 2, 5)
  for (const other of others.map((r) => ({ r, key: rng() })).sort((a, b) => a.key - b.key)) {
    if (candidates.length >= wanted) break
    if (candidates.some((c) => c.workshop.id === other.r.workshop.id)) continue
    candidates.push(other.r)
  }
  const town = townByCode(firm.town)!
  const termValue = (term: string, c: Resource, totalFen: number) => {
    switch (term) {
      case 'price':
        return totalFen
      case 'lead_time':
        return quoted.batchLeadDays
      case 'distance':
        return c.workshop.lat === null || c.workshop.lng === null
          ? -1
          : Math.round(haversineKm(town, { lat: c.workshop.lat, lng: c.workshop.lng }) * 10) / 10
      case 'rating':
        return c.workshop.rating ?? 0
      case 'on_time':
        return -1
      default:
        return intBetween(rng, 40, 400)
    }
  }
  const matchRows =
    jobFate === 'no_match'
      ? []
      : candidates
          .map((c) => {
            // The winner's price is the best; the others' up to a third dearer.
            const priceScore = c === resource ? 1 : between(rng, 0.75, 0.98)
            const totalFen = Math.round(quoted.totalFen / priceScore)
            const reasons = Object.entries(ctx.weights).map(([term, weight]) => {
              const score =
                term === 'price' ? priceScore : term === 'on_time' ? 1 : between(rng, 0.55, 1)
              return {
                term,
                value: termValue(term, c, totalFen),
                weight,
                contribution: round4(weight * score),
              }
            })
            const score = round4(reasons.reduce((s, r) => s + r.contribution, 0))
            return { id: randomUUID(), c, reasons, score, totalFen }
          })
          .sort((a, b) => b.score - a.score)
  rows.matches.push(
    ...matchRows.map((m, i) => ({
      id: m.id,
      job_id: jobId,
      resource_id: m.c.id,
      organization_id: m.c.workshop.id,
      rank: i + 1,
      score: m.score,
      reasons: m.reasons,
      estimate: {
        material,
        total_fen: m.totalFen,
        machine_hours: quoted.machineHours,
        batch_lead_days: quoted.batchLeadDays,
        sample_price_fen: needsSample ? quoted.sampleFen : 0,
      },
      created_at: new Date(matchedAt),
    })),
  )

  // Quotes: the winner's, and sometimes a rival's or two, sent within a working day or so
  // (a workshop's own quote is confirmed as it is sent).
  const quoteRows: { sentAt: number; row: Insertable<QuotesTable> & { id: string } }[] = []
  if (jobFate === 'quoted' || jobFate === 'ordered') {
    const quoters = [resource, ...candidates.slice(1, 1 + intBetween(rng, 0, 2))]
    for (const q of quoters) {
      const factor = q === resource ? 1 : between(rng, 1.02, 1.35)
      const unitFen = Math.max(50, Math.round((quoted.unitFen * factor) / 10) * 10)
      const setupFen = Math.round((quoted.setupFen * factor) / 100) * 100
      const total = unitFen * qty + setupFen
      const sentAt = human(rng, matchedAt, 1, 30)
      quoteRows.push({
        sentAt,
        row: {
          id: randomUUID(),
          job_id: jobId,
          organization_id: q.workshop.id,
          resource_id: q.id,
          match_id: null,
          source: 'manual',
          status: 'pending',
          material,
          quantity: qty,
          unit_price_fen: unitFen,
          setup_fen: setupFen,
          sample_price_fen: needsSample ? Math.round((quoted.sampleFen * factor) / 100) * 100 : 0,
          total_fen: total,
          platform_fee_bps: ctx.feeBps,
          machine_hours: quoted.machineHours,
          sample_lead_days: quoted.sampleLeadDays,
          batch_lead_days: quoted.batchLeadDays,
          lines: [],
          breakdown: breakdownOf(total, setupFen, ctx.feeBps),
          estimate: null,
          comment: q === resource ? pick(rng, ['', '含表面处理与包装。', '可按期交货。']) : '',
          valid_until: new Date(sentAt + ctx.validityDays * DAY),
          confirmed_at: new Date(sentAt),
          confirmed_by: q.workshop.ownerId,
          created_at: new Date(sentAt),
          updated_at: new Date(sentAt),
        },
      })
    }
  }
  const forget = () => rows.matches.splice(rows.matches.length - matchRows.length, matchRows.length)

  const job: Insertable<JobsTable> = {
    id: jobId,
    organization_id: firm.orgId,
    created_by: firm.userId,
    title,
    description: `${materialName}，${finish || '无需表面处理'}，${qty} ${unit}${needsSample ? '，先打样确认再批量' : ''}。`,
    process: resource.process,
    material,
    tolerance_mm: tolerance,
    finish,
    needs_sample: needsSample,
    deadline,
    budget_fen:
      rng() < 0.4 ? Math.round((quoted.totalFen * between(rng, 1.1, 1.5)) / 10_000) * 10_000 : null,
    delivery_town: firm.town,
    delivery_address: firm.address,
    visibility: 'public',
    nda_required: rng() < 0.1,
    status: 'closed',
    opened_at: new Date(openedAt),
    created_at: new Date(createdAt),
    updated_at: new Date(openedAt),
    thickness_mm: family === 'sheet' ? pick(rng, [1, 1.5, 2, 3]) : null,
    match_summary:
      jobFate === 'no_match'
        ? {
            matched: 0,
            misses: [{ code: 'tolerance', count: intBetween(rng, 3, 12), best: '0.01 mm' }],
          }
        : { matched: matchRows.length, misses: [] },
    matched_at: new Date(matchedAt),
    aql: rng() < 0.25 ? 2.5 : 1,
  }

  if (jobFate !== 'ordered') {
    // Withdrawn by the firm a few days in; live quotes are declined (or had lapsed).
    const lastQuote = Math.max(openedAt, ...quoteRows.map((q) => q.sentAt))
    const cancelledAt = human(rng, lastQuote, 24, 24 * 6)
    if (cancelledAt > now) return forget()
    job.status = 'cancelled'
    job.updated_at = new Date(cancelledAt)
    rows.jobs.push(job)
    for (const { sentAt, row } of quoteRows) {
      const lapsedAt = sentAt + ctx.validityDays * DAY
      const lapsed = lapsedAt <= cancelledAt
      const decided = new Date(lapsed ? lapsedAt : cancelledAt)
      rows.quotes.push({
        ...row,
        status: lapsed ? 'expired' : 'declined',
        decline_reason: lapsed ? null : 'job_cancelled',
        decided_at: decided,
        updated_at: decided,
      })
    }
    return
  }

  // The firm accepts the best quote (the winner's) once the quotes are in.
  const winner = quoteRows[0]!
  const acceptedAt = human(rng, Math.max(...quoteRows.map((q) => q.sentAt)), 1, 40)
  const acceptDay = shDay(acceptedAt)
  if (acceptedAt > now - HOUR || acceptedAt >= winner.sentAt + ctx.validityDays * DAY) {
    return forget()
  }
  // The machine's hours up to the deadline, as acceptance books them; a calendar that cannot
  // take them makes this a job that never was.
  const bookingEnd = deadline < acceptDay ? acceptDay : deadline
  const bookedHours = Math.max(0.1, Math.round(quoted.machineHours * 10) / 10)
  if (ctx.calendars.room(resource.id, acceptDay, bookingEnd, 0.7) < bookedHours) return forget()
  job.updated_at = new Date(acceptedAt)
  rows.jobs.push(job)
  for (const q of quoteRows) {
    const won = q === winner
    rows.quotes.push({
      ...q.row,
      status: won ? 'accepted' : 'declined',
      decline_reason: won ? null : 'another_quote_accepted',
      decided_at: new Date(acceptedAt),
      updated_at: new Date(acceptedAt),
    })
  }

  simulateOrder(ctx, {
    firm,
    workshop,
    quoted,
    quoteId: winner.row.id,
    jobId,
    needsSample,
    deadline,
    acceptedAt,
    aql: job.aql ?? 1,
    bookingEnd,
    bookedHours,
  })
}

interface OrderInput {
  firm: Firm
  workshop: Workshop
  quoted: Quoted
  quoteId: string
  jobId: string
  needsSample: boolean
  deadline: string
  acceptedAt: number
  aql: number
  bookingEnd: string
  bookedHours: number
}

function simulateOrder(ctx: Context, input: OrderInput) {
  const { rng, rows, now } = ctx
  const { firm, workshop, quoted, needsSample } = input
  const orderId = randomUUID()
  const buyer = firm.userId
  const maker = workshop.ownerId
  const operator = ctx.operatorId
  const sampleFen = needsSample ? quoted.sampleFen : 0
  const batchFen = quoted.unitFen * quoted.qty + quoted.setupFen
  const subtotal = batchFen + sampleFen
  const fee = platformFeeIn(subtotal, ctx.feeBps)
  const money = { held: 0, feeTaken: 0, refunded: 0 }

  // What the order looks like now; updated as its events happen.
  const state = {
    status: 'awaiting_payment' as OrderStatus,
    version: 1,
    updatedAt: input.acceptedAt,
    paidAt: null as number | null,
    shippedAt: null as number | null,
    deliveredAt: null as number | null,
    completedAt: null as number | null,
    cancelledAt: null as number | null,
    sampleRound: 0,
    batchRound: 1,
    cancelRequestedBy: null as 'buyer' | 'workshop' | null,
    reminders: {} as Record<string, string>,
    booked: true,
  }
  let paymentId = ''

  const event = (
    at: number,
    actor: string | null,
    to: OrderStatus,
    payload: Record<string, unknown>,
    first = false,
  ) => {
    rows.events.push({
      order_id: orderId,
      actor_user_id: actor,
      from_status: first ? null : state.status,
      to_status: to,
      payload,
      created_at: new Date(at),
    })
    if (!first) state.version += 1
    state.status = to
    state.updatedAt = at
  }
  const line = (
    at: number,
    from: LedgerAccount,
    to: LedgerAccount,
    amount: number,
    kind: string,
    ids: { payment_id?: string; payout_id?: string; refund_id?: string },
  ) => {
    // As escrow.server.ts's post(): a line always moves money.
    if (amount <= 0) return
    rows.ledger.push({
      order_id: orderId,
      from_account: from,
      to_account: to,
      amount_fen: amount,
      kind,
      payment_id: ids.payment_id ?? null,
      payout_id: ids.payout_id ?? null,
      refund_id: ids.refund_id ?? null,
      created_at: new Date(at),
    })
  }
  const feeOn = (contractFen: number) =>
    subtotal <= 0 ? 0 : Math.round((fee * contractFen) / subtotal)
  /** escrow.server.ts's releaseMilestone, then the operator's bank transfer a few days on. */
  const release = (at: number, milestone: 'sample' | 'final') => {
    if (money.held <= 0) return
    let gross: number
    let cut: number
    if (milestone === 'sample') {
      gross = Math.min(sampleFen, money.held)
      cut = Math.min(feeOn(gross), gross)
    } else {
      gross = money.held
      cut = Math.max(0, Math.min(feeOn(subtotal - money.refunded) - money.feeTaken, gross))
    }
    if (gross <= 0) return
    const id = randomUUID()
    const amount = gross - cut
    const paidAt = amount === 0 ? at : human(rng, at, 20, 96)
    const paid = paidAt <= now
    rows.payouts.push({
      id,
      order_id: orderId,
      organization_id: workshop.id,
      milestone,
      gross_fen: gross,
      fee_fen: cut,
      amount_fen: amount,
      provider: paid ? 'bank_transfer' : null,
      status: paid ? 'paid' : 'pending',
      bank_reference:
        paid && amount > 0
          ? `ICBC-PO-${compact(shDay(paidAt))}${intBetween(rng, 1000, 9999)}`
          : null,
      paid_by: paid && amount > 0 ? operator : null,
      paid_at: paid ? new Date(paidAt) : null,
      created_at: new Date(at),
      updated_at: new Date(paid ? paidAt : at),
    })
    line(at, 'escrow', 'workshop_payable', amount, 'release', { payout_id: id })
    line(at, 'escrow', 'platform_fee', cut, 'fee', { payout_id: id })
    if (paid) line(paidAt, 'workshop_payable', 'workshop', amount, 'payout', { payout_id: id })
    money.held -= gross
    money.feeTaken += cut
  }
  /** escrow.server.ts's refundFromEscrow (no voucher here), sent by the operator later. */
  const refund = (at: number, amount: number | 'all', reason: RefundReason) => {
    const contract = amount === 'all' ? money.held : Math.min(amount, money.held)
    if (contract <= 0) return 0
    const id = randomUUID()
    const sentAt = human(rng, at, 2, 30)
    const sent = sentAt <= now
    rows.refunds.push({
      id,
      order_id: orderId,
      payment_id: paymentId,
      reason,
      amount_fen: contract,
      voucher_fen: 0,
      provider: 'bank_transfer',
      status: sent ? 'succeeded' : 'pending',
      bank_reference: sent
        ? `ICBC-RF-${compact(shDay(sentAt))}${intBetween(rng, 1000, 9999)}`
        : null,
      recorded_by: operator,
      created_at: new Date(at),
      completed_at: sent ? new Date(sentAt) : null,
    })
    line(at, 'escrow', 'refund_payable', contract, 'refund', { refund_id: id })
    if (sent) line(sentAt, 'refund_payable', 'buyer', contract, 'refund_sent', { refund_id: id })
    money.held -= contract
    money.refunded += contract
    return contract
  }
  const shipment = (at: number, kind: 'sample' | 'batch', round: number, quantity: number) => {
    const carrier = pick(rng, carriers)
    const payload = {
      carrier: carrier.name,
      tracking_number: `${carrier.prefix}${intBetween(rng, 100_000_000, 999_999_999)}${intBetween(rng, 100, 999)}`,
      quantity,
      note: '',
      attachment_ids: [] as string[],
    }
    rows.shipments.push({
      order_id: orderId,
      kind,
      round,
      shipped_by: maker,
      created_at: new Date(at),
      ...payload,
    })
    return payload
  }
  /** A reminder the schedule would have sent while the order waited (orders__schedule). */
  const remindIfWaited = (key: 'delivery' | 'inspection', since: number, until: number) => {
    const at = since + 5 * DAY + between(rng, 1, 10) * 60_000
    if (at < until && at <= now) state.reminders[key] = new Date(at).toISOString()
  }

  event(input.acceptedAt, buyer, 'awaiting_payment', { quote_id: input.quoteId }, true)

  // The happy path's times first, so the fate can depend on when things would happen.
  const reportedAt = human(rng, input.acceptedAt, 1, 40)
  const paidAt = human(rng, reportedAt, 1, 20)
  // Some firms never pay. Of the orders old enough to have run their course, a few at fixed
  // places of the sequence go wrong (so the demo always has each kind); the recent ones now
  // and then, and those may still be under way.
  let fate: OrderFate = 'normal'
  if (rng() < 0.06) fate = 'cancel_unpaid'
  else if (input.acceptedAt < now - 30 * DAY) {
    const n = (ctx.tally.settled += 1)
    if (n % 45 === 7) fate = 'full_refund'
    else if (n % 45 === 29) fate = 'partial_refund'
    else if (n % 70 === 48) fate = 'rework'
    else if (n % 50 === 17) fate = 'cancel_paid'
  } else if (rng() < 0.03) {
    fate = pick(rng, ['full_refund', 'partial_refund', 'cancel_paid'] as const)
  }

  /** The order as it stands now (its number comes once all orders are known). */
  const finish = () => {
    rows.orders.push({
      id: orderId,
      number: '',
      job_id: input.jobId,
      quote_id: input.quoteId,
      buyer_organization_id: firm.orgId,
      workshop_organization_id: workshop.id,
      resource_id: quoted.resource.id,
      status: state.status,
      needs_sample: needsSample,
      batch_fen: batchFen,
      sample_fen: sampleFen,
      subtotal_fen: subtotal,
      platform_fee_fen: fee,
      voucher_fen: 0,
      total_fen: subtotal,
      sample_lead_days: quoted.sampleLeadDays,
      batch_lead_days: quoted.batchLeadDays,
      deadline: input.deadline,
      version: state.version,
      accepted_by: buyer,
      created_at: new Date(input.acceptedAt),
      updated_at: new Date(state.updatedAt),
      quantity: quoted.qty,
      sample_round: state.sampleRound,
      batch_round: state.batchRound,
      aql: input.aql,
      paid_at: state.paidAt === null ? null : new Date(state.paidAt),
      shipped_at: state.shippedAt === null ? null : new Date(state.shippedAt),
      delivered_at: state.deliveredAt === null ? null : new Date(state.deliveredAt),
      completed_at: state.completedAt === null ? null : new Date(state.completedAt),
      cancelled_at: state.cancelledAt === null ? null : new Date(state.cancelledAt),
      cancel_requested_by: state.cancelRequestedBy,
      refunded_fen: money.refunded,
      reminders: state.reminders,
      process: quoted.resource.process,
      town: workshop.town,
      cluster: workshop.cluster,
    })
    if (state.booked) {
      rows.bookings.push({
        resource_id: quoted.resource.id,
        order_id: orderId,
        starts_on: shDay(input.acceptedAt),
        ends_on: input.bookingEnd,
        hours: input.bookedHours,
        created_at: new Date(input.acceptedAt),
      })
      ctx.calendars.book(
        quoted.resource.id,
        shDay(input.acceptedAt),
        input.bookingEnd,
        input.bookedHours,
      )
    }
  }

  if (fate === 'cancel_unpaid') {
    const at = human(rng, input.acceptedAt, 4, 96)
    if (at <= now) {
      event(at, buyer, 'cancelled', { action: 'cancel', reason: pick(rng, words.cancelUnpaid) })
      state.cancelledAt = at
      state.booked = false
    }
    return finish()
  }

  // Payment: the firm reports its transfer, the operator confirms it against the account.
  if (reportedAt > now) return finish()
  const payerName = firm.name
  event(reportedAt, buyer, 'awaiting_payment', {
    action: 'report_transfer',
    payer_name: payerName,
    transferred_on: shDay(reportedAt),
    note: '',
  })
  paymentId = randomUUID()
  const bankReference = `ICBC${compact(shDay(paidAt))}${intBetween(rng, 100_000, 999_999)}`
  const confirmed = paidAt <= now
  rows.payments.push({
    id: paymentId,
    order_id: orderId,
    provider: 'bank_transfer',
    amount_fen: subtotal,
    status: confirmed ? 'confirmed' : 'reported',
    payer_name: payerName,
    transferred_on: shDay(reportedAt),
    note: '',
    bank_reference: confirmed ? bankReference : null,
    reported_by: buyer,
    reported_at: new Date(reportedAt),
    confirmed_by: confirmed ? operator : null,
    confirmed_at: confirmed ? new Date(paidAt) : null,
    created_at: new Date(reportedAt),
    updated_at: new Date(reportedAt),
  })
  if (!confirmed) return finish()
  event(paidAt, operator, needsSample ? 'sampling' : 'in_production', {
    action: 'confirm_payment',
    amount_fen: subtotal,
    bank_reference: bankReference,
  })
  state.paidAt = paidAt
  if (needsSample) state.sampleRound = 1
  line(paidAt, 'buyer', 'escrow', subtotal, 'payment', { payment_id: paymentId })
  money.held = subtotal

  // Samples: shipped after their lead time; the first is sometimes sent back once.
  let productionFrom = paidAt
  if (needsSample) {
    for (;;) {
      const shippedAt = human(
        rng,
        productionFrom,
        quoted.sampleLeadDays * 20,
        quoted.sampleLeadDays * 28,
      )
      if (shippedAt > now) return finish()
      const payload = shipment(shippedAt, 'sample', state.sampleRound, intBetween(rng, 1, 3))
      event(shippedAt, maker, 'sample_shipped', { action: 'ship_sample', ...payload })
      const reviewedAt = human(rng, shippedAt, 24, 96)
      if (reviewedAt > now) return finish()
      const reject = state.sampleRound === 1 && rng() < 0.2
      const feedback = pick(rng, reject ? words.rejectSample : words.approveSample)
      rows.reviews.push({
        order_id: orderId,
        round: state.sampleRound,
        decision: reject ? 'rejected' : 'approved',
        feedback,
        reviewed_by: buyer,
        created_at: new Date(reviewedAt),
      })
      if (reject) {
        event(reviewedAt, buyer, 'sampling', {
          action: 'reject_sample',
          feedback,
          attachment_ids: [],
        })
        state.sampleRound += 1
        productionFrom = reviewedAt
        continue
      }
      event(reviewedAt, buyer, 'in_production', { action: 'approve_sample', feedback })
      release(reviewedAt, 'sample')
      productionFrom = reviewedAt
      break
    }
  }

  if (fate === 'cancel_paid') {
    // The workshop asks to cancel, the firm agrees: the escrow goes back to the firm.
    const askedAt = human(rng, productionFrom, 24, 96)
    if (askedAt > now) return finish()
    event(askedAt, maker, 'in_production', {
      action: 'request_cancellation',
      reason: words.cancelWorkshop,
    })
    state.cancelRequestedBy = 'workshop'
    const agreedAt = human(rng, askedAt, 3, 30)
    if (agreedAt > now) return finish()
    event(agreedAt, buyer, 'cancelled', {
      action: 'request_cancellation',
      reason: words.cancelBuyer,
    })
    state.cancelRequestedBy = null
    state.cancelledAt = agreedAt
    state.booked = false
    refund(agreedAt, 'all', 'cancelled')
    return finish()
  }

  // Batches: shipped, delivered, inspected (or accepted by the clock); a rework runs it again.
  for (;;) {
    // Within the lead time quoted, give or take; a deadline set tight is then missed.
    const shippedAt = human(
      rng,
      productionFrom,
      quoted.batchLeadDays * 24 * 0.75,
      quoted.batchLeadDays * 24 * 1.05,
    )
    if (shippedAt > now) return finish()
    const payload = shipment(shippedAt, 'batch', state.batchRound, quoted.qty)
    event(shippedAt, maker, 'shipped', { action: 'ship_batch', ...payload })
    state.shippedAt = shippedAt

    const byClock = rng() < 0.2
    const deliveredAt = byClock
      ? shippedAt + 7 * DAY + between(rng, 2, 20) * 60_000
      : human(rng, shippedAt, 20, 96)
    remindIfWaited('delivery', shippedAt, deliveredAt)
    if (deliveredAt > now) return finish()
    event(
      deliveredAt,
      byClock ? null : buyer,
      'delivered',
      byClock
        ? { action: 'auto_confirm_delivery', automatic: true, reason: 'delivery_window' }
        : { action: 'confirm_delivery' },
    )
    state.deliveredAt = deliveredAt

    // The first two orders inspected in the last week or so still wait on a dispute.
    const inspectAt = human(rng, deliveredAt, 6, 100)
    if (
      fate === 'normal' &&
      state.batchRound === 1 &&
      inspectAt <= now &&
      inspectAt > now - 9 * DAY &&
      ctx.tally.openDisputes < 2
    ) {
      fate = 'dispute_open'
      ctx.tally.openDisputes += 1
    }
    const rejected = fate !== 'normal' && state.batchRound === 1
    const byInspectionClock = !rejected && rng() < 0.25
    if (byInspectionClock) {
      const acceptedAt = deliveredAt + 7 * DAY + between(rng, 2, 20) * 60_000
      remindIfWaited('inspection', deliveredAt, acceptedAt)
      if (acceptedAt > now) return finish()
      event(acceptedAt, null, 'completed', {
        action: 'auto_accept',
        automatic: true,
        reason: 'inspection_window',
      })
      state.completedAt = acceptedAt
      release(acceptedAt, 'final')
      return finish()
    }
    const startedAt = human(rng, deliveredAt, 2, 20)
    if (rng() < 0.4 && startedAt < inspectAt) {
      if (startedAt > now) return finish()
      event(startedAt, buyer, 'inspecting', { action: 'start_inspection' })
    }
    if (inspectAt > now) return finish()
    const plan = samplingPlan(Math.max(2, quoted.qty), input.aql, 'II')
    const defects = rejected
      ? Math.min(plan.sampleSize, plan.reject + intBetween(rng, 0, 2))
      : plan.accept > 0
        ? intBetween(rng, 0, plan.accept)
        : 0
    const measurements: Measurement[] = rejected
      ? []
      : Array.from({ length: intBetween(rng, 0, 2) }, () => {
          const nominal = pick(rng, [12, 25, 40, 60, 120])
          const tol = pick(rng, [0.05, 0.1, 0.2])
          return {
            feature: pick(rng, ['外径', '孔距', '厚度', '长度']),
            nominal,
            tol_minus: tol,
            tol_plus: tol,
            measured: Array.from({ length: 3 }, () =>
              round2(nominal + between(rng, -tol, tol) * 0.8),
            ),
            pass: true,
          }
        })
    const result = rejected ? 'reject' : 'accept'
    const notes = pick(rng, rejected ? words.inspectionBad : words.inspectionOk)
    rows.inspections.push({
      order_id: orderId,
      inspector_user_id: buyer,
      lot_size: quoted.qty,
      aql: input.aql,
      level: 'II',
      code_letter: plan.codeLetter,
      sample_size: plan.sampleSize,
      accept_number: plan.accept,
      reject_number: plan.reject,
      defects_found: defects,
      measurements,
      result,
      notes,
      created_at: new Date(inspectAt),
    })
    event(inspectAt, buyer, rejected ? 'disputed' : 'completed', {
      aql: input.aql,
      plan,
      level: 'II',
      notes,
      action: 'record_inspection',
      result,
      measurements: measurements.length,
      defects_found: defects,
      attachment_ids: [],
    })
    if (!rejected) {
      state.completedAt = inspectAt
      release(inspectAt, 'final')
      return finish()
    }

    // The dispute: the workshop answers, an operator decides.
    const disputeId = randomUUID()
    const dispute: Insertable<DisputesTable> = {
      id: disputeId,
      order_id: orderId,
      reason: 'inspection_rejected',
      status: 'open',
      opened_by: buyer,
      created_at: new Date(inspectAt),
    }
    rows.disputes.push(dispute)
    const answeredAt = human(rng, inspectAt, 6, 40)
    if (answeredAt <= now) {
      rows.evidence.push({
        dispute_id: disputeId,
        organization_id: workshop.id,
        author_user_id: maker,
        note: words.evidence,
        created_at: new Date(answeredAt),
      })
      event(answeredAt, maker, 'disputed', {
        action: 'add_evidence',
        note: words.evidence,
        attachment_ids: [],
      })
    }
    const resolvedAt = human(rng, Math.max(answeredAt, inspectAt), 30, 120)
    if (fate === 'dispute_open' || resolvedAt > now) return finish()
    const resolution =
      fate === 'full_refund' ? 'full_refund' : fate === 'rework' ? 'rework' : 'partial_refund'
    const note = words.resolved[resolution]
    let refunded = 0
    if (resolution !== 'rework') {
      const partial = Math.round((batchFen * between(rng, 0.1, 0.3)) / 100) * 100
      refunded = refund(resolvedAt, resolution === 'full_refund' ? 'all' : partial, resolution)
    }
    Object.assign(dispute, {
      status: 'resolved',
      resolution,
      refund_fen: refunded,
      note,
      resolved_by: operator,
      resolved_at: new Date(resolvedAt),
    })
    const to: OrderStatus =
      resolution === 'rework'
        ? 'in_production'
        : resolution === 'full_refund'
          ? 'refunded'
          : 'completed'
    event(resolvedAt, operator, to, {
      action: 'resolve_dispute',
      resolution,
      note,
      refund_fen: refunded,
    })
    if (resolution === 'full_refund') {
      state.booked = false
      return finish()
    }
    if (resolution === 'partial_refund') {
      state.completedAt = resolvedAt
      release(resolvedAt, 'final')
      return finish()
    }
    // Rework: a new batch round; shipping and delivery start again.
    state.batchRound += 1
    state.shippedAt = null
    state.deliveredAt = null
    state.reminders = {}
    productionFrom = resolvedAt
    fate = 'normal'
  }
}

// ---------------------------------------------------------------------------------------
// Entry point

/** Loads the supply workshops that take orders: verified, owned by a demo-ws login. */
async function loadWorkshops(db: Db | Tx): Promise<Workshop[]> {
  const orgs = await db
    .selectFrom('organizations')
    .innerJoin('memberships', 'memberships.organization_id', 'organizations.id')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'organizations.id',
      'organizations.name',
      'organizations.town',
      'organizations.clusters',
      'organizations.lat',
      'organizations.lng',
      'organizations.rating',
      'users.id as owner_id',
    ])
    .where('users.email', 'like', 'demo-ws-%@demo.test')
    .where('memberships.role', '=', 'owner')
    .where('organizations.kind', '=', 'workshop')
    .where('organizations.verification_status', '=', 'verified')
    .orderBy('organizations.name')
    .execute()
  const workshops = new Map<string, Workshop>()
  for (const o of orgs) {
    if (!o.clusters[0] || !o.town) continue
    workshops.set(o.id, {
      id: o.id,
      name: o.name,
      town: o.town,
      cluster: o.clusters[0],
      lat: o.lat,
      lng: o.lng,
      rating: o.rating,
      ownerId: o.owner_id,
      resources: [],
    })
  }
  if (!workshops.size) return []
  const resources = await db
    .selectFrom('resources')
    .select([
      'id',
      'organization_id',
      'process',
      'name',
      'materials',
      'hourly_rate_fen',
      'setup_fee_fen',
      'min_quantity',
      'max_quantity',
      'peak_hours_per_day',
    ])
    .where('organization_id', 'in', [...workshops.keys()])
    .where('active', '=', true)
    .orderBy('name')
    .orderBy('id')
    .execute()
  for (const r of resources) {
    const workshop = workshops.get(r.organization_id)!
    if (!processPlans[r.process] || r.peak_hours_per_day <= 0) continue
    workshop.resources.push({
      id: r.id,
      workshop,
      process: r.process,
      materials: r.materials,
      rateFen: r.hourly_rate_fen,
      setupFen: r.setup_fee_fen,
      minQty: r.min_quantity,
      maxQty: r.max_quantity,
      peak: r.peak_hours_per_day,
    })
  }
  return [...workshops.values()].filter((w) => w.resources.length)
}

async function insertAll<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}

/**
 * Adds the dashboard's history once (see the module comment) and brings the rollups up to
 * date; returns what it added, or nothing when it was there already.
 */
export async function seedDemoMetrics(db: Db, password: string): Promise<string[]> {
  const firstFirm = (q: Db | Tx) =>
    q.selectFrom('users').select('id').where('email', '=', demoFirms[0]!.email).executeTakeFirst()
  const operator = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'operator@demo.test')
    .executeTakeFirst()
  if (!operator || (await firstFirm(db))) return []
  // The firms' logins, hashed side by side before the transaction (argon2 takes its time).
  const hashes = await Promise.all(demoFirms.map(() => hashPassword(password)))
  const now = Date.now()
  const today = shanghaiToday(new Date(now))
  const summary = await db.transaction().execute(async (tx) => {
    // One seeding at a time; the second finds the firms and leaves.
    await sql`select pg_advisory_xact_lock(hashtext('demo:metrics'))`.execute(tx)
    if (await firstFirm(tx)) return undefined
    const workshops = await loadWorkshops(tx)
    if (!workshops.length) return undefined

    // As signUp makes them: the organisation, its owner, the membership.
    const firms: Firm[] = []
    for (const [i, f] of demoFirms.entries()) {
      const org = await tx
        .insertInto('organizations')
        .values({
          kind: 'design_firm',
          name: f.name,
          town: f.town,
          address: f.address,
          description: f.description,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const user = await tx
        .insertInto('users')
        .values({ email: f.email, name: f.owner, password_hash: hashes[i]!, locale: 'zh-CN' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await tx
        .insertInto('memberships')
        .values({ user_id: user.id, organization_id: org.id, role: 'owner' })
        .execute()
      firms.push({ ...f, orgId: org.id, userId: user.id })
    }

    const settings = await getPlatformSettings(tx)
    const materials = await tx.selectFrom('materials').select(['code', 'name_zh']).execute()
    const first = addDays(today, -PAST_WINDOW_DAYS)
    const calendars = new Calendars(first, PAST_WINDOW_DAYS + DEMO_HORIZON_DAYS + 1)
    const resourceIds = workshops.flatMap((w) => w.resources.map((r) => r.id))
    /** Each machine's first window day: the past it gets here ends before it. */
    const offeredFrom = new Map<string, string>()
    for (const w of await tx
      .selectFrom('capacity_windows')
      .select(['resource_id', 'starts_on', 'ends_on', 'hours_per_day'])
      .where('resource_id', 'in', resourceIds)
      .execute()) {
      calendars.offer(w.resource_id, w.starts_on, w.ends_on, w.hours_per_day)
      const known = offeredFrom.get(w.resource_id)
      if (!known || w.starts_on < known) offeredFrom.set(w.resource_id, w.starts_on)
    }
    for (const b of await tx
      .selectFrom('capacity_bookings')
      .select(['resource_id', 'starts_on', 'ends_on', 'hours'])
      .where('resource_id', 'in', resourceIds)
      .execute()) {
      calendars.book(b.resource_id, b.starts_on, b.ends_on, b.hours)
    }
    const byProcess = new Map<string, Resource[]>()
    for (const r of workshops.flatMap((w) => w.resources)) {
      byProcess.set(r.process, [...(byProcess.get(r.process) ?? []), r])
    }
    const ctx: Context = {
      rng: mulberry32(0x9e7a),
      now,
      today,
      operatorId: operator.id,
      feeBps: settings.pricingTables.platformFeeBps,
      validityDays: settings.quoteValidityDays,
      weights: settings.weights,
      materialNames: new Map(materials.map((m) => [m.code, m.name_zh])),
      workshops,
      byProcess,
      calendars,
      rows: emptyRows(),
      tally: { settled: 0, openDisputes: 0 },
    }
    const { rng, rows } = ctx

    // The machines' past: the hours they offered each day up to yesterday (or their first
    // window, when the supply was seeded days ago), in one to three stretches, more hours as
    // the platform got going (never above the machine's peak, which matching reads). Few long
    // windows: every window row queues the rollups' refresh.
    const yesterday = addDays(today, -1)
    for (const r of workshops.flatMap((w) => w.resources)) {
      const usual = [4, 6, 8, 10, 12, 16, 20, 22].filter((h) => h <= r.peak)
      let level = Math.max(0, usual.length - 1 - intBetween(rng, 0, 3))
      const stretches = intBetween(rng, 1, 3)
      const known = offeredFrom.get(r.id)
      const last = known && known <= yesterday ? addDays(known, -1) : yesterday
      let from = first
      for (let i = 0; i < stretches && from <= last; i++) {
        const planned = addDays(from, intBetween(rng, 20, Math.floor(PAST_WINDOW_DAYS / stretches)))
        const to = i === stretches - 1 || planned > last ? last : planned
        const hours = usual[level] ?? r.peak
        rows.windows.push({ resource_id: r.id, starts_on: from, ends_on: to, hours_per_day: hours })
        calendars.offer(r.id, from, to, hours)
        from = addDays(to, 1)
        level = Math.min(usual.length - 1, level + intBetween(rng, 0, 2))
      }
    }

    // Jobs day by day, more of them lately and fewer at weekends.
    for (let ago = HISTORY_DAYS; ago >= 0; ago--) {
      const day = addDays(today, -ago)
      const dow = new Date(`${day}T00:00:00Z`).getUTCDay()
      const mean =
        1.75 * (0.35 + 1.65 * (1 - ago / HISTORY_DAYS)) * (dow === 0 ? 0.3 : dow === 6 ? 0.6 : 1)
      const opened = Array.from(
        { length: poisson(rng, mean) },
        () => dayStart(day) + between(rng, 8.5, 20) * HOUR,
      ).sort((a, b) => a - b)
      for (const openedAt of opened) {
        if (openedAt > now) continue
        makeJob(ctx, weighted(rng, firms), openedAt)
      }
    }

    // Off-platform work the workshops booked themselves, so the calendars are not all idle.
    for (const r of workshops.flatMap((w) => w.resources)) {
      const share =
        r.workshop.cluster === 'lighting' ? between(rng, 0.3, 0.6) : between(rng, 0.15, 0.5)
      if (rng() < 0.2) continue
      let start = addDays(first, intBetween(rng, 0, 6))
      while (start < yesterday) {
        let end = addDays(start, intBetween(rng, 12, 30))
        if (end > yesterday) end = yesterday
        const hours = Math.round(calendars.room(r.id, start, end, share) * 10) / 10
        if (hours >= 2) {
          rows.bookings.push({
            resource_id: r.id,
            order_id: null,
            starts_on: start,
            ends_on: end,
            hours,
          })
          calendars.book(r.id, start, end, hours)
        }
        start = addDays(end, intBetween(rng, 1, 5))
      }
    }

    // Order numbers as acceptance gives them: SF + the Shanghai day + the sequence.
    rows.orders.sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
    const seqs = await sql<{ n: string }>`select nextval('order_number_seq')::text as n
      from generate_series(1, ${rows.orders.length})`.execute(tx)
    const numbers = seqs.rows.map((r) => Number(r.n)).sort((a, b) => a - b)
    rows.orders.forEach((o, i) => {
      o.number = `SF${compact(shDay(o.created_at.getTime()))}${String(numbers[i]).padStart(5, '0')}`
    })
    // A payment the refunds gave back in full is refunded (escrow.server.ts's markRefundSent).
    for (const p of rows.payments) {
      const sent = rows.refunds
        .filter((r) => r.payment_id === p.id && r.status === 'succeeded')
        .reduce((s, r) => s + r.amount_fen, 0)
      if (p.status === 'confirmed' && sent >= p.amount_fen) p.status = 'refunded'
    }
    rows.events.sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
    rows.ledger.sort((a, b) => a.created_at.getTime() - b.created_at.getTime())

    await insertAll(rows.windows, (c) => tx.insertInto('capacity_windows').values(c).execute())
    await insertAll(rows.jobs, (c) => tx.insertInto('jobs').values(c).execute())
    await insertAll(rows.matches, (c) => tx.insertInto('matches').values(c).execute())
    await insertAll(rows.quotes, (c) => tx.insertInto('quotes').values(c).execute())
    await insertAll(rows.orders, (c) => tx.insertInto('orders').values(c).execute())
    await insertAll(rows.events, (c) => tx.insertInto('order_events').values(c).execute())
    await insertAll(rows.payments, (c) => tx.insertInto('payments').values(c).execute())
    await insertAll(rows.shipments, (c) => tx.insertInto('shipments').values(c).execute())
    await insertAll(rows.reviews, (c) => tx.insertInto('sample_reviews').values(c).execute())
    await insertAll(rows.inspections, (c) => tx.insertInto('inspections').values(c).execute())
    await insertAll(rows.disputes, (c) => tx.insertInto('disputes').values(c).execute())
    await insertAll(rows.evidence, (c) => tx.insertInto('dispute_evidence').values(c).execute())
    await insertAll(rows.payouts, (c) => tx.insertInto('payouts').values(c).execute())
    await insertAll(rows.refunds, (c) => tx.insertInto('refunds').values(c).execute())
    await insertAll(rows.ledger, (c) => tx.insertInto('ledger_entries').values(c).execute())
    await insertAll(rows.bookings, (c) => tx.insertInto('capacity_bookings').values(c).execute())
    // Their completed orders and on-time share, as matching reads them.
    for (const id of new Set(
      rows.orders.filter((o) => o.status === 'completed').map((o) => o.workshop_organization_id),
    )) {
      await refreshWorkshopRecord(tx, id)
    }

    const byStatus = new Map<string, number>()
    for (const o of rows.orders) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1)
    return {
      jobs: rows.jobs.length,
      orders: rows.orders.length,
      statuses: [...byStatus]
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${n} ${s}`)
        .join(', '),
      bookings: rows.bookings.length,
    }
  })
  if (!summary) return []
  // The dashboard's rollups now, rather than when the worker has worked through the triggers'
  // queue (it recomputes the same rows).
  await rebuildAll(db)
  return [
    `${demoFirms.length} more design firms (demo-firm-01…0${demoFirms.length}@demo.test) with ${summary.jobs} jobs and ${summary.orders} orders over ${HISTORY_DAYS} days (${summary.statuses}), ${summary.bookings} past bookings`,
  ]
}
