import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Tx } from '../client.ts'
import type { VerificationStatus } from '../schema.ts'
import { signUp } from '../../app/models/user.server.ts'
import { EmailTakenError } from '../../app/models/errors.ts'
import { usccCheckCharacter } from '../../app/models/uscc.ts'
import { townByCode, type TownCode } from '../../app/models/towns.ts'
import { processByCode, type ProcessCode } from '../../app/models/processes.ts'
import type { CertificationCode, ClusterCode } from '../../app/models/taxonomy.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'

// The supply side of the demo set: workshops across Zhongshan's towns, each with the
// machines of its town's industry cluster, idle capacity for the coming 8 weeks and a
// few bookings. Deterministic (seeded PRNG) apart from ids and dates relative to today;
// safe to run again: a workshop whose owner login exists is skipped.

// ---------------------------------------------------------------------------------------
// Deterministic helpers

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rng = () => number

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!
const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo)
const intBetween = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1))
const roundTo = (n: number, step: number) => Math.round(n / step) * step

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

/**
 * A valid 统一社会信用代码 for a Zhongshan company (registration authority 9 = 市场监管,
 * type 1 = enterprise, area 442000 = 中山市), deterministic in `seed`. Two in three use
 * the post-2015 organisation codes that start with "MA".
 */
export function demoUscc(seed: number): string {
  const rng = mulberry32(0x51ed + seed * 7919)
  const body =
    seed % 3 === 0
      ? Array.from({ length: 9 }, () => pick(rng, '0123456789'.split(''))).join('')
      : `MA${pick(rng, ['4', '5'])}${Array.from({ length: 6 }, () => pick(rng, USCC_CHARSET.split(''))).join('')}`
  const first17 = `91442000${body}`
  return first17 + usccCheckCharacter(first17)!
}

/** `today` … `today + 55`: the 8 weeks the demo offers capacity for. */
export const DEMO_HORIZON_DAYS = 56

// ---------------------------------------------------------------------------------------
// Machines: make, model and plausible capabilities per process

interface Machine {
  process: ProcessCode
  /** Short brand used in the resource's display name. */
  brand: string
  make: string
  model: string
  kind: string
  envelope: [number, number, number]
  tolerance: number
  /** The first two are always listed; each further one with probability 0.6. */
  materials: string[]
  finishes: string[]
  /** Yuan per hour, range. */
  rate: [number, number]
  /** Yuan per job, range. */
  setup: [number, number]
  quantity: [number, number | null]
  text: string
}

const SUBTRACTIVE_METALS = ['al6061', 'ss304', 'al7075', 'adc12', 'steel45', 'brass_h59', 'pom']
const WOOD = ['plywood', 'mdf', 'oak']
const SHEET_METALS = ['q235', 'ss304', 'al5052', 'al6061', 'ss316', 'copper_t2']
const MOULDING_PLASTICS = ['abs', 'pp', 'pc', 'pa66', 'pom']
const POLISHABLE = ['adc12', 'al6061', 'ss304', 'brass_h59', 'copper_t2', 'al7075', 'ss316']

