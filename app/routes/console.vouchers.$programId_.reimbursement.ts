import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { reimbursementDownload } from '../utils/voucher-file.server.ts'
import { ReimbursementQuerySchema } from '../models/voucher.schema.ts'
import { requireKind } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'

// The 服务券 reimbursement file of a programme for a period (operators):
// ?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|xlsx, downloaded as an attachment.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const programId = z.uuid().safeParse(params.programId)
  if (!programId.success) throw new Response('Not found', { status: 404 })
  const query = ReimbursementQuerySchema.safeParse(
    Object.fromEntries(new URL(request.url).searchParams),
  )
  if (!query.success) {
    const issue = query.error.issues[0]
    return new Response(`${issue?.path.join('.')}: ${issue?.message}`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const download = await reimbursementDownload(context.db, programId.data, query.data, {
    publicUrl: context.settings.publicUrl,
    locale: requestLocale(request, operator.user.locale),
  })
  if (!download) throw new Response('Not found', { status: 404 })
  return download
}
