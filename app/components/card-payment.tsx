import { Form, useSearchParams } from '@remix-run/react'
import type { MessageKey } from '../locales/index.ts'
import { formatFen } from '../models/money.ts'
import { CSRF_FIELD_NAME } from '../utils/csrf.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// Paying an order by card (issue 8). The form posts to orders.$orderId_.pay-card, which sends
// the browser on to Stripe Checkout; Stripe sends it back to the order page with
// `?payment=success|cancelled`, and a refusal comes back as `?payment_error=<code>`.
// CardPaymentNotice turns those into a line of text; the order itself moves only when the
// verified webhook arrives.

/**
 * The card button (place it only while the order awaits payment, for its buyer, and only
 * when Stripe is configured). A whole-document form: the answer is a redirect to Stripe.
 */
export function CardPaymentForm({
  orderId,
  csrfToken,
  amountFen,
}: {
  orderId: string
  csrfToken: string
  amountFen: number
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <Form
      method="post"
      action={`/orders/${orderId}/pay-card`}
      reloadDocument
      className="stack"
      aria-labelledby={`card-payment-${orderId}`}
    >
      <h3 id={`card-payment-${orderId}`}>{t('payments.card.title')}</h3>
      <input type="hidden" name={CSRF_FIELD_NAME} value={csrfToken} />
      <p className="hint">{t('payments.card.hint', { amount: formatFen(amountFen, locale) })}</p>
      <p>
        <button type="submit">{t('payments.card.button')}</button>
      </p>
    </Form>
  )
}

const errorCodes = [
  'stripe_unavailable',
  'card_payments_unavailable',
  'order_not_awaiting_payment',
  'forbidden',
] as const

export interface PaymentNotice {
  /** status: a notice (role=status); alert: something to act on (role=alert). */
  tone: 'status' | 'alert'
  key: MessageKey
}

/** What the order page says about a card payment, from its search parameters; or null. */
export function paymentNotice(searchParams: URLSearchParams): PaymentNotice | null {
  const error = searchParams.get('payment_error')
  if (error) {
    const known = (errorCodes as readonly string[]).includes(error)
    return { tone: 'alert', key: `payments.error.${known ? error : 'other'}` as MessageKey }
  }
  const payment = searchParams.get('payment')
  if (payment === 'success') return { tone: 'status', key: 'payments.notice.success' }
  if (payment === 'cancelled') return { tone: 'status', key: 'payments.notice.cancelled' }
  return null
}

/** The notice for `paymentNotice`, for the top of the order page (nothing when none). */
export function CardPaymentNotice() {
  const t = useT()
  const [searchParams] = useSearchParams()
  const notice = paymentNotice(searchParams)
  if (!notice) return null
  return notice.tone === 'alert' ? (
    <p className="alert" role="alert">
      {t(notice.key)}
    </p>
  ) : (
    <p className="notice" role="status">
      {t(notice.key)}
    </p>
  )
}
