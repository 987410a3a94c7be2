// Synthetic supply for the capability-search benchmark (search.bench.ts, issue 4): workshops
// across Zhongshan's towns, each with machines of its industry cluster, capacity windows for
// the coming 8 weeks and some bookings; plus a mix of search queries as a visitor would send
// them. Deterministic for a seed (ids included) apart from dates, which are relative to today.
import type { Insertable } from 'kysely'
import type {
  CapacityBookingsTable,
  CapacityWindowsTable,
  OrganizationsTable,
  ResourcesTable,
  VerificationStatus,
} from '../../db/schema.ts'
import { DEMO_HORIZON_DAYS, demoUscc, mulberry32, planWindows } from '../../db/demo/supply.ts'
import { addDays } from '../../app/models/capacity.server.ts'
import { processByCode, type ProcessCode } from '../../app/models/processes.ts'
import { towns, type TownCode } from '../../app/models/towns.ts'
import type { CertificationCode, ClusterCode } from '../../app/models/taxonomy.ts'

export { mulberry32 }
export type Rng = () => number

export const pick = <T>(rng: Rng, items: readonly T[]): T =>
  items[Math.floor(rng() * items.length)]!
const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo)
export const intBetween = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1))
const roundTo = (n: number, step: number) => Math.round(n / step) * step

