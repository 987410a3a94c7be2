import { acceptNda, getJobForViewer } from '../models/job.server.ts'
import { api, apiJson, notFound, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { jobBody } from '../utils/job-api.server.ts'

const handler = api({
  /** A workshop accepts the job's NDA (who and when are recorded). */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'jobId')
    await context.db.transaction().execute((tx) => acceptNda(tx, account, id))
    const viewed = await getJobForViewer(context.db, id, account)
    if (!viewed) throw notFound()
    return apiJson(jobBody(viewed))
  },
})

export const loader = handler
export const action = handler
