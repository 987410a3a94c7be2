// Decimal numbers straight from bytes (ASCII STL, OBJ, 3MF XML) without making strings.
// The fast path is exact: an integer mantissa of ≤ 15 digits times/divided by an exact
// power of ten ≤ 1e22 is one correctly rounded operation, so it equals Number(text).
// Anything longer falls back to Number() on the token.

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i)

/** Where the last parseNumber stopped (index of the first byte after the token). */
export let numberEnd = 0

const latin1 = new TextDecoder('latin1')

/**
 * Parses the number starting at `pos` (no leading whitespace). Returns NaN when the bytes
 * are not a decimal number; `numberEnd` is then the end of the offending token.
 */
export function parseNumber(buf: Uint8Array, pos: number, end: number): number {
  const start = pos
  let c = pos < end ? buf[pos]! : 0
  let negative = false
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45
    pos++
    c = pos < end ? buf[pos]! : 0
  }
  let mantissa = 0
  let digits = 0 // significant digits in mantissa
  let exp10 = 0
  let sawDigit = false
  while (c >= 48 && c <= 57) {
    sawDigit = true
    if (digits > 0 || c !== 48) {
      if (digits < 16) mantissa = mantissa * 10 + (c - 48)
      else exp10++
      digits++
    }
    pos++
    c = pos < end ? buf[pos]! : 0
  }
  if (c === 46 /* . */) {
    pos++
    c = pos < end ? buf[pos]! : 0
    while (c >= 48 && c <= 57) {
      sawDigit = true
      if (digits > 0 || c !== 48) {
        if (digits < 16) {
          mantissa = mantissa * 10 + (c - 48)
          exp10--
        }
        digits++
      } else {
        exp10--
      }
      pos++
      c = pos < end ? buf[pos]! : 0
    }
  }
  if (!sawDigit) {
    numberEnd = tokenEnd(buf, pos, end)
    return Number.NaN
  }
  if (c === 101 || c === 69 /* e E */) {
    let p = pos + 1
    let e = p < end ? buf[p]! : 0
    let expNegative = false
    if (e === 45 || e === 43) {
      expNegative = e === 45
      p++
      e = p < end ? buf[p]! : 0
    }
    if (e >= 48 && e <= 57) {
      let exp = 0
      while (e >= 48 && e <= 57) {
        if (exp < 100_000) exp = exp * 10 + (e - 48)
        p++
        e = p < end ? buf[p]! : 0
      }
      exp10 += expNegative ? -exp : exp
      pos = p
      c = e
    } else {
      numberEnd = tokenEnd(buf, pos, end)
      return Number.NaN
    }
  }
  if (!isDelimiter(c) && pos < end) {
    // "1.5abc", "1.#QNAN": not a number.
    numberEnd = tokenEnd(buf, pos, end)
    return Number.NaN
  }
  numberEnd = pos
  if (digits <= 15 && exp10 >= -22 && exp10 <= 22) {
    const value = exp10 >= 0 ? mantissa * POW10[exp10]! : mantissa / POW10[-exp10]!
    return negative ? -value : value
  }
  return Number(latin1.decode(buf.subarray(start, pos)))
}

/** Whitespace, quotes, slash, comma, angle brackets end a number token. */
function isDelimiter(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 47 || c === 44 || c === 60 || c === 62 || c === 59
}

function tokenEnd(buf: Uint8Array, pos: number, end: number): number {
  while (pos < end && buf[pos]! > 32) pos++
  return pos
}

/** "nan", "inf", "-infinity", "1.#QNAN", "1.#INF", "-1.#IND"… : a non-finite spelled out. */
export function isNonFiniteToken(buf: Uint8Array, start: number, end: number): boolean {
  const text = latin1.decode(buf.subarray(start, Math.min(end, start + 32))).toLowerCase()
  return (
    /^[+-]?(nan|inf|infinity)$/.test(text) || /^[+-]?\d*\.?\d*#(q?nan|s?nan|inf|ind)/.test(text)
  )
}

export function tokenText(buf: Uint8Array, start: number, end: number): string {
  return latin1.decode(buf.subarray(start, Math.min(end, start + 40)))
}
