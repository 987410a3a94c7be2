import { z } from 'zod'
import { BadQueryError } from '../models/errors.ts'
import type { ThreadRef } from '../models/message.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { uuidParam } from '../utils/api.server.ts'
import { threadApi } from '../utils/message-api.server.ts'

/** The job thread `?workshop_id=` names: a workshop's own by default, required of others. */
function jobThread(
  request: Request,
  params: Record<string, string | undefined>,
  account: AccountView,
): ThreadRef {
  const jobId = uuidParam(params, 'jobId')
  const given = new URL(request.url).searchParams.get('workshop_id')
  if (given === null && account.organization.kind === 'workshop') {
    return { kind: 'job', jobId, workshopId: account.organization.id }
  }
  const workshopId = z.uuid().safeParse(given)
  if (!workshopId.success) {
    throw new BadQueryError('Give workshop_id: the workshop whose questions these are')
  }
  return { kind: 'job', jobId, workshopId: workshopId.data }
}

/**
 * The questions between the job's design firm and one workshop, oldest first; a question
 * (workshop) or an answer (design firm) while the job is open, text only.
 */
const handler = threadApi(jobThread)

export const loader = handler
export const action = handler
