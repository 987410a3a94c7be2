import { openJob, getJobForViewer } from '../models/job.server.ts'
import { api, apiJson, notFound, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { jobBody } from '../utils/job-api.server.ts'

const handler = api({
  /** Opens a draft whose parts are all analysed; invited workshops are emailed. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'jobId')
    await context.db
      .transaction()
      .execute((tx) => openJob(tx, account, id, context.settings.publicUrl))
    const viewed = await getJobForViewer(context.db, id, account)
    if (!viewed) throw notFound()
    return apiJson(jobBody(viewed))
  },
})

export const loader = handler
export const action = handler
