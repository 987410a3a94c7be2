import type { paymentsZh } from './payments.zh-CN.ts'

export const paymentsEn: Record<keyof typeof paymentsZh, string> = {}
