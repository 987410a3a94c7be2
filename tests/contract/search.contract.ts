// The capability-index contract: every adapter (embedded, Meilisearch) must pass it.
// Thirty resources of fifteen Zhongshan workshops; each expectation below is one any sane
// engine agrees on (no ties left to chance, no word that is both a prefix and a typo away).
import { beforeAll, describe, expect, test } from 'vitest'
import { processByCode } from '../../app/models/processes.ts'
import { certifications, clusters, labelOf } from '../../app/models/taxonomy.ts'
import { townByCode } from '../../app/models/towns.ts'
import type {
  CapabilityDocument,
  CapabilityIndex,
  CapabilityQuery,
  CapabilitySearchResult,
} from '../../search/types.ts'

// Labels of the material catalogue (db/migrations/20261123T2015_workshops_resources.ts).
const materialLabels: Record<string, [string, string]> = {
  al6061: ['铝合金 6061', 'Aluminium 6061'],
  al7075: ['铝合金 7075', 'Aluminium 7075'],
  al5052: ['铝板 5052', 'Aluminium 5052 sheet'],
  ss304: ['不锈钢 304', 'Stainless steel 304'],
  ss316: ['不锈钢 316', 'Stainless steel 316'],
  steel45: ['45号钢', 'C45 carbon steel'],
  q235: ['Q235 碳钢板', 'Q235 mild steel sheet'],
  brass_h59: ['黄铜 H59', 'Brass H59'],
  ti_tc4: ['钛合金 TC4', 'Titanium Ti-6Al-4V'],
  pom: ['聚甲醛 POM', 'POM (acetal)'],
  abs: ['ABS 塑料', 'ABS'],
  pc: ['聚碳酸酯 PC', 'Polycarbonate PC'],
  pp: ['聚丙烯 PP', 'Polypropylene PP'],
  pla: ['PLA 线材', 'PLA filament'],
  petg: ['PETG 线材', 'PETG filament'],
  resin_std: ['标准光敏树脂', 'Standard photopolymer resin'],
  resin_tough: ['韧性光敏树脂', 'Tough photopolymer resin'],
  pa12: ['尼龙 PA12 粉末', 'Nylon PA12 powder'],
  ss316l_powder: ['316L 不锈钢粉末', '316L stainless powder'],
  alsi10mg: ['铝合金粉末 AlSi10Mg', 'AlSi10Mg aluminium powder'],
  plywood: ['多层实木板', 'Plywood'],
  oak: ['橡木', 'Oak'],
  mdf: ['中密度纤维板 MDF', 'MDF'],
  cotton: ['棉布', 'Cotton fabric'],
  polyester: ['涤纶面料', 'Polyester fabric'],
  leather: ['皮革', 'Leather'],
}

const finishLabels: Record<string, [string, string]> = {
  anodizing: ['阳极氧化', 'Anodizing'],
  polishing: ['抛光', 'Polishing'],
  brushing: ['拉丝', 'Brushing'],
}

interface Workshop {
  name: string
  town: string
  clusters: string[]
  certifications: string[]
  verified: boolean
  rating: number | null
  /** Offset from the town centre in degrees; null: location unknown. */
  offset: [number, number] | null
}

