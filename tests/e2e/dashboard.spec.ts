import { readFile } from 'node:fs/promises'
import type { Locator, Page } from '@playwright/test'
import { DEMO_PASSWORD, attachPageShot, expect, logIn, shanghaiDay, test } from './fixtures.ts'

// Issue 9's journey: the operator opens the dashboard on the demo history (db/demo/metrics.ts),
// takes the last 90 days, filters to 古镇 and the lighting cluster, sees every chart drawn
// (the server's SVG, then ECharts' with JavaScript), and exports the orders-and-GMV series:
// the file's totals are the page's. Without JavaScript the filters and the SVG charts work the
// same; a designer is refused.

test.use({ actionTimeout: 15_000, navigationTimeout: 30_000 })

const OVER_TIME = '订单与成交额'
/** The dashboard's charts, by caption. */
const CHARTS = [
  OVER_TIME,
  '各镇街订单与成交额',
  '各产业集群订单与成交额',
  '各镇街产能利用率（已预订 ÷ 可接单工时）',
  '各工艺产能利用率（已预订 ÷ 可接单工时）',
  '转化漏斗（按需求发布日期）',
  '加工方排行（按成交额）',
]

/** The file as rows of fields: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\ufeff'), 'a BOM first').toBe(true)
  const body = text.slice(1)
  expect(body.endsWith('\r\n'), 'CRLF after the last line').toBe(true)
  expect(body.replaceAll('\r\n', ''), 'no bare line feeds').not.toMatch(/[\r\n]/)
  return body
    .slice(0, -2)
    .split('\r\n')
    .map((line) => {
      const fields: string[] = []
      for (const match of line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)) {
        const field = match[1]!
        fields.push(field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field)
      }
      return fields
    })
}

/** "¥1,234.50" (zh-CN currency) → "1234.50", as the tables and the CSV write yuan. */
const yuanText = (text: string | null) => {
  const match = /^(-?)¥([\d,]+\.\d\d)$/.exec(text ?? '')
  if (!match) throw new Error(`Not an amount: ${text}`)
  return `${match[1]}${match[2]!.replaceAll(',', '')}`
}

const filtersOf = (page: Page) => page.getByRole('form', { name: '筛选' })

async function filterToGuzhenLighting(page: Page) {
  const filters = filtersOf(page)
  await filters.getByRole('combobox', { name: '镇街', exact: true }).selectOption({ label: '古镇' })
  await filters
    .getByRole('combobox', { name: '产业集群', exact: true })
    .selectOption({ label: '灯饰照明' })
  await filters.getByRole('button', { name: '应用', exact: true }).click()
  await expect(page).toHaveURL(/[?&]town=guzhen(&|$)/)
  await expect(page).toHaveURL(/[?&]cluster=lighting(&|$)/)
  await expect(filters.getByRole('combobox', { name: '镇街', exact: true })).toHaveValue('guzhen')
  await expect(filters.getByRole('combobox', { name: '产业集群', exact: true })).toHaveValue(
    'lighting',
  )
  // The last 90 days the preset chose, Shanghai time.
  await expect(page.getByText(`${shanghaiDay(-89)} 至 ${shanghaiDay(0)}（上海时间）`)).toBeVisible()
}

/** A chart's drawing area (its figure's caption names it). */
const chart = (page: Page, caption: string): Locator =>
  page
    .getByRole('figure', { name: caption, exact: true })
    .getByRole('img', { name: caption, exact: true })

/** Every chart has its drawing: an SVG in each figure. */
async function expectCharts(page: Page) {
  await expect(page.getByRole('figure')).toHaveCount(CHARTS.length)
  for (const caption of CHARTS) {
    await expect(chart(page, caption).locator('svg').first(), caption).toBeVisible()
  }
}

