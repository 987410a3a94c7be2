import { ForbiddenError } from '../models/errors.ts'
import { getJobForViewer } from '../models/job.server.ts'
import { createManualQuote, listJobQuotes } from '../models/quote.server.ts'
import { schemas } from '../utils/api-contract.ts'
import {
  api,
  apiJson,
  notFound,
  parseJson,
  requireApiAuth,
  uuidParam,
} from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { jobQuoteBody, viewedQuoteBody } from '../utils/quote-api.server.ts'

const handler = api({
  /** The job's quotes: all for the owner and operators, a workshop's own for a workshop. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const listed = await listJobQuotes(context.db, uuidParam(params, 'jobId'), account)
    if (!listed) throw notFound()
    const locale = requestLocale(request, account.user.locale)
    return apiJson({
      quotes: listed.quotes.map((q) => jobQuoteBody(q, listed.access.job.delivery_town, locale)),
    })
  },
  /** A workshop's own quote: one unit price for every part, or one per part. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const jobId = uuidParam(params, 'jobId')
    if (account.organization.kind !== 'workshop') throw new ForbiddenError('Only workshops quote')
    const input = await parseJson(request, schemas.ManualQuoteRequest)
    const viewed = await getJobForViewer(context.db, jobId, account)
    if (!viewed) throw notFound()
    const unitPrice = input.unit_price_fen
    const parts =
      unitPrice === undefined
        ? (input.parts ?? []).map((p) => ({ fileId: p.file_id, unitPriceFen: p.unit_price_fen }))
        : viewed.parts.map((p) => ({ fileId: p.id, unitPriceFen: unitPrice }))
    const quote = await context.db.transaction().execute((tx) =>
      createManualQuote(
        tx,
        account,
        jobId,
        {
          resourceId: input.resource_id,
          parts,
          setupFen: input.setup_fen,
          samplePriceFen: input.sample_price_fen,
          sampleLeadDays: input.sample_lead_days,
          batchLeadDays: input.batch_lead_days,
          machineHours: input.machine_hours,
          comment: input.comment,
        },
        { publicUrl: context.settings.publicUrl },
      ),
    )
    const locale = requestLocale(request, account.user.locale)
    return apiJson(
      { quote: await viewedQuoteBody(context.db, account, quote, locale) },
      { status: 201 },
    )
  },
})

export const loader = handler
export const action = handler
