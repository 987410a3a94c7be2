import { sql } from 'kysely'
import { renderEmail, type RenderedEmail } from '../../emails/render.server.tsx'
import { secretProps, type EmailTemplateName } from '../../emails/registry.ts'
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
  const stored =
    deps.mail.kind === 'smtp'
      ? scrubSecrets(email.template, email.props, rendered)
      : { props: email.props, ...rendered }
  await deps.db
    .updateTable('emails')
    .set({
      status: 'sent',
      transport: deps.mail.kind,
      message_id: messageId,
      error: null,
      sent_at: sql<Date>`now()`,
      ...stored,
    })
    .where('id', '=', email.id)
    .execute()
}

const REDACTED = '[redacted]'

/** The stored copy of a delivered email without the links that grant access. */
function scrubSecrets(template: string, props: Record<string, unknown>, rendered: RenderedEmail) {
  const keys = (secretProps[template as EmailTemplateName] ?? []) as string[]
  let { html, text } = rendered
  const scrubbed = { ...props }
  for (const key of keys) {
    const value = props[key]
    if (typeof value !== 'string' || !value) continue
    html = html.split(value).join(REDACTED)
    // React Email escapes & in attributes; scrub that spelling too.
    html = html.split(value.replace(/&/g, '&amp;')).join(REDACTED)
    text = text.split(value).join(REDACTED)
    scrubbed[key] = REDACTED
  }
  return { props: scrubbed, subject: rendered.subject, html, text }
}
