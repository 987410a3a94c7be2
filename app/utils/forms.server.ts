import type { SubmissionResult } from '@conform-to/react'
import { DomainError, retryAfterSeconds, statusForKind } from '../models/errors.ts'
import type { Locale } from '../locales/index.ts'
import { domainErrorMessage } from './api.server.ts'

interface Replyable {
  reply(options?: {
    formErrors?: string[]
    fieldErrors?: Record<string, string[]>
    hideFields?: string[]
    resetForm?: boolean
  }): SubmissionResult<string[]>
}

/**
 * Turns a domain error into a Conform reply (beside the field it names, else above the
 * form), its HTTP status and headers (Retry-After on 429). Anything that is not a DomainError is rethrown.
 */
export function replyWithError(
  submission: Replyable,
  error: unknown,
  locale: Locale,
  options: { hideFields?: string[] } = {},
): { result: SubmissionResult<string[]>; status: number; headers: HeadersInit } {
  if (!(error instanceof DomainError)) throw error
  const message = domainErrorMessage(locale, error)
  const result = submission.reply({
    hideFields: options.hideFields,
    ...(error.field ? { fieldErrors: { [error.field]: [message] } } : { formErrors: [message] }),
  })
  const wait = retryAfterSeconds(error)
  const headers: HeadersInit = wait === undefined ? {} : { 'Retry-After': String(wait) }
  return { result, status: statusForKind[error.kind], headers }
}
