import { describe, expect, test } from 'vitest'
import { sign, unsign } from '../../app/utils/cookies.server.ts'
import { redirectToSchema } from '../../app/models/account.schema.ts'

describe('signed cookie values', () => {
  test('verify with the secret they were signed with, or an older listed secret', () => {
    const value = sign('token-123', ['old-secret'])
    expect(unsign(value, ['old-secret'])).toBe('token-123')
    expect(unsign(value, ['new-secret', 'old-secret'])).toBe('token-123')
  })
  test('a tampered token or signature, or an unknown secret, verifies to nothing', () => {
    const value = sign('token-123', ['s'])
    expect(unsign(value.replace('token-123', 'token-124'), ['s'])).toBeUndefined()
    expect(unsign(`${value}x`, ['s'])).toBeUndefined()
    expect(unsign(value, ['other'])).toBeUndefined()
    expect(unsign('no-dot', ['s'])).toBeUndefined()
    expect(unsign(undefined, ['s'])).toBeUndefined()
  })
})

describe('redirect after login', () => {
  test('keeps same-site paths', () => {
    expect(redirectToSchema.parse('/designer?tab=orders')).toBe('/designer?tab=orders')
  })
  test('drops anything that leaves the site', () => {
    for (const bad of [
      '//evil.test',
      '/\\evil.test',
      'https://evil.test',
      'javascript:alert(1)',
      '',
    ]) {
      expect(redirectToSchema.parse(bad), bad).toBeUndefined()
    }
  })
})
