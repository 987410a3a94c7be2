import type { OrderMoney } from '../models/order-money.server.ts'
import { formatFen } from '../models/money.ts'
import { formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { TableHead } from './table.tsx'

/**
 * 资金托管: what the platform received for the order, released to the workshop (payouts by
 * milestone) and gave back (refunds), and what it still holds. Both parties and operators.
 */
export function OrderMoneySection({ money }: { money: OrderMoney }) {
  const t = useT()
  const locale = useLocale()
  const fen = (v: number) => formatFen(v, locale)
  if (!money.paid_fen && !money.voucher) return null
  return (
    <section className="card" id="escrow" aria-labelledby="escrow-title">
      <h2 id="escrow-title">{t('orders.escrow.title')}</h2>
      <p className="hint">{t('orders.escrow.lead')}</p>
      <dl className="facts" data-testid="escrow-figures">
        <dt>{t('orders.escrow.paid')}</dt>
        <dd>{fen(money.paid_fen)}</dd>
        <dt>{t('orders.escrow.released')}</dt>
        <dd>{fen(money.released_fen)}</dd>
        <dt>{t('orders.escrow.refunded')}</dt>
        <dd>{fen(money.refunded_fen)}</dd>
        <dt>{t('orders.escrow.held')}</dt>
        <dd>
          <strong data-testid="escrow-held">{fen(money.escrow_fen)}</strong>
        </dd>
        {money.voucher ? (
          <>
            <dt>{t('orders.escrow.voucher')}</dt>
            <dd>
              {money.voucher.program} · {fen(money.voucher.amount_fen - money.voucher.reversed_fen)}
              {money.voucher.reversed_fen
                ? ` (${t('orders.escrow.voucherReversed', { amount: fen(money.voucher.reversed_fen) })})`
                : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {money.payouts.length ? (
        <table data-testid="order-payouts">
          <caption>{t('orders.escrow.payouts')}</caption>
          <TableHead
            columns={[
              t('orders.escrow.milestone'),
              t('orders.escrow.gross'),
              t('orders.escrow.fee'),
              t('orders.escrow.net'),
              t('orders.escrow.state'),
            ]}
          />
          <tbody>
            {money.payouts.map((p) => (
              <tr key={p.id}>
                <td>{t(`orders.escrow.milestone.${p.milestone}` as MessageKey)}</td>
                <td className="num">{fen(p.gross_fen)}</td>
                <td className="num muted">{fen(p.fee_fen)}</td>
                <td className="num">{fen(p.amount_fen)}</td>
                <td>
                  {p.status === 'paid'
                    ? t('orders.escrow.paidOn', {
                        date: p.paid_at ? formatDateTime(locale, p.paid_at) : '—',
                        reference: p.bank_reference ?? p.provider_ref ?? '—',
                      })
                    : t(`orders.escrow.payoutStatus.${p.status}` as MessageKey)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {money.refunds.length ? (
        <table data-testid="order-refunds">
          <caption>{t('orders.escrow.refunds')}</caption>
          <TableHead
            columns={[
              t('orders.escrow.reason'),
              t('orders.escrow.toBuyer'),
              t('orders.escrow.toVoucher'),
              t('orders.escrow.state'),
            ]}
          />
          <tbody>
            {money.refunds.map((r) => (
              <tr key={r.id}>
                <td>{t(`orders.escrow.refundReason.${r.reason}` as MessageKey)}</td>
                <td className="num">{fen(r.amount_fen)}</td>
                <td className="num">{fen(r.voucher_fen)}</td>
                <td>
                  {r.status === 'succeeded'
                    ? t('orders.escrow.refundSent', {
                        date: r.completed_at ? formatDateTime(locale, r.completed_at) : '—',
                        reference: r.bank_reference ?? '—',
                      })
                    : t(`orders.escrow.refundStatus.${r.status}` as MessageKey)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
