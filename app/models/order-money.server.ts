import type { Db } from '../../db/client.ts'
import { escrowFigures } from './escrow.server.ts'

/**
 * An order's money as its parties see it: what the escrow received, released and refunded and
 * still holds, each payout to the workshop (sample milestone, the rest at completion), each
 * refund, and the 服务券 voucher that paid part of it.
 */
export async function orderMoney(db: Db, orderId: string) {
  const [figures, payouts, refunds, voucher] = await Promise.all([
    escrowFigures(db, orderId),
    db
      .selectFrom('payouts')
      .select([
        'id',
        'milestone',
        'gross_fen',
        'fee_fen',
        'amount_fen',
        'provider',
        'status',
        'provider_ref',
        'bank_reference',
        'paid_at',
        'created_at',
      ])
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('refunds')
      .select([
        'id',
        'reason',
        'amount_fen',
        'voucher_fen',
        'provider',
        'status',
        'bank_reference',
        'created_at',
        'completed_at',
      ])
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('voucher_redemptions')
      .innerJoin('voucher_programs', 'voucher_programs.id', 'voucher_redemptions.program_id')
      .select([
        'voucher_programs.name as program',
        'voucher_redemptions.amount_fen',
        'voucher_redemptions.reversed_fen',
      ])
      .where('voucher_redemptions.order_id', '=', orderId)
      .executeTakeFirst(),
  ])
  return { ...figures, payouts, refunds, voucher: voucher ?? null }
}

export type OrderMoney = Awaited<ReturnType<typeof orderMoney>>