const machines = {
  // 三轴数控铣
  haas_vf2: {
    process: 'cnc_milling_3axis',
    brand: 'Haas',
    make: 'Haas',
    model: 'VF-2',
    kind: '立式加工中心',
    envelope: [762, 406, 508],
    tolerance: 0.02,
    materials: SUBTRACTIVE_METALS,
    finishes: ['阳极氧化', '喷砂', '拉丝'],
    rate: [90, 120],
    setup: [150, 300],
    quantity: [1, 2000],
    text: '三轴立式加工中心，FANUC 兼容编程，适合铝合金散热器、五金支架、治具的小批量加工。',
  },
  haas_vf4: {
    process: 'cnc_milling_3axis',
    brand: 'Haas',
    make: 'Haas',
    model: 'VF-4',
    kind: '立式加工中心',
    envelope: [1270, 508, 635],
    tolerance: 0.02,
    materials: SUBTRACTIVE_METALS,
    finishes: ['阳极氧化', '喷砂', '喷粉'],
    rate: [100, 140],
    setup: [200, 400],
    quantity: [1, 2000],
    text: '长行程三轴加工中心，可加工 1.2 米级灯体、底座和模板。',
  },
  mazak_vcn530: {
    process: 'cnc_milling_3axis',
    brand: 'Mazak',
    make: 'Mazak 马扎克',
    model: 'VCN-530C',
    kind: '立式加工中心',
    envelope: [1050, 530, 510],
    tolerance: 0.015,
    materials: ['al6061', 'steel45', 'ss304', 'al7075', 'ss316', 'brass_h59'],
    finishes: ['阳极氧化', '发黑', '镀镍'],
    rate: [110, 150],
    setup: [200, 400],
    quantity: [1, 3000],
    text: '日系立式加工中心，刚性好，适合钢件、模架和汽配零件。',
  },
  fanuc_robodrill: {
    process: 'cnc_milling_3axis',
    brand: 'FANUC',
    make: 'FANUC 发那科',
    model: 'Robodrill α-D21MiB5',
    kind: '钻攻中心',
    envelope: [700, 400, 330],
    tolerance: 0.01,
    materials: ['adc12', 'al6061', 'brass_h59', 'copper_t2', 'al7075'],
    finishes: ['去毛刺', '喷砂'],
    rate: [80, 110],
    setup: [150, 300],
    quantity: [100, 50000],
    text: '高速钻攻中心，压铸件钻孔攻牙和小件批量精加工，换刀 0.7 秒。',
  },
  brother_s700: {
    process: 'cnc_milling_3axis',
    brand: 'Brother',
    make: '兄弟 Brother',
    model: 'Speedio S700X2',
    kind: '钻攻中心',
    envelope: [700, 400, 300],
    tolerance: 0.01,
    materials: ['al6061', 'adc12', 'al7075', 'brass_h59', 'pc', 'abs'],
    finishes: ['阳极氧化', '喷砂', '镭雕'],
    rate: [80, 110],
    setup: [150, 300],
    quantity: [50, 50000],
    text: '高速钻攻中心，适合电子产品铝外壳、中框和结构件批量加工。',
  },
  jingdiao_jdvt600: {
    process: 'cnc_milling_3axis',
    brand: '北京精雕',
    make: '北京精雕 JingDiao',
    model: 'JDVT600',
    kind: '精雕机',
    envelope: [600, 500, 300],
    tolerance: 0.005,
    materials: ['al6061', 'copper_t2', 'al7075', 'ss304', 'pmma', 'pc', 'brass_h59'],
    finishes: ['镜面抛光', '阳极氧化', '高光'],
    rate: [110, 150],
    setup: [200, 400],
    quantity: [1, 1000],
    text: '高速精雕机，在机测量，适合透镜模仁、电极、精密小件和高光面加工。',
  },
  taikan_v856: {
    process: 'cnc_milling_3axis',
    brand: '台群',
    make: '台群精机 Taikan',
    model: 'T-V856S',
    kind: '立式加工中心',
    envelope: [800, 550, 550],
    tolerance: 0.02,
    materials: ['al6061', 'steel45', 'ss304', 'adc12', 'brass_h59'],
    finishes: ['阳极氧化', '喷粉'],
    rate: [80, 110],
    setup: [150, 300],
    quantity: [1, 2000],
    text: '常规三轴加工中心，五金件、夹具和压铸件二次加工。',
  },
  nanxing_router: {
    process: 'cnc_milling_3axis',
    brand: '南兴',
    make: '南兴装备 Nanxing',
    model: 'NCG2512',
    kind: '数控开料雕刻机',
    envelope: [2500, 1250, 200],
    tolerance: 0.1,
    materials: WOOD,
    finishes: ['打磨', '封边', 'PU 喷漆'],
    rate: [60, 90],
    setup: [100, 200],
    quantity: [1, 5000],
    text: '板式家具数控开料、打孔、开槽一体机，自动上下料，适合多层板、MDF 和实木面板。',
  },
  homag_p110: {
    process: 'cnc_milling_3axis',
    brand: 'HOMAG',
    make: '豪迈 HOMAG',
    model: 'CENTATEQ P-110',
    kind: '木工数控加工中心',
    envelope: [3100, 1550, 150],
    tolerance: 0.1,
    materials: ['oak', 'plywood', 'mdf'],
    finishes: ['打磨', '封边', '木蜡油'],
    rate: [90, 130],
    setup: [150, 300],
    quantity: [1, 3000],
    text: '德国豪迈木工加工中心，实木门板、柜体和异形件的铣型、钻孔与开榫。',
  },

  // 五轴数控铣
  dmu50: {
    process: 'cnc_milling_5axis',
    brand: 'DMG MORI',
    make: 'DMG MORI',
    model: 'DMU 50',
    kind: '五轴加工中心',
    envelope: [500, 450, 400],
    tolerance: 0.01,
    materials: ['al6061', 'al7075', 'ss304', 'ss316', 'ti_tc4'],
    finishes: ['阳极氧化', '喷砂'],
    rate: [170, 210],
    setup: [300, 500],
    quantity: [1, 500],
    text: '五轴联动加工中心，一次装夹完成多面加工，适合机器人关节、叶轮和复杂结构件。',
  },
  jingdiao_jdgr200: {
    process: 'cnc_milling_5axis',
    brand: '北京精雕',
    make: '北京精雕 JingDiao',
    model: 'JDGR200',
    kind: '五轴高速加工中心',
    envelope: [450, 400, 250],
    tolerance: 0.005,
    materials: ['al6061', 'ss304', 'al7075', 'ti_tc4', 'copper_t2', 'steel45'],
    finishes: ['镜面抛光', '阳极氧化'],
    rate: [180, 240],
    setup: [300, 600],
    quantity: [1, 500],
    text: '五轴高速精密加工，在机测量补偿，适合模具镶件、医疗器械和精密零件。',
  },
  mazak_variaxis: {
    process: 'cnc_milling_5axis',
    brand: 'Mazak',
    make: 'Mazak 马扎克',
    model: 'VARIAXIS i-600',
    kind: '五轴加工中心',
    envelope: [600, 650, 530],
    tolerance: 0.008,
    materials: ['al7075', 'ss304', 'al6061', 'ti_tc4', 'steel45', 'ss316'],
    finishes: ['阳极氧化', '喷砂', '钝化'],
    rate: [200, 260],
    setup: [400, 800],
    quantity: [1, 1000],
    text: '五轴立式加工中心，带托盘交换，可无人值守夜班加工。',
  },
  hermle_c42: {
    process: 'cnc_milling_5axis',
    brand: 'Hermle',
    make: 'Hermle 哈默',
    model: 'C 42 U',
    kind: '五轴加工中心',
    envelope: [800, 800, 550],
    tolerance: 0.005,
    materials: ['ti_tc4', 'ss316', 'al7075', 'pom', 'pc', 'ss304'],
    finishes: ['钝化', '电解抛光', '喷砂'],
    rate: [260, 320],
    setup: [500, 1000],
    quantity: [1, 500],
    text: '德国五轴加工中心，恒温车间，适合骨科植入物、手术器械和精密医疗零件。',
  },
  kede_kmc800: {
    process: 'cnc_milling_5axis',
    brand: '科德',
    make: '科德数控 KEDE',
    model: 'KMC800U',
    kind: '五轴立式加工中心',
    envelope: [800, 700, 550],
    tolerance: 0.008,
    materials: ['al6061', 'steel45', 'al7075', 'ss304', 'ti_tc4'],
    finishes: ['阳极氧化', '喷砂'],
    rate: [180, 230],
    setup: [300, 600],
    quantity: [1, 800],
    text: '国产五轴立式加工中心，全闭环控制，适合模具和精密结构件。',
  },
  scm_5axis: {
    process: 'cnc_milling_5axis',
    brand: 'SCM',
    make: 'SCM 意大利',
    model: 'Accord 25 FX',
    kind: '五轴木工加工中心',
    envelope: [3200, 1600, 300],
    tolerance: 0.1,
    materials: ['oak', 'plywood', 'mdf'],
    finishes: ['打磨', '木蜡油', 'PU 喷漆'],
    rate: [150, 200],
    setup: [200, 400],
    quantity: [1, 1000],
    text: '五轴木工加工中心，实木椅腿、扶手和曲面造型件一次成型。',
  },

  // 数控车削
  mazak_qtn200: {
    process: 'cnc_turning',
    brand: 'Mazak',
    make: 'Mazak 马扎克',
    model: 'QUICK TURN 200',
    kind: '数控车床',
    envelope: [300, 300, 530],
    tolerance: 0.01,
    materials: ['al6061', 'ss304', 'steel45', 'brass_h59', 'pom', 'copper_t2'],
    finishes: ['阳极氧化', '镀镍', '发黑'],
    rate: [80, 110],
    setup: [150, 300],
    quantity: [1, 10000],
    text: '带动力刀塔的数控车床，车铣复合，适合轴类、法兰和灯杆接头。',
  },
  haas_st20: {
    process: 'cnc_turning',
    brand: 'Haas',
    make: 'Haas',
    model: 'ST-20',
    kind: '数控车床',
    envelope: [250, 250, 530],
    tolerance: 0.01,
    materials: ['al6061', 'steel45', 'ss304', 'brass_h59', 'pom'],
    finishes: ['阳极氧化', '发黑'],
    rate: [75, 100],
    setup: [100, 250],
    quantity: [1, 10000],
    text: '斜床身数控车床，轴套类零件小批量快速交付。',
  },
  dalian_cka6150: {
    process: 'cnc_turning',
    brand: '大连机床',
    make: '大连机床 DMTG',
    model: 'CKA6150',
    kind: '卧式数控车床',
    envelope: [500, 500, 1000],
    tolerance: 0.02,
    materials: ['steel45', 'ss304', 'al6061', 'brass_h59'],
    finishes: ['发黑', '镀锌'],
    rate: [55, 80],
    setup: [100, 200],
    quantity: [1, 5000],
    text: '平床身卧式数控车床，长轴、法兰盘和大直径盘类件。',
  },
  citizen_l20: {
    process: 'cnc_turning',
    brand: 'Citizen',
    make: '西铁城 Citizen',
    model: 'L20',
    kind: '走心式数控车床',
    envelope: [20, 20, 200],
    tolerance: 0.005,
    materials: ['brass_h59', 'ss304', 'ss316', 'al6061', 'ti_tc4', 'copper_t2'],
    finishes: ['镀镍', '钝化', '抛光'],
    rate: [90, 130],
    setup: [300, 600],
    quantity: [500, 200000],
    text: '走心机（瑞士型车床），ø20 以内细长精密件：锁芯、连接器针、医疗螺钉。',
  },
  tsugami_b0205: {
    process: 'cnc_turning',
    brand: '津上',
    make: '津上 Tsugami',
    model: 'B0205-III',
    kind: '走心机',
    envelope: [20, 20, 210],
    tolerance: 0.005,
    materials: ['brass_h59', 'ss304', 'copper_t2', 'al6061', 'steel45'],
    finishes: ['镀镍', '镀金', '钝化'],
    rate: [85, 120],
    setup: [300, 600],
    quantity: [1000, 300000],
    text: '走心机大批量车削，电子连接器、五金销钉和锁具零件。',
  },

  // FDM
  bambu_x1c: {
    process: 'fdm',
    brand: '拓竹',
    make: '拓竹 Bambu Lab',
    model: 'X1 Carbon',
    kind: 'FDM 3D 打印机',
    envelope: [256, 256, 256],
    tolerance: 0.1,
    materials: ['pla', 'petg', 'abs'],
    finishes: ['打磨', '喷漆'],
    rate: [25, 40],
    setup: [0, 30],
    quantity: [1, 200],
    text: '多色 FDM 打印，激光雷达自动校准，结构验证样件当天出件。',
  },
  bambu_p1s: {
    process: 'fdm',
    brand: '拓竹',
    make: '拓竹 Bambu Lab',
    model: 'P1S',
    kind: 'FDM 3D 打印机',
    envelope: [256, 256, 256],
    tolerance: 0.15,
    materials: ['pla', 'petg', 'abs'],
    finishes: ['打磨'],
    rate: [20, 35],
    setup: [0, 30],
    quantity: [1, 300],
    text: '封闭腔体 FDM 打印机，适合 ABS 功能件和治具。',
  },
  creality_k1max: {
    process: 'fdm',
    brand: '创想三维',
    make: '创想三维 Creality',
    model: 'K1 Max',
    kind: 'FDM 3D 打印机',
    envelope: [300, 300, 300],
    tolerance: 0.15,
    materials: ['pla', 'petg', 'abs'],
    finishes: ['打磨', '喷漆'],
    rate: [20, 35],
    setup: [0, 30],
    quantity: [1, 300],
    text: '高速 FDM 打印，外观手板和装配验证。',
  },
  creality_crm4: {
    process: 'fdm',
    brand: '创想三维',
    make: '创想三维 Creality',
    model: 'CR-M4',
    kind: '大尺寸 FDM 3D 打印机',
    envelope: [450, 450, 470],
    tolerance: 0.2,
    materials: ['pla', 'petg', 'abs'],
    finishes: ['打磨', '喷漆'],
    rate: [30, 45],
    setup: [0, 50],
    quantity: [1, 100],
    text: '大尺寸 FDM 打印，家电外壳和灯具整件手板。',
  },
  ultimaker_s5: {
    process: 'fdm',
    brand: 'UltiMaker',
    make: 'UltiMaker',
    model: 'S5',
    kind: '双喷头 FDM 3D 打印机',
    envelope: [330, 240, 300],
    tolerance: 0.1,
    materials: ['pla', 'abs', 'petg'],
    finishes: ['打磨', '去支撑'],
    rate: [40, 60],
    setup: [0, 50],
    quantity: [1, 100],
    text: '双喷头打印，水溶支撑，复杂内腔结构件。',
  },

  // SLA
  uniontech_lite600: {
    process: 'sla',
    brand: '联泰',
    make: '联泰 UnionTech',
    model: 'Lite600',
    kind: '工业级光固化 3D 打印机',
    envelope: [600, 600, 400],
    tolerance: 0.1,
    materials: ['resin_std', 'resin_tough'],
    finishes: ['打磨', '喷漆', '透明抛光', '电镀'],
    rate: [60, 90],
    setup: [50, 100],
    quantity: [1, 500],
    text: '工业级 SLA 光固化，外观手板、灯罩透光件和装配验证件。',
  },
  uniontech_rspro800: {
    process: 'sla',
    brand: '联泰',
    make: '联泰 UnionTech',
    model: 'RSPro 800',
    kind: '大幅面光固化 3D 打印机',
    envelope: [800, 800, 400],
    tolerance: 0.15,
    materials: ['resin_std', 'resin_tough'],
    finishes: ['打磨', '喷漆', '透明抛光'],
    rate: [80, 120],
    setup: [100, 200],
    quantity: [1, 300],
    text: '大幅面 SLA，整机外壳一次打印，无需拼接。',
  },
  formlabs_form3l: {
    process: 'sla',
    brand: 'Formlabs',
    make: 'Formlabs',
    model: 'Form 3L',
    kind: '光固化 3D 打印机',
    envelope: [335, 200, 300],
    tolerance: 0.05,
    materials: ['resin_std', 'resin_tough'],
    finishes: ['打磨', '喷漆'],
    rate: [40, 60],
    setup: [30, 80],
    quantity: [1, 200],
    text: '高精度 LFS 光固化，小型精密件、导板和卡扣验证。',
  },
  formlabs_form4: {
    process: 'sla',
    brand: 'Formlabs',
    make: 'Formlabs',
    model: 'Form 4',
    kind: '光固化 3D 打印机',
    envelope: [200, 125, 210],
    tolerance: 0.05,
    materials: ['resin_std', 'resin_tough'],
    finishes: ['打磨', '喷漆'],
    rate: [35, 55],
    setup: [30, 80],
    quantity: [1, 200],
    text: '桌面级 MSLA，细节清晰，适合按键、透镜和小型外观件。',
  },

  // MJF / SLS / SLM
  hp_jf5200: {
    process: 'mjf',
    brand: 'HP',
    make: 'HP 惠普',
    model: 'Jet Fusion 5200',
    kind: 'MJF 多射流熔融 3D 打印机',
    envelope: [380, 284, 380],
    tolerance: 0.2,
    materials: ['pa12'],
    finishes: ['喷砂', '染黑', '蒸汽平滑'],
    rate: [120, 160],
    setup: [200, 400],
    quantity: [1, 5000],
    text: 'HP MJF 尼龙打印，无需支撑，小批量功能件和终端零件。',
  },
  hp_jf4200: {
    process: 'mjf',
    brand: 'HP',
    make: 'HP 惠普',
    model: 'Jet Fusion 4200',
    kind: 'MJF 多射流熔融 3D 打印机',
    envelope: [380, 284, 380],
    tolerance: 0.25,
    materials: ['pa12'],
    finishes: ['喷砂', '染黑'],
    rate: [110, 150],
    setup: [200, 400],
    quantity: [1, 3000],
    text: 'PA12 尼龙件批量打印，卡扣、铰链和线束支架。',
  },
  farsoon_ht403p: {
    process: 'sls',
    brand: '华曙高科',
    make: '华曙高科 Farsoon',
    model: 'HT403P',
    kind: 'SLS 选择性激光烧结设备',
    envelope: [400, 400, 450],
    tolerance: 0.2,
    materials: ['pa12'],
    finishes: ['喷砂', '染色'],
    rate: [100, 140],
    setup: [200, 400],
    quantity: [1, 3000],
    text: '国产高温 SLS，尼龙功能件与小批量生产。',
  },
  eos_p396: {
    process: 'sls',
    brand: 'EOS',
    make: 'EOS',
    model: 'P 396',
    kind: 'SLS 选择性激光烧结设备',
    envelope: [340, 340, 600],
    tolerance: 0.2,
    materials: ['pa12'],
    finishes: ['喷砂', '染色'],
    rate: [110, 150],
    setup: [200, 400],
    quantity: [1, 3000],
    text: '德国 EOS 粉末烧结，汽车风道和机器人外壳等大尺寸尼龙件。',
  },
  blt_s310: {
    process: 'slm',
    brand: '铂力特',
    make: '铂力特 BLT',
    model: 'BLT-S310',
    kind: '金属 3D 打印机',
    envelope: [250, 250, 400],
    tolerance: 0.05,
    materials: ['ti_tc4', 'alsi10mg', 'ss316l_powder'],
    finishes: ['喷砂', '热处理', '机加工后处理'],
    rate: [350, 450],
    setup: [800, 1500],
    quantity: [1, 200],
    text: '金属 SLM 打印，钛合金医疗件、随形冷却水路模具镶件。',
  },
  blt_s450: {
    process: 'slm',
    brand: '铂力特',
    make: '铂力特 BLT',
    model: 'BLT-S450',
    kind: '金属 3D 打印机',
    envelope: [450, 450, 500],
    tolerance: 0.05,
    materials: ['ti_tc4', 'alsi10mg', 'ss316l_powder'],
    finishes: ['喷砂', '热处理', '机加工后处理'],
    rate: [450, 600],
    setup: [1000, 2000],
    quantity: [1, 200],
    text: '四激光金属打印，大尺寸钛合金和铝合金结构件。',
  },
  eos_m290: {
    process: 'slm',
    brand: 'EOS',
    make: 'EOS',
    model: 'M 290',
    kind: '金属 3D 打印机',
    envelope: [250, 250, 325],
    tolerance: 0.05,
    materials: ['ss316l_powder', 'ti_tc4', 'alsi10mg'],
    finishes: ['喷砂', '热处理'],
    rate: [400, 500],
    setup: [800, 1500],
    quantity: [1, 200],
    text: '金属粉末床熔融，316L 与钛合金精密件。',
  },

  // 激光切割 / 钣金
  hans_g3015: {
    process: 'laser_cutting',
    brand: '大族激光',
    make: "大族激光 Han's Laser",
    model: 'G3015HF',
    kind: '光纤激光切割机',
    envelope: [3000, 1500, 20],
    tolerance: 0.05,
    materials: ['q235', 'ss304', 'al5052', 'ss316', 'al6061', 'copper_t2'],
    finishes: ['去毛刺', '拉丝'],
    rate: [120, 180],
    setup: [50, 150],
    quantity: [1, 10000],
    text: '6kW 光纤激光切割，碳钢 20mm、不锈钢 12mm 以内板材下料。',
  },
  trumpf_trulaser3030: {
    process: 'laser_cutting',
    brand: 'TRUMPF',
    make: '通快 TRUMPF',
    model: 'TruLaser 3030 fiber',
    kind: '光纤激光切割机',
    envelope: [3000, 1500, 25],
    tolerance: 0.03,
    materials: ['ss304', 'q235', 'al5052', 'ss316', 'copper_t2', 'al6061'],
    finishes: ['去毛刺', '拉丝'],
    rate: [150, 220],
    setup: [100, 200],
    quantity: [1, 10000],
    text: '通快光纤激光切割，切口细、挂渣少，适合外观钣金件。',
  },
  bodor_i5: {
    process: 'laser_cutting',
    brand: '邦德激光',
    make: '邦德激光 Bodor',
    model: 'i5',
    kind: '光纤激光切割机',
    envelope: [3000, 1500, 12],
    tolerance: 0.05,
    materials: ['q235', 'ss304', 'al5052', 'copper_t2'],
    finishes: ['去毛刺'],
    rate: [100, 140],
    setup: [50, 100],
    quantity: [1, 10000],
    text: '经济型光纤激光切割，薄板快速下料。',
  },
  hans_co2: {
    process: 'laser_cutting',
    brand: '大族激光',
    make: "大族激光 Han's Laser",
    model: 'CMA1390',
    kind: 'CO2 激光切割雕刻机',
    envelope: [1300, 900, 20],
    tolerance: 0.1,
    materials: ['pmma', 'plywood', 'mdf', 'leather'],
    finishes: ['雕刻', '抛光边'],
    rate: [50, 80],
    setup: [30, 80],
    quantity: [1, 5000],
    text: 'CO2 激光切割雕刻，亚克力灯罩、木板镂空和皮革图案。',
  },
  golden_laser: {
    process: 'laser_cutting',
    brand: '金运激光',
    make: '金运激光 Golden Laser',
    model: 'CJG-160100LD',
    kind: '皮革激光切割机',
    envelope: [1600, 1000, 10],
    tolerance: 0.1,
    materials: ['leather'],
    finishes: ['雕刻', '打孔'],
    rate: [60, 90],
    setup: [50, 100],
    quantity: [10, 20000],
    text: '视觉识别皮革激光切割，自动排版避开疤痕。',
  },
  trumpf_trubend: {
    process: 'sheet_metal',
    brand: 'TRUMPF',
    make: '通快 TRUMPF',
    model: 'TruBend 5130',
    kind: '数控折弯机',
    envelope: [3000, 1500, 500],
    tolerance: 0.1,
    materials: SHEET_METALS,
    finishes: ['喷粉', '拉丝', '电镀'],
    rate: [120, 160],
    setup: [200, 400],
    quantity: [1, 20000],
    text: '130 吨数控折弯，角度自动测量补偿，机箱机柜和外观钣金。',
  },
  yawei_pbh: {
    process: 'sheet_metal',
    brand: '亚威',
    make: '亚威 Yawei',
    model: 'PBH-110/3100',
    kind: '电液伺服折弯机',
    envelope: [3100, 1500, 400],
    tolerance: 0.1,
    materials: ['q235', 'ss304', 'al5052', 'al6061'],
    finishes: ['喷粉', '拉丝'],
    rate: [80, 120],
    setup: [150, 300],
    quantity: [1, 20000],
    text: '110 吨电液伺服折弯，钣金支架、机箱和灯具外壳。',
  },
  amada_hg: {
    process: 'sheet_metal',
    brand: 'AMADA',
    make: '天田 AMADA',
    model: 'HG-1303',
    kind: '数控折弯机',
    envelope: [3000, 1500, 400],
    tolerance: 0.1,
    materials: ['q235', 'ss304', 'al5052', 'copper_t2'],
    finishes: ['喷粉', '电镀'],
    rate: [100, 140],
    setup: [150, 300],
    quantity: [1, 20000],
    text: '混合驱动折弯机，家电钣金和柜体件。',
  },
  trumpf_trupunch: {
    process: 'sheet_metal',
    brand: 'TRUMPF',
    make: '通快 TRUMPF',
    model: 'TruPunch 5000',
    kind: '数控转塔冲床',
    envelope: [2500, 1250, 6],
    tolerance: 0.1,
    materials: ['q235', 'ss304', 'al5052', 'al6061'],
    finishes: ['去毛刺', '攻牙', '喷粉'],
    rate: [130, 170],
    setup: [200, 400],
    quantity: [10, 50000],
    text: '数控冲床冲孔、翻边、百叶窗和攻牙一次完成。',
  },
  yangli_punch: {
    process: 'sheet_metal',
    brand: '扬力',
    make: '扬力 Yangli',
    model: 'JH21-160',
    kind: '开式冲床（冲压）',
    envelope: [800, 680, 450],
    tolerance: 0.05,
    materials: ['q235', 'ss304', 'al5052', 'copper_t2'],
    finishes: ['电镀', '喷粉', '去毛刺'],
    rate: [90, 130],
    setup: [500, 1500],
    quantity: [1000, 1000000],
    text: '160 吨冲床配连续模送料机，五金冲压件大批量生产（需开模或使用客户模具）。',
  },
  seyi_punch: {
    process: 'sheet_metal',
    brand: '协易',
    make: '协易 SEYI',
    model: 'SN1-200',
    kind: '精密冲压机',
    envelope: [1000, 700, 450],
    tolerance: 0.05,
    materials: ['q235', 'ss304', 'copper_t2', 'al5052'],
    finishes: ['电镀', '去毛刺'],
    rate: [100, 140],
    setup: [800, 2000],
    quantity: [2000, 2000000],
    text: '200 吨精密冲压，锁具、合页和电器端子连续模冲压。',
  },

  // 注塑成型与压铸（压铸按模具成型计价）
  haitian_ma1600: {
    process: 'injection_molding',
    brand: '海天',
    make: '海天 Haitian',
    model: 'MA1600III',
    kind: '160T 伺服注塑机',
    envelope: [350, 300, 250],
    tolerance: 0.05,
    materials: MOULDING_PLASTICS,
    finishes: ['咬花纹理', '喷涂', '丝印'],
    rate: [70, 100],
    setup: [1500, 3000],
    quantity: [500, 500000],
    text: '160 吨伺服节能注塑机，小家电按键、灯饰配件和电子外壳。',
  },
  haitian_ma2500: {
    process: 'injection_molding',
    brand: '海天',
    make: '海天 Haitian',
    model: 'MA2500III',
    kind: '250T 伺服注塑机',
    envelope: [500, 400, 300],
    tolerance: 0.05,
    materials: MOULDING_PLASTICS,
    finishes: ['咬花纹理', '喷涂', '丝印'],
    rate: [90, 120],
    setup: [2000, 3500],
    quantity: [500, 500000],
    text: '250 吨注塑机，配机械手和模温机，家电面板和灯罩。',
  },
  haitian_ma3800: {
    process: 'injection_molding',
    brand: '海天',
    make: '海天 Haitian',
    model: 'MA3800III',
    kind: '380T 伺服注塑机',
    envelope: [700, 600, 400],
    tolerance: 0.08,
    materials: ['pp', 'abs', 'pc', 'pa66'],
    finishes: ['咬花纹理', '喷涂'],
    rate: [110, 150],
    setup: [2500, 4000],
    quantity: [1000, 500000],
    text: '380 吨注塑机，风扇叶、电饭煲外壳等中型家电件。',
  },
  haitian_ju6500: {
    process: 'injection_molding',
    brand: '海天',
    make: '海天 Haitian',
    model: 'JU6500III',
    kind: '650T 二板式注塑机',
    envelope: [1000, 800, 500],
    tolerance: 0.1,
    materials: ['pp', 'abs', 'pc'],
    finishes: ['咬花纹理', '喷涂'],
    rate: [160, 220],
    setup: [3000, 5000],
    quantity: [1000, 300000],
    text: '650 吨二板机，空调面板、洗衣机盖板等大型家电件。',
  },
  yizumi_un260: {
    process: 'injection_molding',
    brand: '伊之密',
    make: '伊之密 Yizumi',
    model: 'UN260A5',
    kind: '260T 伺服注塑机',
    envelope: [450, 400, 300],
    tolerance: 0.05,
    materials: MOULDING_PLASTICS,
    finishes: ['咬花纹理', '喷涂', '移印'],
    rate: [90, 120],
    setup: [2000, 3500],
    quantity: [500, 500000],
    text: '260 吨注塑机，家电结构件与透明件。',
  },
  chenhsong_jm168: {
    process: 'injection_molding',
    brand: '震雄',
    make: '震雄 Chen Hsong',
    model: 'JM168-MKIII',
    kind: '168T 注塑机',
    envelope: [330, 300, 250],
    tolerance: 0.05,
    materials: ['abs', 'pp', 'pc', 'pom'],
    finishes: ['咬花纹理', '丝印'],
    rate: [65, 90],
    setup: [1500, 3000],
    quantity: [500, 300000],
    text: '168 吨注塑机，小件多腔模生产。',
  },
  lk_dcc280: {
    process: 'injection_molding',
    brand: '力劲',
    make: '力劲 LK',
    model: 'DCC280',
    kind: '280T 冷室压铸机',
    envelope: [300, 300, 150],
    tolerance: 0.05,
    materials: ['adc12'],
    finishes: ['喷砂', '喷粉', '去毛刺'],
    rate: [120, 160],
    setup: [2000, 4000],
    quantity: [1000, 300000],
    text: '铝合金压铸（die casting）：ADC12 灯体、散热器、灯座。平台暂按模具成型（注塑）计价，含去浇口与去毛刺。',
  },
  lk_dcc400: {
    process: 'injection_molding',
    brand: '力劲',
    make: '力劲 LK',
    model: 'DCC400',
    kind: '400T 冷室压铸机',
    envelope: [450, 400, 200],
    tolerance: 0.05,
    materials: ['adc12'],
    finishes: ['喷砂', '喷粉', '去毛刺'],
    rate: [150, 200],
    setup: [2500, 4500],
    quantity: [1000, 300000],
    text: '铝合金压铸（die casting）：中型灯饰灯体与家电铝件，配自动喷雾和取件机械手。按模具成型计价。',
  },
  lk_dcc800: {
    process: 'injection_molding',
    brand: '力劲',
    make: '力劲 LK',
    model: 'DCC800',
    kind: '800T 冷室压铸机',
    envelope: [700, 600, 300],
    tolerance: 0.08,
    materials: ['adc12'],
    finishes: ['喷砂', '喷粉'],
    rate: [220, 300],
    setup: [4000, 6000],
    quantity: [500, 200000],
    text: '铝合金压铸（die casting）：大型路灯灯体、投光灯外壳。按模具成型计价。',
  },

  // 机器人抛光
  estun_polish: {
    process: 'polishing',
    brand: '埃斯顿',
    make: '埃斯顿 ESTUN',
    model: 'ER20-1780',
    kind: '机器人抛光工作站',
    envelope: [1200, 800, 600],
    tolerance: 0.05,
    materials: POLISHABLE,
    finishes: ['镜面抛光', '拉丝', '砂光'],
    rate: [70, 110],
    setup: [100, 300],
    quantity: [50, 100000],
    text: '六轴机器人 + 恒力浮动主轴，砂带与布轮抛光，离线编程换型快。',
  },
  gree_polish: {
    process: 'polishing',
    brand: '格力',
    make: '格力智能装备 GREE',
    model: 'GA-20 抛光单元',
    kind: '机器人打磨抛光单元',
    envelope: [1000, 800, 600],
    tolerance: 0.05,
    materials: POLISHABLE,
    finishes: ['镜面抛光', '拉丝', '砂光'],
    rate: [70, 100],
    setup: [100, 300],
    quantity: [50, 100000],
    text: '格力工业机器人打磨抛光单元，压铸件去分模线、铜件抛光。',
  },
  abb_polish: {
    process: 'polishing',
    brand: 'ABB',
    make: 'ABB',
    model: 'IRB 4600 力控抛光单元',
    kind: '机器人力控抛光单元',
    envelope: [1500, 1000, 800],
    tolerance: 0.03,
    materials: POLISHABLE,
    finishes: ['镜面抛光', '拉丝', '砂光'],
    rate: [90, 130],
    setup: [200, 400],
    quantity: [20, 100000],
    text: 'ABB 力控抛光，曲面恒压跟随，适合卫浴、灯饰和不锈钢外观件。',
  },

  // 智能裁床
  lectra_vector: {
    process: 'textile_cutting',
    brand: '力克',
    make: '力克 Lectra',
    model: 'Vector iX6',
    kind: '自动裁床',
    envelope: [2000, 1800, 60],
    tolerance: 0.5,
    materials: ['cotton', 'polyester'],
    finishes: ['打标', '钻孔定位', '分拣捆扎'],
    rate: [100, 150],
    setup: [100, 300],
    quantity: [50, 100000],
    text: '力克自动裁床，配自动拉布机和排料软件，压缩后 6cm 布层一刀成型。',
  },
  gerber_paragon: {
    process: 'textile_cutting',
    brand: '格柏',
    make: '格柏 Gerber',
    model: 'Paragon HX',
    kind: '自动裁床',
    envelope: [1800, 1700, 70],
    tolerance: 0.5,
    materials: ['cotton', 'polyester'],
    finishes: ['打标', '钻孔定位'],
    rate: [90, 130],
    setup: [100, 300],
    quantity: [50, 100000],
    text: '格柏多层裁床，休闲装、衬衫和牛仔裁片批量裁剪。',
  },
  lectra_versalis: {
    process: 'textile_cutting',
    brand: '力克',
    make: '力克 Lectra',
    model: 'Versalis',
    kind: '皮革数控裁切机',
    envelope: [1800, 1600, 10],
    tolerance: 0.3,
    materials: ['leather'],
    finishes: ['打孔', '打标'],
    rate: [110, 150],
    setup: [100, 300],
    quantity: [10, 50000],
    text: '皮革数控裁切，扫描识别瑕疵并自动排版，适合皮具、鞋面和汽车座椅皮。',
  },
  yin_cutter: {
    process: 'textile_cutting',
    brand: '和鹰',
    make: '和鹰科技 Yin',
    model: 'HY-S1625',
    kind: '智能裁床',
    envelope: [2500, 1600, 50],
    tolerance: 0.5,
    materials: ['cotton', 'polyester', 'leather'],
    finishes: ['打标', '钻孔定位'],
    rate: [80, 120],
    setup: [100, 200],
    quantity: [50, 100000],
    text: '国产智能裁床，单层/多层面料与皮革裁切，支持快返小单。',
  },
} satisfies Record<string, Machine>

