import { sql } from 'kysely'
import { csvDocument } from '../utils/csv.ts'
import type { Db, Tx } from '../../db/client.ts'
import { translate, type Locale, type MessageKey } from '../locales/index.ts'
import { writeXlsx, type XlsxSheet } from '../utils/xlsx.ts'

// 服务券 reimbursement file (issue 8): per programme and period, the completed orders the
// programme paid part of, with the evidence an auditor asks for (order page, the accepted
// inspection's files, the payment's reference). Related-party orders of the programme's
// grantees are listed apart, flagged, without a voucher: the programme pays nothing for them.

export interface ReimbursementRow {
  orderId: string
  number: string
  enterprise: string
  uscc: string
  workshop: string
  contractFen: number
  voucherFen: number
  completedOn: string
  relatedParty: boolean
  orderUrl: string
  inspectionUrls: string[]
  paymentProof: string
}

export interface Reimbursement {
  program: { id: string; name: string }
  from: string
  to: string
  rows: ReimbursementRow[]
  related: ReimbursementRow[]
  totals: { contractFen: number; voucherFen: number }
}

const completedOn = sql<string>`to_char(orders.completed_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`

/**
 * The reimbursement of `programId` for orders completed in [from, to] (Shanghai days):
 * redemptions with a positive net amount, and the related-party orders of firms holding an
 * approved grant of the programme in the year of the order. Undefined: no such programme.
 */
export async function reimbursement(
  db: Db | Tx,
  programId: string,
  period: { from: string; to: string },
  publicUrl: string,
): Promise<Reimbursement | undefined> {
  const program = await db
    .selectFrom('voucher_programs')
    .select(['id', 'name'])
    .where('id', '=', programId)
    .executeTakeFirst()
  if (!program) return undefined
  const base = db
    .selectFrom('orders')
    .innerJoin('organizations as buyer', 'buyer.id', 'orders.buyer_organization_id')
    .innerJoin('organizations as workshop', 'workshop.id', 'orders.workshop_organization_id')
    .select([
      'orders.id',
      'orders.number',
      sql<string>`coalesce(nullif(buyer.legal_name, ''), buyer.name)`.as('enterprise'),
      'buyer.uscc',
      sql<string>`coalesce(nullif(workshop.legal_name, ''), workshop.name)`.as('workshop'),
      'orders.subtotal_fen',
      completedOn.as('completed_on'),
    ])
    .where('orders.status', '=', 'completed')
    .where(completedOn, '>=', period.from)
    .where(completedOn, '<=', period.to)
    .orderBy('orders.completed_at')
    .orderBy('orders.number')
  const [redeemed, related] = await Promise.all([
    base
      .innerJoin('voucher_redemptions', 'voucher_redemptions.order_id', 'orders.id')
      .select(
        sql<number>`voucher_redemptions.amount_fen - voucher_redemptions.reversed_fen`.as(
          'voucher_fen',
        ),
      )
      .where('voucher_redemptions.program_id', '=', programId)
      .where(sql<number>`voucher_redemptions.amount_fen - voucher_redemptions.reversed_fen`, '>', 0)
      .where('orders.related_party', '=', false)
      .execute(),
    base
      .where('orders.related_party', '=', true)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('voucher_grants')
            .select('voucher_grants.id')
            .where('voucher_grants.program_id', '=', programId)
            .where('voucher_grants.status', '=', 'approved')
            .whereRef('voucher_grants.organization_id', '=', 'orders.buyer_organization_id')
            .where(
              'voucher_grants.year',
              '=',
              sql<number>`extract(year from orders.created_at at time zone 'Asia/Shanghai')::int`,
            ),
        ),
      )
      .execute(),
  ])
  const evidence = await orderEvidence(
    db,
    [...redeemed, ...related].map((o) => o.id),
  )
  const row = (o: (typeof related)[number], voucherFen: number, relatedParty: boolean) => ({
    orderId: o.id,
    number: o.number,
    enterprise: o.enterprise,
    uscc: o.uscc ?? '',
    workshop: o.workshop,
    contractFen: o.subtotal_fen,
    voucherFen,
    completedOn: o.completed_on,
    relatedParty,
    orderUrl: `${publicUrl}/orders/${o.id}`,
    inspectionUrls: (evidence.inspections.get(o.id) ?? []).map((id) => `${publicUrl}/files/${id}`),
    paymentProof: evidence.payments.get(o.id) ?? '',
  })
  const rows = redeemed.map((o) => row(o, Number(o.voucher_fen), false))
  return {
    program,
    ...period,
    rows,
    related: related.map((o) => row(o, 0, true)),
    totals: {
      contractFen: rows.reduce((sum, r) => sum + r.contractFen, 0),
      voucherFen: rows.reduce((sum, r) => sum + r.voucherFen, 0),
    },
  }
}