const workshops: Record<string, Workshop> = {
  w01: {
    name: '小榄精工五金厂',
    town: 'xiaolan',
    clusters: ['hardware'],
    certifications: ['iso9001'],
    verified: true,
    rating: 4.8,
    offset: [0.002, 0],
  },
  w02: {
    name: '小榄锦鸿精密机械',
    town: 'xiaolan',
    clusters: ['hardware', 'equipment'],
    certifications: ['iso9001', 'iatf16949'],
    verified: true,
    rating: 4.5,
    offset: [0, -0.012],
  },
  w03: {
    name: '古镇华艺灯饰配件厂',
    town: 'guzhen',
    clusters: ['lighting'],
    certifications: ['ccc'],
    verified: true,
    rating: 4.2,
    offset: [0.003, 0.002],
  },
  w04: {
    name: '古镇明辉灯饰抛光厂',
    town: 'guzhen',
    clusters: ['lighting'],
    certifications: [],
    verified: false,
    rating: null,
    offset: [-0.004, 0.001],
  },
  w05: {
    name: '火炬开发区中德增材制造中心',
    town: 'huoju',
    clusters: ['medical', 'electronics'],
    certifications: ['iso13485', 'iso9001'],
    verified: true,
    rating: 4.9,
    offset: [0.001, 0.001],
  },
  w06: {
    name: '火炬速成原型科技',
    town: 'huoju',
    clusters: ['electronics', 'robotics'],
    certifications: ['iso9001'],
    verified: false,
    rating: 3.9,
    offset: [-0.002, 0.003],
  },
  w07: {
    name: '沙溪纺织智能裁床中心',
    town: 'shaxi',
    clusters: ['clothing'],
    certifications: [],
    verified: true,
    rating: 4.0,
    offset: [0.001, -0.001],
  },
  w08: {
    name: '沙溪衣联服装加工',
    town: 'shaxi',
    clusters: ['clothing'],
    certifications: ['iso14001'],
    verified: false,
    rating: null,
    offset: null,
  },
  w09: {
    name: '大涌红木家具厂',
    town: 'dachong',
    clusters: ['furniture'],
    certifications: ['iso14001'],
    verified: true,
    rating: 4.6,
    offset: [0.002, 0.002],
  },
  w10: {
    name: '南头家电注塑厂',
    town: 'nantou',
    clusters: ['appliances'],
    certifications: ['iso9001', 'ccc'],
    verified: true,
    rating: 4.3,
    offset: [-0.001, 0.002],
  },
  w11: {
    name: '东凤小家电模具注塑',
    town: 'dongfeng',
    clusters: ['appliances'],
    certifications: ['iso9001'],
    verified: false,
    rating: 3.5,
    offset: [0.002, -0.002],
  },
  w12: {
    name: '黄圃钣金激光切割',
    town: 'huangpu',
    clusters: ['equipment', 'hardware'],
    certifications: ['iso9001'],
    verified: true,
    rating: 4.1,
    offset: [0, 0.002],
  },
  w13: {
    name: '东升不锈钢精密加工',
    town: 'dongsheng',
    clusters: ['hardware', 'medical'],
    certifications: ['iso13485'],
    verified: true,
    rating: 4.7,
    offset: [0.002, 0.001],
  },
  w14: {
    name: '翠亨航空钛合金加工',
    town: 'cuiheng',
    clusters: ['equipment', 'automotive'],
    certifications: ['as9100', 'iso9001'],
    verified: true,
    rating: 5.0,
    offset: [0.001, 0.002],
  },
  w15: {
    name: '港口汽配数控车削',
    town: 'gangkou',
    clusters: ['automotive'],
    certifications: ['iatf16949'],
    verified: false,
    rating: 3.8,
    offset: [-0.001, -0.001],
  },
}

interface Resource {
  workshop: string
  process: string
  materials: string[]
  name: string
  make: string
  model: string
  description: string
  finishes?: string[]
  envelopeMm: [number, number, number]
  toleranceMm: number
  idleHours4w: number
}