type MachineKey = keyof typeof machines

interface Listing {
  m: MachineKey
  name?: string
  materials?: string[]
  note?: string
  active?: boolean
  /** A window of these hours every day of the horizon instead of a planned pattern. */
  hoursPerDay?: number
}

type Spec = MachineKey | Listing

// ---------------------------------------------------------------------------------------
// Workshops

interface DemoWorkshop {
  name: string
  legal: string
  town: TownCode
  address: string
  clusters: ClusterCode[]
  certifications: CertificationCode[]
  status?: VerificationStatus
  note?: string
  description: string
  resources: Spec[]
}

const workshops: DemoWorkshop[] = [
  // 古镇 · 灯饰
  {
    name: '古镇华艺灯饰压铸厂',
    legal: '中山市古镇华艺灯饰压铸有限公司',
    town: 'guzhen',
    address: '中山市古镇镇曹三工业区创业路 8 号',
    clusters: ['lighting'],
    certifications: ['iso9001'],
    description: 'ADC12 铝合金灯体压铸、去毛刺、钻攻和抛光一条龙，服务古镇灯饰企业十五年。',
    resources: ['lk_dcc400', 'lk_dcc280', 'fanuc_robodrill', 'fanuc_robodrill', 'estun_polish'],
  },
  {
    name: '古镇明辉灯饰五金配件厂',
    legal: '中山市古镇明辉灯饰配件有限公司',
    town: 'guzhen',
    address: '中山市古镇镇海洲村东岸北路 36 号',
    clusters: ['lighting', 'hardware'],
    certifications: ['iso9001'],
    description: '灯杯、灯臂、吊杆和接头等灯饰五金配件，CNC 与车削加工，打样 3 天。',
    resources: ['haas_vf2', 'mazak_qtn200', 'fanuc_robodrill'],
  },
  {
    name: '古镇灯饰机器人抛光共享中心',
    legal: '中山市古镇智造共享服务有限公司',
    town: 'guzhen',
    address: '中山市古镇镇中兴大道南 1 号灯都智造产业园 B 栋',
    clusters: ['lighting', 'hardware'],
    certifications: ['iso9001', 'iso14001'],
    description:
      '镇政府支持的共享抛光中心：机器人抛光工作站按小时开放给中小灯饰企业，集中除尘，替代手工抛光作坊。',
    resources: [
      {
        m: 'abb_polish',
        name: '机器人抛光共享工作站',
        note: '共享工作站按小时预约，提供夹具设计与程序调试，适合压铸灯体、铜件和不锈钢灯罩。',
      },
      'estun_polish',
      'gree_polish',
      'estun_polish',
    ],
  },
  {
    name: '古镇星光激光切割厂',
    legal: '中山市古镇星光激光科技有限公司',
    town: 'guzhen',
    address: '中山市古镇镇冈东工业区兴业路 12 号',
    clusters: ['lighting'],
    certifications: [],
    description: '金属灯罩、装饰网片激光切割与折弯，亚克力导光板雕刻。',
    resources: ['hans_g3015', 'hans_co2', 'yawei_pbh'],
  },
  {
    name: '古镇恒亮照明精密加工厂',
    legal: '中山市恒亮照明科技有限公司',
    town: 'guzhen',
    address: '中山市古镇镇同益工业园同兴路 5 号',
    clusters: ['lighting', 'electronics'],
    certifications: ['iso9001', 'ccc'],
    description: 'LED 灯具散热器、PC 透镜与透镜模仁精密加工，带光学检测。',
    resources: ['jingdiao_jdvt600', 'haas_vf2', { m: 'haitian_ma1600', materials: ['pc', 'abs'] }],
  },
  {
    name: '古镇铭发五金压铸厂',
    legal: '中山市铭发五金压铸有限公司',
    town: 'guzhen',
    address: '中山市古镇镇六坊工业区六坊大道 21 号',
    clusters: ['lighting'],
    certifications: [],
    status: 'pending',
    description: '大中型路灯、投光灯铝压铸件，800 吨压铸机可做 700mm 灯体。',
    resources: ['lk_dcc800', 'lk_dcc280', 'taikan_v856'],
  },
  {
    name: '古镇雅典灯饰铜件厂',
    legal: '中山市雅典灯饰铜制品有限公司',
    town: 'guzhen',
    address: '中山市古镇镇古四村工业大道 88 号',
    clusters: ['lighting'],
    certifications: [],
    description: '全铜灯饰：黄铜车削、铣削与机器人抛光，可做电镀前处理。',
    resources: [
      { m: 'mazak_qtn200', materials: ['brass_h59', 'copper_t2'] },
      { m: 'gree_polish', materials: ['brass_h59', 'copper_t2'] },
      'dalian_cka6150',
    ],
  },
  {
    name: '古镇灯都塑胶制品厂',
    legal: '中山市灯都塑胶制品有限公司',
    town: 'guzhen',
    address: '中山市古镇镇东兴中路 160 号',
    clusters: ['lighting'],
    certifications: ['iso9001'],
    description: 'PC 灯罩、ABS 灯座注塑，配自有模具车间。',
    resources: [
      'haitian_ma2500',
      { m: 'chenhsong_jm168', active: false, note: '停机保养中，预计下月恢复。' },
      'haitian_ma1600',
    ],
  },
  // 横栏 · 灯饰
  {
    name: '横栏茂辉灯饰五金厂',
    legal: '中山市茂辉灯饰五金有限公司',
    town: 'henglan',
    address: '中山市横栏镇茂辉工业区庆丰路 3 号',
    clusters: ['lighting', 'hardware'],
    certifications: ['iso9001'],
    description: '灯饰钣金、冲压件和灯具支架，激光下料到折弯喷粉。',
    resources: ['bodor_i5', 'amada_hg', 'seyi_punch'],
  },
  {
    name: '横栏新茂精密模具厂',
    legal: '中山市新茂精密模具有限公司',
    town: 'henglan',
    address: '中山市横栏镇新茂工业区富庆二路 9 号',
    clusters: ['lighting', 'appliances'],
    certifications: ['iso9001'],
    description: '压铸模与注塑模模仁、镶件加工，五轴与精雕配合。',
    resources: ['jingdiao_jdvt600', 'kede_kmc800', 'haas_vf4'],
  },
  // 小榄 · 五金
  {
    name: '小榄永信五金制品厂',
    legal: '中山市小榄镇永信五金制品有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇永宁工业大道 55 号',
    clusters: ['hardware'],
    certifications: ['iso9001'],
    description: '锁具、合页和家具五金冲压件，连续模大批量生产，兼做 CNC 小件。',
    resources: ['seyi_punch', 'yangli_punch', 'haas_vf2', 'citizen_l20'],
  },
  {
    name: '小榄锁芯精密零件厂',
    legal: '中山市小榄锁芯精密零件有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇绩西广成路 18 号',
    clusters: ['hardware'],
    certifications: ['iso9001'],
    description: '锁芯、弹子和钥匙坯等黄铜精密车削件，走心机 24 小时生产。',
    resources: ['citizen_l20', 'tsugami_b0205', 'tsugami_b0205', 'brother_s700'],
  },
  {
    name: '小榄东生钣金加工厂',
    legal: '中山市东生钣金制品有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇东生路 120 号',
    clusters: ['hardware', 'appliances'],
    certifications: ['iso9001'],
    description: '通快全线钣金：激光切割、数控冲、折弯，机箱机柜和家电钣金件。',
    resources: ['trumpf_trulaser3030', 'trumpf_trubend', 'trumpf_trupunch', 'amada_hg'],
  },
  {
    name: '小榄泰丰精密冲压厂',
    legal: '中山市泰丰精密五金有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇泰丰工业区泰丰三路 7 号',
    clusters: ['hardware', 'automotive'],
    certifications: ['iso9001', 'iatf16949'],
    description: '汽车支架和电器端子精密冲压，IATF 16949 体系，PPAP 文件齐全。',
    resources: ['yangli_punch', 'seyi_punch', 'hans_g3015'],
  },
  {
    name: '小榄埒西精工机械厂',
    legal: '中山市埒西精工机械有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇埒西一社区工业路 26 号',
    clusters: ['hardware', 'equipment'],
    certifications: [],
    status: 'pending',
    description: '轴类、法兰、套筒等车削件，可承接长轴 1 米以内。',
    resources: ['dalian_cka6150', 'haas_st20', 'mazak_qtn200'],
  },
  {
    name: '小榄绩东卫浴五金厂',
    legal: '中山市绩东卫浴五金有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇绩东二社区宝丰路 41 号',
    clusters: ['hardware'],
    certifications: ['iso9001'],
    description: '黄铜龙头、花洒配件车铣与机器人抛光，电镀前表面处理。',
    resources: [
      { m: 'mazak_qtn200', materials: ['brass_h59', 'ss304'] },
      'fanuc_robodrill',
      { m: 'estun_polish', materials: ['brass_h59', 'ss304', 'copper_t2'] },
    ],
  },
  {
    name: '小榄宏达模具五金厂',
    legal: '中山市宏达模具五金有限公司',
    town: 'xiaolan',
    address: '中山市小榄镇九洲基工业区 2 号',
    clusters: ['hardware'],
    certifications: [],
    status: 'unsubmitted',
    description: '冲压模具零件和治具加工。',
    resources: ['haas_vf4', 'taikan_v856'],
  },
  // 东升
  {
    name: '东升办公家具五金厂',
    legal: '中山市东升办公家具五金有限公司',
    town: 'dongsheng',
    address: '中山市东升镇同茂工业大道 66 号',
    clusters: ['furniture', 'hardware'],
    certifications: ['iso9001'],
    description: '办公椅底盘、桌架钢管和钣金件，激光切割、冲压、折弯。',
    resources: ['hans_g3015', 'yawei_pbh', 'yangli_punch'],
  },
  // 南头 / 东凤 / 黄圃 · 家电
  {
    name: '南头升辉家电注塑厂',
    legal: '中山市升辉电器塑胶有限公司',
    town: 'nantou',
    address: '中山市南头镇升辉北工业区东福北路 32 号',
    clusters: ['appliances'],
    certifications: ['iso9001', 'ccc'],
    description: '空调、风扇、电饭煲等家电外壳注塑，160–650 吨机台 40 台。',
    resources: ['haitian_ma3800', 'haitian_ju6500', 'haitian_ma2500', 'yizumi_un260'],
  },
  {
    name: '南头穗西电器钣金厂',
    legal: '中山市穗西电器配件有限公司',
    town: 'nantou',
    address: '中山市南头镇穗西工业区穗盛路 15 号',
    clusters: ['appliances'],
    certifications: ['iso9001'],
    description: '家电钣金底板、背板和支架，冲压与折弯。',
    resources: ['hans_g3015', 'amada_hg', 'seyi_punch', 'trumpf_trupunch'],
  },
  {
    name: '南头同济精密模具厂',
    legal: '中山市同济精密模具有限公司',
    town: 'nantou',
    address: '中山市南头镇同济西路 101 号',
    clusters: ['appliances'],
    certifications: ['iso9001'],
    description: '家电注塑模具设计制造，模仁五轴加工，试模打样。',
    resources: ['jingdiao_jdgr200', 'mazak_vcn530', 'haas_vf2'],
  },
  {
    name: '南头美厨小家电结构件厂',
    legal: '中山市美厨电器结构件有限公司',
    town: 'nantou',
    address: '中山市南头镇将军村工业区 8 号',
    clusters: ['appliances'],
    certifications: [],
    status: 'pending',
    description: '小家电结构件注塑与快速手板。',
    resources: ['haitian_ma1600', 'chenhsong_jm168', 'bambu_x1c'],
  },
  {
    name: '东凤和穗塑胶电器厂',
    legal: '中山市和穗塑胶电器有限公司',
    town: 'dongfeng',
    address: '中山市东凤镇和穗工业园和穗路 9 号',
    clusters: ['appliances'],
    certifications: ['iso9001', 'iso14001'],
    description: '小家电塑胶件注塑、喷涂和装配，服务东凤、南头家电品牌。',
    resources: ['yizumi_un260', 'haitian_ma2500', 'haitian_ma1600', 'chenhsong_jm168'],
  },
  {
    name: '东凤同安五金电器厂',
    legal: '中山市同安五金电器有限公司',
    town: 'dongfeng',
    address: '中山市东凤镇同安村东阜路 210 号',
    clusters: ['appliances', 'hardware'],
    certifications: ['iso9001'],
    description: '电热器具支架、不锈钢内胆钣金和冲压件。',
    resources: ['trumpf_trubend', 'bodor_i5', 'yangli_punch'],
  },
  {
    name: '东凤小家电快速样板中心',
    legal: '中山市东凤快速样板科技有限公司',
    town: 'dongfeng',
    address: '中山市东凤镇东海五路 3 号东凤智造中心 2 楼',
    clusters: ['appliances', 'electronics'],
    certifications: [],
    description: '家电手板：SLA 外观件、FDM 结构件、CNC 亚克力透明件，3 天交付。',
    resources: [
      'uniontech_lite600',
      'creality_k1max',
      { m: 'haas_vf2', materials: ['abs', 'pmma', 'pc', 'al6061'] },
    ],
  },
  {
    name: '黄圃食品机械不锈钢加工厂',
    legal: '中山市黄圃食品机械制造有限公司',
    town: 'huangpu',
    address: '中山市黄圃镇食品工业园健禾路 12 号',
    clusters: ['equipment', 'appliances'],
    certifications: ['iso9001'],
    description: '食品机械与商用厨具不锈钢钣金、焊接和抛光。',
    resources: [
      { m: 'hans_g3015', materials: ['ss304', 'ss316'] },
      'yawei_pbh',
      'amada_hg',
      { m: 'estun_polish', materials: ['ss304', 'ss316'] },
    ],
  },
  // 沙溪 · 服装
  {
    name: '沙溪智能裁床共享中心',
    legal: '中山市沙溪服装智造服务有限公司',
    town: 'shaxi',
    address: '中山市沙溪镇康乐大道 28 号沙溪服装智造园',
    clusters: ['clothing'],
    certifications: ['iso9001'],
    description: '沙溪休闲服装产业的共享裁剪中心：自动拉布、智能裁床、裁片分拣，小单快反。',
    resources: [
      {
        m: 'lectra_vector',
        name: '智能裁床生产线',
        note: '自动拉布机 + 力克智能裁床 + 裁片自动分拣的整线，按小时共享，100 件起裁。',
      },
      'gerber_paragon',
      'lectra_vector',
    ],
  },
  {
    name: '沙溪隆都制衣裁剪厂',
    legal: '中山市隆都制衣有限公司',
    town: 'shaxi',
    address: '中山市沙溪镇隆都路 77 号',
    clusters: ['clothing'],
    certifications: [],
    description: '休闲装、卫衣和牛仔裁片外发裁剪。',
    resources: ['gerber_paragon', 'yin_cutter', 'lectra_vector'],
  },
  {
    name: '沙溪云汉皮具激光加工厂',
    legal: '中山市云汉皮具制品有限公司',
    town: 'shaxi',
    address: '中山市沙溪镇云汉村工业区 16 号',
    clusters: ['clothing'],
    certifications: [],
    description: '皮具、皮带和鞋面的数控裁切与激光雕刻。',
    resources: ['lectra_versalis', 'golden_laser', { m: 'hans_co2', materials: ['leather'] }],
  },
  {
    name: '沙溪乐群休闲服饰裁片厂',
    legal: '中山市乐群服饰有限公司',
    town: 'shaxi',
    address: '中山市沙溪镇乐群工业区乐群路 4 号',
    clusters: ['clothing'],
    certifications: [],
    status: 'pending',
    description: 'T 恤、运动服针织面料裁片。',
    resources: ['yin_cutter', 'lectra_vector'],
  },
  // 大涌 · 家具
  {
    name: '大涌岐涌家具数控加工厂',
    legal: '中山市岐涌家具制造有限公司',
    town: 'dachong',
    address: '中山市大涌镇岐涌路 45 号',
    clusters: ['furniture'],
    certifications: ['iso9001'],
    description: '实木家具五轴造型、板式家具开料和激光镂空。',
    resources: [
      'nanxing_router',
      'scm_5axis',
      'homag_p110',
      { m: 'hans_co2', materials: ['plywood', 'mdf'] },
    ],
  },
  {
    name: '大涌安堂实木家具厂',
    legal: '中山市安堂实木家具有限公司',
    town: 'dachong',
    address: '中山市大涌镇安堂工业区安堂大道 19 号',
    clusters: ['furniture'],
    certifications: ['iso9001', 'iso14001'],
    description: '橡木餐桌椅与实木门板，五轴造型加机器人砂光。',
    resources: [
      'homag_p110',
      'scm_5axis',
      { m: 'estun_polish', name: '实木机器人砂光工作站', materials: ['oak'] },
    ],
  },
  {
    name: '大涌南文板式家具开料中心',
    legal: '中山市南文家居科技有限公司',
    town: 'dachong',
    address: '中山市大涌镇南文村工业区 6 号',
    clusters: ['furniture'],
    certifications: [],
    description: '全屋定制板材开料、打孔与封边，多层板和 MDF。',
    resources: ['nanxing_router', 'nanxing_router', 'homag_p110'],
  },
  {
    name: '大涌青岗家具五金配件厂',
    legal: '中山市青岗家具五金有限公司',
    town: 'dachong',
    address: '中山市大涌镇青岗村工业路 11 号',
    clusters: ['furniture', 'hardware'],
    certifications: [],
    status: 'unsubmitted',
    description: '家具连接件、桌脚和拉手。',
    resources: ['hans_g3015', 'yangli_punch', 'taikan_v856'],
  },
  // 火炬开发区 · 电子信息与增材制造
  {
    name: '火炬健康基地医疗 3D 打印中心',
    legal: '中山市健康基地增材医疗科技有限公司',
    town: 'huoju',
    address: '中山市火炬开发区健康路 8 号中山国家健康科技产业基地',
    clusters: ['medical', 'electronics'],
    certifications: ['iso13485', 'iso9001'],
    description: '医疗器械样件与个性化导板：钛合金 SLM、树脂 SLA 和尼龙 MJF。',
    resources: ['blt_s310', 'formlabs_form3l', 'hp_jf5200'],
  },
  {
    name: '火炬江陵电子结构件厂',
    legal: '中山市江陵电子科技有限公司',
    town: 'huoju',
    address: '中山市火炬开发区江陵西路 16 号',
    clusters: ['electronics'],
    certifications: ['iso9001', 'iatf16949'],
    description: '电子产品铝外壳、中框与塑胶结构件，CNC + 注塑。',
    resources: ['brother_s700', 'brother_s700', 'jingdiao_jdvt600', 'haitian_ma1600'],
  },
  {
    name: '火炬中山港快速原型工作室',
    legal: '中山市港创原型科技有限公司',
    town: 'huoju',
    address: '中山市火炬开发区中山港大道 70 号创新大厦 3 楼',
    clusters: ['electronics', 'equipment'],
    certifications: [],
    description: '创客与初创企业的手板工作室：FDM 与 SLA 打印农场，当天下单次日交付。',
    resources: [
      'bambu_x1c',
      'bambu_x1c',
      'bambu_p1s',
      'creality_crm4',
      'ultimaker_s5',
      'formlabs_form4',
    ],
  },
  {
    name: '火炬智能装备钣金厂',
    legal: '中山市火炬智能装备钣金有限公司',
    town: 'huoju',
    address: '中山市火炬开发区沿江东路 25 号',
    clusters: ['equipment', 'electronics'],
    certifications: ['iso9001'],
    status: 'pending',
    description: '自动化设备机架、电柜和钣金外罩。',
    resources: ['trumpf_trulaser3030', 'trumpf_trubend', 'trumpf_trupunch'],
  },
  {
    name: '火炬粉末烧结 3D 打印服务中心',
    legal: '中山市火炬粉末成型科技有限公司',
    town: 'huoju',
    address: '中山市火炬开发区濠头科技东路 5 号',
    clusters: ['electronics', 'automotive'],
    certifications: ['iso9001'],
    description: 'SLS / MJF 尼龙件小批量生产，汽车风道、线束卡扣和设备外壳。',
    resources: ['farsoon_ht403p', 'eos_p396', 'hp_jf4200', 'hp_jf5200'],
  },
  // 翠亨新区 · 机器人与医疗器械
  {
    name: '翠亨精密医疗器械加工厂',
    legal: '中山市翠亨精密医疗器械有限公司',
    town: 'cuiheng',
    address: '中山市翠亨新区兴湾路 12 号翠亨科学城',
    clusters: ['medical'],
    certifications: ['iso13485', 'iso9001'],
    description: '骨科植入物、手术器械和牙科零件的五轴与走心机加工，洁净包装。',
    resources: ['hermle_c42', 'citizen_l20', 'jingdiao_jdgr200', 'jingdiao_jdvt600'],
  },
  {
    name: '翠亨机器人关节精密件厂',
    legal: '中山市翠亨机器人科技有限公司',
    town: 'cuiheng',
    address: '中山市翠亨新区和耀路 8 号机器人产业园',
    clusters: ['robotics', 'equipment'],
    certifications: ['iso9001'],
    description: '协作机器人关节壳体、谐波减速器零件和末端执行器。',
    resources: ['mazak_variaxis', 'dmu50', 'mazak_qtn200', 'kede_kmc800'],
  },
  {
    name: '翠亨增材智造创新中心',
    legal: '中山市翠亨增材智造创新中心有限公司',
    town: 'cuiheng',
    address: '中山市翠亨新区创新大道 3 号',
    clusters: ['robotics', 'medical'],
    certifications: ['iso13485', 'iso9001'],
    description: '金属与大幅面树脂打印：机器人轻量化结构、医疗器械验证件。',
    resources: ['blt_s450', 'eos_m290', 'uniontech_rspro800'],
  },
  // 三乡 / 坦洲 / 港口 / 三角 / 板芙 / 西区
  {
    name: '三乡雍陌五金模具厂',
    legal: '中山市雍陌五金模具有限公司',
    town: 'sanxiang',
    address: '中山市三乡镇雍陌工业区 27 号',
    clusters: ['hardware', 'appliances'],
    certifications: ['iso9001'],
    description: '五金模具零件、模架和车削件加工。',
    resources: ['haas_vf4', 'mazak_vcn530', 'haas_st20'],
  },
  {
    name: '三乡金涌卫浴精工厂',
    legal: '中山市金涌卫浴精工有限公司',
    town: 'sanxiang',
    address: '中山市三乡镇金涌大道 133 号',
    clusters: ['hardware'],
    certifications: [],
    description: '卫浴不锈钢与铜配件车削、抛光。',
    resources: [
      { m: 'abb_polish', materials: ['ss304', 'brass_h59', 'ss316'] },
      'mazak_qtn200',
      'dalian_cka6150',
    ],
  },
  {
    name: '坦洲界狮电子五金厂',
    legal: '中山市界狮电子五金有限公司',
    town: 'tanzhou',
    address: '中山市坦洲镇界狮南路 52 号',
    clusters: ['electronics', 'hardware'],
    certifications: ['iso9001'],
    description: '电子产品五金件、散热片和塑胶外壳。',
    resources: ['brother_s700', 'hans_g3015', 'haitian_ma1600', 'bambu_p1s'],
  },
  {
    name: '坦洲汽配精密加工厂',
    legal: '中山市坦洲汽配精密制造有限公司',
    town: 'tanzhou',
    address: '中山市坦洲镇坦神北路 9 号',
    clusters: ['automotive'],
    certifications: ['iatf16949', 'iso9001'],
    description: '汽车零部件机加工：支架、轴套、阀体，SPC 过程控制。',
    resources: ['mazak_vcn530', 'haas_st20', 'dalian_cka6150', 'mazak_qtn200'],
  },
  {
    name: '港口游艺设备钣金厂',
    legal: '中山市港口游艺设备制造有限公司',
    town: 'gangkou',
    address: '中山市港口镇木河迳东路 8 号',
    clusters: ['equipment'],
    certifications: [],
    description: '游戏游艺设备机柜钣金、亚克力面板切割。',
    resources: [
      'bodor_i5',
      'yawei_pbh',
      'trumpf_trupunch',
      { m: 'hans_co2', materials: ['pmma', 'mdf'] },
    ],
  },
  {
    name: '三角高平精密模具厂',
    legal: '中山市高平精密模具有限公司',
    town: 'sanjiao',
    address: '中山市三角镇高平工业区福泽路 6 号',
    clusters: ['appliances', 'automotive'],
    certifications: ['iso9001'],
    description: '注塑模模仁与电极加工。',
    resources: ['jingdiao_jdgr200', 'haas_vf2', 'kede_kmc800'],
  },
  {
    name: '板芙深湾机械加工厂',
    legal: '中山市深湾机械有限公司',
    town: 'banfu',
    address: '中山市板芙镇深湾工业区 15 号',
    clusters: ['equipment'],
    certifications: [],
    status: 'rejected',
    note: '营业执照上的住所与填写的地址不一致，请核对后重新提交。',
    description: '通用机加工：车削与铣削。',
    resources: ['dalian_cka6150', { m: 'taikan_v856', active: false, note: '主轴维修中。' }],
  },
  {
    name: '西区彩虹电子外壳加工厂',
    legal: '中山市彩虹电子外壳有限公司',
    town: 'xiqu',
    address: '中山市西区彩虹大道 39 号',
    clusters: ['electronics'],
    certifications: ['iso9001'],
    description: '电子产品外壳 CNC 与 MJF 小批量。',
    resources: ['brother_s700', 'hp_jf5200', 'bambu_p1s'],
  },
]

