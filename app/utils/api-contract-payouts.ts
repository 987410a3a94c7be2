import { z } from 'zod'
import type { EndpointOf } from './api-contract.ts'

// The /api/v1 contract for payouts (issue 8), merged into api-contract.ts.

export const payoutSchemas = {} satisfies Record<string, z.ZodType>

export const payoutEndpoints: EndpointOf<keyof typeof payoutSchemas>[] = []
