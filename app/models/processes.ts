// Manufacturing processes (DESIGN §4). The family decides how a process is priced.
export type ProcessFamily = 'additive' | 'subtractive' | 'sheet' | 'moulding' | 'hourly'

export const processes = [
  { code: 'cnc_milling_3axis', family: 'subtractive', zh: '三轴数控铣', en: '3-axis CNC milling' },
  { code: 'cnc_milling_5axis', family: 'subtractive', zh: '五轴数控铣', en: '5-axis CNC milling' },
  { code: 'cnc_turning', family: 'subtractive', zh: '数控车削', en: 'CNC turning' },
  { code: 'fdm', family: 'additive', zh: 'FDM 熔融沉积 3D打印', en: 'FDM 3D printing' },
  { code: 'sla', family: 'additive', zh: 'SLA 光固化 3D打印', en: 'SLA 3D printing' },
  { code: 'sls', family: 'additive', zh: 'SLS 选择性激光烧结', en: 'SLS 3D printing' },
  { code: 'mjf', family: 'additive', zh: 'MJF 多射流熔融', en: 'MJF 3D printing' },
  { code: 'slm', family: 'additive', zh: 'SLM 金属 3D打印', en: 'SLM metal 3D printing' },
  { code: 'laser_cutting', family: 'sheet', zh: '激光切割', en: 'Laser cutting' },
  { code: 'sheet_metal', family: 'sheet', zh: '钣金加工', en: 'Sheet metal' },
  { code: 'injection_molding', family: 'moulding', zh: '注塑成型', en: 'Injection moulding' },
  { code: 'polishing', family: 'hourly', zh: '机器人抛光', en: 'Robotic polishing' },
  { code: 'textile_cutting', family: 'hourly', zh: '智能裁床', en: 'Textile cutting' },
] as const satisfies readonly { code: string; family: ProcessFamily; zh: string; en: string }[]

export type ProcessCode = (typeof processes)[number]['code']
export const processCodes = processes.map((p) => p.code) as [ProcessCode, ...ProcessCode[]]

export function processByCode(code: string | null | undefined) {
  return processes.find((p) => p.code === code)
}

export function processName(code: string, locale: string): string {
  const p = processByCode(code)
  return p ? (locale === 'en' ? p.en : p.zh) : code
}