const OWNER_NAMES = {
  surnames: [
    '梁',
    '黄',
    '何',
    '李',
    '陈',
    '林',
    '郑',
    '吴',
    '冯',
    '刘',
    '杨',
    '张',
    '卢',
    '萧',
    '麦',
    '甘',
    '缪',
  ],
  given: [
    '志强',
    '文杰',
    '国华',
    '永明',
    '建新',
    '少芳',
    '嘉欣',
    '伟成',
    '锦辉',
    '丽萍',
    '家豪',
    '振宇',
    '秀英',
    '俊杰',
  ],
}

/** The owner login of the n-th supply workshop (1-based): demo-ws-01@demo.test … */
export const demoWorkshopEmail = (n: number) => `demo-ws-${String(n).padStart(2, '0')}@demo.test`

export const demoSupplyWorkshopCount = workshops.length

// ---------------------------------------------------------------------------------------
// The demo accounts' own workshops

const demoProfiles = [
  {
    email: 'workshop@demo.test',
    seed: 9001,
    legal: '中山市小榄精密数控加工有限公司',
    address: '中山市小榄镇工业大道中 138 号',
    clusters: ['hardware', 'equipment', 'lighting'] as ClusterCode[],
    certifications: ['iso9001'] as CertificationCode[],
    rating: 4.8,
    description:
      '小榄老牌精密加工厂：五轴、三轴与车削，另有华曙 SLS 尼龙打印，五金、灯饰和装备零件从打样到批量。',
    // The demo jobs (db/demo/jobs.ts) are sized for the DMU 50, the VF-2 and the SLS printer:
    // steady hours keep enough idle time before those jobs' deadlines whatever day it is.
    resources: [
      {
        m: 'dmu50',
        name: 'DMG MORI DMU 50 五轴加工中心',
        materials: ['al6061', 'al7075', 'ss304'],
        exact: { rateFen: 18_000, setupFen: 30_000, min: 1, max: 500 },
        hoursPerDay: 16,
      },
      { m: 'haas_vf2', hoursPerDay: 16 },
      { m: 'mazak_qtn200' },
      {
        m: 'farsoon_ht403p',
        note: '尼龙治具和灯饰结构件小批量，夜间连续烧结。',
        hoursPerDay: 22,
      },
    ] as (Listing & { exact?: Exact })[],
  },
  {
    email: 'workshop2@demo.test',
    seed: 9002,
    legal: '中山市火炬增材制造科技有限公司',
    address: '中山市火炬开发区中山港大道 99 号火炬创新园 5 栋',
    clusters: ['electronics', 'equipment', 'medical'] as ClusterCode[],
    certifications: ['iso9001'] as CertificationCode[],
    rating: 4.6,
    description: '增材制造服务中心：联泰 SLA、EOS SLS、HP MJF 和拓竹 FDM 打印，手板到小批量。',
    resources: [
      { m: 'uniontech_lite600' },
      { m: 'hp_jf5200' },
      { m: 'bambu_x1c' },
      // The demo SLS job (db/demo/jobs.ts) matches it.
      { m: 'eos_p396', hoursPerDay: 22 },
    ] as (Listing & { exact?: Exact })[],
  },
]

