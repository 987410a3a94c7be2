import { towns } from '../models/towns.ts'
import { api, apiJson } from '../utils/api.server.ts'

const handler = api({
  async GET() {
    return apiJson({ towns })
  },
})

export const loader = handler
export const action = handler
