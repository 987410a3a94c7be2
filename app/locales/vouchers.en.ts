import type { vouchersZh } from './vouchers.zh-CN.ts'

export const vouchersEn: Record<keyof typeof vouchersZh, string> = {}
