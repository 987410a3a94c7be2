import { listDownloads } from '../models/job.server.ts'
import { api, apiJson, iso, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  /** The download log of the job's files (the posting firm and operators). */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const rows = await listDownloads(context.db, uuidParam(params, 'jobId'), account)
    return apiJson({
      downloads: rows.map((r) => ({
        id: r.id,
        at: iso(r.created_at),
        file_id: r.file_id,
        file_name: r.original_name,
        user_name: r.user_name,
        user_email: r.user_email,
        organization_id: r.organization_id,
        organization_name: r.organization_name,
        ip: r.ip,
      })),
    })
  },
})

export const loader = handler
export const action = handler
