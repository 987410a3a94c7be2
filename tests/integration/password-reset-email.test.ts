import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import type { ParsedMail } from 'mailparser'
import { useTestDatabase } from '../support/database.ts'
import { TestClient, startTestServer, type TestServer } from '../support/http.ts'
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts'
import { visibleText } from '../support/html.ts'
import { TEST_PASSWORD, createAccount } from '../factories.ts'
import { startWorker, type WorkerHandle } from '../../workers/runner.ts'
import { testTaskDeps } from '../support/deps.ts'
import { createMailTransport, type MailTransport } from '../../emails/transport.server.ts'

const MAIL_FROM = '共享工厂 <noreply@shared-factory.test>'
const NEW_PASSWORD = 'a-brand-new-password'

const t = useTestDatabase()
let site: TestServer
let app: TestServer
let smtp: TestSmtpServer
let mail: MailTransport
let worker: WorkerHandle

beforeAll(async () => {
  // startTestServer picks its port as it starts, so the server the emailed links point at
  // starts first; forms are posted to a second one over the same database whose
  // publicUrl is the first one's address.
  site = await startTestServer(t.db)
  app = await startTestServer(t.db, { publicUrl: site.url })
  smtp = await startSmtpServer()
  mail = createMailTransport(smtp.url)
  worker = await startWorker(t.url, testTaskDeps(t.db, { mail, mailFrom: MAIL_FROM }), {
    mode: 'inline',
    cron: false,
  })
})

afterAll(async () => {
  await worker?.stop()
  mail?.close()
  await smtp?.close()
  await app?.close()
  await site?.close()
})

/** The emails row for `to` once the worker has marked it sent. */
async function sentEmail(to: string) {
  return vi.waitFor(
    async () => {
      const row = await t.db
        .selectFrom('emails')
        .select(['id', 'status', 'transport', 'template', 'subject', 'message_id', 'sent_at'])
        .where('to_address', '=', to)
        .executeTakeFirstOrThrow()
      if (row.status !== 'sent') throw new Error(`email to ${to} is ${row.status}`)
      return row
    },
    { timeout: 10_000, interval: 100 },
  )
}

function resetLink(message: ParsedMail): string {
  const match = message.text?.match(/https?:\/\/[^\s\]]+\/reset-password\/[\w-]+/)
  if (!match) throw new Error(`no reset link in:\n${message.text}`)
  return match[0]
}

async function login(email: string, password: string) {
  const client = new TestClient(site.url)
  return client.postForm('/login', { email, password })
}

describe('password reset by email', () => {
  test('the emailed link, sent over real SMTP, sets a new password once', async () => {
    const account = await createAccount(t.db, { locale: 'zh-CN' })
    const email = account.user.email

    const requester = new TestClient(app.url)
    const form = await requester.postForm('/forgot-password', { email })
    expect(form.status).toBe(200)

    const message = await smtp.waitForMessage(email)
    const row = await sentEmail(email)
    expect(row).toMatchObject({ status: 'sent', transport: 'smtp', template: 'password-reset' })
    expect(row.sent_at).toBeInstanceOf(Date)
    expect(message.subject).toBe('【共享工厂】重置你的密码')
    expect(row.subject).toBe('【共享工厂】重置你的密码')
    expect(message.messageId).toBe(`<${row.id}@shared-factory>`)
    expect(row.message_id).toBe(`<${row.id}@shared-factory>`)
    expect(message.from?.value[0]?.address).toBe('noreply@shared-factory.test')
    expect(message.text).toContain(`${account.user.name}，你好`)
    expect(message.html).toContain('/reset-password/')

    const link = resetLink(message)
    expect(link.startsWith(`${site.url}/reset-password/`)).toBe(true)
    // Once SMTP has it, the stored copy (operators can read it) no longer holds the link.
    const stored = await t.db
      .selectFrom('emails')
      .select(['props', 'html', 'text'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow()
    const token = link.split('/').pop()!
    expect(JSON.stringify(stored.props)).not.toContain(token)
    expect(stored.html).not.toContain(token)
    expect(stored.text).not.toContain(token)
    expect(stored.text).toContain('[redacted]')

    const browser = new TestClient(site.url)
    const page = await browser.get(link)
    expect(page.status).toBe(200)
    const pageText = visibleText(await page.text())
    expect(pageText).toContain('设置新密码')
    expect(pageText).toContain('确认新密码')
    expect(pageText).not.toContain('此重置链接无效、已使用或已过期。')

    const reset = await browser.postForm(link, {
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    })
    expect(reset.status).toBe(302)
    expect(reset.headers.get('location')).toBe('/login?notice=password-reset')

    const withNew = await login(email, NEW_PASSWORD)
    expect(withNew.status).toBe(302)
    expect(withNew.headers.get('location')).toBe('/designer')
    const withOld = await login(email, TEST_PASSWORD)
    expect(withOld.status).toBe(401)

    const again = await browser.get(link)
    expect(again.status).toBe(200)
    expect(visibleText(await again.text())).toContain('此重置链接无效、已使用或已过期。')
    const reuse = await browser.postForm(link, {
      password: 'yet-another-password',
      confirmPassword: 'yet-another-password',
    })
    expect(reuse.status).toBe(422)
    expect((await login(email, NEW_PASSWORD)).status).toBe(302)
  })

  test('an unknown email gets the same answer and no email is recorded for it', async () => {
    const account = await createAccount(t.db)
    const unknown = `nobody-${Date.now()}@unknown.test`
    const client = new TestClient(app.url)

    const known = await client.postForm('/forgot-password', { email: account.user.email })
    const stranger = await client.postForm('/forgot-password', { email: unknown })
    expect(stranger.status).toBe(known.status)
    const knownText = visibleText(await known.text())
    const strangerText = visibleText(await stranger.text())
    expect(strangerText).toBe(knownText)
    expect(strangerText).toContain('如果该邮箱已注册，重置链接已发出，请查收邮件。')

    await smtp.waitForMessage(account.user.email)
    const rows = await t.db
      .selectFrom('emails')
      .select('id')
      .where('to_address', '=', unknown)
      .execute()
    expect(rows).toEqual([])
    expect(smtp.messages.some((m) => m.text?.includes(unknown))).toBe(false)
  })

  test('a user who chose English gets the email in English', async () => {
    const account = await createAccount(t.db, { locale: 'en' })
    const client = new TestClient(app.url)
    expect((await client.postForm('/forgot-password', { email: account.user.email })).status).toBe(
      200,
    )
    const message = await smtp.waitForMessage(account.user.email)
    expect(message.subject).toBe('[Shared Factory] Reset your password')
    expect(message.text).toContain(`Hello ${account.user.name},`)
    expect(resetLink(message).startsWith(`${site.url}/reset-password/`)).toBe(true)
    const row = await sentEmail(account.user.email)
    expect(row).toMatchObject({
      transport: 'smtp',
      subject: '[Shared Factory] Reset your password',
    })
  })
})
