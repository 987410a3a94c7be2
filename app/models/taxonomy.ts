// Industry clusters (产业集群) a workshop serves, and the certifications it may hold.
export const clusters = [
  { code: 'lighting', zh: '灯饰照明', en: 'Lighting' },
  { code: 'hardware', zh: '五金', en: 'Hardware' },
  { code: 'appliances', zh: '家用电器', en: 'Home appliances' },
  { code: 'clothing', zh: '服装', en: 'Clothing' },
  { code: 'furniture', zh: '家具', en: 'Furniture' },
  { code: 'electronics', zh: '电子信息', en: 'Electronics' },
  { code: 'equipment', zh: '装备制造', en: 'Equipment' },
  { code: 'medical', zh: '医疗器械', en: 'Medical devices' },
  { code: 'robotics', zh: '机器人', en: 'Robotics' },
  { code: 'automotive', zh: '汽车零部件', en: 'Automotive parts' },
] as const

export const certifications = [
  { code: 'iso9001', zh: 'ISO 9001 质量管理体系', en: 'ISO 9001' },
  { code: 'iatf16949', zh: 'IATF 16949 汽车质量管理体系', en: 'IATF 16949' },
  { code: 'iso13485', zh: 'ISO 13485 医疗器械质量管理体系', en: 'ISO 13485' },
  { code: 'iso14001', zh: 'ISO 14001 环境管理体系', en: 'ISO 14001' },
  { code: 'as9100', zh: 'AS9100 航空航天质量管理体系', en: 'AS9100' },
  { code: 'ccc', zh: 'CCC 中国强制性产品认证', en: 'CCC' },
] as const

export type ClusterCode = (typeof clusters)[number]['code']
export type CertificationCode = (typeof certifications)[number]['code']
export const clusterCodes = clusters.map((c) => c.code) as [ClusterCode, ...ClusterCode[]]
export const certificationCodes = certifications.map((c) => c.code) as [
  CertificationCode,
  ...CertificationCode[],
]

export function labelOf(
  list: readonly { code: string; zh: string; en: string }[],
  code: string,
  locale: string,
): string {
  const item = list.find((i) => i.code === code)
  return item ? (locale === 'en' ? item.en : item.zh) : code
}
