import { ForbiddenError } from '../models/errors.ts'
import { createJob, getJobForViewer, listOwnJobs } from '../models/job.server.ts'
import { jobStatuses } from '../models/job.schema.ts'
import { schemas } from '../utils/api-contract.ts'
import { ApiError, api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { jobBody, jobInputFromApi, jobSummaryBody } from '../utils/job-api.server.ts'

const handler = api({
  /** The caller's organisation's jobs, newest first; `status` filters. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'design_firm') {
      throw new ForbiddenError('Only design firms post jobs')
    }
    const status = new URL(request.url).searchParams.get('status')
    if (status !== null && !(jobStatuses as readonly string[]).includes(status)) {
      throw new ApiError(400, 'invalid_input', `status is one of ${jobStatuses.join(', ')}`, {
        param: 'status',
      })
    }
    const jobs = await listOwnJobs(
      context.db,
      account.organization.id,
      (status ?? undefined) as (typeof jobStatuses)[number] | undefined,
    )
    return apiJson({ jobs: jobs.map(jobSummaryBody) })
  },
  /** A draft job, optionally with parts uploaded through POST /api/v1/files. */
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'design_firm') {
      throw new ForbiddenError('Only design firms post jobs')
    }
    const { parts, ...fields } = await parseJson(request, schemas.JobRequest)
    const id = await context.db.transaction().execute((tx) =>
      createJob(
        tx,
        account,
        jobInputFromApi(fields),
        parts.map((p) => ({ fileId: p.file_id, quantity: p.quantity })),
      ),
    )
    const viewed = await getJobForViewer(context.db, id, account)
    return apiJson(jobBody(viewed!), { status: 201, headers: { Location: `/api/v1/jobs/${id}` } })
  },
})

export const loader = handler
export const action = handler
