// ECharts options for app/components/chart.tsx, built in loaders. An option travels from the
// loader to the browser as JSON, so it holds no functions: a formatter is a named key
// (`sf:yuan`, `sf:percent`, `sf:number`) that resolveFormatters() turns into a function on the
// server (for the SVG) and in the browser (for the live chart) alike, so both print the same.
// Money in data is integer fen; only labels show yuan.

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** An ECharts option as plain JSON (see resolveFormatters for its named formatters). */
export type ChartOption = { [key: string]: JsonValue }

/** What a loader hands the Chart component: the server's SVG and the option it drew. */
export interface ChartData {
  /** The SVG markup renderToSVGString made; the component shows it until the live chart replaces it. */
  svg: string
  option: ChartOption
  width: number
  height: number
}

/**
 * Text in charts: CJK-capable families first, so Chinese labels render in the SVG and in the
 * browser (Debian's fonts-noto-cjk in CI). Single quotes: zrender writes this into a
 * double-quoted `style` attribute without escaping it.
 */
export const CHART_FONT_FAMILY =
  "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

/** The app's brand green and amber first, then ECharts-like colours. */
export const CHART_COLORS = ['#0b5c4d', '#d97706', '#5470c6', '#91cc75', '#ee6666', '#73c0de']

export const DEFAULT_CHART_SIZE = { width: 720, height: 320 } as const

/**
 * How a value prints: `yuan` takes integer fen and prints ¥ with thousands separators (the
 * fen only when there are some: ¥1,234 / ¥1,234.50); `percent` takes a ratio (0.125 → 12.5%);
 * `number` groups thousands, at most two decimals.
 */
export type ValueFormat = 'yuan' | 'percent' | 'number'

const FORMATTER_PREFIX = 'sf:'

/**
 * The option value that stands for `format`'s formatter; `named` (series labels only) prints
 * the data item's name before the value: "报价 1,234".
 */
export const formatterKey = (format: ValueFormat, named = false) =>
  `${FORMATTER_PREFIX}${format}${named ? NAMED_SUFFIX : ''}`

const NAMED_SUFFIX = ':named'

// Grouping by hand rather than with Intl: the server's ICU and the browser's may differ.
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Fen as yuan for labels: ¥12,345 when whole, ¥12,345.60 otherwise; negative as -¥5. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.round(Math.abs(fen))
  const cents = abs % 100
  return `${sign}¥${group(String(Math.floor(abs / 100)))}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`
}

/** A ratio as a percentage with at most one decimal: 0.1667 → 16.7%, 0.25 → 25%. */
export function formatPercent(ratio: number): string {
  return `${formatNumber(Math.round(ratio * 1000) / 10)}%`
}

/** Thousands grouped, at most two decimals: 12345.678 → 12,345.68. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100
  const sign = rounded < 0 ? '-' : ''
  const [whole = '0', fraction] = String(Math.abs(rounded)).split('.')
  return `${sign}${group(whole)}${fraction ? `.${fraction}` : ''}`
}

export function formatValue(format: ValueFormat, value: number): string {
  if (format === 'yuan') return formatYuan(value)
  if (format === 'percent') return formatPercent(value)
  return formatNumber(value)
}

const formats: readonly string[] = ['yuan', 'percent', 'number'] satisfies ValueFormat[]

/**
 * One formatter for every place ECharts calls one: axis labels pass the value, series labels
 * pass `{ value, name }` params, tooltips' valueFormatter the value (an array for some series).
 */
function formatterFor(format: ValueFormat, named: boolean) {
  const print = (value: unknown): string => {
    if (typeof value === 'number') return formatValue(format, value)
    if (Array.isArray(value) && typeof value[value.length - 1] === 'number') {
      return formatValue(format, value[value.length - 1] as number)
    }
    if (value === null || value === undefined || value === '-') return '–'
    return String(value)
  }
  return (input: unknown): string => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return print(input)
    const params = input as { value?: unknown; name?: unknown }
    const value = print(params.value)
    return named && typeof params.name === 'string' ? `${params.name}  ${value}` : value
  }
}

/** The format a formatter key names, and whether it prints names; undefined: not one of ours. */
function parseKey(key: string): { format: ValueFormat; named: boolean } | undefined {
  if (!key.startsWith(FORMATTER_PREFIX)) return undefined
  const rest = key.slice(FORMATTER_PREFIX.length)
  const named = rest.endsWith(NAMED_SUFFIX)
  const format = named ? rest.slice(0, -NAMED_SUFFIX.length) : rest
  return formats.includes(format) ? { format: format as ValueFormat, named } : undefined
}

/**
 * A copy of `option` for ECharts: every `formatter` or `valueFormatter` naming one of ours
 * (`sf:yuan`, `sf:number:named` …) becomes that function; everything else is copied as is.
 */