const resources: Record<string, Resource> = {
  r01: {
    workshop: 'w01',
    process: 'cnc_milling_5axis',
    materials: ['al6061', 'al7075'],
    name: 'DMG MORI DMU 50 五轴加工中心',
    make: 'DMG MORI',
    model: 'DMU 50',
    description: '五轴联动，适合铝合金精密零件，可配套阳极氧化。',
    finishes: ['anodizing'],
    envelopeMm: [500, 450, 400],
    toleranceMm: 0.005,
    idleHours4w: 60,
  },
  r02: {
    workshop: 'w01',
    process: 'cnc_milling_3axis',
    materials: ['al6061', 'ss304'],
    name: '台群 VMC-850 立式加工中心',
    make: '台群',
    model: 'VMC-850',
    description: '批量铝件和不锈钢件铣削。',
    envelopeMm: [850, 500, 550],
    toleranceMm: 0.01,
    idleHours4w: 120,
  },
  r03: {
    workshop: 'w02',
    process: 'cnc_milling_5axis',
    materials: ['ti_tc4', 'ss316'],
    name: 'Hermle C 42 U 五轴加工中心',
    make: 'Hermle',
    model: 'C 42 U',
    description: '钛合金和不锈钢医疗零件。',
    envelopeMm: [800, 800, 550],
    toleranceMm: 0.003,
    idleHours4w: 20,
  },
  r04: {
    workshop: 'w02',
    process: 'cnc_turning',
    materials: ['brass_h59', 'al6061'],
    name: '沈阳机床 CK6150 数控车床',
    make: '沈阳机床',
    model: 'CK6150',
    description: '黄铜接头、铝合金轴类批量车削。',
    envelopeMm: [500, 500, 1000],
    toleranceMm: 0.01,
    idleHours4w: 80,
  },
  r05: {
    workshop: 'w03',
    process: 'polishing',
    materials: ['al6061', 'brass_h59'],
    name: 'ABB IRB 4600 机器人抛光工作站',
    make: 'ABB',
    model: 'IRB 4600',
    description: '灯饰铝件、铜件自动抛光，镜面效果。',
    finishes: ['polishing'],
    envelopeMm: [1200, 800, 600],
    toleranceMm: 0.05,
    idleHours4w: 100,
  },
  r06: {
    workshop: 'w03',
    process: 'cnc_turning',
    materials: ['al6061'],
    name: '广数 GSK 980TDc 灯饰配件车床',
    make: '广数',
    model: 'GSK 980TDc',
    description: '灯杯、灯头铝件车削。',
    envelopeMm: [300, 300, 400],
    toleranceMm: 0.02,
    idleHours4w: 40,
  },
  r07: {
    workshop: 'w04',
    process: 'polishing',
    materials: ['ss304', 'brass_h59'],
    name: '手工抛光拉丝线',
    make: '',
    model: '',
    description: '不锈钢灯饰配件抛光、拉丝。',
    finishes: ['polishing', 'brushing'],
    envelopeMm: [2000, 1000, 800],
    toleranceMm: 0.1,
    idleHours4w: 200,
  },
  r08: {
    workshop: 'w05',
    process: 'sla',
    materials: ['resin_std', 'resin_tough'],
    name: '联泰 Lite 600 光固化打印机',
    make: 'UnionTech 联泰',
    model: 'Lite 600',
    description: 'SLA 光敏树脂手板，层厚 0.05 mm。',
    envelopeMm: [600, 600, 400],
    toleranceMm: 0.1,
    idleHours4w: 150,
  },
  r09: {
    workshop: 'w05',
    process: 'mjf',
    materials: ['pa12'],
    name: 'HP Jet Fusion 5200',
    make: 'HP',
    model: 'Jet Fusion 5200',
    description: '小批量功能件，粉末复用率高。',
    envelopeMm: [380, 284, 380],
    toleranceMm: 0.3,
    idleHours4w: 90,
  },
  r10: {
    workshop: 'w05',
    process: 'slm',
    materials: ['ti_tc4', 'ss316l_powder', 'alsi10mg'],
    name: '铂力特 BLT-S310 金属打印机',
    make: '铂力特',
    model: 'BLT-S310',
    description: '医疗植入物、钛合金支架。',
    envelopeMm: [250, 250, 400],
    toleranceMm: 0.1,
    idleHours4w: 30,
  },
  r11: {
    workshop: 'w06',
    process: 'fdm',
    materials: ['pla', 'petg', 'abs'],
    name: 'Bambu Lab X1E 打印农场',
    make: 'Bambu Lab',
    model: 'X1E',
    description: '二十台 FDM 打印机，快速原型。',
    envelopeMm: [256, 256, 256],
    toleranceMm: 0.2,
    idleHours4w: 300,
  },
  r12: {
    workshop: 'w06',
    process: 'sla',
    materials: ['resin_std'],
    name: 'Formlabs Form 4',
    make: 'Formlabs',
    model: 'Form 4',
    description: '小件高精度手板。',
    envelopeMm: [200, 125, 210],
    toleranceMm: 0.05,
    idleHours4w: 60,
  },
  // Its material is not in the catalogue, so no label says "nylon": only the synonym
  // nylon → pa12 finds it.
  r13: {
    workshop: 'w06',
    process: 'sls',
    materials: ['pa12_cf'],
    name: 'EOS P 396',
    make: 'EOS',
    model: 'P 396',
    description: 'PA12 碳纤维增强粉末。',
    envelopeMm: [340, 340, 600],
    toleranceMm: 0.25,
    idleHours4w: 45,
  },
  r14: {
    workshop: 'w07',
    process: 'textile_cutting',
    materials: ['cotton', 'polyester'],
    name: 'Lectra Vector iX6 自动裁床',
    make: 'Lectra',
    model: 'Vector iX6',
    description: '服装面料多层自动裁剪。',
    envelopeMm: [1800, 2200, 75],
    toleranceMm: 0.5,
    idleHours4w: 110,
  },
  r15: {
    workshop: 'w07',
    process: 'textile_cutting',
    materials: ['leather'],
    name: '爱科 BK4 皮革切割机',
    make: '爱科',
    model: 'BK4',
    description: '皮革、箱包单层切割。',
    envelopeMm: [2500, 1600, 50],
    toleranceMm: 0.3,
    idleHours4w: 70,
  },
  r16: {
    workshop: 'w08',
    process: 'textile_cutting',
    materials: ['cotton'],
    name: 'Gerber Paragon 裁剪机',
    make: 'Gerber',
    model: 'Paragon',
    description: '成衣面料裁剪。',
    envelopeMm: [1800, 1500, 60],
    toleranceMm: 0.5,
    idleHours4w: 0,
  },
  r17: {
    workshop: 'w09',
    process: 'cnc_milling_3axis',
    materials: ['oak', 'plywood', 'mdf'],
    name: '先达 1325 木工雕刻机',
    make: '先达',
    model: '1325',
    description: '红木家具雕花、板式家具开料。',
    envelopeMm: [2500, 1300, 200],
    toleranceMm: 0.1,
    idleHours4w: 90,
  },
  r18: {
    workshop: 'w09',
    process: 'cnc_milling_5axis',
    materials: ['oak'],
    name: 'SCM Accord 25 FX 木工中心',
    make: 'SCM',
    model: 'Accord 25 FX',
    description: '实木椅子曲面部件。',
    envelopeMm: [3000, 1500, 400],
    toleranceMm: 0.1,
    idleHours4w: 35,
  },
  r19: {
    workshop: 'w10',
    process: 'injection_molding',
    materials: ['abs', 'pc', 'pp'],
    name: '海天 MA3600 注塑机',
    make: '海天',
    model: 'MA3600',
    description: '家电外壳，360 吨。',
    envelopeMm: [700, 700, 600],
    toleranceMm: 0.05,
    idleHours4w: 140,
  },
  r20: {
    workshop: 'w10',
    process: 'injection_molding',
    materials: ['pp', 'abs'],
    name: '伊之密 UN260A5 注塑机',
    make: '伊之密',
    model: 'UN260A5',
    description: '小家电塑料件。',
    envelopeMm: [500, 500, 450],
    toleranceMm: 0.05,
    idleHours4w: 60,
  },
  r21: {
    workshop: 'w11',
    process: 'injection_molding',
    materials: ['abs', 'pom'],
    name: '东华 DH260 注塑机',
    make: '东华',
    model: 'DH260',
    description: '电饭煲配件。',
    envelopeMm: [460, 460, 500],
    toleranceMm: 0.05,
    idleHours4w: 25,
  },
  r22: {
    workshop: 'w11',
    process: 'cnc_milling_3axis',
    materials: ['steel45', 'al6061'],
    name: 'Okuma MB-46VAE 模具加工中心',
    make: 'Okuma',
    model: 'MB-46VAE',
    description: '模具型腔加工。',
    envelopeMm: [762, 460, 460],
    toleranceMm: 0.01,
    idleHours4w: 50,
  },
  r23: {
    workshop: 'w12',
    process: 'laser_cutting',
    materials: ['q235', 'ss304', 'al5052'],
    name: '大族 G3015 光纤激光切割机',
    make: '大族激光',
    model: 'G3015',
    description: '6 kW 光纤，碳钢、不锈钢、铝板下料。',
    envelopeMm: [3000, 1500, 25],
    toleranceMm: 0.1,
    idleHours4w: 160,
  },
  r24: {
    workshop: 'w12',
    process: 'sheet_metal',
    materials: ['q235', 'ss304'],
    name: '亚威 PBH-110 数控折弯机',
    make: '亚威',
    model: 'PBH-110',
    description: '机柜外壳折弯。',
    envelopeMm: [3100, 400, 300],
    toleranceMm: 0.2,
    idleHours4w: 75,
  },
  r25: {
    workshop: 'w13',
    process: 'cnc_milling_5axis',
    materials: ['ss316', 'ti_tc4'],
    name: 'GF Mikron HSM 400U 高速铣',
    make: 'GF Mikron',
    model: 'HSM 400U',
    description: '医疗器械零件。',
    envelopeMm: [400, 300, 250],
    toleranceMm: 0.008,
    idleHours4w: 55,
  },
  // A Swiss-type lathe: a long thin envelope, entered x, y, z as 60 × 400 × 25.
  r26: {
    workshop: 'w13',
    process: 'cnc_turning',
    materials: ['ss304'],
    name: 'Citizen L20 走心机',
    make: 'Citizen',
    model: 'L20',
    description: '细长轴、医疗针件车削。',
    envelopeMm: [60, 400, 25],
    toleranceMm: 0.005,
    idleHours4w: 65,
  },
  r27: {
    workshop: 'w15',
    process: 'cnc_turning',
    materials: ['steel45', 'al6061'],
    name: 'Mazak QT-250 车削中心',
    make: 'Mazak',
    model: 'QT-250',
    description: '汽车零部件车削。',
    envelopeMm: [380, 380, 550],
    toleranceMm: 0.01,
    idleHours4w: 95,
  },
  r28: {
    workshop: 'w14',
    process: 'cnc_milling_5axis',
    materials: ['ti_tc4', 'al7075'],
    name: 'DMG MORI DMU 65 monoBLOCK',
    make: 'DMG MORI',
    model: 'DMU 65 monoBLOCK',
    description: '航空结构件。',
    envelopeMm: [735, 650, 560],
    toleranceMm: 0.005,
    idleHours4w: 10,
  },
  r29: {
    workshop: 'w14',
    process: 'slm',
    materials: ['ti_tc4'],
    name: 'EOS M 290',
    make: 'EOS',
    model: 'M 290',
    description: '航空金属打印件。',
    envelopeMm: [250, 250, 325],
    toleranceMm: 0.08,
    idleHours4w: 15,
  },
  r30: {
    workshop: 'w01',
    process: 'sheet_metal',
    materials: ['al5052', 'ss304'],
    name: '金丰 JH21-80 冲床',
    make: '金丰',
    model: 'JH21-80',
    description: '钣金冲压，铝板与不锈钢板。',
    envelopeMm: [1200, 800, 300],
    toleranceMm: 0.1,
    idleHours4w: 40,
  },
}

