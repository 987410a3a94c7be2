import { z } from 'zod'
import { getPublicWorkshop } from '../models/workshop.server.ts'
import { api, apiJson, notFound } from '../utils/api.server.ts'
import { publicWorkshopBody } from '../utils/workshop-api.server.ts'

const handler = api({
  /** What /workshops/:id shows: anyone may read it. */
  async GET({ params, context }) {
    const id = z.uuid().safeParse(params.workshopId)
    if (!id.success) throw notFound()
    const found = await getPublicWorkshop(context.db, id.data)
    if (!found) throw notFound()
    return apiJson(publicWorkshopBody(found))
  },
})

export const loader = handler
export const action = handler