interface Exact {
  rateFen: number
  setupFen: number
  min: number
  max: number | null
}

// ---------------------------------------------------------------------------------------
// Rows

interface ResourceRow {
  id: string
  organization_id: string
  process: string
  name: string
  make: string
  model: string
  materials: string[]
  envelope_x_mm: number
  envelope_y_mm: number
  envelope_z_mm: number
  tolerance_mm: number
  finishes: string[]
  hourly_rate_fen: number
  setup_fee_fen: number
  min_quantity: number
  max_quantity: number | null
  description: string
  active: boolean
}

interface WindowRow {
  resource_id: string
  starts_on: string
  ends_on: string
  hours_per_day: number
}

interface BookingRow {
  resource_id: string
  starts_on: string
  ends_on: string
  hours: number
}

type Catalogue = Map<string, { families: string[]; active: boolean }>

function suits(catalogue: Catalogue, process: ProcessCode, code: string): boolean {
  const family = processByCode(process)?.family
  const material = catalogue.get(code)
  return Boolean(family && material?.active && material.families.includes(family))
}

/** The rows to insert, and the steady hours per day of those listed with `hoursPerDay`. */
function buildResources(
  rng: Rng,
  organizationId: string,
  specs: readonly (Spec | (Listing & { exact?: Exact }))[],
  catalogue: Catalogue,
): { rows: ResourceRow[]; steady: Map<string, number> } {
  const rows: ResourceRow[] = []
  const steady = new Map<string, number>()
  const seen = new Map<string, number>()
  for (const spec of specs) {
    const listing: Listing & { exact?: Exact } = typeof spec === 'string' ? { m: spec } : spec
    const machine: Machine = machines[listing.m]
    const pool = listing.materials ?? [
      ...machine.materials.slice(0, 2),
      ...machine.materials.slice(2).filter(() => rng() < 0.6),
    ]
    const materials = pool.filter((code) => suits(catalogue, machine.process, code))
    if (!materials.length) continue
    const baseName = listing.name ?? `${machine.brand} ${machine.model} ${machine.kind}`
    const copies = (seen.get(baseName) ?? 0) + 1
    seen.set(baseName, copies)
    const rate = roundTo(between(rng, machine.rate[0], machine.rate[1]), 5)
    const setup = roundTo(between(rng, machine.setup[0], machine.setup[1]), 10)
    const id = randomUUID()
    if (listing.hoursPerDay) steady.set(id, listing.hoursPerDay)
    rows.push({
      id,
      organization_id: organizationId,
      process: machine.process,
      name: copies > 1 ? `${baseName}（${copies}号机）` : baseName,
      make: machine.make,
      model: machine.model,
      materials,
      envelope_x_mm: machine.envelope[0],
      envelope_y_mm: machine.envelope[1],
      envelope_z_mm: machine.envelope[2],
      tolerance_mm: machine.tolerance,
      finishes: machine.finishes,
      hourly_rate_fen: listing.exact?.rateFen ?? rate * 100,
      setup_fee_fen: listing.exact?.setupFen ?? setup * 100,
      min_quantity: listing.exact?.min ?? machine.quantity[0],
      max_quantity: listing.exact ? listing.exact.max : machine.quantity[1],
      description: listing.note ? `${machine.text}${listing.note}` : machine.text,
      active: listing.active ?? true,
    })
  }
  return { rows, steady }
}

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay()

