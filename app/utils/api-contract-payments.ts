import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for payments (issue 8), merged into api-contract.ts.

export const paymentSchemas = {} satisfies Record<string, z.ZodType>

export const paymentEndpoints: EndpointOf<keyof typeof paymentSchemas>[] = []