function keywordsOf(r: Resource, w: Workshop): string {
  const process = processByCode(r.process)
  const town = townByCode(w.town)
  return [
    process?.zh,
    process?.en,
    ...r.materials.flatMap((m) => materialLabels[m] ?? []),
    town?.zh,
    town?.en,
    ...w.clusters.flatMap((c) => [labelOf(clusters, c, 'zh'), labelOf(clusters, c, 'en')]),
    ...w.certifications.flatMap((c) => [
      labelOf(certifications, c, 'zh'),
      labelOf(certifications, c, 'en'),
    ]),
    ...(r.finishes ?? []).flatMap((f) => finishLabels[f] ?? []),
  ]
    .filter(Boolean)
    .join(' ')
}

function geoOf(w: Workshop): { lat: number; lng: number } | null {
  const town = townByCode(w.town)
  if (!town || !w.offset) return null
  return { lat: town.lat + w.offset[0], lng: town.lng + w.offset[1] }
}

export function contractDocument(id: string): CapabilityDocument {
  const r = resources[id]
  if (!r) throw new Error(`no fixture resource ${id}`)
  const w = workshops[r.workshop] as Workshop
  return {
    id,
    workshopId: r.workshop,
    workshopName: w.name,
    town: w.town,
    clusters: w.clusters,
    certifications: w.certifications,
    verified: w.verified,
    rating: w.rating,
    process: r.process,
    materials: r.materials,
    name: r.name,
    make: r.make,
    model: r.model,
    description: r.description,
    finishes: r.finishes ?? [],
    envelopeMm: r.envelopeMm,
    toleranceMm: r.toleranceMm,
    idleHours4w: r.idleHours4w,
    geo: geoOf(w),
    keywords: keywordsOf(r, w),
  }
}