/** Non-overlapping windows covering part of [today, today + 55], in one of four patterns. */
export function planWindows(rng: Rng, today: string): Omit<WindowRow, 'resource_id'>[] {
  const last = addDays(today, DEMO_HORIZON_DAYS - 1)
  const roll = rng()
  if (roll < 0.3) {
    // Steady: one or two shifts every day.
    return [{ starts_on: today, ends_on: last, hours_per_day: pick(rng, [8, 10, 12, 16, 20, 22]) }]
  }
  if (roll < 0.6) {
    // Weekdays only, sometimes a short Saturday.
    const hours = pick(rng, [8, 10, 12, 16])
    const saturday = rng() < 0.5 ? pick(rng, [4, 6]) : 0
    const windows: Omit<WindowRow, 'resource_id'>[] = []
    let runStart: string | undefined
    for (let i = 0; i < DEMO_HORIZON_DAYS; i++) {
      const day = addDays(today, i)
      const dow = weekday(day)
      const working = dow >= 1 && dow <= 5
      if (working && !runStart) runStart = day
      if (!working && runStart) {
        windows.push({ starts_on: runStart, ends_on: addDays(day, -1), hours_per_day: hours })
        runStart = undefined
      }
      if (dow === 6 && saturday)
        windows.push({ starts_on: day, ends_on: day, hours_per_day: saturday })
    }
    if (runStart) windows.push({ starts_on: runStart, ends_on: last, hours_per_day: hours })
    return windows
  }
  if (roll < 0.85) {
    // Busy now, idle later: a few hours a day for 2–4 weeks, then most of the day.
    const split = addDays(today, 7 * intBetween(rng, 2, 4))
    return [
      { starts_on: today, ends_on: addDays(split, -1), hours_per_day: pick(rng, [4, 6]) },
      { starts_on: split, ends_on: last, hours_per_day: pick(rng, [10, 12, 16]) },
    ]
  }
  // Four weeks on, one week of maintenance (保养), then three weeks on.
  const hours = pick(rng, [8, 12, 16])
  return [
    { starts_on: today, ends_on: addDays(today, 27), hours_per_day: hours },
    { starts_on: addDays(today, 35), ends_on: last, hours_per_day: hours },
  ]
}

