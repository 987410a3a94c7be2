import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for vouchers (issue 8), merged into api-contract.ts.

export const voucherSchemas = {} satisfies Record<string, z.ZodType>

export const voucherEndpoints: EndpointOf<keyof typeof voucherSchemas>[] = []