export function resolveFormatters(option: ChartOption): Record<string, unknown> {
  const walk = (value: JsonValue, key: string | null): unknown => {
    if ((key === 'formatter' || key === 'valueFormatter') && typeof value === 'string') {
      const parsed = parseKey(value)
      if (parsed) return formatterFor(parsed.format, parsed.named)
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, null))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]))
    }
    return value
  }
  return walk(option, null) as Record<string, unknown>
}

const seriesList = (option: ChartOption): { [key: string]: JsonValue }[] =>
  Array.isArray(option.series)
    ? (option.series.filter((s) => s !== null && typeof s === 'object' && !Array.isArray(s)) as {
        [key: string]: JsonValue
      }[])
    : []

/**
 * What the browser adds to the server's option: tooltips (by axis for cartesian charts, by
 * item otherwise; each series formats its own values, see the builders). Animation stays off:
 * the page already shows the finished chart.
 */
export function withTooltip(option: ChartOption): ChartOption {
  const cartesian = seriesList(option).some((s) => s.type === 'bar' || s.type === 'line')
  return {
    ...option,
    animation: false,
    tooltip: cartesian
      ? { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true }
      : { trigger: 'item', confine: true },
  }
}

function base(): ChartOption {
  return {
    animation: false,
    color: CHART_COLORS,
    textStyle: { fontFamily: CHART_FONT_FAMILY },
  }
}

export interface CartesianSeries {
  name: string
  /** Fen for a `yuan` axis; null leaves a gap. */
  data: (number | null)[]
  type: 'bar' | 'line'
  /** Which of `yAxes` it is measured on (0 unless told). */
  yAxisIndex?: number
}

export interface ValueAxis {
  name?: string
  /** How the axis labels and the tooltip print values (number unless told). */
  format?: ValueFormat
  min?: number
  max?: number
  /** 1 for counts, so the axis never reads 0.5 orders. */
  minInterval?: number
}

/**
 * Bars and/or lines over categories (months, days …): one or two value axes (the second on the
 * right), a legend when there are several series.
 */
export function lineOrBarOption(input: {
  categories: string[]
  series: CartesianSeries[]
  yAxes?: ValueAxis[]
}): ChartOption {
  const yAxes = input.yAxes?.length ? input.yAxes : [{}]
  const formatOf = (index: number) => yAxes[index]?.format ?? 'number'
  return {
    ...base(),
    ...(input.series.length > 1 ? { legend: { top: 0 } } : {}),
    grid: { left: 16, right: 16, top: input.series.length > 1 ? 40 : 24, bottom: 8 },
    xAxis: { type: 'category', data: input.categories },
    yAxis: yAxes.map((axis, index) => ({
      type: 'value',
      ...(axis.name ? { name: axis.name } : {}),
      ...(axis.min === undefined ? {} : { min: axis.min }),
      ...(axis.max === undefined ? {} : { max: axis.max }),
      ...(axis.minInterval === undefined ? {} : { minInterval: axis.minInterval }),
      ...(index > 0 ? { position: 'right', splitLine: { show: false } } : {}),
      axisLabel: { formatter: formatterKey(formatOf(index)) },
    })),
    series: input.series.map((s) => ({
      name: s.name,
      type: s.type,
      data: s.data,
      ...(s.yAxisIndex ? { yAxisIndex: s.yAxisIndex } : {}),
      ...(s.type === 'line' ? { symbolSize: 6 } : { barMaxWidth: 32 }),
      tooltip: { valueFormatter: formatterKey(formatOf(s.yAxisIndex ?? 0)) },
    })),
  }
}

/** A horizontal bar ranking, first category on top (top workshops, towns …). */
export function barOption(input: {
  categories: string[]
  name: string
  data: number[]
  format?: ValueFormat
}): ChartOption {
  const format = formatterKey(input.format ?? 'number')
  return {
    ...base(),
    grid: { left: 16, right: 56, top: 8, bottom: 8 },
    xAxis: { type: 'value', axisLabel: { formatter: format } },
    yAxis: { type: 'category', inverse: true, data: input.categories },
    series: [
      {
        name: input.name,
        type: 'bar',
        data: input.data,
        barMaxWidth: 24,
        label: { show: true, position: 'right', formatter: format },
        tooltip: { valueFormatter: format },
      },
    ],
  }
}

/** A funnel of stages in the order given (opened → matched → … → completed). */
export function funnelOption(input: {
  name: string
  stages: { name: string; value: number }[]
  format?: ValueFormat
}): ChartOption {
  const format = formatterKey(input.format ?? 'number')
  return {
    ...base(),
    series: [
      {
        name: input.name,
        type: 'funnel',
        sort: 'none',
        left: '10%',
        width: '60%',
        top: 8,
        bottom: 8,
        minSize: '10%',
        gap: 2,
        data: input.stages.map((s) => ({ name: s.name, value: s.value })),
        label: {
          show: true,
          position: 'right',
          formatter: formatterKey(input.format ?? 'number', true),
        },
        tooltip: { valueFormatter: format },
      },
    ],
  }
}
