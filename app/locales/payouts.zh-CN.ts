export const payoutsZh = {} as const
