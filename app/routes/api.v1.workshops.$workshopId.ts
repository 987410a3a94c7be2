import { getPublicWorkshop } from '../models/workshop.server.ts'
import { api, apiJson, notFound, uuidParam } from '../utils/api.server.ts'
import { publicWorkshopBody } from '../utils/workshop-api.server.ts'

const handler = api({
  /** What /workshops/:id shows: anyone may read it. */
  async GET({ params, context }) {
    const id = uuidParam(params, 'workshopId')
    const found = await getPublicWorkshop(context.db, id)
    if (!found) throw notFound()
    return apiJson(publicWorkshopBody(found))
  },
})

export const loader = handler
export const action = handler
