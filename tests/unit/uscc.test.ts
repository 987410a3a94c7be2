import { describe, expect, test } from 'vitest'
import { isValidUscc, normalizeUscc, usccCheckCharacter } from '../../app/models/uscc.ts'

describe('统一社会信用代码', () => {
  test('accepts published codes', () => {
    // Codes printed on public business licences.
    for (const code of ['91350100M000100Y43', '91110000600037341L']) {
      expect(isValidUscc(code), code).toBe(true)
    }
  })
  test('rejects a wrong check character and letters outside the alphabet', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false)
    expect(isValidUscc('91350100M000100YI3')).toBe(false)
    expect(isValidUscc('91350100M000100Y4')).toBe(false)
  })
  test('full-width characters, spaces and lower case are normalised first', () => {
    expect(normalizeUscc('９１３５０１００m０００１００y４３')).toBe('91350100M000100Y43')
    expect(isValidUscc(' 91350100 m000100y43 ')).toBe(true)
  })
  test('a computed check character makes any 17-character body valid', () => {
    const body = '91442000MA4W12345'
    expect(isValidUscc(body + usccCheckCharacter(body))).toBe(true)
  })
})
