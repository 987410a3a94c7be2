import { openApiDocument } from '../utils/api-contract.ts'
import { api, apiJson } from '../utils/api.server.ts'

const handler = api({
  async GET({ context }) {
    return apiJson(openApiDocument(context.settings.publicUrl))
  },
})

export const loader = handler
export const action = handler
