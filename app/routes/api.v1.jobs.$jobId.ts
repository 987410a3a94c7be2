import { getJobForViewer, jobAccess, updateJob } from '../models/job.server.ts'
import { ForbiddenError } from '../models/errors.ts'
import { schemas } from '../utils/api-contract.ts'
import {
  api,
  apiJson,
  notFound,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'
import { jobBody, jobInputFromApi, jobToApiInput } from '../utils/job-api.server.ts'

const handler = api({
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const viewed = await getJobForViewer(context.db, uuidParam(params, 'jobId'), account)
    if (!viewed) throw notFound()
    return apiJson(jobBody(viewed))
  },
  /** A draft's fields; left-out fields keep their values; `parts` replaces the parts. */
  async PATCH({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'jobId')
    const current = await jobAccess(context.db, id, account)
    if (!current) throw notFound()
    if (current.role !== 'owner') throw new ForbiddenError('Only the firm that posted it')
    const { parts, ...patch } = await parseJson(request, schemas.JobPatchRequest)
    const merged = schemas.JobRequest.parse({ ...jobToApiInput(current.job), ...patch })
    const dropped = await context.db.transaction().execute((tx) =>
      updateJob(
        tx,
        account,
        id,
        jobInputFromApi(merged),
        parts?.map((p) => ({ fileId: p.file_id, quantity: p.quantity })),
      ),
    )
    await Promise.all(dropped.map((key) => context.storage.delete(key)))
    return apiJson(jobBody((await getJobForViewer(context.db, id, account))!))
  },
})

export const loader = handler
export const action = handler
