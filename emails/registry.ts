import type { InvitationProps } from './invitation.tsx'
import type { PasswordResetProps } from './password-reset.tsx'
import type { VerificationResultProps } from './verification-result.tsx'
import type { JobInvitationProps } from './job-invitation.tsx'
import type { JobMatchedProps } from './job-matched.tsx'
import type { QuoteAcceptedProps, QuoteDeclinedProps, QuoteReceivedProps } from './quote-update.tsx'
import type { OrderUpdateProps } from './order-update.tsx'
import type { MessageReceivedProps } from './message-received.tsx'
import type { VoucherDecisionProps } from './voucher-decision.tsx'

// Template name → its props. The worker renders by name; models queue by name.
export interface EmailTemplates {
  'password-reset': PasswordResetProps
  invitation: InvitationProps
  'verification-result': VerificationResultProps
  'job-invitation': JobInvitationProps
  'job-matched': JobMatchedProps
  'quote-received': QuoteReceivedProps
  'quote-accepted': QuoteAcceptedProps
  'quote-declined': QuoteDeclinedProps
  'order-update': OrderUpdateProps
  'message-received': MessageReceivedProps
  'voucher-decision': VoucherDecisionProps
}

export type EmailTemplateName = keyof EmailTemplates
export type EmailTemplateProps<T extends EmailTemplateName> = EmailTemplates[T]

/**
 * Props that grant access (reset and invitation links). Once SMTP has delivered an email
 * they are scrubbed from the stored copy; in the local mailbox the stored copy is the
 * delivery, so they stay.
 */
export const secretProps: { [T in EmailTemplateName]: (keyof EmailTemplates[T])[] } = {
  'password-reset': ['url'],
  invitation: ['url'],
  'verification-result': [],
  'job-invitation': [],
  'job-matched': [],
  'quote-received': [],
  'quote-accepted': [],
  'quote-declined': [],
  'order-update': [],
  'message-received': [],
  'voucher-decision': [],
}
