import { deleteResource, getResource, updateResource } from '../models/resource.server.ts'
import { schemas } from '../utils/api-contract.ts'
import {
  api,
  apiJson,
  notFound,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'
import { getAuth } from '../utils/auth.server.ts'
import {
  resourceBody,
  resourceInputFromApi,
  resourceToApiInput,
} from '../utils/resource-api.server.ts'

function idFrom(params: Record<string, string | undefined>) {
  const id = uuidParam(params, 'resourceId')
  return id
}

const handler = api({
  /** Anyone may read an active resource; its own workshop also sees it when inactive. */
  async GET({ request, params, context }) {
    const auth = await getAuth(request, context)
    const resource = await getResource(context.db, idFrom(params), auth?.account.organization.id)
    if (!resource) throw notFound()
    return apiJson(resourceBody(resource))
  },
  /** Partial update: fields left out keep their values. */
  async PATCH({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = idFrom(params)
    const current = await getResource(context.db, id, account.organization.id)
    if (!current || current.organization_id !== account.organization.id) throw notFound()
    const patch = await parseJson(request, schemas.ResourcePatchRequest)
    const merged = schemas.ResourceRequest.parse({ ...resourceToApiInput(current), ...patch })
    await context.db
      .transaction()
      .execute((tx) => updateResource(tx, account, id, resourceInputFromApi(merged)))
    return apiJson(resourceBody((await getResource(context.db, id, account.organization.id))!))
  },
  async DELETE({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = idFrom(params)
    const photos = await context.db.transaction().execute((tx) => deleteResource(tx, account, id))
    await Promise.all(photos.map((key) => context.storage.delete(key)))
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
