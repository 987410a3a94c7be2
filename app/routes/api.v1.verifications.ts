import { ForbiddenError } from '../models/errors.ts'
import { listVerificationQueue } from '../models/workshop.server.ts'
import { api, apiJson, iso, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  /** The operators' queue: workshops waiting for verification, oldest request first. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'platform') throw new ForbiddenError('Operators only')
    const queue = await listVerificationQueue(context.db)
    return apiJson({
      workshops: queue.map((w) => ({
        id: w.id,
        name: w.name,
        legal_name: w.legal_name,
        uscc: w.uscc,
        town: w.town,
        requested_at: iso(w.verification_requested_at),
      })),
    })
  },
})

export const loader = handler
export const action = handler
