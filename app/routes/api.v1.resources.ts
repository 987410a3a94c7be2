import { createResource, getResource, listOwnResources } from '../models/resource.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { ForbiddenError } from '../models/errors.ts'
import { resourceBody, resourceInputFromApi } from '../utils/resource-api.server.ts'

const handler = api({
  /** The caller's own resources (workshops). */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'workshop')
      throw new ForbiddenError('Only workshops have resources')
    const rows = await listOwnResources(context.db, account.organization.id)
    return apiJson({ resources: rows.map(resourceBody) })
  },
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    const input = resourceInputFromApi(await parseJson(request, schemas.ResourceRequest))
    const id = await context.db.transaction().execute((tx) => createResource(tx, account, input))
    const created = await getResource(context.db, id, account.organization.id)
    return apiJson(resourceBody(created!), {
      status: 201,
      headers: { Location: `/api/v1/resources/${id}` },
    })
  },
})

export const loader = handler
export const action = handler
