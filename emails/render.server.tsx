import { render } from '@react-email/render'
import type { Locale } from '../db/schema.ts'
import { InvitationEmail, invitationSubject, type InvitationProps } from './invitation.tsx'
import {
  PasswordResetEmail,
  passwordResetSubject,
  type PasswordResetProps,
} from './password-reset.tsx'
import type { EmailTemplateName } from './registry.ts'
import {
  VerificationResultEmail,
  verificationResultSubject,
  type VerificationResultProps,
} from './verification-result.tsx'
import {
  JobInvitationEmail,
  jobInvitationSubject,
  type JobInvitationProps,
} from './job-invitation.tsx'
import { JobMatchedEmail, jobMatchedSubject, type JobMatchedProps } from './job-matched.tsx'
import { QuoteEmail, quoteEmailSubject } from './quote-update.tsx'
import { OrderUpdateEmail, orderUpdateSubject, type OrderUpdateProps } from './order-update.tsx'
import {
  MessageReceivedEmail,
  messageReceivedSubject,
  type MessageReceivedProps,
} from './message-received.tsx'
import {
  VoucherDecisionEmail,
  voucherDecisionSubject,
  type VoucherDecisionProps,
} from './voucher-decision.tsx'

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

/** Renders a stored email (template name + JSON props) in the recipient's language. */
export async function renderEmail(
  template: EmailTemplateName | string,
  props: Record<string, unknown>,
  locale: Locale,
): Promise<RenderedEmail> {
  switch (template) {
    case 'password-reset': {
      const p = props as unknown as PasswordResetProps
      const element = <PasswordResetEmail locale={locale} {...p} />
      return {
        subject: passwordResetSubject(locale),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'invitation': {
      const p = props as unknown as InvitationProps
      const element = <InvitationEmail locale={locale} {...p} />
      return {
        subject: invitationSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'verification-result': {
      const p = props as unknown as VerificationResultProps
      const element = <VerificationResultEmail locale={locale} {...p} />
      return {
        subject: verificationResultSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'job-invitation': {
      const p = props as unknown as JobInvitationProps
      const element = <JobInvitationEmail locale={locale} {...p} />
      return {
        subject: jobInvitationSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'job-matched': {
      const p = props as unknown as JobMatchedProps
      const element = <JobMatchedEmail locale={locale} {...p} />
      return {
        subject: jobMatchedSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'quote-received':
    case 'quote-accepted':
    case 'quote-declined': {
      const p = props as unknown as Parameters<typeof QuoteEmail>[0]
      const element = <QuoteEmail {...p} template={template} locale={locale} />
      return {
        subject: quoteEmailSubject(template, locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'order-update': {
      const p = props as unknown as OrderUpdateProps
      const element = <OrderUpdateEmail locale={locale} {...p} />
      return {
        subject: orderUpdateSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'message-received': {
      const p = props as unknown as MessageReceivedProps
      const element = <MessageReceivedEmail locale={locale} {...p} />
      return {
        subject: messageReceivedSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    case 'voucher-decision': {
      const p = props as unknown as VoucherDecisionProps
      const element = <VoucherDecisionEmail locale={locale} {...p} />
      return {
        subject: voucherDecisionSubject(locale, p),
        html: await render(element),
        text: await render(element, { plainText: true }),
      }
    }
    default:
      throw new Error(`unknown email template ${template}`)
  }
}
