import { uninviteWorkshop } from '../models/job.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const jobId = uuidParam(params, 'jobId')
    const workshopId = uuidParam(params, 'workshopId')
    await context.db.transaction().execute((tx) => uninviteWorkshop(tx, account, jobId, workshopId))
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
