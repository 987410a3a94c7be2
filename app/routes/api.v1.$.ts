import { ApiError, apiErrorResponse } from '../utils/api.server.ts'

// Any /api/v1 path no route claims: the JSON 404, never the HTML page.
function notFound({ request }: { request: Request }) {
  const path = new URL(request.url).pathname
  return apiErrorResponse(new ApiError(404, 'not_found', `No endpoint ${request.method} ${path}`))
}

export const loader = notFound
export const action = notFound
