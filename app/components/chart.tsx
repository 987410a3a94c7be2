import { useEffect, useRef } from 'react'
import { resolveFormatters, withTooltip, type ChartData } from '../utils/chart-options.ts'

export {
  barOption,
  formatPercent,
  formatYuan,
  funnelOption,
  lineOrBarOption,
  type ChartData,
  type ChartOption,
  type ValueFormat,
} from '../utils/chart-options.ts'

export interface ChartProps {
  /** From the loader: `chartData(option)` (utils/chart.server.ts). */
  chart: ChartData
  /** The figure's caption. */
  title: string
  /** What a screen reader hears for the drawing (the title unless told), e.g. "… the table below has the figures". */
  label?: string
}

/** A short, stable key for an SVG string, so a new drawing gets a fresh element. */
function keyOf(text: string): string {
  let hash = 5381
  for (let i = 0; i < text.length; i++) hash = ((hash << 5) + hash + text.charCodeAt(i)) | 0
  return `${text.length}-${hash >>> 0}`
}

/**
 * A chart: the server's SVG, readable without JavaScript; with it, ECharts (loaded on demand)
 * draws the same option in its place, adds tooltips and follows the container's width.
 */
export function Chart({ chart, title, label }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null)
  const { option } = chart
  useEffect(() => {
    const element = ref.current
    if (!element) return
    let stopped = false
    let instance: { dispose(): void; resize(): void } | undefined
    let observer: ResizeObserver | undefined
    import('../utils/echarts-runtime.ts')
      .then(({ init }) => {
        if (stopped) return
        // ECharts draws into the element, so the server's SVG leaves first; setOption draws at
        // once, in the same task, so nothing flickers.
        element.replaceChildren()
        const live = init(element, null, { renderer: 'svg' })
        live.setOption(resolveFormatters(withTooltip(option)))
        instance = live
        observer = new ResizeObserver(() => live.resize())
        observer.observe(element)
      })
      .catch(() => {
        // Without the chunk (offline, blocked) the server's SVG stays: nothing is lost but tooltips.
      })
    return () => {
      stopped = true
      observer?.disconnect()
      instance?.dispose()
    }
  }, [option])
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div
        // A new drawing is a new element: React then never writes markup into ECharts' element.
        key={keyOf(chart.svg)}
        ref={ref}
        className="chart-canvas"
        role="img"
        aria-label={label ?? title}
        style={{ maxWidth: chart.width, aspectRatio: `${chart.width} / ${chart.height}` }}
        dangerouslySetInnerHTML={{ __html: chart.svg }}
      />
    </figure>
  )
}