export const contractDocuments: CapabilityDocument[] = Object.keys(resources).map(contractDocument)

const xiaolan = townByCode('xiaolan') as { lat: number; lng: number }

const ids = (result: CapabilitySearchResult) => result.hits.map((h) => h.document.id)
const sortedIds = (result: CapabilitySearchResult) => ids(result).sort()
const all = (query: Omit<CapabilityQuery, 'page' | 'perPage'>): CapabilityQuery => ({
  ...query,
  page: 1,
  perPage: 100,
})

/** Haversine in km, for the expected distances. */
function km(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h))
}

export function runCapabilityIndexContract(
  name: string,
  makeIndex: () => Promise<CapabilityIndex>,
) {
  async function loaded(documents = contractDocuments) {
    const index = await makeIndex()
    await index.configure()
    await index.replaceAll(documents)
    return index
  }

  describe(`capability index contract: ${name}`, () => {
    // Read-only tests share one loaded index; tests that write make their own.
    let index: CapabilityIndex
    beforeAll(async () => {
      index = await loaded()
    })

    describe('text', () => {
      test('Chinese words must all match: 五轴 铝合金', async () => {
        expect(sortedIds(await index.search(all({ q: '五轴 铝合金' })))).toEqual(['r01', 'r28'])
      })

      test('mixed Latin and Chinese: SLA 光敏树脂', async () => {
        expect(sortedIds(await index.search(all({ q: 'SLA 光敏树脂' })))).toEqual(['r08', 'r12'])
      })

      test('a single Chinese word: 抛光', async () => {
        expect(sortedIds(await index.search(all({ q: '抛光' })))).toEqual(['r05', 'r07'])
      })

      test('English words, cnc also finding 数控: cnc aluminium', async () => {
        expect(sortedIds(await index.search(all({ q: 'cnc aluminium' })))).toEqual([
          'r01',
          'r02',
          'r04',
          'r06',
          'r22',
          'r27',
          'r28',
        ])
      })

      test('a misspelt English word finds the right one: alumnium', async () => {
        expect(sortedIds(await index.search(all({ q: 'alumnium' })))).toEqual([
          'r01',
          'r02',
          'r04',
          'r05',
          'r06',
          'r10',
          'r22',
          'r23',
          'r27',
          'r28',
          'r30',
        ])
      })

      test('full-width ＣＮＣ is cnc', async () => {
        const fullWidth = await index.search(all({ q: 'ＣＮＣ' }))
        const ascii = await index.search(all({ q: 'cnc' }))
        expect(sortedIds(fullWidth)).toEqual(sortedIds(ascii))
        expect(sortedIds(ascii)).toEqual([
          'r01',
          'r02',
          'r03',
          'r04',
          'r06',
          'r17',
          'r18',
          'r22',
          'r24',
          'r25',
          'r26',
          'r27',
          'r28',
        ])
      })

      test('synonyms: 3D打印 finds every additive process, including MJF and SLS', async () => {
        expect(sortedIds(await index.search(all({ q: '3D打印' })))).toEqual([
          'r08',
          'r09',
          'r10',
          'r11',
          'r12',
          'r13',
          'r29',
        ])
      })

      test('synonyms: nylon finds PA12, even where no label says nylon', async () => {
        expect(sortedIds(await index.search(all({ q: 'nylon' })))).toEqual(['r09', 'r13'])
      })

      test('synonyms across languages: laser cutting finds 激光切割', async () => {
        expect(sortedIds(await index.search(all({ q: 'laser cutting' })))).toEqual(['r23', 'r24'])
      })

      test('two words that never occur together find nothing', async () => {
        const result = await index.search(all({ q: '注塑 钛合金' }))
        expect(result.total).toBe(0)
        expect(result.hits).toEqual([])
        expect((await index.search(all({ q: '注塑' }))).total).toBe(4)
        expect((await index.search(all({ q: '钛合金' }))).total).toBe(5)
      })

      test('hits carry the whole document as indexed (keywords, for matching only, may be empty)', async () => {
        const result = await index.search(all({ q: '走心机' }))
        const expected = contractDocument('r26')
        expect(result.hits).toEqual([{ document: { ...expected, keywords: expect.any(String) } }])
        expect(['', expected.keywords]).toContain(result.hits[0]!.document.keywords)
      })
    })

    describe('filters', () => {
      test('process', async () => {
        expect(sortedIds(await index.search(all({ process: ['sla'] })))).toEqual(['r08', 'r12'])
      })

      test('several values of one facet mean OR', async () => {
        expect(sortedIds(await index.search(all({ process: ['sla', 'mjf'] })))).toEqual([
          'r08',
          'r09',
          'r12',
        ])
      })

      test('material, matching any of a resource’s materials', async () => {
        expect(sortedIds(await index.search(all({ material: ['ti_tc4'] })))).toEqual([
          'r03',
          'r10',
          'r25',
          'r28',
          'r29',
        ])
      })

      test('town', async () => {
        expect(sortedIds(await index.search(all({ town: ['guzhen'] })))).toEqual([
          'r05',
          'r06',
          'r07',
        ])
      })

      test('cluster', async () => {
        expect(sortedIds(await index.search(all({ cluster: ['clothing'] })))).toEqual([
          'r14',
          'r15',
          'r16',
        ])
      })

      test('certification', async () => {
        expect(sortedIds(await index.search(all({ certification: ['iso13485'] })))).toEqual([
          'r08',
          'r09',
          'r10',
          'r25',
          'r26',
        ])
      })

      test('verified: false', async () => {
        expect(sortedIds(await index.search(all({ verified: false })))).toEqual([
          'r07',
          'r11',
          'r12',
          'r13',
          'r16',
          'r21',
          'r22',
          'r27',
        ])
      })

      test('different facets mean AND', async () => {
        const q = all({ town: ['xiaolan'], process: ['cnc_milling_5axis', 'cnc_turning'] })
        expect(sortedIds(await index.search(q))).toEqual(['r01', 'r03', 'r04'])
      })

      test('an unknown facet value matches nothing', async () => {
        expect((await index.search(all({ process: ['edm'] }))).total).toBe(0)
      })

      test('text and filters together', async () => {
        const q = all({ q: 'cnc', town: ['xiaolan'], verified: true })
        expect(sortedIds(await index.search(q))).toEqual(['r01', 'r02', 'r03', 'r04'])
      })

      test('envelope: the part fits when rotated (300 × 50 × 20 in 60 × 400 × 25)', async () => {
        const fits = await index.search(
          all({ process: ['cnc_turning'], minEnvelopeMm: [300, 50, 20] }),
        )
        expect(sortedIds(fits)).toEqual(['r04', 'r06', 'r26', 'r27'])
        const tooThick = await index.search(
          all({ process: ['cnc_turning'], minEnvelopeMm: [300, 50, 30] }),
        )
        expect(sortedIds(tooThick)).toEqual(['r04', 'r06', 'r27'])
        const tooLong = await index.search(all({ minEnvelopeMm: [3050, 100, 100] }))
        expect(sortedIds(tooLong)).toEqual(['r24'])
      })

      test('tolerance: at most the given value, bounds included', async () => {
        expect(sortedIds(await index.search(all({ maxToleranceMm: 0.005 })))).toEqual([
          'r01',
          'r03',
          'r26',
          'r28',
        ])
      })

      test('idle hours: at least the given value, bounds included', async () => {
        expect(sortedIds(await index.search(all({ minIdleHours: 150 })))).toEqual([
          'r07',
          'r08',
          'r11',
          'r23',
        ])
      })

      test('geo radius: 15 km around 小榄', async () => {
        const result = await index.search(all({ near: xiaolan, radiusKm: 15 }))
        expect(sortedIds(result)).toEqual([
          'r01',
          'r02',
          'r03',
          'r04',
          'r05',
          'r06',
          'r07',
          'r19',
          'r20',
          'r21',
          'r22',
          'r23',
          'r24',
          'r25',
          'r26',
          'r30',
        ])
        for (const hit of result.hits) {
          expect(hit.distanceKm).toBeLessThanOrEqual(15)
          expect(hit.distanceKm).toBeCloseTo(km(xiaolan, hit.document.geo!), 2)
        }
      })

      test('a resource without a location is never inside a radius', async () => {
        const result = await index.search(all({ town: ['shaxi'], near: xiaolan, radiusKm: 100 }))
        expect(sortedIds(result)).toEqual(['r14', 'r15'])
      })
    })

    describe('facets', () => {
      test('counts over the whole filtered result, not only the page', async () => {
        const result = await index.search({ town: ['guzhen'], page: 1, perPage: 1 })
        expect(result.hits).toHaveLength(1)
        expect(result.total).toBe(3)
        expect(result.facets).toEqual({
          process: { polishing: 2, cnc_turning: 1 },
          material: { al6061: 2, brass_h59: 2, ss304: 1 },
          town: { guzhen: 3 },
          cluster: { lighting: 3 },
          certification: { ccc: 2 },
          verified: { true: 2, false: 1 },
        })
      })

      test('counts follow the text query', async () => {
        const result = await index.search(all({ q: '3D打印' }))
        expect(result.facets.process).toEqual({ sla: 2, slm: 2, mjf: 1, fdm: 1, sls: 1 })
        expect(result.facets.town).toEqual({ huoju: 6, cuiheng: 1 })
        expect(result.facets.verified).toEqual({ true: 4, false: 3 })
      })

      test('every document counts once per value in an unfiltered browse', async () => {
        const result = await index.search({ page: 1, perPage: 5 })
        expect(result.total).toBe(30)
        const processTotal = Object.values(result.facets.process).reduce((a, b) => a + b, 0)
        expect(processTotal).toBe(30)
        expect(result.facets.verified).toEqual({ true: 22, false: 8 })
        expect(result.facets.material.ss304).toBe(6)
      })
    })

    describe('sorting', () => {
      test('relevance without words: rating, then id', async () => {
        const result = await index.search(all({ cluster: ['appliances'] }))
        expect(ids(result)).toEqual(['r19', 'r20', 'r21', 'r22'])
        const lighting = await index.search(all({ cluster: ['lighting'], sort: 'relevance' }))
        expect(ids(lighting)).toEqual(['r05', 'r06', 'r07'])
      })

      test('rating: best first, unrated last, ties by id', async () => {
        const result = await index.search(all({ sort: 'rating' }))
        // prettier-ignore
        expect(ids(result)).toEqual([
          'r28', 'r29', // 5.0
          'r08', 'r09', 'r10', // 4.9
          'r01', 'r02', 'r30', // 4.8
          'r25', 'r26', // 4.7
          'r17', 'r18', // 4.6
          'r03', 'r04', // 4.5
          'r19', 'r20', // 4.3
          'r05', 'r06', // 4.2
          'r23', 'r24', // 4.1
          'r14', 'r15', // 4.0
          'r11', 'r12', 'r13', // 3.9
          'r27', // 3.8
          'r21', 'r22', // 3.5
          'r07', 'r16', // not rated
        ])
      })

      test('rating applies strictly even with words', async () => {
        const result = await index.search(all({ q: '抛光', sort: 'rating' }))
        expect(ids(result)).toEqual(['r05', 'r07'])
        const cnc = await index.search(all({ q: 'cnc', town: ['xiaolan'], sort: 'rating' }))
        expect(ids(cnc)).toEqual(['r01', 'r02', 'r03', 'r04'])
      })

      test('idle hours: most first, ties by id', async () => {
        const result = await index.search(
          all({ process: ['polishing', 'textile_cutting'], sort: 'idle' }),
        )
        expect(ids(result)).toEqual(['r07', 'r14', 'r05', 'r15', 'r16'])
        const ties = await index.search(
          all({ minIdleHours: 60, maxToleranceMm: 0.05, sort: 'idle' }),
        )
        expect(ids(ties)).toEqual(['r19', 'r02', 'r05', 'r27', 'r04', 'r26', 'r01', 'r12', 'r20'])
      })

      test('distance: nearest first, with distances', async () => {
        const result = await index.search(
          all({ process: ['cnc_milling_5axis'], near: xiaolan, sort: 'distance' }),
        )
        expect(ids(result)).toEqual(['r01', 'r03', 'r25', 'r18', 'r28'])
        const distances = result.hits.map((h) => h.distanceKm as number)
        expect([...distances].sort((a, b) => a - b)).toEqual(distances)
        result.hits.forEach((hit) => {
          expect(hit.distanceKm).toBeCloseTo(km(xiaolan, hit.document.geo!), 2)
        })
      })

      test('distance: a resource without a location comes last, without a distance', async () => {
        const result = await index.search(
          all({ cluster: ['clothing'], near: xiaolan, sort: 'distance' }),
        )
        expect(ids(result)).toEqual(['r14', 'r15', 'r16'])
        expect(result.hits[2]?.distanceKm).toBeUndefined()
      })

      test('distance without a point to measure from is refused', async () => {
        await expect(index.search(all({ sort: 'distance' }))).rejects.toThrow(/near/)
      })
    })

    describe('pagination', () => {
      test('page 2 continues page 1 and the total stays', async () => {
        const everything = await index.search({ sort: 'idle', page: 1, perPage: 30 })
        const page1 = await index.search({ sort: 'idle', page: 1, perPage: 10 })
        const page2 = await index.search({ sort: 'idle', page: 2, perPage: 10 })
        expect(page1.total).toBe(30)
        expect(page2.total).toBe(30)
        expect(page2.page).toBe(2)
        expect(page2.perPage).toBe(10)
        expect(ids(page1)).toEqual(ids(everything).slice(0, 10))
        expect(ids(page2)).toEqual(ids(everything).slice(10, 20))
      })

      test('a page past the end is empty, the total stays', async () => {
        const result = await index.search({ sort: 'idle', page: 4, perPage: 10 })
        expect(result.hits).toEqual([])
        expect(result.total).toBe(30)
      })
    })

    describe('writes', () => {
      test('health reports the documents', async () => {
        expect(await index.health()).toEqual({ status: 'up', documents: 30 })
      })

      test('an upserted document is found by its new text and facets at once', async () => {
        const own = await loaded()
        const before = await own.search(all({ q: '牛仔布' }))
        expect(before.total).toBe(0)
        await own.upsert([
          {
            ...contractDocument('r16'),
            description: '牛仔布裁剪。',
            town: 'xiaolan',
            keywords: contractDocument('r16').keywords.replace('沙溪 Shaxi', '小榄 Xiaolan'),
            idleHours4w: 500,
          },
        ])
        const after = await own.search(all({ q: '牛仔布' }))
        expect(ids(after)).toEqual(['r16'])
        expect(after.hits[0]?.document.town).toBe('xiaolan')
        expect(after.facets.town).toEqual({ xiaolan: 1 })
        expect((await own.search(all({ q: '成衣' }))).total).toBe(0)
        expect((await own.search(all({ town: ['shaxi'] }))).total).toBe(2)
        expect(ids(await own.search({ sort: 'idle', page: 1, perPage: 1 }))).toEqual(['r16'])
        expect((await own.search({ page: 1, perPage: 1 })).total).toBe(30)
      })

      test('an upserted new document is added', async () => {
        const own = await loaded()
        await own.upsert([
          { ...contractDocument('r12'), id: 'r31', name: 'Formlabs Form 4L', model: 'Form 4L' },
        ])
        expect(sortedIds(await own.search(all({ process: ['sla'] })))).toEqual([
          'r08',
          'r12',
          'r31',
        ])
        expect(await own.health()).toEqual({ status: 'up', documents: 31 })
      })

      test('a removed document is gone from text, filters and facets', async () => {
        const own = await loaded()
        await own.remove(['r13', 'no-such-id'])
        expect(sortedIds(await own.search(all({ q: 'nylon' })))).toEqual(['r09'])
        expect((await own.search(all({ process: ['sls'] }))).total).toBe(0)
        const browse = await own.search({ page: 1, perPage: 1 })
        expect(browse.total).toBe(29)
        expect(browse.facets.process.sls).toBeUndefined()
      })

      test('replaceAll replaces everything', async () => {
        const own = await loaded()
        await own.replaceAll([contractDocument('r01'), contractDocument('r14')])
        const browse = await own.search(all({}))
        expect(sortedIds(browse)).toEqual(['r01', 'r14'])
        expect(browse.facets.town).toEqual({ xiaolan: 1, shaxi: 1 })
        expect((await own.search(all({ q: '抛光' }))).total).toBe(0)
        expect(await own.health()).toEqual({ status: 'up', documents: 2 })
      })

      test('replaceAll takes batches as they are read; a repeated id keeps its last document', async () => {
        const own = await loaded()
        const renamed = { ...contractDocument('r01'), name: '旧名字 camshaft grinder' }
        let served = 0
        async function* batches() {
          served++
          yield [renamed, contractDocument('r14')]
          served++
          yield [contractDocument('r02'), contractDocument('r01')]
        }
        await own.replaceAll(batches())
        expect(served).toBe(2)
        const browse = await own.search(all({}))
        expect(sortedIds(browse)).toEqual(['r01', 'r02', 'r14'])
        expect((await own.search(all({ q: 'camshaft' }))).total).toBe(0)
        expect(await own.health()).toEqual({ status: 'up', documents: 3 })
      })
    })
  })
}