/** Per order: the files of its latest accepted inspection, and its confirmed payments' references. */
async function orderEvidence(db: Db | Tx, orderIds: string[]) {
  const inspections = new Map<string, string[]>()
  const payments = new Map<string, string>()
  if (!orderIds.length) return { inspections, payments }
  const [accepted, paid] = await Promise.all([
    db
      .selectFrom('inspections')
      .select(['order_id', 'attachment_ids'])
      .distinctOn('order_id')
      .where('order_id', 'in', orderIds)
      .where('result', '=', 'accept')
      .orderBy('order_id')
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('payments')
      .select([
        'order_id',
        sql<string>`coalesce(bank_reference, payment_intent_id, provider_ref, '')`.as('proof'),
      ])
      .where('order_id', 'in', orderIds)
      .where('confirmed_at', 'is not', null)
      .where('status', 'in', ['confirmed', 'refunded'])
      .orderBy('confirmed_at')
      .execute(),
  ])
  for (const i of accepted) inspections.set(i.order_id, i.attachment_ids)
  for (const p of paid) {
    if (!p.proof) continue
    const before = payments.get(p.order_id)
    payments.set(p.order_id, before ? `${before} ${p.proof}` : p.proof)
  }
  return { inspections, payments }
}

const columns = [
  'vouchers.file.number',
  'vouchers.file.enterprise',
  'vouchers.file.uscc',
  'vouchers.file.workshop',
  'vouchers.file.contract',
  'vouchers.file.voucher',
  'vouchers.file.completedOn',
  'vouchers.file.relatedParty',
  'vouchers.file.orderUrl',
  'vouchers.file.inspection',
  'vouchers.file.payment',
] as const satisfies readonly MessageKey[]

type Cell = string | { fen: number }

function cells(row: ReimbursementRow, locale: Locale): Cell[] {
  return [
    row.number,
    row.enterprise,
    row.uscc,
    row.workshop,
    { fen: row.contractFen },
    { fen: row.voucherFen },
    row.completedOn,
    translate(locale, row.relatedParty ? 'vouchers.file.yes' : 'vouchers.file.no'),
    row.orderUrl,
    // URLs hold no spaces, so one space separates them unambiguously.
    row.inspectionUrls.join(' '),
    row.paymentProof,
  ]
}

function totalsCells(report: Reimbursement, locale: Locale): Cell[] {
  return [
    translate(locale, 'vouchers.file.total'),
    '',
    '',
    '',
    { fen: report.totals.contractFen },
    { fen: report.totals.voucherFen },
  ]
}

/** The file as CSV (app/utils/csv.ts); related-party orders in a section of their own. */
export function reimbursementCsv(report: Reimbursement, locale: Locale): string {
  const header = columns.map((key) => translate(locale, key))
  const rows: Cell[][] = [
    header,
    ...report.rows.map((r) => cells(r, locale)),
    totalsCells(report, locale),
  ]
  if (report.related.length) {
    rows.push([], [translate(locale, 'vouchers.file.relatedSection')], header)
    rows.push(...report.related.map((r) => cells(r, locale)))
  }
  return csvDocument(rows)
}

const widths = [20, 28, 22, 28, 14, 14, 12, 10, 50, 50, 28]

/** The workbook: the reimbursed orders with totals, and the related-party orders apart. */
export function reimbursementXlsx(report: Reimbursement, locale: Locale): Uint8Array {
  const header = columns.map((key) => translate(locale, key))
  const sheets: XlsxSheet[] = [
    {
      name: translate(locale, 'vouchers.file.sheet'),
      header,
      rows: report.rows.map((r) => cells(r, locale)),
      totals: totalsCells(report, locale),
      widths,
    },
  ]
  if (report.related.length) {
    sheets.push({
      name: translate(locale, 'vouchers.file.relatedSheet'),
      header,
      rows: report.related.map((r) => cells(r, locale)),
      widths,
    })
  }
  return writeXlsx(sheets)
}

/** An ASCII file name for the download (the programme's name is in the file itself). */
export function reimbursementFileName(report: Reimbursement, format: 'csv' | 'xlsx') {
  return `voucher-reimbursement-${report.from}-${report.to}.${format}`
}
