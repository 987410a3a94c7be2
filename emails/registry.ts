import type { InvitationProps } from './invitation.tsx'
import type { PasswordResetProps } from './password-reset.tsx'

// Template name → its props. The worker renders by name; models queue by name.
export interface EmailTemplates {
  'password-reset': PasswordResetProps
  invitation: InvitationProps
}

export type EmailTemplateName = keyof EmailTemplates
export type EmailTemplateProps<T extends EmailTemplateName> = EmailTemplates[T]
