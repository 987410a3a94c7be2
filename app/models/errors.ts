// Typed domain errors; routes and the API map `kind` to an HTTP status in one place.
export type DomainErrorKind =
  | 'bad_request'
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind
  /** Stable machine-readable code, also the i18n key suffix `error.<code>`. */
  abstract readonly code: string
  /** Field the error belongs to, when a form should show it beside an input. */
  readonly field?: string
  readonly details?: Record<string, unknown>
  constructor(
    message: string,
    options: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message)
    this.name = new.target.name
    this.field = options.field
    this.details = options.details
  }
}

export class EmailTakenError extends DomainError {
  readonly kind = 'conflict'
  readonly code = 'email_taken'
}

export class InvalidCredentialsError extends DomainError {
  readonly kind = 'unauthorized'
  readonly code = 'invalid_credentials'
}

export class TooManyAttemptsError extends DomainError {
  readonly kind = 'rate_limited'
  readonly code = 'too_many_attempts'
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed attempts; retry in ${retryAfterSeconds} s`, {
      details: { retry_after_seconds: retryAfterSeconds },
    })
  }
}

/** Too many requests of one kind from one IP or account (models/rate-limit.server.ts). */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited'
  readonly code = 'rate_limited'
  constructor(
    readonly retryAfterSeconds: number,
    options: { field?: string } = {},
  ) {
    super(`Too many requests; retry in ${retryAfterSeconds} s`, {
      ...options,
      details: { retry_after_seconds: retryAfterSeconds },
    })
  }
}

/** The wait a refusal names (429s: TooManyAttemptsError, RateLimitedError), in seconds. */
export function retryAfterSeconds(error: DomainError): number | undefined {
  return error instanceof TooManyAttemptsError || error instanceof RateLimitedError
    ? error.retryAfterSeconds
    : undefined
}

export class InvalidTokenError extends DomainError {
  readonly kind = 'invalid'
  readonly code = 'invalid_token'
}

export class AlreadyMemberError extends DomainError {
  readonly kind = 'conflict'
  readonly code = 'already_member'
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found'
  readonly code = 'not_found'
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden'
  readonly code = 'forbidden'
}

export class LastOwnerError extends DomainError {
  readonly kind = 'conflict'
  readonly code = 'last_owner'
}

/** The organisation is suspended by the operators: its members may not log in or join. */
export class OrganizationSuspendedError extends DomainError {
  readonly kind = 'forbidden'
  readonly code = 'organization_suspended'
}

export class WrongPasswordError extends DomainError {
  readonly kind = 'invalid'
  readonly code = 'wrong_password'
}

export const statusForKind: Record<DomainErrorKind, number> = {
  bad_request: 400,
  invalid: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
}

/** Input a schema accepted but a rule refused; `code` is also the i18n key `error.<code>`. */
export class RuleViolationError extends DomainError {
  readonly kind = 'invalid'
  constructor(
    readonly code: string,
    message: string,
    options: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message, options)
  }
}

/** A state change that no longer applies (stale click, double submit, wrong state). */
export class StateConflictError extends DomainError {
  readonly kind = 'conflict'
  constructor(
    readonly code: string,
    message: string,
    options: { field?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message, options)
  }
}

/**
 * A malformed request (e.g. a search naming an unknown material): 400, not 422, with the
 * same code as a query the schema refuses, so a client sees one code for any bad query.
 */
export class BadQueryError extends DomainError {
  readonly kind = 'bad_request'
  readonly code = 'invalid_input'
}

/**
 * A NotFoundError, recognised by kind and code as well as by class: storage and search
 * adapters are created by server.ts outside the app bundle, so their errors are instances of
 * the source module's class, not the bundle's.
 */
export function isNotFoundError(error: unknown): boolean {
  if (error instanceof NotFoundError) return true
  const e = error as { kind?: unknown; code?: unknown } | null
  return e?.kind === 'not_found' && e.code === 'not_found'
}
