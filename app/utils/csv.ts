import { fenToYuanString } from '../models/money.ts'

// CSV for spreadsheets (payout statements, voucher reimbursement files): UTF-8 with a BOM so
// Excel reads the Chinese, CRLF line ends, money in yuan with two decimals.

/** A cell: text, a number, money in fen, or empty. */
export type CsvCell = string | number | null | { fen: number }

/**
 * One field: quoted when it holds a separator, quote or line break; text a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR first) is prefixed with '. Money is never defused.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null) return ''
  if (typeof cell === 'number') return String(cell)
  if (typeof cell === 'object') return fenToYuanString(cell.fen)
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The whole file; an empty row is an empty line. */
export function csvDocument(rows: CsvCell[][]): string {
  return `\ufeff${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`
}
