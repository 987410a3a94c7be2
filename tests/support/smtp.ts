import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import { vi } from 'vitest'

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
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push(mail)
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
