import { getMaterial, updateMaterial } from '../models/material.server.ts'
import { ForbiddenError } from '../models/errors.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, notFound, parseJson, requireApiAuth } from '../utils/api.server.ts'
import { materialBody, materialInputFromApi } from '../utils/workshop-api.server.ts'

const handler = api({
  /** Partial update by operators: fields left out keep their values. */
  async PATCH({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'platform') {
      throw new ForbiddenError('Operators manage the catalogue')
    }
    const current = await getMaterial(context.db, params.code ?? '')
    if (!current) throw notFound()
    const patch = await parseJson(request, schemas.MaterialPatchRequest)
    const merged = { ...materialBody(current), ...patch }
    await context.db
      .transaction()
      .execute((tx) => updateMaterial(tx, account, materialInputFromApi(merged, current.code)))
    return apiJson(materialBody((await getMaterial(context.db, current.code))!))
  },
})

export const loader = handler
export const action = handler