/** A version-4-shaped UUID drawn from `rng`, so the whole data set is reproducible. */
export function uuidFrom(rng: Rng): string {
  const word = () =>
    Math.floor(rng() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')
  const h = word() + word() + word() + word()
  const variant = '89ab'[Math.floor(rng() * 4)]!
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`
}

// ---------------------------------------------------------------------------------------
// Machines

export interface Machine {
  process: ProcessCode
  brand: string
  make: string
  model: string
  kind: string
  envelope: [number, number, number]
  tolerance: number
  /** The first two always; each further one with probability 0.6. */
  materials: string[]
  finishes: string[]
  /** Yuan per hour. */
  rate: [number, number]
  /** Yuan per job. */
  setup: [number, number]
  quantity: [number, number | null]
  text: string
}

const METALS = ['al6061', 'ss304', 'al7075', 'adc12', 'steel45', 'brass_h59', 'pom', 'ss316']
const WOOD = ['plywood', 'mdf', 'oak']
const SHEET = ['q235', 'ss304', 'al5052', 'al6061', 'ss316', 'copper_t2']
const PLASTICS = ['abs', 'pp', 'pc', 'pa66', 'pom']
const POLISHABLE = ['adc12', 'al6061', 'ss304', 'brass_h59', 'copper_t2', 'al7075', 'ss316']
const FABRIC = ['cotton', 'polyester', 'leather']

const m = (
  process: ProcessCode,
  brand: string,
  make: string,
  model: string,
  kind: string,
  envelope: [number, number, number],
  tolerance: number,
  materials: string[],
  finishes: string[],
  rate: [number, number],
  text: string,
  quantity: [number, number | null] = [1, 2000],
): Machine => ({
  process,
  brand,
  make,
  model,
  kind,
  envelope,
  tolerance,
  materials,
  finishes,
  rate,
  setup: [roundTo(rate[0] * 1.5, 10), roundTo(rate[1] * 3, 10)],
  quantity,
  text,
})

// One machine a line: a table reads better than prettier's one argument a line.
// prettier-ignore
export const machines = {
  haas_vf2: m('cnc_milling_3axis', 'Haas', 'Haas', 'VF-2', '立式加工中心', [762, 406, 508], 0.02, METALS, ['阳极氧化', '喷砂', '拉丝'], [90, 120], '三轴立式加工中心，适合铝合金散热器、五金支架、治具的小批量加工。'),
  haas_vf4: m('cnc_milling_3axis', 'Haas', 'Haas', 'VF-4', '立式加工中心', [1270, 508, 635], 0.02, METALS, ['阳极氧化', '喷砂', '喷粉'], [100, 140], '长行程三轴加工中心，可加工 1.2 米级灯体、底座和模板。'),
  mazak_vcn530: m('cnc_milling_3axis', 'Mazak', 'Mazak 马扎克', 'VCN-530C', '立式加工中心', [1050, 530, 510], 0.015, ['al6061', 'steel45', 'ss304', 'al7075', 'ss316', 'brass_h59'], ['阳极氧化', '发黑', '镀镍'], [110, 150], '日系立式加工中心，刚性好，适合钢件、模架和汽配零件。'),
  fanuc_robodrill: m('cnc_milling_3axis', 'FANUC', 'FANUC 发那科', 'Robodrill α-D21MiB5', '钻攻中心', [700, 400, 330], 0.01, ['adc12', 'al6061', 'brass_h59', 'copper_t2', 'al7075'], ['去毛刺', '喷砂'], [80, 110], '高速钻攻中心，压铸件钻孔攻牙和小件批量精加工。', [100, 50000]),
  brother_s700: m('cnc_milling_3axis', 'Brother', '兄弟 Brother', 'Speedio S700X2', '钻攻中心', [700, 400, 300], 0.01, ['al6061', 'adc12', 'al7075', 'brass_h59', 'pc', 'abs'], ['阳极氧化', '喷砂', '镭雕'], [80, 110], '高速钻攻中心，适合电子产品铝外壳、中框和结构件批量加工。', [50, 50000]),
  jingdiao_jdvt600: m('cnc_milling_3axis', '北京精雕', '北京精雕 JingDiao', 'JDVT600', '精雕机', [600, 500, 300], 0.005, ['al6061', 'copper_t2', 'al7075', 'ss304', 'pmma', 'pc'], ['镜面抛光', '阳极氧化', '高光'], [110, 150], '高速精雕机，在机测量，适合透镜模仁、电极、精密小件和高光面加工。'),
  taikan_v856: m('cnc_milling_3axis', '台群', '台群精机 Taikan', 'T-V856S', '立式加工中心', [800, 550, 550], 0.02, ['al6061', 'steel45', 'ss304', 'adc12', 'brass_h59'], ['阳极氧化', '喷粉'], [80, 110], '常规三轴加工中心，五金件、夹具和压铸件二次加工。'),
  nanxing_router: m('cnc_milling_3axis', '南兴', '南兴装备 Nanxing', 'NCG2512', '数控开料雕刻机', [2500, 1250, 200], 0.1, WOOD, ['打磨', '封边', 'PU 喷漆'], [60, 90], '板式家具数控开料，柜体、门板、异形件雕刻一次完成。'),
  homag_p110: m('cnc_milling_3axis', '豪迈', '豪迈 HOMAG', 'CENTATEQ P-110', '木工数控加工中心', [3100, 1550, 150], 0.1, WOOD, ['打磨', '封边', '木蜡油'], [90, 130], '德国木工加工中心，实木家具榫卯、曲面和封边一体加工。'),
  dmu50: m('cnc_milling_5axis', 'DMG MORI', 'DMG MORI', 'DMU 50', '五轴加工中心', [500, 450, 400], 0.01, ['al6061', 'al7075', 'ss304', 'ti_tc4', 'ss316', 'pom'], ['阳极氧化', '喷砂'], [170, 210], '五轴联动加工中心，一次装夹完成复杂铝合金、钛合金零件。'),
  jingdiao_jdgr200: m('cnc_milling_5axis', '北京精雕', '北京精雕 JingDiao', 'JDGR200', '五轴高速加工中心', [450, 400, 250], 0.005, ['al6061', 'al7075', 'copper_t2', 'ss304', 'ti_tc4'], ['镜面抛光', '阳极氧化'], [180, 240], '五轴高速精密加工，叶轮、医疗器械零件和精密模具。'),
  mazak_variaxis: m('cnc_milling_5axis', 'Mazak', 'Mazak 马扎克', 'VARIAXIS i-600', '五轴加工中心', [600, 650, 530], 0.008, ['al6061', 'steel45', 'ss304', 'ti_tc4', 'al7075'], ['阳极氧化', '喷砂', '钝化'], [200, 260], '五轴联动，机器人关节、减速器壳体和航空结构件。'),
  hermle_c42: m('cnc_milling_5axis', 'Hermle', 'Hermle 哈默', 'C 42 U', '五轴加工中心', [800, 800, 550], 0.005, ['ti_tc4', 'ss316', 'al7075', 'ss304', 'al6061'], ['钝化', '电解抛光', '喷砂'], [260, 320], '德国五轴加工中心，医疗植入物、骨科器械和精密结构件。'),
  kede_kmc800: m('cnc_milling_5axis', '科德数控', '科德数控 KEDE', 'KMC800U', '五轴立式加工中心', [800, 700, 550], 0.008, ['al6061', 'al7075', 'steel45', 'ss304', 'ti_tc4'], ['阳极氧化', '喷砂'], [180, 230], '国产五轴联动加工中心，汽配、模具和装备零件。'),
  scm_5axis: m('cnc_milling_5axis', 'SCM', 'SCM 意大利', 'Accord 25 FX', '五轴木工加工中心', [3200, 1600, 300], 0.1, WOOD, ['打磨', '木蜡油', 'PU 喷漆'], [150, 200], '五轴木工中心，红木家具雕花、椅背曲面和异形实木件。'),
  mazak_qtn200: m('cnc_turning', 'Mazak', 'Mazak 马扎克', 'QUICK TURN 200', '数控车床', [300, 300, 530], 0.01, ['al6061', 'steel45', 'ss304', 'brass_h59', 'pom'], ['阳极氧化', '镀镍', '发黑'], [80, 110], '数控车削中心，带动力刀塔，轴类、法兰和接头一次成型。'),
  haas_st20: m('cnc_turning', 'Haas', 'Haas', 'ST-20', '数控车床', [250, 250, 530], 0.01, ['al6061', 'steel45', 'ss304', 'brass_h59'], ['阳极氧化', '发黑'], [75, 100], '数控车床，轴套、螺纹件和五金配件的小批量车削。'),
  dalian_cka6150: m('cnc_turning', '大连机床', '大连机床 DMTG', 'CKA6150', '卧式数控车床', [500, 500, 1000], 0.02, ['steel45', 'ss304', 'al6061', 'brass_h59'], ['发黑', '镀锌'], [55, 80], '卧式数控车床，长轴、大盘类零件车削。'),
  citizen_l20: m('cnc_turning', '西铁城', '西铁城 Citizen', 'L20', '走心式数控车床', [20, 20, 200], 0.005, ['brass_h59', 'ss304', 'al6061', 'copper_t2', 'ti_tc4'], ['镀镍', '钝化', '抛光'], [90, 130], '走心机，精密小轴、连接器插针和医疗螺钉批量加工。', [500, 200000]),
  tsugami_b0205: m('cnc_turning', '津上', '津上 Tsugami', 'B0205-III', '走心机', [20, 20, 210], 0.005, ['brass_h59', 'ss316', 'ti_tc4', 'copper_t2'], ['镀镍', '镀金', '钝化'], [85, 120], '精密走心机，微型轴、牙科种植体和钟表零件。', [500, 200000]),
  bambu_x1c: m('fdm', '拓竹', '拓竹 Bambu Lab', 'X1 Carbon', 'FDM 3D 打印机', [256, 256, 256], 0.1, ['pla', 'petg', 'abs'], ['打磨', '喷漆'], [25, 40], '多色 FDM 3D 打印，外观手板、治具和结构验证件。', [1, 500]),
  bambu_p1s: m('fdm', '拓竹', '拓竹 Bambu Lab', 'P1S', 'FDM 3D 打印机', [256, 256, 256], 0.15, ['pla', 'petg'], ['打磨'], [20, 35], 'FDM 3D 打印，快速打样，当天出件。', [1, 500]),
  creality_k1max: m('fdm', '创想三维', '创想三维 Creality', 'K1 Max', 'FDM 3D 打印机', [300, 300, 300], 0.15, ['pla', 'petg', 'abs'], ['打磨', '喷漆'], [20, 35], '高速 FDM 3D 打印，灯罩、外壳手板和小批量零件。', [1, 500]),
  ultimaker_s5: m('fdm', 'UltiMaker', 'UltiMaker', 'S5', '双喷头 FDM 3D 打印机', [330, 240, 300], 0.1, ['pla', 'abs', 'petg'], ['打磨', '去支撑'], [40, 60], '双喷头 FDM，可溶支撑，复杂内腔结构件。', [1, 200]),
  uniontech_lite600: m('sla', '联泰', '联泰 UnionTech', 'Lite600', '工业级光固化 3D 打印机', [600, 600, 400], 0.1, ['resin_std', 'resin_tough'], ['打磨', '喷漆', '透明抛光', '电镀'], [60, 90], 'SLA 光固化打印，光敏树脂手板、灯饰外观件和透明件。', [1, 300]),
  formlabs_form3l: m('sla', 'Formlabs', 'Formlabs', 'Form 3L', '光固化 3D 打印机', [335, 200, 300], 0.05, ['resin_std', 'resin_tough'], ['打磨', '喷漆'], [40, 60], '大幅面 SLA 光固化，精细外观件和卡扣验证。', [1, 300]),
  formlabs_form4: m('sla', 'Formlabs', 'Formlabs', 'Form 4', '光固化 3D 打印机', [200, 125, 210], 0.05, ['resin_std', 'resin_tough'], ['打磨', '喷漆'], [35, 55], '桌面 SLA 光固化，牙科模型、医疗导板和小件手板。', [1, 300]),
  hp_jf5200: m('mjf', 'HP', 'HP 惠普', 'Jet Fusion 5200', 'MJF 多射流熔融 3D 打印机', [380, 284, 380], 0.2, ['pa12'], ['喷砂', '染黑', '蒸汽平滑'], [120, 160], 'MJF 尼龙 PA12 打印，功能件小批量生产，无需开模。', [1, 5000]),
  hp_jf4200: m('mjf', 'HP', 'HP 惠普', 'Jet Fusion 4200', 'MJF 多射流熔融 3D 打印机', [380, 284, 380], 0.25, ['pa12'], ['喷砂', '染黑'], [110, 150], 'MJF 多射流熔融，机器人夹爪、风道和卡扣件。', [1, 5000]),
  farsoon_ht403p: m('sls', '华曙高科', '华曙高科 Farsoon', 'HT403P', 'SLS 选择性激光烧结设备', [400, 400, 450], 0.2, ['pa12'], ['喷砂', '染色'], [100, 140], 'SLS 尼龙烧结，复杂结构件和无人机零件。', [1, 3000]),
  eos_p396: m('sls', 'EOS', 'EOS', 'P 396', 'SLS 选择性激光烧结设备', [340, 340, 600], 0.2, ['pa12'], ['喷砂', '染色'], [110, 150], '德国 SLS 设备，尼龙功能件和汽车风道。', [1, 3000]),
  blt_s310: m('slm', '铂力特', '铂力特 BLT', 'BLT-S310', '金属 3D 打印机', [250, 250, 400], 0.05, ['ss316l_powder', 'alsi10mg', 'ti_tc4'], ['喷砂', '热处理', '机加工后处理'], [350, 450], 'SLM 金属 3D 打印，随形冷却水路模具镶件和钛合金零件。', [1, 200]),
  blt_s450: m('slm', '铂力特', '铂力特 BLT', 'BLT-S450', '金属 3D 打印机', [450, 450, 500], 0.05, ['ti_tc4', 'alsi10mg', 'ss316l_powder'], ['喷砂', '热处理', '机加工后处理'], [450, 600], '大尺寸金属 3D 打印，航空和机器人结构件。', [1, 200]),
  eos_m290: m('slm', 'EOS', 'EOS', 'M 290', '金属 3D 打印机', [250, 250, 325], 0.05, ['ti_tc4', 'ss316l_powder', 'alsi10mg'], ['喷砂', '热处理'], [400, 500], '金属粉末床熔融，骨科植入物和精密金属件。', [1, 200]),
  hans_g3015: m('laser_cutting', '大族激光', "大族激光 Han's Laser", 'G3015HF', '光纤激光切割机', [3000, 1500, 20], 0.05, SHEET, ['去毛刺', '拉丝'], [120, 180], '6kW 光纤激光切割，不锈钢、碳钢和铝板下料。', [1, 10000]),
  trumpf_trulaser: m('laser_cutting', '通快', '通快 TRUMPF', 'TruLaser 3030 fiber', '光纤激光切割机', [3000, 1500, 25], 0.03, SHEET, ['去毛刺', '拉丝'], [150, 220], '德国光纤激光切割，精密钣金件下料。', [1, 10000]),
  bodor_i5: m('laser_cutting', '邦德激光', '邦德激光 Bodor', 'i5', '光纤激光切割机', [3000, 1500, 12], 0.05, SHEET, ['去毛刺'], [100, 140], '经济型光纤激光切割，灯饰钣金件和五金薄板。', [1, 10000]),
  hans_co2: m('laser_cutting', '大族激光', "大族激光 Han's Laser", 'CMA1390', 'CO2 激光切割雕刻机', [1300, 900, 20], 0.1, ['pmma', 'plywood', 'mdf', 'leather'], ['雕刻', '抛光边'], [50, 80], 'CO2 激光切割雕刻，亚克力灯箱、木板和皮革。', [1, 5000]),
  golden_laser: m('laser_cutting', '金运激光', '金运激光 Golden Laser', 'CJG-160100LD', '皮革激光切割机', [1600, 1000, 10], 0.1, ['leather', 'plywood'], ['雕刻', '打孔'], [60, 90], '皮革、面料激光切割和镂空打孔。', [1, 20000]),
  trumpf_trubend: m('sheet_metal', '通快', '通快 TRUMPF', 'TruBend 5130', '数控折弯机', [3000, 1500, 500], 0.1, SHEET, ['喷粉', '拉丝', '电镀'], [120, 160], '数控折弯，机柜、钣金外壳和支架。', [1, 10000]),
  yawei_pbh: m('sheet_metal', '亚威', '亚威 Yawei', 'PBH-110/3100', '电液伺服折弯机', [3100, 1500, 400], 0.1, SHEET, ['喷粉', '拉丝'], [80, 120], '电液伺服折弯机，灯饰钣金件和配电箱。', [1, 10000]),
  amada_hg: m('sheet_metal', '天田', '天田 AMADA', 'HG-1303', '数控折弯机', [3000, 1500, 400], 0.1, SHEET, ['喷粉', '电镀'], [100, 140], '日系数控折弯，家电钣金和精密机箱。', [1, 10000]),
  trumpf_trupunch: m('sheet_metal', '通快', '通快 TRUMPF', 'TruPunch 5000', '数控转塔冲床', [2500, 1250, 6], 0.1, SHEET, ['去毛刺', '攻牙', '喷粉'], [130, 170], '数控转塔冲床，散热孔、百叶窗和成形冲压。', [100, 100000]),
  yangli_punch: m('sheet_metal', '扬力', '扬力 Yangli', 'JH21-160', '开式冲床（冲压）', [800, 680, 450], 0.05, SHEET, ['电镀', '喷粉', '去毛刺'], [90, 130], '160 吨冲床，五金冲压件和连续模生产。', [1000, 1000000]),
  seyi_punch: m('sheet_metal', '协易', '协易 SEYI', 'SN1-200', '精密冲压机', [1000, 700, 450], 0.05, SHEET, ['电镀', '去毛刺'], [100, 140], '精密冲压，汽车支架和电机铁芯。', [1000, 1000000]),
  haitian_ma1600: m('injection_molding', '海天', '海天 Haitian', 'MA1600III', '160T 伺服注塑机', [350, 300, 250], 0.05, PLASTICS, ['咬花纹理', '喷涂', '丝印'], [70, 100], '伺服注塑机，灯饰塑件、小家电外壳和医疗耗材。', [500, 1000000]),
  haitian_ma2500: m('injection_molding', '海天', '海天 Haitian', 'MA2500III', '250T 伺服注塑机', [500, 400, 300], 0.05, PLASTICS, ['咬花纹理', '喷涂', '丝印'], [90, 120], '250 吨注塑，家电面板和电子外壳。', [500, 1000000]),
  haitian_ma3800: m('injection_molding', '海天', '海天 Haitian', 'MA3800III', '380T 伺服注塑机', [700, 600, 400], 0.08, PLASTICS, ['咬花纹理', '喷涂'], [110, 150], '380 吨注塑，风扇叶、空调面板和储物箱。', [500, 1000000]),
  haitian_ju6500: m('injection_molding', '海天', '海天 Haitian', 'JU6500III', '650T 二板式注塑机', [1000, 800, 500], 0.1, PLASTICS, ['咬花纹理', '喷涂'], [160, 220], '650 吨二板机，大型家电外壳和汽车内饰件。', [500, 1000000]),
  yizumi_un260: m('injection_molding', '伊之密', '伊之密 Yizumi', 'UN260A5', '260T 伺服注塑机', [450, 400, 300], 0.05, PLASTICS, ['咬花纹理', '喷涂', '移印'], [90, 120], '伺服注塑，电子产品外壳和精密齿轮。', [500, 1000000]),
  chenhsong_jm168: m('injection_molding', '震雄', '震雄 Chen Hsong', 'JM168-MKIII', '168T 注塑机', [330, 300, 250], 0.05, PLASTICS, ['咬花纹理', '丝印'], [65, 90], '注塑加工，灯头、开关面板和日用塑件。', [500, 1000000]),
  lk_dcc280: m('injection_molding', '力劲', '力劲 LK', 'DCC280', '280T 冷室压铸机', [300, 300, 150], 0.05, ['adc12'], ['喷砂', '喷粉', '去毛刺'], [120, 160], '铝合金压铸，灯饰压铸件、散热器和五金配件。', [1000, 500000]),
  lk_dcc400: m('injection_molding', '力劲', '力劲 LK', 'DCC400', '400T 冷室压铸机', [450, 400, 200], 0.05, ['adc12'], ['喷砂', '喷粉', '去毛刺'], [150, 200], '压铸铝 ADC12，电机壳和五金锁具件。', [1000, 500000]),
  lk_dcc800: m('injection_molding', '力劲', '力劲 LK', 'DCC800', '800T 冷室压铸机', [700, 600, 300], 0.08, ['adc12'], ['喷砂', '喷粉'], [220, 300], '大型压铸，汽车壳体和支架。', [1000, 500000]),
  estun_polish: m('polishing', '埃斯顿', '埃斯顿 ESTUN', 'ER20-1780', '机器人抛光工作站', [1200, 800, 600], 0.05, POLISHABLE, ['镜面抛光', '拉丝', '砂光'], [70, 110], '机器人打磨抛光，压铸件、卫浴五金和灯饰件表面处理。', [100, 100000]),
  gree_polish: m('polishing', '格力', '格力智能装备 GREE', 'GA-20 抛光单元', '机器人打磨抛光单元', [1000, 800, 600], 0.05, POLISHABLE, ['镜面抛光', '拉丝', '砂光'], [70, 100], '打磨抛光单元，小家电不锈钢外壳和锅具。', [100, 100000]),
  abb_polish: m('polishing', 'ABB', 'ABB', 'IRB 4600 力控抛光单元', '机器人力控抛光单元', [1500, 1000, 800], 0.03, [...POLISHABLE, 'oak'], ['镜面抛光', '拉丝', '砂光'], [90, 130], '力控抛光，曲面一致性好，汽车轮毂和家具木件砂光。', [100, 100000]),
  lectra_vector: m('textile_cutting', '力克', '力克 Lectra', 'Vector iX6', '自动裁床', [2000, 1800, 60], 0.5, FABRIC, ['打标', '钻孔定位', '分拣捆扎'], [100, 150], '自动裁床，服装面料多层裁剪，排料软件对接。', [50, 100000]),
  gerber_paragon: m('textile_cutting', '格柏', '格柏 Gerber', 'Paragon HX', '自动裁床', [1800, 1700, 70], 0.5, FABRIC, ['打标', '钻孔定位'], [90, 130], '多层自动裁床，牛仔、针织和校服裁片。', [50, 100000]),
  lectra_versalis: m('textile_cutting', '力克', '力克 Lectra', 'Versalis', '皮革数控裁切机', [1800, 1600, 10], 0.3, ['leather', 'polyester'], ['打孔', '打标'], [110, 150], '皮革数控裁切，沙发、汽车座椅和箱包皮料。', [10, 50000]),
  yin_cutter: m('textile_cutting', '和鹰', '和鹰科技 Yin', 'HY-S1625', '智能裁床', [2500, 1600, 50], 0.5, FABRIC, ['打标', '钻孔定位'], [80, 120], '国产智能裁床，服装和家纺裁片。', [50, 100000]),
} satisfies Record<string, Machine>

export type MachineKey = keyof typeof machines

// prettier-ignore
const clusterMachines: Record<ClusterCode, MachineKey[]> = {
  lighting: ['hans_g3015', 'bodor_i5', 'yawei_pbh', 'amada_hg', 'haas_vf2', 'taikan_v856', 'estun_polish', 'haitian_ma1600', 'chenhsong_jm168', 'lk_dcc280', 'uniontech_lite600', 'hans_co2'],
  hardware: ['haas_vf2', 'brother_s700', 'fanuc_robodrill', 'taikan_v856', 'mazak_qtn200', 'dalian_cka6150', 'citizen_l20', 'estun_polish', 'gree_polish', 'lk_dcc280', 'lk_dcc400', 'yangli_punch', 'kede_kmc800'],
  appliances: ['haitian_ma2500', 'haitian_ma3800', 'yizumi_un260', 'haitian_ju6500', 'trumpf_trupunch', 'amada_hg', 'yangli_punch', 'haas_vf4', 'gree_polish', 'bambu_x1c', 'formlabs_form3l'],
  clothing: ['lectra_vector', 'gerber_paragon', 'yin_cutter', 'golden_laser', 'hans_co2'],
  furniture: ['nanxing_router', 'homag_p110', 'scm_5axis', 'hans_co2', 'lectra_versalis', 'abb_polish'],
  electronics: ['brother_s700', 'jingdiao_jdvt600', 'dmu50', 'jingdiao_jdgr200', 'bambu_x1c', 'bambu_p1s', 'creality_k1max', 'ultimaker_s5', 'formlabs_form4', 'uniontech_lite600', 'hp_jf5200', 'yizumi_un260'],
  equipment: ['mazak_variaxis', 'kede_kmc800', 'mazak_vcn530', 'haas_vf4', 'dalian_cka6150', 'haas_st20', 'trumpf_trubend', 'trumpf_trulaser', 'blt_s310'],
  medical: ['hermle_c42', 'dmu50', 'jingdiao_jdgr200', 'tsugami_b0205', 'citizen_l20', 'eos_m290', 'blt_s310', 'formlabs_form4', 'haitian_ma1600'],
  robotics: ['hermle_c42', 'mazak_variaxis', 'farsoon_ht403p', 'eos_p396', 'hp_jf4200', 'blt_s450', 'fanuc_robodrill', 'ultimaker_s5'],
  automotive: ['mazak_vcn530', 'mazak_qtn200', 'lk_dcc800', 'trumpf_trubend', 'seyi_punch', 'kede_kmc800', 'abb_polish', 'eos_p396'],
}

// ---------------------------------------------------------------------------------------
// Workshops

/** Relative number of workshops per town and the clusters it is known for. */
const townProfile: Record<TownCode, { weight: number; clusters: ClusterCode[] }> = {
  guzhen: { weight: 14, clusters: ['lighting'] },
  henglan: { weight: 6, clusters: ['lighting', 'hardware'] },
  xiaolan: { weight: 13, clusters: ['hardware', 'appliances'] },
  dongfeng: { weight: 8, clusters: ['appliances'] },
  nantou: { weight: 6, clusters: ['appliances'] },
  huangpu: { weight: 4, clusters: ['appliances', 'equipment'] },
  fusha: { weight: 3, clusters: ['hardware'] },
  dongsheng: { weight: 4, clusters: ['hardware', 'furniture'] },
  shaxi: { weight: 6, clusters: ['clothing'] },
  dachong: { weight: 5, clusters: ['furniture', 'clothing'] },
  sanxiang: { weight: 4, clusters: ['furniture', 'electronics'] },
  banfu: { weight: 2, clusters: ['clothing'] },
  huoju: { weight: 10, clusters: ['electronics', 'equipment', 'medical', 'robotics'] },
  cuiheng: { weight: 3, clusters: ['equipment', 'robotics'] },
  shiqi: { weight: 2, clusters: ['electronics'] },
  dongqu: { weight: 2, clusters: ['electronics', 'medical'] },
  xiqu: { weight: 2, clusters: ['hardware', 'electronics'] },
  nanqu: { weight: 2, clusters: ['medical'] },
  wuguishan: { weight: 1, clusters: ['medical'] },
  sanjiao: { weight: 3, clusters: ['electronics', 'automotive'] },
  minzhong: { weight: 3, clusters: ['automotive', 'equipment'] },
  gangkou: { weight: 3, clusters: ['furniture', 'equipment'] },
  tanzhou: { weight: 3, clusters: ['electronics', 'automotive'] },
  shenwan: { weight: 1, clusters: ['equipment'] },
}

const clusterTrade: Record<ClusterCode, string[]> = {
  lighting: ['灯饰', '照明电器', '灯具', '光电科技'],
  hardware: ['五金制品', '精密五金', '五金塑料', '锁具'],
  appliances: ['电器', '家电科技', '电器实业', '塑料电器'],
  clothing: ['服装', '制衣', '服饰', '纺织'],
  furniture: ['家具', '红木家具', '家居用品', '木业'],
  electronics: ['电子科技', '智能科技', '精密电子', '3D打印科技'],
  equipment: ['精密机械', '智能装备', '机械制造', '自动化设备'],
  medical: ['医疗器械', '医疗科技', '生物医疗'],
  robotics: ['机器人科技', '智能制造', '自动化科技'],
  automotive: ['汽车配件', '汽车零部件', '机电'],
}

const brandChars =
  '鑫达恒发精工宏图永利华盛佳美创新盈科联升金辉德信骏业志远兴隆富源泰和宝丰嘉乐昌明顺通伟业长城卓越明亮新锐锦程'
const addressWords = [
  '工业大道',
  '兴业路',
  '科技路',
  '环镇北路',
  '民安路',
  '同兴路',
  '东阜路',
  '新华路',
]
const extraLines = [
  '支持来料加工和包工包料。',
  '可打样，也承接小批量和大批量订单。',
  '两班倒，急单 48 小时交付。',
  '配三坐标测量仪，出具检测报告。',
  '可开 13% 增值税专用发票。',
  '提供阳极氧化、喷砂、抛光一站式后处理。',
  '长期为家电、灯饰品牌配套。',
  '工程师可协助 DFM 可制造性评审。',
  '',
  '',
]

/** A workshop to insert, with how many machines it gets and the models it owns. */
export interface WorkshopPlan {
  row: Insertable<OrganizationsTable> & { id: string }
  resourceCount: number
  machineKeys: MachineKey[]
}

function weightedTown(rng: Rng): TownCode {
  const total = Object.values(townProfile).reduce((s, t) => s + t.weight, 0)
  let roll = rng() * total
  for (const [code, profile] of Object.entries(townProfile)) {
    roll -= profile.weight
    if (roll < 0) return code as TownCode
  }
  return 'xiaolan'
}

function pickSome<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items]
  const out: T[] = []
  while (out.length < count && pool.length)
    out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!)
  return out
}

/** `count` workshops sharing `resources` machines (8–92 each, scaled to the exact total). */
export function planWorkshops(rng: Rng, count: number, resources: number): WorkshopPlan[] {
  const raw = Array.from({ length: count }, () => intBetween(rng, 8, 92))
  const sum = raw.reduce((s, n) => s + n, 0)
  const counts = raw.map((n) => Math.max(1, Math.round((n * resources) / sum)))
  let diff = resources - counts.reduce((s, n) => s + n, 0)
  for (let i = 0; diff !== 0; i = (i + 1) % count) {
    const step = diff > 0 ? 1 : -1
    if (counts[i]! + step >= 1) {
      counts[i]! += step
      diff -= step
    }
  }
  const now = Date.now()
  return counts.map((resourceCount, i) => {
    const town = weightedTown(rng)
    const centre = towns.find((t) => t.code === town)!
    const profile = townProfile[town]
    const clusters = [pick(rng, profile.clusters)]
    if (rng() < 0.3) {
      const second = pick(rng, Object.keys(clusterMachines) as ClusterCode[])
      if (!clusters.includes(second)) clusters.push(second)
    }
    const certifications: CertificationCode[] = []
    if (rng() < 0.6) certifications.push('iso9001')
    if (rng() < 0.25) certifications.push('iso14001')
    if (clusters.includes('automotive') && rng() < 0.6) certifications.push('iatf16949')
    if (clusters.includes('medical') && rng() < 0.7) certifications.push('iso13485')
    if (clusters.includes('robotics') && rng() < 0.2) certifications.push('as9100')
    if ((clusters.includes('appliances') || clusters.includes('lighting')) && rng() < 0.4)
      certifications.push('ccc')
    const roll = rng()
    const status: VerificationStatus =
      roll < 0.7 ? 'verified' : roll < 0.8 ? 'pending' : roll < 0.95 ? 'unsubmitted' : 'rejected'
    const brand = pickSome(rng, [...brandChars], 2).join('')
    const trade = pick(rng, clusterTrade[clusters[0]!])
    const name = `中山市${centre.zh}${brand}${trade}${rng() < 0.7 ? '有限公司' : '厂'}`
    const days = intBetween(rng, 10, 700)
    const located = rng() < 0.97
    const pool = [...new Set(clusters.flatMap((c) => clusterMachines[c]))]
    const machineKeys = pickSome(rng, pool, Math.min(pool.length, intBetween(rng, 2, 7)))
    return {
      row: {
        id: uuidFrom(rng),
        kind: 'workshop' as const,
        name,
        town,
        legal_name: status === 'unsubmitted' ? null : name,
        uscc: status === 'unsubmitted' ? null : demoUscc(100_000 + i),
        address: `广东省中山市${centre.zh}${pick(rng, addressWords)}${intBetween(rng, 1, 388)}号`,
        lat: located ? Math.round((centre.lat + (rng() - 0.5) * 0.04) * 1e6) / 1e6 : null,
        lng: located ? Math.round((centre.lng + (rng() - 0.5) * 0.04) * 1e6) / 1e6 : null,
        description: `${centre.zh}${clusters.map((c) => clusterTrade[c]![0]).join('、')}配套加工厂，${pick(rng, extraLines)}`,
        clusters,
        certifications,
        verification_status: status,
        verification_requested_at:
          status === 'unsubmitted' ? null : new Date(now - (days + 1) * 86_400_000),
        verified_at: status === 'verified' ? new Date(now - days * 86_400_000) : null,
        rating:
          status === 'verified' && rng() < 0.8
            ? Math.round(between(rng, 3.2, 5) * 100) / 100
            : null,
      },
      resourceCount,
      machineKeys,
    }
  })
}

// ---------------------------------------------------------------------------------------
// Machines, capacity and bookings of one workshop

export type ResourceRow = Insertable<ResourcesTable> & { id: string }
export type WindowRow = Insertable<CapacityWindowsTable>
export type BookingRow = Insertable<CapacityBookingsTable>

/** Material code → the families it suits (from the catalogue table). */
export type MaterialFamilies = Map<string, string[]>

function suits(families: MaterialFamilies, process: ProcessCode, code: string): boolean {
  const family = processByCode(process)?.family
  return Boolean(family && families.get(code)?.includes(family))
}

/** Materials a machine lists: the first two always, further ones at random, suitable only. */
export function machineMaterials(rng: Rng, machine: Machine, families: MaterialFamilies) {
  const pool = [
    ...machine.materials.slice(0, 2),
    ...machine.materials.slice(2).filter(() => rng() < 0.6),
  ]
  return pool.filter((code) => suits(families, machine.process, code))
}

/** Options and wear: envelopes and tolerances vary around the catalogue figures. */
function envelopeOf(rng: Rng, machine: Machine): [number, number, number] {
  const xy = pick(rng, [1, 1, 1, 0.8, 1.25, 1.5])
  const z = pick(rng, [1, 1, 0.8, 1.2])
  const mm = (v: number) => Math.min(10_000, Math.max(1, Math.round(v)))
  return [mm(machine.envelope[0] * xy), mm(machine.envelope[1] * xy), mm(machine.envelope[2] * z)]
}

function toleranceOf(rng: Rng, machine: Machine): number {
  const t = machine.tolerance * pick(rng, [0.5, 0.8, 1, 1, 1, 1.5, 2])
  return Math.max(0.001, Math.round(t * 10_000) / 10_000)
}

function offeredHours(windows: readonly WindowRow[], from: string, to: string): number {
  let total = 0
  for (const w of windows) {
    const start = w.starts_on > from ? w.starts_on : from
    const end = w.ends_on < to ? w.ends_on : to
    if (start > end) continue
    total += ((Date.parse(end) - Date.parse(start)) / 86_400_000 + 1) * w.hours_per_day
  }
  return total
}

/** The workshop's machines (several of one model get 2号机, 3号机 …), windows and bookings. */
export function planResources(
  rng: Rng,
  plan: WorkshopPlan,
  families: MaterialFamilies,
  today: string,
): { resources: ResourceRow[]; windows: WindowRow[]; bookings: BookingRow[] } {
  const weights = plan.machineKeys.map(() => 0.2 + rng())
  const total = weights.reduce((s, w) => s + w, 0)
  const resources: ResourceRow[] = []
  const windows: WindowRow[] = []
  const bookings: BookingRow[] = []
  const copies = new Map<string, number>()
  for (let i = 0; i < plan.resourceCount; i++) {
    let roll = rng() * total
    let k = 0
    while (k < weights.length - 1 && (roll -= weights[k]!) >= 0) k++
    const machine: Machine = machines[plan.machineKeys[k]!]
    let materials = machineMaterials(rng, machine, families)
    if (!materials.length) materials = machine.materials.slice(0, 1)
    const baseName = `${machine.brand} ${machine.model} ${machine.kind}`
    const n = (copies.get(baseName) ?? 0) + 1
    copies.set(baseName, n)
    const envelope = envelopeOf(rng, machine)
    const id = uuidFrom(rng)
    resources.push({
      id,
      organization_id: plan.row.id,
      process: machine.process,
      name: n > 1 ? `${baseName}（${n}号机）` : baseName,
      make: machine.make,
      model: machine.model,
      materials,
      envelope_x_mm: envelope[0],
      envelope_y_mm: envelope[1],
      envelope_z_mm: envelope[2],
      tolerance_mm: toleranceOf(rng, machine),
      finishes: machine.finishes.filter((_, j) => j === 0 || rng() < 0.7),
      hourly_rate_fen: roundTo(between(rng, machine.rate[0], machine.rate[1]), 5) * 100,
      setup_fee_fen: roundTo(between(rng, machine.setup[0], machine.setup[1]), 10) * 100,
      min_quantity: machine.quantity[0],
      max_quantity: machine.quantity[1],
      description: `${machine.text}${pick(rng, extraLines)}`,
      active: true,
    })
    // Most machines list capacity; some of those already have a booking.
    if (rng() < 0.85) {
      const planned = planWindows(rng, today).map((w) => ({ resource_id: id, ...w }))
      windows.push(...planned)
      if (rng() < 0.2) {
        const start = intBetween(rng, 0, 20)
        const starts_on = addDays(today, start)
        const ends_on = addDays(
          today,
          Math.min(DEMO_HORIZON_DAYS - 1, start + intBetween(rng, 2, 9)),
        )
        const hours = Math.round(offeredHours(planned, starts_on, ends_on) * between(rng, 0.3, 0.8))
        if (hours > 0) bookings.push({ resource_id: id, order_id: null, starts_on, ends_on, hours })
      }
    }
  }
  return { resources, windows, bookings }
}

// ---------------------------------------------------------------------------------------
// Queries

/** What a visitor is after: the words they type and the filters that go with them. */
interface Intent {
  texts: string[]
  processes: ProcessCode[]
  materials: string[]
  envelopes: string[]
}

// prettier-ignore
const intents: Intent[] = [
  { texts: ['五轴 铝合金', '五轴', '五轴 钛合金', '5-axis titanium', 'dmg mori', '五轴加工中心'], processes: ['cnc_milling_5axis'], materials: ['al6061', 'al7075', 'ti_tc4', 'ss304'], envelopes: ['300,200,100', '400,300,200'] },
  { texts: ['cnc aluminium', '加工中心', '铝合金 外壳', 'haas', '精雕 镜面', 'cnc alumnium', '钻攻'], processes: ['cnc_milling_3axis'], materials: ['al6061', 'adc12', 'ss304', 'steel45'], envelopes: ['300,200,50', '500,400,300', '1200,600,100'] },
  { texts: ['数控车 黄铜', '走心机', 'cnc turning brass', '车削 不锈钢'], processes: ['cnc_turning'], materials: ['brass_h59', 'ss304', 'steel45'], envelopes: ['20,20,150', '200,200,300'] },
  { texts: ['SLA 光敏树脂', '光固化', 'sla resin', '手板 透明'], processes: ['sla'], materials: ['resin_std', 'resin_tough'], envelopes: ['200,120,150', '500,500,300'] },
  { texts: ['fdm pla', '3D打印 手板', 'FDM'], processes: ['fdm'], materials: ['pla', 'petg', 'abs'], envelopes: ['200,200,200'] },
  { texts: ['尼龙 MJF', 'nylon pa12', 'SLS 尼龙', '3d printing nylon'], processes: ['mjf', 'sls'], materials: ['pa12'], envelopes: ['300,250,300'] },
  { texts: ['金属 3D打印', '钛合金 3D打印', '医疗 钛合金', 'slm titanium'], processes: ['slm'], materials: ['ti_tc4', 'alsi10mg', 'ss316l_powder'], envelopes: ['200,200,200', '400,400,400'] },
  { texts: ['不锈钢 激光切割', 'laser cutting stainless', '大族 激光', '皮革 切割', 'trumpf', '激光切割'], processes: ['laser_cutting'], materials: ['ss304', 'q235', 'al5052', 'leather'], envelopes: ['1200,600,3', '2500,1200,10'] },
  { texts: ['钣金 折弯', 'sheet metal', '冲压', '机箱 钣金'], processes: ['sheet_metal'], materials: ['ss304', 'q235', 'al5052'], envelopes: ['1200,600,200', '500,400,100'] },
  { texts: ['注塑 ABS', '海天 注塑机', 'injection moulding abs', '压铸 铝', 'die casting', '注塑'], processes: ['injection_molding'], materials: ['abs', 'pp', 'pc', 'adc12'], envelopes: ['300,200,100', '600,500,300'] },
  { texts: ['抛光', 'polishing', 'stainless polish', '镜面抛光 不锈钢', 'polshing'], processes: ['polishing'], materials: ['ss304', 'adc12', 'al6061'], envelopes: ['500,400,300'] },
  { texts: ['裁床 涤纶', 'textile cutting', '服装 裁床', '皮革'], processes: ['textile_cutting'], materials: ['cotton', 'polyester', 'leather'], envelopes: ['1500,1500,30'] },
  { texts: ['古镇 灯饰', '小榄 五金', '红木家具 雕花', '阳极氧化', '不锈钢', '铝合金'], processes: [], materials: [], envelopes: ['300,200,50'] },
]

/** Raw search parameters as paramsFromSearch returns them, plus the query string for labels. */
export interface RawQuery {
  params: Record<string, string | string[]>
  label: string
}

/**
 * `count` searches as visitors would send them: each starts from an intent (zh or en text,
 * now and then misspelt) and adds some of its filters (process, material, envelope) and
 * general ones (town, cluster, certification, verified, tolerance, idle hours, geo radius),
 * every sort order, first and later pages; a few browse everything (facets over all).
 */
export function queryMix(rng: Rng, count: number): RawQuery[] {
  const townCodes = towns.map((t) => t.code)
  const out: RawQuery[] = []
  for (let i = 0; i < count; i++) {
    const p: Record<string, string | string[]> = {}
    const browse = rng() < 0.05
    const intent = pick(rng, intents)
    if (!browse) {
      if (rng() < 0.8 || !intent.processes.length) p.q = pick(rng, intent.texts)
      if (intent.processes.length && rng() < 0.3) p.process = intent.processes
      if (intent.materials.length && rng() < 0.25) p.material = [pick(rng, intent.materials)]
      if (rng() < 0.12) p.town = pickSome(rng, townCodes, intBetween(rng, 1, 3))
      if (rng() < 0.08) p.cluster = [pick(rng, Object.keys(clusterMachines))]
      if (rng() < 0.08) p.certification = [pick(rng, ['iso9001', 'iatf16949', 'iso13485', 'ccc'])]
      if (rng() < 0.25) p.verified = 'true'
      if (rng() < 0.15) p.min_envelope_mm = pick(rng, intent.envelopes)
      if (rng() < 0.15) p.max_tolerance_mm = pick(rng, ['0.01', '0.02', '0.05', '0.1'])
      if (rng() < 0.15) p.min_idle_hours = pick(rng, ['20', '50', '100', '200'])
    }
    let geo = false
    if (!browse && rng() < 0.25) {
      geo = true
      if (rng() < 0.5) p.near_town = pick(rng, townCodes)
      else {
        const t = pick(rng, towns)
        p.near = `${(t.lat + (rng() - 0.5) * 0.05).toFixed(4)},${(t.lng + (rng() - 0.5) * 0.05).toFixed(4)}`
      }
      if (rng() < 0.8) p.radius_km = pick(rng, ['5', '10', '15', '30'])
    }
    const sortRoll = rng()
    p.sort =
      geo && sortRoll < 0.5
        ? 'distance'
        : sortRoll < 0.6
          ? 'relevance'
          : sortRoll < 0.8
            ? 'rating'
            : 'idle'
    if (rng() < 0.15) p.page = String(intBetween(rng, 2, 5))
    if (rng() < 0.1) p.per_page = '50'
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(p)) {
      search.set(key, Array.isArray(value) ? value.join(',') : value)
    }
    out.push({ params: p, label: decodeURIComponent(search.toString()).replaceAll('+', ' ') })
  }
  return out
}
