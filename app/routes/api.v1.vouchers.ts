import { shanghaiToday } from '../models/capacity.server.ts'
import { ForbiddenError } from '../models/errors.ts'
import { firmPrograms, listPrograms } from '../models/voucher-admin.server.ts'
import { voucherYear } from '../models/voucher.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { firmProgramBody, programBody } from '../utils/voucher-api.server.ts'

const handler = api({
  /** Design firms: programmes and their remaining cap; operators: budgets used and left. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    const year = voucherYear(shanghaiToday())
    if (account.organization.kind === 'platform') {
      const programs = await listPrograms(context.db, year)
      return apiJson({ year, programs: programs.map(programBody) })
    }
    if (account.organization.kind !== 'design_firm') {
      throw new ForbiddenError('Service vouchers are for design firms')
    }
    const view = await firmPrograms(context.db, account.organization.id)
    return apiJson({ year: view.year, programs: view.programs.map(firmProgramBody) })
  },
})

export const loader = handler
export const action = handler