function offeredHours(windows: Omit<WindowRow, 'resource_id'>[], from: string, to: string): number {
  let total = 0
  for (const w of windows) {
    const start = w.starts_on > from ? w.starts_on : from
    const end = w.ends_on < to ? w.ends_on : to
    if (start > end) continue
    const days = (Date.parse(end) - Date.parse(start)) / 86_400_000 + 1
    total += days * w.hours_per_day
  }
  return total
}

/** One or two bookings taking 30–70 % of the offered hours in their date range. */
function planBookings(
  rng: Rng,
  resourceId: string,
  windows: Omit<WindowRow, 'resource_id'>[],
  today: string,
): BookingRow[] {
  const bookings: BookingRow[] = []
  let cursor = intBetween(rng, 0, 10)
  const count = rng() < 0.5 ? 1 : 2
  for (let i = 0; i < count && cursor < DEMO_HORIZON_DAYS - 3; i++) {
    const length = intBetween(rng, 3, 10)
    const starts_on = addDays(today, cursor)
    const ends_on = addDays(today, Math.min(cursor + length - 1, DEMO_HORIZON_DAYS - 1))
    const hours = Math.round(offeredHours(windows, starts_on, ends_on) * between(rng, 0.3, 0.7))
    if (hours > 0) bookings.push({ resource_id: resourceId, starts_on, ends_on, hours })
    cursor += length + intBetween(rng, 3, 14)
  }
  return bookings
}

