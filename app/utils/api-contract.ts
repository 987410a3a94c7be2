import { z } from 'zod'
import { townCodes } from '../models/towns.ts'

// The /api/v1 contract: request and response shapes, used by the routes to parse and
// by /api/v1/openapi.json to document. Field names are snake_case. Shapes named in
// issues are promises to API users: extend, never break.

const email = z.string().trim().max(254).pipe(z.email())
const password = z.string().min(8).max(200)
const name = z.string().trim().min(1).max(100)
const locale = z.enum(['zh-CN', 'en'])
const kind = z.enum(['design_firm', 'workshop', 'platform'])
const role = z.enum(['owner', 'member'])
const timestamp = z.string().describe('ISO 8601, UTC')

const Token = z.object({
  id: z.uuid(),
  name: z.string(),
  token_prefix: z.string(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
})
const Member = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
  joined_at: timestamp,
})
const Invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  role,
  created_at: timestamp,
  expires_at: timestamp,
})
const Town = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  lat: z.number(),
  lng: z.number(),
})

export const schemas = {
  LoginRequest: z.object({ email, password: z.string().min(1).max(200) }),
  SignupRequest: z.object({
    kind: z.enum(['design_firm', 'workshop']),
    organization_name: z.string().trim().min(2).max(120),
    town: z.enum(townCodes),
    name,
    email,
    password,
    locale: locale.optional(),
  }),
  Account: z.object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), locale }),
    organization: z.object({ id: z.uuid(), kind, name: z.string() }),
    csrf_token: z
      .string()
      .nullable()
      .describe(
        'Send as X-CSRF-Token on state-changing calls made with the session cookie; null with a Bearer token',
      ),
  }),
  UpdateMeRequest: z.object({ name: name.optional(), locale: locale.optional() }),
  ChangePasswordRequest: z.object({
    current_password: z.string().min(1).max(200),
    new_password: password,
  }),
  PasswordResetRequest: z.object({ email }),
  PasswordResetConfirm: z.object({ token: z.string().min(10).max(200), password }),
  TokenCreateRequest: z.object({ name: z.string().trim().min(1).max(80) }),
  Token,
  TokenCreated: z.object({
    id: z.uuid(),
    name: z.string(),
    token_prefix: z.string(),
    created_at: timestamp,
    token: z.string().describe('Shown once; send as Authorization: Bearer <token>'),
  }),
  TokenList: z.object({ tokens: z.array(Token) }),
  Member,
  MemberList: z.object({ members: z.array(Member) }),
  InvitationRequest: z.object({ email, role: role.default('member') }),
  Invitation,
  InvitationList: z.object({ invitations: z.array(Invitation) }),
  AcceptInvitationRequest: z.object({ name, password, locale: locale.optional() }),
  Town,
  TownList: z.object({ towns: z.array(Town) }),
  Health: z.object({
    status: z.enum(['ok', 'error']),
    db: z.enum(['up', 'down']),
    worker: z.enum(['up', 'down', 'unknown']),
  }),
  Error: z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.unknown().nullable(),
    }),
  }),
} as const

export type SchemaName = keyof typeof schemas

export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'delete'
  path: string
  summary: string
  auth: boolean
  body?: SchemaName
  response?: { status: number; schema?: SchemaName }
  errors: number[]
}

