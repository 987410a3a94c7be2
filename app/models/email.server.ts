import type { Db, Tx } from '../../db/client.ts'
import type { Locale } from '../../db/schema.ts'
import type { EmailTemplateName, EmailTemplateProps } from '../../emails/registry.ts'
import { enqueue } from '../../workers/enqueue.server.ts'

/** Records an email and enqueues its sending in the same transaction. */
export async function queueEmail<T extends EmailTemplateName>(
  tx: Tx,
  input: { to: string; locale: Locale; template: T; props: EmailTemplateProps<T> },
): Promise<string> {
  const row = await tx
    .insertInto('emails')
    .values({
      to_address: input.to,
      template: input.template,
      props: { ...input.props },
      locale: input.locale,
      transport: null,
      subject: null,
      html: null,
      text: null,
      message_id: null,
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await enqueue(tx, 'email__send', { emailId: row.id })
  return row.id
}

export const MAILBOX_PAGE_SIZE = 50

/** Newest emails first, for the operator's mailbox page. */
export function listEmails(db: Db, input: { page: number }) {
  return db
    .selectFrom('emails')
    .select([
      'id',
      'to_address',
      'template',
      'subject',
      'status',
      'transport',
      'created_at',
      'sent_at',
    ])
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(MAILBOX_PAGE_SIZE + 1)
    .offset((input.page - 1) * MAILBOX_PAGE_SIZE)
    .execute()
}

export function getEmail(db: Db, id: string) {
  return db
    .selectFrom('emails')
    .select([
      'id',
      'to_address',
      'template',
      'subject',
      'html',
      'text',
      'status',
      'transport',
      'error',
      'created_at',
      'sent_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}
