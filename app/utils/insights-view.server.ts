import { translate, type Locale } from '../locales/index.ts'
import type { WorkshopInsights } from '../models/workshop-insights.server.ts'
import { lineOrBarOption } from './chart-options.ts'
import { chartData } from './chart.server.ts'

/** The charts of the workshop's insights section, drawn on the server in `locale`. */
export function insightCharts(insights: WorkshopInsights, locale: Locale) {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key)
  const months = insights.revenue.months.map((m) => m.month)
  return {
    revenue: chartData(
      lineOrBarOption({
        categories: months,
        series: [
          {
            name: t('insights.series.revenue'),
            type: 'bar',
            data: insights.revenue.months.map((m) => m.revenue_fen),
          },
          {
            name: t('insights.series.orders'),
            type: 'line',
            data: insights.revenue.months.map((m) => m.orders),
            yAxisIndex: 1,
          },
        ],
        yAxes: [{ format: 'yuan' }, { format: 'number', min: 0, minInterval: 1 }],
      }),
    ),
    rating: chartData(
      lineOrBarOption({
        categories: insights.ratings.months.map((m) => m.month),
        series: [
          {
            name: t('insights.series.rating'),
            type: 'line',
            data: insights.ratings.months.map((m) => m.mean),
          },
        ],
        yAxes: [{ format: 'number', min: 0, max: 5 }],
      }),
      { width: 720, height: 240 },
    ),
  }
}
