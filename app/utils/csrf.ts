// Browser-safe names shared with the server's CSRF gate (app/server/http.server.ts).
export const CSRF_FIELD_NAME = 'csrf'
export const CSRF_HEADER_NAME = 'X-CSRF-Token'
