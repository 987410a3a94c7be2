import { Form, useSearchParams } from '@remix-run/react'
import type { MessageKey } from '../locales/index.ts'
import { CSRF_FIELD_NAME } from '../utils/csrf.ts'
import { useT } from '../utils/i18n.ts'

// The workshop's Stripe payout account on /workshop/payouts (issue 8): its status and the
// form that posts to workshop.payouts_.connect, which sends the browser to Stripe's
// onboarding. Stripe returns to /workshop/payouts (or `?connect=refresh` when the link
// expired); a refusal comes back as `?connect_error=<code>`. Show it only when Stripe is
// configured; the status follows Stripe's `account.updated` webhook.

export interface ConnectAccountState {
  details_submitted: boolean
  payouts_enabled: boolean
}

/** The status line and the button's label for the account (null: none yet). */
export function connectStatus(account: ConnectAccountState | null): {
  status: MessageKey
  action: MessageKey
} {
  if (!account) return { status: 'payments.connect.none', action: 'payments.connect.start' }
  if (account.payouts_enabled) {
    return { status: 'payments.connect.enabled', action: 'payments.connect.update' }
  }
  if (account.details_submitted) {
    return { status: 'payments.connect.pending', action: 'payments.connect.update' }
  }
  return { status: 'payments.connect.incomplete', action: 'payments.connect.continue' }
}

const errorCodes = ['stripe_unavailable', 'stripe_not_configured', 'forbidden'] as const

/** The message for `?connect_error=` / `?connect=refresh`, or null. */
export function connectNotice(searchParams: URLSearchParams): MessageKey | null {
  const error = searchParams.get('connect_error')
  if (error) {
    const known = (errorCodes as readonly string[]).includes(error)
    return `payments.connect.error.${known ? error : 'other'}` as MessageKey
  }
  return searchParams.get('connect') === 'refresh' ? 'payments.connect.refresh' : null
}

/**
 * The payout account section: status, any notice, and (for owners) the button to Stripe.
 * `account` is `connectedAccountOf(db, organizationId)` (connect.server.ts).
 */
export function ConnectForm({
  csrfToken,
  account,
  canManage,
}: {
  csrfToken: string
  account: ConnectAccountState | null
  /** The viewer is an owner of the workshop (only owners may set the account up). */
  canManage: boolean
}) {
  const t = useT()
  const [searchParams] = useSearchParams()
  const { status, action } = connectStatus(account)
  const notice = connectNotice(searchParams)
  return (
    <section className="card" id="payout-account" aria-labelledby="payout-account-title">
      <h2 id="payout-account-title">{t('payments.connect.title')}</h2>
      {notice ? (
        <p className="alert" role="alert">
          {t(notice)}
        </p>
      ) : null}
      <p data-testid="connect-status">{t(status)}</p>
      {canManage ? (
        <Form method="post" action="/workshop/payouts/connect" reloadDocument>
          <input type="hidden" name={CSRF_FIELD_NAME} value={csrfToken} />
          <button type="submit">{t(action)}</button>
        </Form>
      ) : (
        <p className="hint">{t('payments.connect.ownersOnly')}</p>
      )}
    </section>
  )
}
