import nodemailer from 'nodemailer'

export interface OutgoingEmail {
  from: string
  to: string
  subject: string
  html: string
  text: string
  /** Stable per stored email, so a retried send is recognisable as the same message. */
  messageId: string
}

export interface MailTransport {
  kind: 'smtp' | 'mailbox'
  send(email: OutgoingEmail): Promise<void>
  close(): void
}

/** SMTP when `smtpUrl` is set; otherwise the stored row is the delivery (the local mailbox). */
export function createMailTransport(smtpUrl: string | undefined): MailTransport {
  if (!smtpUrl) return { kind: 'mailbox', send: async () => {}, close: () => {} }
  const transporter = nodemailer.createTransport(smtpUrl)
  return {
    kind: 'smtp',
    async send(email) {
      await transporter.sendMail(email)
    },
    close: () => transporter.close(),
  }
}