test('an operator filters the dashboard to 古镇 lighting and the CSV export matches the page', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000)
  await logIn(page, 'operator@demo.test', DEMO_PASSWORD)
  await expect(page.getByRole('heading', { level: 1, name: '运营后台' })).toBeVisible()
  await page.getByRole('link', { name: '打开数据看板' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '数据看板' })).toBeVisible()

  const presets = page.getByRole('navigation', { name: '时间范围' })
  await presets.getByRole('link', { name: '近 90 天', exact: true }).click()
  await expect(page).toHaveURL(/[?&]range=90d(&|$)/)
  await expect(presets.getByRole('link', { name: '近 90 天', exact: true })).toHaveAttribute(
    'aria-current',
    'true',
  )
  await filterToGuzhenLighting(page)

  // ECharts replaces each server drawing with its own (an instance on the element).
  await expect(chart(page, OVER_TIME)).toHaveAttribute('_echarts_instance_', /.+/, {
    timeout: 20_000,
  })
  for (const caption of CHARTS) {
    await expect(chart(page, caption), caption).toHaveAttribute('_echarts_instance_', /.+/)
  }
  await expectCharts(page)

  // The demo history has orders here (db/demo/metrics.ts).
  const kpiOrders = Number(await page.locator('#kpi-orders').textContent())
  expect(kpiOrders).toBeGreaterThan(0)
  const section = page.getByRole('region', { name: OVER_TIME, exact: true })
  const totalOrders = section.locator('tfoot [data-total="orders"]')
  const totalGmv = section.locator('tfoot [data-total="gmv"]')
  await expect(totalOrders).toHaveText(String(kpiOrders))
  await expect(totalGmv).toHaveText(/^-?\d+\.\d{2}$/)
  const gmv = (await totalGmv.textContent())!
  expect(yuanText(await page.locator('#kpi-gmv').textContent())).toBe(gmv)
  await attachPageShot(testInfo, page, 'dashboard-guzhen-lighting')

  // The series' CSV: what the table shows, day by day, and the same totals.
  const downloading = page.waitForEvent('download')
  await section.getByRole('link', { name: '导出 CSV', exact: true }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toBe(`metrics-day-${shanghaiDay(-89)}-${shanghaiDay(0)}.csv`)
  const rows = parseCsv(await readFile((await download.path())!, 'utf8'))
  const [header, ...lines] = rows
  expect(header![0]).toBe('key')
  const orders = header!.indexOf('订单数')
  const yuan = header!.indexOf('成交额（元）')
  expect(orders).toBeGreaterThan(0)
  expect(yuan).toBeGreaterThan(0)
  const total = lines[lines.length - 1]!
  expect(total[0]).toBe('total')
  const days = lines.slice(0, -1)
  expect(days.map((d) => d[0])).toEqual(Array.from({ length: 90 }, (_, i) => shanghaiDay(i - 89)))
  expect(Number(total[orders])).toBe(kpiOrders)
  expect(total[yuan]).toBe(gmv)
  expect(days.reduce((sum, d) => sum + Number(d[orders]), 0)).toBe(kpiOrders)
  const fen = (text: string) => Math.round(Number(text) * 100)
  expect(days.reduce((sum, d) => sum + fen(d[yuan]!), 0)).toBe(fen(gmv))
})

test('without JavaScript the filters work and the charts are the server’s SVG', async ({
  newPage,
}) => {
  const page = await newPage({ javaScriptEnabled: false })
  await logIn(page, 'operator@demo.test', DEMO_PASSWORD)
  await expect(page.getByRole('heading', { level: 1, name: '运营后台' })).toBeVisible()
  await page.goto('/console/dashboard?range=90d')
  await expect(page.getByRole('heading', { level: 1, name: '数据看板' })).toBeVisible()
  await filterToGuzhenLighting(page)
  await expectCharts(page)
  for (const caption of CHARTS) {
    await expect(chart(page, caption), caption).not.toHaveAttribute('_echarts_instance_')
  }
  expect(Number(await page.locator('#kpi-orders').textContent())).toBeGreaterThan(0)
})

test.describe(() => {
  // Chromium logs the 403 document response itself.
  test.use({ allowedConsoleErrors: [/status of 403/] })

  test('a designer cannot open the dashboard or its CSV', async ({ page }) => {
    await logIn(page, 'designer@demo.test', DEMO_PASSWORD)
    await expect(page.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()
    const response = await page.goto('/console/dashboard')
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('heading', { name: '数据看板' })).toHaveCount(0)
    const csv = await page.request.get('/api/v1/ops/metrics.csv?range=90d')
    expect(csv.status()).toBe(403)
  })
})
