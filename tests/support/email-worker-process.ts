// A worker in its own process, for killing it mid-task (tests/integration/order-lifecycle.test.ts):
// the real runner and email__send task over DATABASE_URL, sending through SMTP_URL, except
// that the email to PAUSE_FOR stops before (PAUSE=before) or after (PAUSE=after) the SMTP
// send and never returns, so the test can SIGKILL the process at exactly that point. It
// reports on stdout, one JSON object a line.
import { createDb } from '../../db/client.ts'
import { createMailTransport, type MailTransport } from '../../emails/transport.server.ts'
import { startWorker } from '../../workers/runner.ts'
import { testTaskDeps } from './deps.ts'

const { DATABASE_URL, SMTP_URL, PAUSE, PAUSE_FOR } = process.env
if (!DATABASE_URL || !SMTP_URL || (PAUSE !== 'before' && PAUSE !== 'after') || !PAUSE_FOR) {
  throw new Error('Set DATABASE_URL, SMTP_URL, PAUSE=before|after and PAUSE_FOR=<address>')
}
const report = (event: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(event)}\n`)
const never = () => new Promise<never>(() => {})

const smtp = createMailTransport(SMTP_URL)
const mail: MailTransport = {
  kind: 'smtp',
  async send(email) {
    const paused = email.to === PAUSE_FOR
    if (paused && PAUSE === 'before') {
      report({ paused: 'before', messageId: email.messageId })
      await never()
    }
    await smtp.send(email)
    if (paused) {
      report({ paused: 'after', messageId: email.messageId })
      await never()
    }
  },
  close: () => smtp.close(),
}

const db = createDb(DATABASE_URL, { max: 3 })
await startWorker(DATABASE_URL, testTaskDeps(db, { mail }), {
  mode: 'standalone',
  concurrency: 1,
  cron: false,
})
report({ started: true })
