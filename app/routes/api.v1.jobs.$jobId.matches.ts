import { jobAccess } from '../models/job.server.ts'
import { listMatches } from '../models/matching.server.ts'
import { api, apiJson, notFound, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  /** The job's matches, best first, with the reasons of each score (owner and operators). */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'jobId')
    const viewed = await jobAccess(context.db, id, account)
    if (!viewed || viewed.role === 'workshop') throw notFound()
    const rows = await listMatches(context.db, id)
    return apiJson({
      matched_at: viewed.job.matched_at ? new Date(viewed.job.matched_at).toISOString() : null,
      summary: viewed.job.match_summary,
      matches: rows.map((m) => ({
        resource_id: m.resource_id,
        workshop_id: m.workshop_id,
        workshop_name: m.workshop_name,
        rank: m.rank,
        score: m.score,
        reasons: m.reasons,
        estimate: m.estimate,
      })),
    })
  },
})

export const loader = handler
export const action = handler
