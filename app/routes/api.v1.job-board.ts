import { jobBoard } from '../models/quote.server.ts'
import { getWorkshopProfile } from '../models/workshop.server.ts'
import { api, apiJson, notFound, requireApiAuth } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { jobBoardBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** The caller's quotes on open jobs, and open public jobs in its processes (workshops). */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    const board = await jobBoard(context.db, account)
    const workshop = await getWorkshopProfile(context.db, account.organization.id)
    if (!workshop) throw notFound()
    return apiJson(jobBoardBody(board, workshop, requestLocale(request, account.user.locale)))
  },
})

export const loader = handler
export const action = handler
