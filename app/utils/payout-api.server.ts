import { translate, type Locale } from '../locales/index.ts'
import type { OpsPayoutRow, OpsRefundRow } from '../models/money-ops.server.ts'
import { refundSendableByBank } from '../models/money-ops.server.ts'
import {
  isMonth,
  statementCsv,
  type PayoutStatement,
  type StatementOrder,
} from '../models/payout.server.ts'
import { ApiError, iso } from './api.server.ts'

// Bodies of the payout endpoints (api-contract-payouts.ts) and the statement's CSV, shared by
// the API and the workshop's CSV download.

/** A query parameter that must be one of `values` when present (else the API's 400). */
export function queryOneOf<T extends string>(
  url: URL,
  name: string,
  values: readonly T[],
): T | undefined {
  const value = url.searchParams.get(name)
  if (value === null) return undefined
  if (!(values as readonly string[]).includes(value)) {
    throw new ApiError(400, 'invalid_input', `${name} is one of ${values.join(', ')}`, {
      param: name,
    })
  }
  return value as T
}

/** `?month=YYYY-MM`, or null when left out; anything else is the API's 400. */
export function queryMonth(url: URL): string | null {
  const month = url.searchParams.get('month')
  if (month === null || month === '') return null
  if (!isMonth(month)) {
    throw new ApiError(400, 'invalid_input', 'month is YYYY-MM', { param: 'month' })
  }
  return month
}

function orderBody(o: StatementOrder) {
  return {
    ...o,
    lines: o.lines.map((l) => ({
      ...l,
      created_at: iso(l.created_at)!,
      paid_at: iso(l.paid_at),
    })),
  }
}

export function statementBody(statement: PayoutStatement) {
  return {
    month: statement.month,
    totals: statement.totals,
    orders: statement.orders.map(orderBody),
  }
}

export function opsPayoutBody(p: OpsPayoutRow) {
  return {
    id: p.id,
    order_id: p.order_id,
    order_number: p.order_number,
    workshop_id: p.workshop_id,
    workshop_name: p.workshop_name,
    workshop_legal_name: p.workshop_legal_name,
    workshop_uscc: p.workshop_uscc,
    milestone: p.milestone,
    gross_fen: p.gross_fen,
    fee_fen: p.fee_fen,
    amount_fen: p.amount_fen,
    provider: p.provider,
    status: p.status,
    bank_reference: p.bank_reference,
    provider_ref: p.provider_ref,
    failure_message: p.failure_message,
    created_at: iso(p.created_at)!,
    paid_at: iso(p.paid_at),
  }
}

export function opsRefundBody(r: OpsRefundRow) {
  return {
    id: r.id,
    order_id: r.order_id,
    order_number: r.order_number,
    buyer_id: r.buyer_id,
    buyer_name: r.buyer_name,
    reason: r.reason,
    amount_fen: r.amount_fen,
    voucher_fen: r.voucher_fen,
    provider: r.provider,
    status: r.status,
    bank_reference: r.bank_reference,
    provider_ref: r.provider_ref,
    failure_message: r.failure_message,
    sendable_by_bank: refundSendableByBank(r),
    created_at: iso(r.created_at)!,
    completed_at: iso(r.completed_at),
  }
}

/** The statement's CSV download, headings and labels in `locale`. */
export function statementCsvResponse(statement: PayoutStatement, locale: Locale): Response {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key)
  const csv = statementCsv(
    statement,
    {
      number: t('payouts.csv.number'),
      job: t('payouts.csv.job'),
      buyer: t('payouts.csv.buyer'),
      gross: t('payouts.csv.gross'),
      fee: t('payouts.csv.fee'),
      voucher: t('payouts.csv.voucher'),
      refunds: t('payouts.csv.refunds'),
      net: t('payouts.csv.net'),
      held: t('payouts.csv.held'),
      milestone: t('payouts.csv.milestone'),
      lineGross: t('payouts.csv.lineGross'),
      lineFee: t('payouts.csv.lineFee'),
      lineAmount: t('payouts.csv.lineAmount'),
      status: t('payouts.csv.status'),
      createdOn: t('payouts.csv.createdOn'),
      paidOn: t('payouts.csv.paidOn'),
      reference: t('payouts.csv.reference'),
    },
    {
      milestone: (m) => t(`payouts.milestone.${m}`),
      status: (s) => t(`payouts.status.${s}`),
    },
  )
  const name = `payouts-${statement.month ?? 'all'}.csv`
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    },
  })
}
