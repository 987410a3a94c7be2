import { expect } from 'vitest'
import type { TestClient } from './http.ts'

export type ApiResult = Awaited<ReturnType<TestClient['api']>>

/**
 * Asserts the API's one error envelope, exactly `{"error":{"code","message","details"}}`,
 * served as JSON with `status` and `code`.
 */
export function expectError(res: ApiResult, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code })
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  expect(Object.keys(res.body)).toEqual(['error'])
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message'])
  expect(res.body.error.message).toEqual(expect.any(String))
  expect(res.body.error.message.length).toBeGreaterThan(0)
  expect(res.body.error.details === null || typeof res.body.error.details === 'object').toBe(true)
}