export const endpoints: Endpoint[] = [
  {
    method: 'post',
    path: '/api/v1/session',
    summary: 'Log in; sets the session cookie',
    auth: false,
    body: 'LoginRequest',
    response: { status: 200, schema: 'Account' },
    errors: [400, 401, 415, 429],
  },
  {
    method: 'delete',
    path: '/api/v1/session',
    summary: 'Log out',
    auth: true,
    response: { status: 204 },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/signup',
    summary: 'Create a design firm or workshop with its owner; logs in',
    auth: false,
    body: 'SignupRequest',
    response: { status: 201, schema: 'Account' },
    errors: [400, 409, 415],
  },
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'The caller and their organisation',
    auth: true,
    response: { status: 200, schema: 'Account' },
    errors: [401],
  },
  {
    method: 'patch',
    path: '/api/v1/me',
    summary: 'Change name or language',
    auth: true,
    body: 'UpdateMeRequest',
    response: { status: 200, schema: 'Account' },
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/me/password',
    summary: 'Change password; other sessions end',
    auth: true,
    body: 'ChangePasswordRequest',
    response: { status: 204 },
    errors: [400, 401, 403, 422],
  },
  {
    method: 'post',
    path: '/api/v1/password-resets',
    summary: 'Email a reset link (202 whether or not the email has an account)',
    auth: false,
    body: 'PasswordResetRequest',
    response: { status: 202 },
    errors: [400],
  },
  {
    method: 'post',
    path: '/api/v1/password-resets/confirm',
    summary: 'Set a new password with an emailed token',
    auth: false,
    body: 'PasswordResetConfirm',
    response: { status: 204 },
    errors: [400, 422],
  },
  {
    method: 'get',
    path: '/api/v1/tokens',
    summary: 'Your personal access tokens',
    auth: true,
    response: { status: 200, schema: 'TokenList' },
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/v1/tokens',
    summary: 'Create a personal access token (shown once)',
    auth: true,
    body: 'TokenCreateRequest',
    response: { status: 201, schema: 'TokenCreated' },
    errors: [400, 401, 403],
  },
  {
    method: 'delete',
    path: '/api/v1/tokens/{tokenId}',
    summary: 'Revoke a token',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/organization/members',
    summary: 'Members of your organisation',
    auth: true,
    response: { status: 200, schema: 'MemberList' },
    errors: [401],
  },
  {
    method: 'delete',
    path: '/api/v1/organization/members/{userId}',
    summary: 'Remove a member (owners)',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/organization/invitations',
    summary: 'Pending invitations (owners)',
    auth: true,
    response: { status: 200, schema: 'InvitationList' },
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/organization/invitations',
    summary: 'Invite a member by email (owners)',
    auth: true,
    body: 'InvitationRequest',
    response: { status: 201, schema: 'Invitation' },
    errors: [400, 401, 403, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/organization/invitations/{invitationId}',
    summary: 'Revoke an invitation (owners)',
    auth: true,
    response: { status: 204 },
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/invitations/{token}/accept',
    summary: 'Accept an invitation: creates the account and logs in',
    auth: false,
    body: 'AcceptInvitationRequest',
    response: { status: 201, schema: 'Account' },
    errors: [400, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/towns',
    summary: "Zhongshan's towns (镇街) with coordinates",
    auth: false,
    response: { status: 200, schema: 'TownList' },
    errors: [],
  },
]

const statusText: Record<number, string> = {
  400: 'Bad input or malformed JSON',
  401: 'Not authenticated',
  403: 'Forbidden, or missing/stale X-CSRF-Token with a cookie session',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Rejected (e.g. invalid token, wrong password)',
  429: 'Too many attempts; see Retry-After',
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with. */
export function openApiDocument(serverUrl: string) {
  const components: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(schemas)) {
    components[key] = z.toJSONSchema(schema, {
      io: key.endsWith('Request') || key.endsWith('Confirm') ? 'input' : 'output',
      unrepresentable: 'any',
    })
  }
  const paths: Record<string, Record<string, unknown>> = {}
  for (const e of endpoints) {
    const params = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }))
    const responses: Record<string, unknown> = {}
    if (e.response) {
      responses[String(e.response.status)] = e.response.schema
        ? {
            description: 'OK',
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${e.response.schema}` } },
            },
          }
        : { description: 'OK, no body' }
    }
    for (const status of e.errors) {
      responses[String(status)] = {
        description: statusText[status] ?? 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      }
    }
    paths[e.path] ??= {}
    paths[e.path]![e.method] = {
      summary: e.summary,
      operationId: `${e.method}${e.path
        .replace(/\/api\/v1/, '')
        .replace(/[{}]/g, '')
        .replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())
        .replace(/[^\w]/g, '')}`,
      ...(params.length ? { parameters: params } : {}),
      ...(e.auth ? {} : { security: [] }),
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { $ref: `#/components/schemas/${e.body}` } },
              },
            },
          }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '共享工厂 Shared Factory API',
      version: '1',
      description:
        'Errors are always {"error":{"code","message","details"}}. Authenticate with the session cookie from POST /api/v1/session (send X-CSRF-Token on state-changing calls) or with Authorization: Bearer <personal access token>.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'sf_session' },
      },
    },
  }
}
