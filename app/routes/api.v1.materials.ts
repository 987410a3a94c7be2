import { createMaterial, getMaterial, listMaterials } from '../models/material.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { ApiError, api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { getAuth } from '../utils/auth.server.ts'
import { materialBody, materialInputFromApi } from '../utils/workshop-api.server.ts'

const handler = api({
  /** Active materials for everyone; `include_inactive=true` lists all to operators. */
  async GET({ request, context }) {
    const flag = new URL(request.url).searchParams.get('include_inactive')
    if (flag !== null && flag !== 'true' && flag !== 'false') {
      throw new ApiError(400, 'invalid_input', 'include_inactive is true or false', {
        param: 'include_inactive',
      })
    }
    const includeInactive = flag === 'true'
    if (includeInactive) {
      const auth = await getAuth(request, context)
      if (auth?.account.organization.kind !== 'platform') {
        throw new ApiError(403, 'forbidden', 'Only operators see inactive materials')
      }
    }
    const materials = await listMaterials(context.db, { includeInactive })
    return apiJson({ materials: materials.map(materialBody) })
  },
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    const body = await parseJson(request, schemas.MaterialRequest)
    await context.db
      .transaction()
      .execute((tx) => createMaterial(tx, account, materialInputFromApi(body, body.code)))
    const created = await getMaterial(context.db, body.code)
    return apiJson(materialBody(created!), {
      status: 201,
      headers: { Location: `/api/v1/materials/${body.code}` },
    })
  },
})

export const loader = handler
export const action = handler
