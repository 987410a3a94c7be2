import { z } from 'zod'
import { BadQueryError } from '../models/errors.ts'
import { postMessage, type ThreadRef } from '../models/message.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { messageBody, threadBody } from '../utils/message-api.server.ts'

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

const handler = api({
  /** The questions between the job's design firm and one workshop, oldest first. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    return apiJson(await threadBody(context.db, account, jobThread(request, params, account)))
  },
  /** A question (workshop) or an answer (design firm) while the job is open; text only. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const ref = jobThread(request, params, account)
    const input = await parseJson(request, schemas.MessageRequest)
    const message = await context.db
      .transaction()
      .execute((tx) =>
        postMessage(
          tx,
          account,
          ref,
          { body: input.body, attachmentIds: input.attachment_ids },
          { publicUrl: context.settings.publicUrl },
        ),
      )
    return apiJson({ message: messageBody(message) }, { status: 201 })
  },
})

export const loader = handler
export const action = handler
