import { strFromU8, unzipSync } from 'fflate'

// Reads back the workbooks app/utils/xlsx.ts writes (inline strings and numbers only), the
// way a spreadsheet would: the sheets by name, each as rows of cells.

export interface ReadCell {
  ref: string
  /** Text for inline strings, the number otherwise. */
  value: string | number
  /** The cellXfs index (0 when absent). */
  style: number
}

export interface ReadSheet {
  name: string
  xml: string
  /** Rows in order, each its cells left to right (empty cells left out). */
  rows: ReadCell[][]
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

export function readXlsx(bytes: Uint8Array) {
  const files = unzipSync(bytes)
  const text = (name: string) => {
    const file = files[name]
    if (!file) throw new Error(`${name} is missing`)
    return strFromU8(file)
  }
  const workbook = text('xl/workbook.xml')
  const rels = text('xl/_rels/workbook.xml.rels')
  const sheets: ReadSheet[] = []
  for (const m of workbook.matchAll(/<sheet name="([^"]*)" sheetId="\d+" r:id="(rId\d+)"\/>/g)) {
    const target = new RegExp(`Id="${m[2]}" Type="[^"]*/worksheet" Target="([^"]+)"`).exec(rels)
    if (!target) throw new Error(`No relationship ${m[2]}`)
    const xml = text(`xl/${target[1]}`)
    const rows = [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((row) =>
      [
        ...row[1]!.matchAll(
          /<c r="([A-Z]+\d+)"(?: t="(inlineStr)")?(?: s="(\d+)")?>(?:<is><t[^>]*>(.*?)<\/t><\/is>|<v>(.*?)<\/v>)<\/c>/g,
        ),
      ].map((c) => ({
        ref: c[1]!,
        value: c[2] ? unescape(c[4] ?? '') : Number(c[5]),
        style: Number(c[3] ?? 0),
      })),
    )
    sheets.push({ name: unescape(m[1]!), xml, rows })
  }
  return { files, sheets, styles: text('xl/styles.xml') }
}

/** A row's values by column letter (A, B, …). */
export function rowValues(row: ReadCell[]): Record<string, string | number> {
  return Object.fromEntries(row.map((c) => [c.ref.replace(/\d+$/, ''), c.value]))
}
