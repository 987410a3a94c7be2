import { requireOperator } from '../models/actor.server.ts'
import { OrganizationQuerySchema, queryObject } from '../models/operations.schema.ts'
import { listOrganizations } from '../models/suspension.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { opsOrganizationBody } from '../utils/ops-api.server.ts'

const handler = api({
  /** The organisation directory by `q` and `kind`, a page at a time. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the organisation directory')
    const query = OrganizationQuerySchema.parse(queryObject(new URL(request.url).searchParams))
    const directory = await listOrganizations(context.db, query)
    return apiJson({
      organizations: directory.organizations.map(opsOrganizationBody),
      page: directory.page,
      per_page: directory.perPage,
      total: directory.total,
    })
  },
})

export const loader = handler
export const action = handler
