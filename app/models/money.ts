// Money is integer fen. People type yuan ("180", "180.5", "180.50"); parse it exactly,
// without floating point.
export function yuanToFen(input: string): number | undefined {
  const text = input
    .normalize('NFKC')
    .trim()
    .replace(/^¥|^￥/, '')
    .replace(/,/g, '')
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text)
  if (!match) return undefined
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

export function fenToYuanString(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

export function formatFen(fen: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100)
}
