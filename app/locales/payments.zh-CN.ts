export const paymentsZh = {} as const
