import { z } from 'zod'

// A message (issue 7): the API's JSON and the pages' forms parse to the same input; messages
// are i18n keys so a form and the API say the same thing.

export const MAX_MESSAGE_LENGTH = 5000
export const MAX_MESSAGE_ATTACHMENTS = 10

export const messageBody = z
  .string({ error: 'error.message_empty' })
  .trim()
  .min(1, 'error.message_empty')
  .max(MAX_MESSAGE_LENGTH, 'error.message_too_long')

const attachmentIds = z
  .array(z.uuid({ error: 'error.invalid_attachment' }))
  .max(MAX_MESSAGE_ATTACHMENTS, 'error.invalid_attachment')

export const MessageInputSchema = z.object({ body: messageBody, attachmentIds })
export type MessageInput = z.input<typeof MessageInputSchema>

export const PostMessageApiSchema = z
  .object({ body: messageBody, attachment_ids: attachmentIds.default([]) })
  .strict()
