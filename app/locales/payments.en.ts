import type { paymentsZh } from './payments.zh-CN.ts'

export const paymentsEn: Record<keyof typeof paymentsZh, string> = {
  'payments.card.title': 'Pay by card',
  'payments.card.button': 'Pay by card',
  'payments.card.hint':
    "Pay {amount} on Stripe's secure checkout. The platform holds the money in escrow and the order starts once it arrives; bank transfer remains available.",
  'payments.notice.success':
    'Your card payment was submitted. The order updates by itself once Stripe confirms it, usually within seconds.',
  'payments.notice.cancelled':
    'The card payment was cancelled and nothing was charged. Pay again, or pay by bank transfer.',
  'payments.error.stripe_unavailable':
    'The card payment service did not answer; try again in a moment. Nothing was charged.',
  'payments.error.card_payments_unavailable':
    'Card payments are not available on this platform; please pay by bank transfer.',
  'payments.error.order_not_awaiting_payment': 'This order is not awaiting payment.',
  'payments.error.forbidden': 'Only the buyer can pay for this order.',
  'payments.error.other': 'The card payment could not be started; reload the page and try again.',
  'payments.connect.title': 'Stripe payout account',
  'payments.connect.none':
    'Not set up yet. Once it is, every milestone release is transferred to your Stripe account.',
  'payments.connect.incomplete': 'Your details are incomplete; Stripe cannot pay you yet.',
  'payments.connect.pending': 'Details submitted; waiting for Stripe to enable payouts.',
  'payments.connect.enabled': 'Payouts enabled: releases are transferred to your Stripe account.',
  'payments.connect.start': 'Set up Stripe payouts',
  'payments.connect.continue': 'Continue setup',
  'payments.connect.update': 'Update payout details',
  'payments.connect.ownersOnly': 'Only owners can set up the payout account.',
  'payments.connect.refresh': 'The setup link expired; please start again.',
  'payments.connect.error.stripe_unavailable': 'Stripe did not answer; try again in a moment.',
  'payments.connect.error.stripe_not_configured':
    'Stripe is not enabled on this platform; payouts are made by bank transfer.',
  'payments.connect.error.forbidden': 'Only owners can set up the payout account.',
  'payments.connect.error.other':
    'Stripe setup could not be opened; reload the page and try again.',
  'error.card_payments_unavailable':
    'Card payments are not available on this platform; pay by bank transfer',
  'error.order_not_awaiting_payment': 'This order is not awaiting payment',
  'error.stripe_not_configured':
    'Stripe is not configured on this platform; payouts are made by bank transfer',
  'email.order.confirm_card_payment':
    'The card payment for order {order} ({job}) has arrived and is held by the platform.',
}
