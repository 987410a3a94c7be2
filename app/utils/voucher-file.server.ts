import type { Db } from '../../db/client.ts'
import type { Locale } from '../locales/index.ts'
import { contentDisposition } from '../models/storage.server.ts'
import {
  reimbursement,
  reimbursementCsv,
  reimbursementFileName,
  reimbursementXlsx,
} from '../models/voucher-reimbursement.server.ts'
import { XLSX_CONTENT_TYPE } from './xlsx.ts'

/**
 * The reimbursement file as a download (the console page's and the API's): CSV or XLSX, as an
 * attachment, never cached. Undefined: no such programme.
 */
export async function reimbursementDownload(
  db: Db,
  programId: string,
  query: { from: string; to: string; format: 'csv' | 'xlsx' },
  options: { publicUrl: string; locale: Locale },
): Promise<Response | undefined> {
  const report = await reimbursement(db, programId, query, options.publicUrl)
  if (!report) return undefined
  const body =
    query.format === 'xlsx'
      ? reimbursementXlsx(report, options.locale)
      : new TextEncoder().encode(reimbursementCsv(report, options.locale))
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': query.format === 'xlsx' ? XLSX_CONTENT_TYPE : 'text/csv; charset=utf-8',
      'Content-Disposition': contentDisposition(
        reimbursementFileName(report, query.format),
        'attachment',
      ),
      'Content-Length': String(body.byteLength),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
