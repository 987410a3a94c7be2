// A real SMTP listener on an ephemeral port of 127.0.0.1 that parses every message it is given
// (no vitest here: the scale test runs outside it).
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

export interface SmtpListener {
  /** `smtp://127.0.0.1:<port>`, for createMailTransport or SMTP_URL. */
  url: string
  close(): Promise<void>
}

/** Calls `onMail` with each parsed message and its envelope's recipients (lower case). */
export async function listenSmtp(
  onMail: (mail: ParsedMail, rcptTo: string[]) => void,
): Promise<SmtpListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          onMail(
            mail,
            session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          )
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
