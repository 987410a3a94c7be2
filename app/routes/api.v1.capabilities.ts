import { paramsFromSearch, searchCapabilities } from '../models/capability.server.ts'
import { api, apiJson } from '../utils/api.server.ts'

// Public: anyone may search capabilities, logged in or not.
const handler = api({
  async GET({ request, context }) {
    const raw = paramsFromSearch(new URL(request.url).searchParams)
    const { response } = await searchCapabilities(context.db, context.search, raw)
    return apiJson(response)
  },
})

export const loader = handler
export const action = handler
