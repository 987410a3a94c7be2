import type { ParsedMail } from 'mailparser'
import { vi } from 'vitest'
import { listenSmtp } from './smtp-listener.ts'

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for createMailTransport. */
  url: string
  messages: ParsedMail[]
  /** The first message delivered to `address`, waiting up to `timeout` ms for it. */
  waitForMessage(address: string, timeout?: number): Promise<ParsedMail>
  close(): Promise<void>
}

function recipients(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to]
  return to.flatMap((group) => group.value.map((a) => a.address?.toLowerCase() ?? ''))
}

/** A real SMTP listener on an ephemeral port that parses and keeps every message. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = []
  const { url, close } = await listenSmtp((mail) => messages.push(mail))
  return {
    url,
    messages,
    waitForMessage: (address, timeout = 10_000) =>
      vi.waitFor(
        () => {
          const mail = messages.find((m) => recipients(m).includes(address.toLowerCase()))
          if (!mail) throw new Error(`no message to ${address} yet`)
          return mail
        },
        { timeout, interval: 50 },
      ),
    close,
  }
}
