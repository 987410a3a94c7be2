import { sql } from 'kysely'
import { renderEmail } from '../../emails/render.server.tsx'
import { taskPayloads } from '../payloads.ts'
import type { TaskDeps } from '../context.ts'

/** Renders a queued email and hands it to SMTP (or the local mailbox). Idempotent by status. */
export async function emailSend(rawPayload: unknown, deps: TaskDeps): Promise<void> {
  const { emailId } = taskPayloads.email__send.parse(rawPayload)
  const email = await deps.db
    .selectFrom('emails')
    .select(['id', 'to_address', 'template', 'props', 'locale', 'status'])
    .where('id', '=', emailId)
    .executeTakeFirst()
  if (!email || email.status === 'sent') return
  const rendered = await renderEmail(email.template, email.props, email.locale)
  const messageId = `<${email.id}@shared-factory>`
  try {
    await deps.mail.send({
      from: deps.mailFrom,
      to: email.to_address,
      messageId,
      ...rendered,
    })
  } catch (error) {
    await deps.db
      .updateTable('emails')
      .set({ error: error instanceof Error ? error.message : String(error) })
      .where('id', '=', email.id)
      .execute()
    throw error // graphile-worker retries with backoff
  }
  await deps.db
    .updateTable('emails')
    .set({
      status: 'sent',
      transport: deps.mail.kind,
      message_id: messageId,
      error: null,
      sent_at: sql<Date>`now()`,
      ...rendered,
    })
    .where('id', '=', email.id)
    .execute()
}
