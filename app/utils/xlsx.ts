import { strToU8, zipSync } from 'fflate'
import { fenToYuanString } from '../models/money.ts'

// A minimal Office Open XML workbook (.xlsx) written by hand and zipped with fflate: inline
// strings (no shared-string table), numbers as numbers, yuan as exact 2-decimal numbers shown
// "#,##0.00", a bold header row (frozen) and bold totals. Enough for Excel, WPS and LibreOffice
// to open a report; nothing here evaluates formulas, so totals are computed values.

/** A cell: text, a number, an amount in fen shown as yuan, or empty. */
export type XlsxCell = string | number | { fen: number } | null

export interface XlsxSheet {
  /** At most 31 characters; []:*?/\ are replaced. */
  name: string
  header: string[]
  rows: XlsxCell[][]
  /** A bold last row (e.g. 合计 and the sums). */
  totals?: XlsxCell[]
  /** Column widths in characters, left to right. */
  widths?: number[]
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships'
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

// Style indexes into cellXfs below.
const STYLE = { plain: 0, bold: 1, yuan: 2, yuanBold: 3 } as const

/** Text safe inside XML: escaped, and without the control characters XML 1.0 forbids. */
export function xmlText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are the characters to remove
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  )
}

/** 0 → A, 25 → Z, 26 → AA … */
export function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  }
  return name
}

function cellXml(cell: XlsxCell, ref: string, bold: boolean): string {
  if (cell === null || cell === '') return ''
  if (typeof cell === 'string') {
    const s = bold ? ` s="${STYLE.bold}"` : ''
    return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${xmlText(cell)}</t></is></c>`
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new Error(`Cell ${ref} is not a finite number`)
    const s = bold ? ` s="${STYLE.bold}"` : ''
    return `<c r="${ref}"${s}><v>${cell}</v></c>`
  }
  if (!Number.isInteger(cell.fen)) throw new Error(`Cell ${ref} is not a whole number of fen`)
  // The exact decimal text, never fen / 100 as a float.
  const s = bold ? STYLE.yuanBold : STYLE.yuan
  return `<c r="${ref}" s="${s}"><v>${fenToYuanString(cell.fen)}</v></c>`
}

function rowXml(cells: XlsxCell[], rowNumber: number, bold: boolean): string {
  const inner = cells.map((c, i) => cellXml(c, `${columnName(i)}${rowNumber}`, bold)).join('')
  return `<row r="${rowNumber}">${inner}</row>`
}

function sheetXml(sheet: XlsxSheet): string {
  const rows = [rowXml(sheet.header, 1, true)]
  sheet.rows.forEach((cells, i) => rows.push(rowXml(cells, i + 2, false)))
  if (sheet.totals) rows.push(rowXml(sheet.totals, sheet.rows.length + 2, true))
  const cols = sheet.widths?.length
    ? `<cols>${sheet.widths
        .map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
        .join('')}</cols>`
    : ''
  return (
    XML_DECL +
    `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    '<sheetViews><sheetView workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '</sheetView></sheetViews>' +
    cols +
    `<sheetData>${rows.join('')}</sheetData>` +
    '</worksheet>'
  )
}

const STYLES_XML =
  XML_DECL +
  `<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill>' +
  '<fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  // numFmtId 4 is the built-in "#,##0.00".
  '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="4" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>'

function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet'
  let unique = base
  for (let n = 2; taken.has(unique.toLowerCase()); n++) {
    unique = `${base.slice(0, 31 - String(n).length - 1)} ${n}`
  }
  taken.add(unique.toLowerCase())
  return unique
}

/** The .xlsx bytes of a workbook with these sheets, in order. */
export function writeXlsx(sheets: XlsxSheet[]): Uint8Array {
  if (!sheets.length) throw new Error('A workbook needs at least one sheet')
  const taken = new Set<string>()
  const names = sheets.map((s) => sheetName(s.name, taken))
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      XML_DECL +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        sheets
          .map(
            (_, i) =>
              `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      XML_DECL +
        `<Relationships xmlns="${PKG_REL_NS}">` +
        `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
        '</Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      XML_DECL +
        `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>` +
        names
          .map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
          .join('') +
        '</sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      XML_DECL +
        `<Relationships xmlns="${PKG_REL_NS}">` +
        sheets
          .map(
            (_, i) =>
              `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
          )
          .join('') +
        `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
        '</Relationships>',
    ),
    'xl/styles.xml': strToU8(STYLES_XML),
  }
  sheets.forEach((sheet, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(sheet))
  })
  return zipSync(files, { level: 6 })
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
