import { z } from 'zod'
import { uninviteWorkshop } from '../models/job.server.ts'
import { api, apiJson, notFound, requireApiAuth } from '../utils/api.server.ts'
import { jobIdFrom } from '../utils/job-api.server.ts'

const handler = api({
  async DELETE({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const jobId = jobIdFrom(params)
    const workshopId = z.uuid().safeParse(params.workshopId)
    if (!workshopId.success) throw notFound()
    await context.db
      .transaction()
      .execute((tx) => uninviteWorkshop(tx, account, jobId, workshopId.data))
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
