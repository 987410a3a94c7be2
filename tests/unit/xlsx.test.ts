import { describe, expect, test } from 'vitest'
import { columnName, writeXlsx, xmlText } from '../../app/utils/xlsx.ts'
import { readXlsx, rowValues } from '../support/xlsx.ts'

describe('writeXlsx', () => {
  const bytes = writeXlsx([
    {
      name: '服务券补贴明细',
      header: ['订单号', '企业', '合同金额（元）', '件数'],
      rows: [
        ['SF2026120100001', '中山市 <设计> & "工作室"', { fen: 123_450 }, 10],
        ['SF2026120100002', '灯饰设计', { fen: 5 }, null],
      ],
      totals: ['合计', '', { fen: 123_455 }, 10],
      widths: [20, 30, 14, 8],
    },
    { name: 'a/b:c*d?[e]', header: ['x'], rows: [] },
  ])

  test('is a zip with the parts Excel needs, each declared in the content types', () => {
    const { files } = readXlsx(bytes)
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ])
    const types = new TextDecoder().decode(files['[Content_Types].xml'])
    for (const part of ['/xl/workbook.xml', '/xl/styles.xml', '/xl/worksheets/sheet2.xml']) {
      expect(types).toContain(`PartName="${part}"`)
    }
    // Every part is well-formed XML with the declaration first.
    for (const [name, content] of Object.entries(files)) {
      expect(new TextDecoder().decode(content).startsWith('<?xml version="1.0"'), name).toBe(true)
    }
  })

  test('writes text as inline strings and numbers as numbers, yuan with two decimals', () => {
    const [sheet] = readXlsx(bytes).sheets
    expect(sheet!.name).toBe('服务券补贴明细')
    expect(sheet!.rows.map(rowValues)).toEqual([
      { A: '订单号', B: '企业', C: '合同金额（元）', D: '件数' },
      { A: 'SF2026120100001', B: '中山市 <设计> & "工作室"', C: 1234.5, D: 10 },
      { A: 'SF2026120100002', B: '灯饰设计', C: 0.05 },
      { A: '合计', C: 1234.55, D: 10 },
    ])
    // The exact decimal text, shown with the built-in "#,##0.00" format (style 2, bold 3).
    expect(sheet!.xml).toContain('<c r="C2" s="2"><v>1234.50</v></c>')
    expect(sheet!.xml).toContain('<c r="C3" s="2"><v>0.05</v></c>')
    expect(sheet!.xml).toContain('<c r="C4" s="3"><v>1234.55</v></c>')
    expect(sheet!.xml).toContain('<c r="D2"><v>10</v></c>')
    expect(sheet!.xml).toContain('t="inlineStr"')
    expect(readXlsx(bytes).styles).toMatch(/<xf numFmtId="4"[^>]*applyNumberFormat="1"\/>/)
  })

  test('the header and the totals are bold, the data is not', () => {
    const [sheet] = readXlsx(bytes).sheets
    expect(sheet!.rows[0]!.every((c) => c.style === 1)).toBe(true)
    expect(sheet!.rows[1]!.find((c) => c.ref === 'A2')!.style).toBe(0)
    expect(sheet!.rows[3]!.find((c) => c.ref === 'A4')!.style).toBe(1)
    expect(sheet!.xml).toContain('state="frozen"')
    expect(sheet!.xml).toContain('<col min="2" max="2" width="30" customWidth="1"/>')
  })

  test('sheet names lose the characters Excel refuses and stay unique', () => {
    const { sheets } = readXlsx(
      writeXlsx([
        { name: 'a/b:c*d?[e]', header: [], rows: [] },
        { name: 'A/B:C*D?[E]', header: [], rows: [] },
        { name: 'x'.repeat(40), header: [], rows: [] },
      ]),
    )
    expect(sheets.map((s) => s.name)).toEqual(['a b c d  e', 'A B C D  E 2', 'x'.repeat(31)])
  })

  test('refuses fractional fen and non-finite numbers rather than writing a wrong figure', () => {
    expect(() => writeXlsx([{ name: 's', header: [], rows: [[{ fen: 1.5 }]] }])).toThrow(/fen/)
    expect(() => writeXlsx([{ name: 's', header: [], rows: [[Number.NaN]] }])).toThrow(/finite/)
    expect(() => writeXlsx([])).toThrow(/one sheet/)
  })
})

describe('helpers', () => {
  test('column names run A…Z, AA…ZZ, AAA', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ])
  })

  test('XML text is escaped and loses the control characters XML forbids', () => {
    expect(xmlText('a<b>&"c"\u0001\u0008d\te\nf')).toBe('a&lt;b&gt;&amp;&quot;c&quot;d\te\nf')
  })
})
