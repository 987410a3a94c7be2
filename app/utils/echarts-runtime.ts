// The part of ECharts the app draws with, registered once: the server imports this for its SVG
// (chart.server.ts); the browser imports it lazily (components/chart.tsx), so it is a chunk of
// its own, loaded only by pages with a chart. A chart type or component not listed here draws
// nothing: add it when a page needs it.
import { init, use } from 'echarts/core'
import { BarChart, FunnelChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'

use([
  BarChart,
  LineChart,
  FunnelChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  SVGRenderer,
])

export { init }
