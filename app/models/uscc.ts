// 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015): 18 characters from a
// 31-character alphabet (no I, O, S, V, Z); the last is a check character.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** The check character for the first 17 characters, or undefined if one is not allowed. */
export function usccCheckCharacter(first17: string): string | undefined {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? '')
    if (value < 0) return undefined
    sum += value * WEIGHTS[i]!
  }
  const check = (31 - (sum % 31)) % 31
  return ALPHABET[check]
}

export function normalizeUscc(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
}

/** True when `input` (spaces and full-width characters allowed) is a valid code. */
export function isValidUscc(input: string): boolean {
  const code = normalizeUscc(input)
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false
  return usccCheckCharacter(code.slice(0, 17)) === code[17]
}