/** Windows for the active resources and bookings for some; inserted in batches. */
async function insertResources(
  tx: Tx,
  rng: Rng,
  { rows: resources, steady }: { rows: ResourceRow[]; steady: Map<string, number> },
  today: string,
  bookingShare: number,
): Promise<{ windows: number; bookings: number }> {
  if (!resources.length) return { windows: 0, bookings: 0 }
  await tx.insertInto('resources').values(resources).execute()
  const windows: WindowRow[] = []
  const bookings: BookingRow[] = []
  for (const resource of resources) {
    if (!resource.active) continue
    const hours = steady.get(resource.id)
    const planned = hours
      ? [
          {
            starts_on: today,
            ends_on: addDays(today, DEMO_HORIZON_DAYS - 1),
            hours_per_day: hours,
          },
        ]
      : planWindows(rng, today)
    windows.push(...planned.map((w) => ({ resource_id: resource.id, ...w })))
    if (rng() < bookingShare) bookings.push(...planBookings(rng, resource.id, planned, today))
  }
  if (windows.length) await tx.insertInto('capacity_windows').values(windows).execute()
  if (bookings.length) await tx.insertInto('capacity_bookings').values(bookings).execute()
  return { windows: windows.length, bookings: bookings.length }
}

function jitter(rng: Rng, town: TownCode) {
  const centre = townByCode(town)!
  const round6 = (n: number) => Math.round(n * 1e6) / 1e6
  return {
    lat: round6(centre.lat + (rng() - 0.5) * 0.04),
    lng: round6(centre.lng + (rng() - 0.5) * 0.04),
  }
}

function verificationColumns(
  rng: Rng,
  status: VerificationStatus,
  operatorId: string | null,
  note: string | undefined,
) {
  const verifiedDaysAgo = intBetween(rng, 10, 400)
  switch (status) {
    case 'verified':
      return {
        verification_status: status,
        verification_requested_at: sql<Date>`now() - make_interval(days => ${verifiedDaysAgo + 1})`,
        verified_at: sql<Date>`now() - make_interval(days => ${verifiedDaysAgo})`,
        verified_by: operatorId,
        verification_note: null,
      }
    case 'pending':
      return {
        verification_status: status,
        verification_requested_at: sql<Date>`now() - make_interval(hours => ${intBetween(rng, 2, 120)})`,
        verified_at: null,
        verification_note: null,
      }
    case 'rejected':
      return {
        verification_status: status,
        verification_requested_at: sql<Date>`now() - make_interval(days => 6)`,
        verified_at: null,
        verified_by: operatorId,
        verification_note: note ?? null,
      }
    default:
      return { verification_status: status, verified_at: null }
  }
}

// ---------------------------------------------------------------------------------------
// Entry point

export interface SupplySummary {
  workshops: number
  resources: number
  windows: number
  bookings: number
  /** Owner logins created in this run. */
  emails: string[]
}

async function runPool<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Adds the demo supply side: profiles and machines for the demo workshop logins, and the
 * supply workshops (owner demo-ws-NN@demo.test) that are missing. Safe to run again.
 */
export async function seedDemoSupply(db: Db, password = 'demo-password'): Promise<SupplySummary> {
  const today = shanghaiToday()
  const summary: SupplySummary = { workshops: 0, resources: 0, windows: 0, bookings: 0, emails: [] }
  const catalogue: Catalogue = new Map(
    (await db.selectFrom('materials').select(['code', 'families', 'active']).execute()).map((m) => [
      m.code,
      { families: m.families, active: m.active },
    ]),
  )
  const operator = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'operator@demo.test')
    .executeTakeFirst()
  const operatorId = operator?.id ?? null
  const count = (added: { windows: number; bookings: number }, resources: number) => {
    summary.resources += resources
    summary.windows += added.windows
    summary.bookings += added.bookings
  }

  // The demo logins' own workshops: a profile once, machines once.
  for (const profile of demoProfiles) {
    await db.transaction().execute(async (tx) => {
      const org = await tx
        .selectFrom('users')
        .innerJoin('memberships', 'memberships.user_id', 'users.id')
        .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
        .select(['organizations.id', 'organizations.town', 'organizations.uscc'])
        .where('users.email', '=', profile.email)
        .where('organizations.kind', '=', 'workshop')
        .executeTakeFirst()
      if (!org) return
      await tx
        .selectFrom('organizations')
        .select('id')
        .where('id', '=', org.id)
        .forUpdate()
        .execute()
      const rng = mulberry32(profile.seed)
      if (!org.uscc) {
        await tx
          .updateTable('organizations')
          .set({
            legal_name: profile.legal,
            uscc: demoUscc(profile.seed),
            address: profile.address,
            ...jitter(rng, (org.town ?? 'xiaolan') as TownCode),
            description: profile.description,
            clusters: profile.clusters,
            certifications: profile.certifications,
            rating: profile.rating,
            ...verificationColumns(rng, 'verified', operatorId, undefined),
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', org.id)
          .execute()
      }
      const existing = await tx
        .selectFrom('resources')
        .select('id')
        .where('organization_id', '=', org.id)
        .limit(1)
        .executeTakeFirst()
      if (existing) return
      const resources = buildResources(rng, org.id, profile.resources, catalogue)
      // Every machine of the demo workshops shows some booked hours.
      count(await insertResources(tx, rng, resources, today, 1), resources.rows.length)
    })
  }

  // The supply workshops whose owner login is missing.
  const taken = new Set(
    (
      await db
        .selectFrom('users')
        .select('email')
        .where('email', 'like', 'demo-ws-%@demo.test')
        .execute()
    ).map((u) => u.email),
  )
  const missing = workshops
    .map((workshop, index) => ({ workshop, n: index + 1 }))
    .filter(({ n }) => !taken.has(demoWorkshopEmail(n)))

  // Password hashing dominates; a few sign-ups at a time keep the pool and CPU busy.
  await runPool(missing, 4, async ({ workshop, n }) => {
    const rng = mulberry32(1000 + n)
    const email = demoWorkshopEmail(n)
    const added = await db
      .transaction()
      .execute(async (tx) => {
        const account = await signUp(tx, {
          kind: 'workshop',
          organizationName: workshop.name,
          town: workshop.town,
          name: pick(rng, OWNER_NAMES.surnames) + pick(rng, OWNER_NAMES.given),
          email,
          password,
          locale: 'zh-CN',
        })
        const status = workshop.status ?? 'verified'
        const submitted = status !== 'unsubmitted'
        await tx
          .updateTable('organizations')
          .set({
            legal_name: submitted ? workshop.legal : null,
            uscc: submitted ? demoUscc(n) : null,
            address: workshop.address,
            ...jitter(rng, workshop.town),
            description: workshop.description,
            clusters: workshop.clusters,
            certifications: workshop.certifications,
            rating:
              status === 'verified' && rng() < 0.8
                ? Math.round(between(rng, 3.5, 5) * 100) / 100
                : null,
            ...verificationColumns(rng, status, operatorId, workshop.note),
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', account.organization.id)
          .execute()
        const resources = buildResources(
          rng,
          account.organization.id,
          workshop.resources,
          catalogue,
        )
        const inserted = await insertResources(tx, rng, resources, today, 0.15)
        return { ...inserted, resources: resources.rows.length }
      })
      // Another process seeding at the same moment created this login first.
      .catch((error: unknown) => {
        if (error instanceof EmailTakenError) return undefined
        throw error
      })
    if (!added) return
    summary.workshops += 1
    summary.emails.push(email)
    count(added, added.resources)
  })
  summary.emails.sort()
  return summary
}
