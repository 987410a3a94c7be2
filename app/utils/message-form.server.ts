import type { AppContext } from '../context.ts'
import { DomainError, ForbiddenError, isNotFoundError } from '../models/errors.ts'
import { postMessage, type ThreadRef } from '../models/message.server.ts'
import { MessageInputSchema } from '../models/message.schema.ts'
import type { AccountView } from '../models/user.server.ts'

/**
 * Writes the message a page's form posted (fields `body` and `attachmentIds`) to `ref`: the
 * refusal's code (`message_empty`, `invalid_attachment`, …) for the redirect, or undefined when
 * it was written. Not a party: 404; not allowed to write: 403.
 */
export async function postMessageForm(
  context: AppContext,
  account: AccountView,
  ref: ThreadRef,
  formData: FormData,
): Promise<string | undefined> {
  const parsed = MessageInputSchema.safeParse({
    body: formData.get('body') ?? '',
    attachmentIds: formData.getAll('attachmentIds'),
  })
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? ''
    return message.startsWith('error.') ? message.slice('error.'.length) : 'invalid_input'
  }
  try {
    await context.db
      .transaction()
      .execute((tx) =>
        postMessage(tx, account, ref, parsed.data, { publicUrl: context.settings.publicUrl }),
      )
    return undefined
  } catch (error) {
    if (isNotFoundError(error)) throw new Response('Not found', { status: 404 })
    if (error instanceof ForbiddenError) throw new Response('Forbidden', { status: 403 })
    if (error instanceof DomainError) return error.code
    throw error
  }
}
