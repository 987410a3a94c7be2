// The scale test's SMTP listener: every message the workers deliver, with its Message-ID, so
// duplicates can be counted.
import { listenSmtp } from '../support/smtp-listener.ts'

export interface ReceivedMail {
  messageId: string
  to: string[]
  subject: string
  at: number
}

export interface ScaleSmtp {
  url: string
  messages: ReceivedMail[]
  close(): Promise<void>
}

export async function startScaleSmtp(): Promise<ScaleSmtp> {
  const messages: ReceivedMail[] = []
  const { url, close } = await listenSmtp((mail, to) =>
    messages.push({
      messageId: mail.messageId ?? '',
      to,
      subject: mail.subject ?? '',
      at: Date.now(),
    }),
  )
  return { url, messages, close }
}
