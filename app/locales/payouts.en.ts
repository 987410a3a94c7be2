import type { payoutsZh } from './payouts.zh-CN.ts'

export const payoutsEn: Record<keyof typeof payoutsZh, string> = {}
