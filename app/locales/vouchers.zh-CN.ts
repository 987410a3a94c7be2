export const vouchersZh = {} as const
