import { requireOperator } from '../models/actor.server.ts'
import { ReimbursementQuerySchema } from '../models/voucher.schema.ts'
import { api, notFound, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { reimbursementDownload } from '../utils/voucher-file.server.ts'
import { XLSX_CONTENT_TYPE } from '../utils/xlsx.ts'

const handler = api({
  /** The reimbursement file for ?from&to: format=csv|xlsx, else by Accept, else CSV. */
  async GET({ request, context, params }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators export reimbursement files')
    const programId = uuidParam(params, 'programId')
    const search = Object.fromEntries(new URL(request.url).searchParams)
    const accept = request.headers.get('accept') ?? ''
    const query = ReimbursementQuerySchema.parse({
      ...search,
      format: search.format ?? (accept.includes(XLSX_CONTENT_TYPE) ? 'xlsx' : 'csv'),
    })
    const download = await reimbursementDownload(context.db, programId, query, {
      publicUrl: context.settings.publicUrl,
      locale: requestLocale(request, account.user.locale),
    })
    if (!download) throw notFound()
    return download
  },
})

export const loader = handler
export const action = handler
