// Zhongshan's towns and districts (镇街) with approximate centre coordinates.
export const towns = [
  { code: 'shiqi', zh: '石岐', en: 'Shiqi', lat: 22.5226, lng: 113.3806 },
  { code: 'dongqu', zh: '东区', en: 'East District', lat: 22.5166, lng: 113.4093 },
  { code: 'xiqu', zh: '西区', en: 'West District', lat: 22.5249, lng: 113.3488 },
  { code: 'nanqu', zh: '南区', en: 'South District', lat: 22.4837, lng: 113.3698 },
  { code: 'wuguishan', zh: '五桂山', en: 'Wuguishan', lat: 22.4569, lng: 113.4361 },
  { code: 'huoju', zh: '火炬开发区', en: 'Torch Development Zone', lat: 22.5444, lng: 113.4723 },
  { code: 'cuiheng', zh: '翠亨新区', en: 'Cuiheng New Area', lat: 22.4318, lng: 113.5548 },
  { code: 'xiaolan', zh: '小榄', en: 'Xiaolan', lat: 22.6717, lng: 113.2515 },
  { code: 'guzhen', zh: '古镇', en: 'Guzhen', lat: 22.6117, lng: 113.1888 },
  { code: 'dongfeng', zh: '东凤', en: 'Dongfeng', lat: 22.6886, lng: 113.2817 },
  { code: 'nantou', zh: '南头', en: 'Nantou', lat: 22.7206, lng: 113.2939 },
  { code: 'huangpu', zh: '黄圃', en: 'Huangpu', lat: 22.7108, lng: 113.3424 },
  { code: 'fusha', zh: '阜沙', en: 'Fusha', lat: 22.6606, lng: 113.3547 },
  { code: 'sanjiao', zh: '三角', en: 'Sanjiao', lat: 22.6803, lng: 113.4224 },
  { code: 'minzhong', zh: '民众', en: 'Minzhong', lat: 22.6231, lng: 113.4862 },
  { code: 'gangkou', zh: '港口', en: 'Gangkou', lat: 22.5899, lng: 113.3831 },
  { code: 'dongsheng', zh: '东升', en: 'Dongsheng', lat: 22.6197, lng: 113.2939 },
  { code: 'henglan', zh: '横栏', en: 'Henglan', lat: 22.5322, lng: 113.2598 },
  { code: 'dachong', zh: '大涌', en: 'Dachong', lat: 22.4716, lng: 113.2968 },
  { code: 'shaxi', zh: '沙溪', en: 'Shaxi', lat: 22.5252, lng: 113.3296 },
  { code: 'tanzhou', zh: '坦洲', en: 'Tanzhou', lat: 22.2648, lng: 113.4836 },
  { code: 'banfu', zh: '板芙', en: 'Banfu', lat: 22.4167, lng: 113.3346 },
  { code: 'sanxiang', zh: '三乡', en: 'Sanxiang', lat: 22.3572, lng: 113.4389 },
  { code: 'shenwan', zh: '神湾', en: 'Shenwan', lat: 22.3011, lng: 113.3647 },
] as const

export type TownCode = (typeof towns)[number]['code']
export const townCodes = towns.map((t) => t.code) as [TownCode, ...TownCode[]]

export function townByCode(code: string | null | undefined) {
  return towns.find((t) => t.code === code)
}

export function townName(code: string | null | undefined, locale: string): string {
  const town = townByCode(code)
  if (!town) return ''
  return locale === 'en' ? town.en : town.zh
}
