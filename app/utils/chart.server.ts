import { init } from './echarts-runtime.ts'
import {
  DEFAULT_CHART_SIZE,
  resolveFormatters,
  type ChartData,
  type ChartOption,
} from './chart-options.ts'

/**
 * `option` drawn to an SVG string at `width` × `height` (ECharts' server-side rendering: no
 * DOM, no animation, no tooltips).
 */
export function renderChartSvg(
  option: ChartOption,
  size: { width: number; height: number } = DEFAULT_CHART_SIZE,
): string {
  const chart = init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  })
  try {
    chart.setOption(resolveFormatters({ ...option, animation: false }))
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** What a loader returns for <Chart>: the option and its server-rendered SVG. */
export function chartData(
  option: ChartOption,
  size: { width: number; height: number } = DEFAULT_CHART_SIZE,
): ChartData {
  return { svg: renderChartSvg(option, size), option, width: size.width, height: size.height }
}
