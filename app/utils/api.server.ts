import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { DomainError, retryAfterSeconds, statusForKind } from '../models/errors.ts'
import { getAuth, type Auth } from './auth.server.ts'
import {
  isLocale,
  localeFromAcceptLanguage,
  translate,
  type Locale,
  type MessageKey,
} from '../locales/index.ts'

/** An error the API reports as `{"error":{code,message,details}}` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly headers: HeadersInit = {},
  ) {
    super(message)
  }
}

export function apiJson(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers)
  headers.set('Content-Type', 'application/json; charset=utf-8')
  headers.set('Cache-Control', 'no-store')
  return new Response(init.status === 204 ? null : JSON.stringify(data), { ...init, headers })
}

export function apiErrorResponse(error: ApiError): Response {
  return apiJson(
    { error: { code: error.code, message: error.message, details: error.details } },
    { status: error.status, headers: error.headers },
  )
}

function apiLocale(request: Request): Locale {
  const lang = request.headers.get('accept-language')
  return isLocale(lang) ? lang : (localeFromAcceptLanguage(lang) ?? 'en')
}

function messageFor(locale: Locale, message: string): string {
  return message.startsWith('error.') ? translate(locale, message as MessageKey) : message
}

/**
 * A domain error for people: its `error.<code>` translation, or its own (English) text when
 * it names values (bad_request) or has no translation. Pages and the API both use it.
 */
export function domainErrorMessage(locale: Locale, error: DomainError): string {
  const key = `error.${error.code}`
  const wait = retryAfterSeconds(error)
  const translated = translate(
    locale,
    key as MessageKey,
    wait === undefined ? undefined : { minutes: Math.ceil(wait / 60) },
  )
  return error.kind === 'bad_request' || translated === key ? error.message : translated
}

/** Maps anything thrown in an API handler to the error envelope. */
export function toApiError(error: unknown, request: Request): ApiError | Response {
  if (error instanceof ApiError) return error
  if (error instanceof Response) return error
  const locale = apiLocale(request)
  if (error instanceof DomainError) {
    const wait = retryAfterSeconds(error)
    if (wait !== undefined) {
      return new ApiError(
        429,
        error.code,
        domainErrorMessage(locale, error),
        { retry_after_seconds: wait },
        { 'Retry-After': String(wait) },
      )
    }
    return new ApiError(
      statusForKind[error.kind],
      error.code,
      domainErrorMessage(locale, error),
      error.field ? { field: error.field, ...error.details } : (error.details ?? null),
    )
  }
  if (error instanceof z.ZodError) {
    return new ApiError(400, 'invalid_input', 'The request body is not valid', {
      issues: error.issues.map((i) => ({
        path: i.path.join('.'),
        message: messageFor(locale, i.message),
      })),
    })
  }
  throw error
}

type Handler = (args: {
  request: Request
  context: AppContext
  params: Record<string, string | undefined>
}) => Promise<Response>

/** Wraps an API loader/action: errors become the JSON envelope. */
export function api(
  handlers: Partial<Record<'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', Handler>>,
) {
  return async (args: {
    request: Request
    context: AppContext
    params: Record<string, string | undefined>
  }) => {
    const method = args.request.method.toUpperCase() as keyof typeof handlers
    const handler = handlers[method === ('HEAD' as string) ? 'GET' : method]
    try {
      if (!handler) {
        throw new ApiError(
          405,
          'method_not_allowed',
          `${args.request.method} is not allowed here`,
          {
            allow: Object.keys(handlers),
          },
          { Allow: Object.keys(handlers).join(', ') },
        )
      }
      return await handler(args)
    } catch (error) {
      const mapped = toApiError(error, args.request)
      if (mapped instanceof Response) return mapped
      return apiErrorResponse(mapped)
    }
  }
}

/** Parses a JSON body with `schema`: malformed JSON and invalid input are both 400. */
export async function parseJson<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const text = await request.text()
  let data: unknown
  try {
    data = text.length ? JSON.parse(text) : {}
  } catch {
    throw new ApiError(400, 'malformed_json', 'The request body is not valid JSON')
  }
  return schema.parse(data)
}

/** The authenticated caller, or 401 in the API envelope. */
export async function requireApiAuth(request: Request, context: AppContext): Promise<Auth> {
  const auth = await getAuth(request, context)
  if (!auth) {
    throw new ApiError(
      401,
      'unauthorized',
      'Log in (POST /api/v1/session) or send Authorization: Bearer <token>',
    )
  }
  return auth
}

export function notFound(): ApiError {
  return new ApiError(404, 'not_found', 'No such resource')
}

/** A uuid path parameter, or the API's 404: a malformed id names nothing. */
export function uuidParam(params: Record<string, string | undefined>, name: string): string {
  const id = z.uuid().safeParse(params[name])
  if (!id.success) throw notFound()
  return id.data
}

/** The promised account body of POST /session, GET /me, signup and invitation accept. */
export function accountBody(
  account: {
    user: { id: string; email: string; name: string; locale: Locale }
    organization: { id: string; kind: string; name: string }
  },
  csrfToken: string | null,
) {
  return {
    user: {
      id: account.user.id,
      email: account.user.email,
      name: account.user.name,
      locale: account.user.locale,
    },
    organization: {
      id: account.organization.id,
      kind: account.organization.kind,
      name: account.organization.name,
    },
    csrf_token: csrfToken,
  }
}

export function iso(date: Date | string | null): string | null {
  return date === null ? null : new Date(date).toISOString()
}
