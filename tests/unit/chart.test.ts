import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { Chart } from '../../app/components/chart.tsx'
import { chartData, renderChartSvg } from '../../app/utils/chart.server.ts'
import {
  CHART_FONT_FAMILY,
  barOption,
  formatNumber,
  formatPercent,
  formatYuan,
  funnelOption,
  lineOrBarOption,
  resolveFormatters,
  withTooltip,
} from '../../app/utils/chart-options.ts'

const revenue = () =>
  lineOrBarOption({
    categories: ['2026-10', '2026-11', '十二月'],
    series: [
      { name: '收入', type: 'bar', data: [100_000, 250_000, 0] },
      { name: '订单数', type: 'line', data: [1, 3, null], yAxisIndex: 1 },
    ],
    yAxes: [{ format: 'yuan' }, { format: 'number' }],
  })

/** The text of the SVG's <text> elements, in order. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))

describe('server-side SVG', () => {
  test('draws the series and categories with their Chinese labels at the size asked', () => {
    const svg = renderChartSvg(revenue(), { width: 640, height: 300 })
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toMatch(/^<svg[^>]* width="640" height="300"/)
    expect(svg).toContain('viewBox="0 0 640 300"')
    const labels = texts(svg)
    // Legend entries are the series' names; the category axis the months.
    expect(labels).toEqual(expect.arrayContaining(['收入', '订单数', '2026-10', '十二月']))
    // The CJK fonts, quoted so that the style attribute stays well-formed.
    expect(svg).toContain(`font-family:${CHART_FONT_FAMILY};`)
    expect(svg).not.toMatch(/style="[^"]*font-family:"/)
    // A bar per month (the zero one flat), a point per month with data.
    const items = (series: number) =>
      svg.match(
        new RegExp(
          `ecmeta_series_index="${series}" ecmeta_data_index="\\d" ecmeta_ssr_type="chart"`,
          'g',
        ),
      )
    expect(items(0)?.length).toBe(3)
    expect(items(1)?.length).toBe(2)
  })

  test('the money axis is labelled in yuan though the data is fen', () => {
    const labels = texts(renderChartSvg(revenue()))
    expect(labels).toEqual(expect.arrayContaining(['¥0', '¥1,000', '¥2,500']))
    expect(labels.some((l) => /250,?000/.test(l))).toBe(false)
  })

  test('without animation: no CSS keyframes or transitions in the SVG', () => {
    const svg = renderChartSvg(revenue())
    expect(svg).not.toMatch(/@keyframes|animation|<animate/)
  })

  test('horizontal rankings and funnels draw too', () => {
    const ranking = renderChartSvg(
      barOption({
        categories: ['古镇灯饰', '小榄五金'],
        name: '成交额',
        data: [1_234_500, 99_900],
        format: 'yuan',
      }),
    )
    expect(texts(ranking)).toEqual(expect.arrayContaining(['古镇灯饰', '小榄五金', '¥12,345']))
    const funnel = renderChartSvg(
      funnelOption({
        name: '转化',
        stages: [
          { name: '发布', value: 1200 },
          { name: '报价', value: 80 },
          { name: '完成', value: 30 },
        ],
      }),
    )
    expect(texts(funnel)).toEqual(expect.arrayContaining(['发布  1,200', '报价  80', '完成  30']))
  })

  test('text from data is escaped, so the SVG is safe to put in the page', () => {
    const svg = renderChartSvg(
      lineOrBarOption({
        categories: ['<script>alert(1)</script>'],
        series: [{ name: 'a"b', type: 'bar', data: [1] }],
      }),
    )
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('&lt;script&gt;')
  })
})

describe('options travel as JSON', () => {
  test('the builders make plain JSON, formatters named rather than functions', () => {
    for (const option of [
      revenue(),
      barOption({ categories: ['a'], name: 'n', data: [1] }),
      funnelOption({ name: 'f', stages: [{ name: 'a', value: 1 }] }),
    ]) {
      expect(JSON.parse(JSON.stringify(option))).toEqual(option)
    }
    expect(JSON.stringify(revenue())).toContain('"formatter":"sf:yuan"')
  })

  test('resolveFormatters turns named formatters into functions and leaves the option alone', () => {
    const option = revenue()
    const before = JSON.stringify(option)
    const resolved = resolveFormatters(option) as {
      yAxis: { axisLabel: { formatter: (v: number) => string } }[]
      series: { tooltip: { valueFormatter: (v: number) => string } }[]
    }
    expect(resolved.yAxis[0]!.axisLabel.formatter(123_456)).toBe('¥1,234.56')
    expect(resolved.yAxis[1]!.axisLabel.formatter(1234)).toBe('1,234')
    expect(resolved.series[0]!.tooltip.valueFormatter(50_000)).toBe('¥500')
    expect(JSON.stringify(option)).toBe(before)
    // Unknown keys stay text; ECharts' own templates are untouched.
    const other = resolveFormatters({ a: { formatter: 'sf:nope' }, b: { formatter: '{b}' } })
    expect(other).toEqual({ a: { formatter: 'sf:nope' }, b: { formatter: '{b}' } })
  })

  test('the browser adds tooltips: by axis for bars and lines, by item for funnels', () => {
    expect(withTooltip(revenue()).tooltip).toMatchObject({ trigger: 'axis' })
    const funnel = funnelOption({ name: 'f', stages: [{ name: 'a', value: 1 }] })
    expect(withTooltip(funnel).tooltip).toMatchObject({ trigger: 'item' })
    expect(withTooltip(funnel).animation).toBe(false)
  })
})

describe('value formats', () => {
  test('fen print as yuan with ¥ and thousands separators, fen only when there are some', () => {
    expect(formatYuan(0)).toBe('¥0')
    expect(formatYuan(1)).toBe('¥0.01')
    expect(formatYuan(100_000)).toBe('¥1,000')
    expect(formatYuan(123_456_789)).toBe('¥1,234,567.89')
    expect(formatYuan(65_050)).toBe('¥650.50')
    expect(formatYuan(-500)).toBe('-¥5')
  })

  test('ratios print as percentages with one decimal at most; numbers grouped', () => {
    expect(formatPercent(0.25)).toBe('25%')
    expect(formatPercent(90 / 540)).toBe('16.7%')
    expect(formatPercent(1)).toBe('100%')
    expect(formatNumber(1234567.891)).toBe('1,234,567.89')
    expect(formatNumber(4.5)).toBe('4.5')
  })
})

describe('the Chart component', () => {
  test('server markup: a figure with its caption and the SVG as is, labelled for screen readers', () => {
    const chart = chartData(revenue(), { width: 480, height: 240 })
    const html = renderToString(
      createElement(Chart, { chart, title: '每月收入', label: '每月收入，数据见下表' }),
    )
    expect(html).toMatch(/^<figure class="chart"><figcaption>每月收入<\/figcaption><div /)
    expect(html).toContain('role="img"')
    expect(html).toContain('aria-label="每月收入，数据见下表"')
    expect(html).toContain('max-width:480px;aspect-ratio:480 / 240')
    // The browser hydrates against exactly this string.
    expect(html).toContain(chart.svg)
  })
})
