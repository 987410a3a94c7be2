import { type Locator, type Page } from '@playwright/test'
import { DEMO_PASSWORD, expect, logIn, shanghaiDay, test } from './fixtures.ts'

// The supply side as people use it: a workshop lists a machine and its idle hours, anyone
// finds it in the capability search (with and without JavaScript, in Chinese and English),
// and bad input is refused where the user can see why.

const DEMO_WORKSHOP = '小榄精密数控加工厂'

/** A token no earlier run has used: lowercase letters and digits (one search term). */
function uniqueToken() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
}

interface Machine {
  name: string
  model: string
  envelope: [string, string, string]
  tolerance: string
}

/** Fills the "登记设备" form (5-axis milling, two aluminium alloys) and submits it. */
async function fillMachineForm(page: Page, machine: Machine) {
  await page.getByLabel('工艺', { exact: true }).selectOption({ label: '五轴数控铣' })
  await page.getByLabel('设备名称', { exact: true }).fill(machine.name)
  await page.getByLabel('品牌', { exact: true }).fill('北京精雕')
  await page.getByLabel('型号', { exact: true }).fill(machine.model)
  const materials = page.getByRole('group', { name: '可加工材料' })
  await materials.getByRole('checkbox', { name: '铝合金 6061' }).check()
  await materials.getByRole('checkbox', { name: '铝合金 7075' }).check()
  await page.getByLabel('X 行程（mm）', { exact: true }).fill(machine.envelope[0])
  await page.getByLabel('Y 行程（mm）', { exact: true }).fill(machine.envelope[1])
  await page.getByLabel('Z 行程（mm）', { exact: true }).fill(machine.envelope[2])
  await page.getByLabel('最佳公差（mm）', { exact: true }).fill(machine.tolerance)
  await page.getByLabel('表面处理', { exact: true }).fill('阳极氧化，喷砂')
  await page.getByLabel('工时费（元/小时）', { exact: true }).fill('180')
  await page.getByLabel('开机费（元）', { exact: true }).fill('300')
  await expect(page.getByRole('checkbox', { name: '对外开放接单' })).toBeChecked()
  await page.getByRole('button', { name: '保存设备' }).click()
}

/** The result card (or workshop-page card) whose heading starts with the machine's name. */
function machineCard(scope: Page | Locator, name: string) {
  // A `has` locator is relative to the item: build it from the page, not from the scope.
  const page = 'page' in scope ? scope.page() : scope
  return scope.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) })
}

/** A search parameter of the page's current URL. */
function queryOf(page: Page, name: string) {
  return new URL(page.url()).searchParams.get(name)
}

/** "共 172 台设备" → 172 */
async function totalOf(page: Page, pattern = /^共 (\d+) 台设备$/) {
  const text = await page.getByText(pattern).textContent()
  return Number(text?.match(pattern)?.[1])
}

test('a workshop lists a 5-axis machine with idle hours and anyone finds it', async ({
  page,
  newPage,
}) => {
  // The longest journey: two users, a dozen pages and a wait for the search index.
  test.setTimeout(60_000)
  const token = uniqueToken()
  const machine: Machine = {
    name: `五轴加工中心 E2E ${token}`,
    model: `ZX-${token}`,
    envelope: ['650', '520', '400'],
    tolerance: '0.01',
  }

  await logIn(page, 'workshop@demo.test', DEMO_PASSWORD)
  await expect(page.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
  await page.goto('/workshop/resources/new')
  await expect(page.getByRole('heading', { level: 1, name: '登记设备' })).toBeVisible()
  await fillMachineForm(page, machine)

  await expect(page).toHaveURL(/\/workshop\/resources\/[0-9a-f-]{36}\?saved=1$/)
  await expect(page.getByRole('status')).toHaveText('设备已保存。')
  await expect(
    page.getByRole('heading', { level: 1, name: `编辑设备 · ${machine.name}` }),
  ).toBeVisible()
  await expect(page.getByLabel('型号', { exact: true })).toHaveValue(machine.model)

  // Capacity: 8 h a day for the 14 days from tomorrow (Shanghai days).
  const capacity = page.getByRole('region', { name: '空闲产能' })
  await expect(capacity.getByText('还没有设置空闲产能。')).toBeVisible()
  const from = shanghaiDay(1)
  const to = shanghaiDay(14)
  await capacity.getByLabel('开始日期', { exact: true }).fill(from)
  await capacity.getByLabel('结束日期', { exact: true }).fill(to)
  await capacity.getByLabel('每天工时', { exact: true }).fill('8')
  await capacity.getByRole('button', { name: '添加时段' }).click()

  await expect(page.getByRole('status')).toHaveText('空闲产能已更新。')
  await expect(capacity.getByText('还没有设置空闲产能。')).toHaveCount(0)
  const windows = capacity.getByRole('table').filter({
    has: page.getByRole('columnheader', { name: '每天工时' }),
  })
  await expect(windows.getByRole('row')).toHaveCount(2)
  await expect(windows.getByRole('row').nth(1).getByRole('cell')).toHaveText([
    from,
    to,
    '8 小时',
    '删除',
  ])
  // The 8-week calendar from today: 6 days of the window in week 1, 7 in week 2, 1 in week 3.
  const calendar = capacity.getByRole('table').filter({
    has: page.getByRole('columnheader', { name: '空闲' }),
  })
  const weeks = calendar.getByRole('row')
  await expect(weeks).toHaveCount(9)
  const expected = ['48 小时', '56 小时', '8 小时', '0 小时']
  for (const [i, hours] of expected.entries()) {
    await expect(weeks.nth(i + 1).getByRole('cell')).toHaveText([hours, '0 小时', hours])
  }

  // The workshop's list shows the 112 idle hours of the coming 4 weeks.
  await page.getByRole('link', { name: '返回我的设备' }).click()
  const row = page.getByRole('row').filter({ hasText: machine.name })
  await expect(row).toHaveCount(1)
  await expect(row.getByRole('cell').nth(5)).toHaveText('112 小时')
  await expect(row.getByRole('cell').nth(6)).toHaveText('接单中')

  // Anyone, not logged in, finds it by what they need (五轴, 铝) plus its model token.
  const visitor = await newPage()
  await visitor.goto('/capabilities')
  await expect(visitor.getByRole('heading', { level: 1, name: '找产能' })).toBeVisible()
  await expect(visitor.getByRole('link', { name: '登录' })).toBeVisible()
  await visitor.getByRole('searchbox', { name: '搜索' }).fill(`五轴 铝 ${token}`)
  await expect.poll(() => queryOf(visitor, 'q')).toBe(`五轴 铝 ${token}`)

  const card = machineCard(visitor, machine.name)
  // The worker indexes the machine (and its capacity) shortly after the save.
  await expect(async () => {
    await visitor.reload()
    await expect(card).toBeVisible({ timeout: 1_000 })
    await expect(card).toContainText('4 周空闲 112 小时', { timeout: 1_000 })
  }).toPass({ timeout: 20_000 })
  await expect(visitor.getByText('共 1 台设备')).toBeVisible()
  await expect(card.getByRole('heading')).toContainText('北京精雕')
  await expect(card.getByRole('heading')).toContainText(machine.model)
  await expect(card).toContainText('五轴数控铣 · 铝合金 6061、铝合金 7075')
  await expect(card).toContainText('行程 650×520×400 mm · 公差 ±0.01 mm · 4 周空闲 112 小时')
  await expect(card.getByRole('link', { name: DEMO_WORKSHOP })).toBeVisible()
  await expect(card).toContainText(`${DEMO_WORKSHOP} · 小榄`)

  // Ticking the town facet 小榄 keeps it (and only it).
  const towns = visitor.getByRole('group', { name: '镇街' })
  await expect(towns.getByRole('checkbox')).toHaveCount(1)
  await towns.getByRole('checkbox', { name: '小榄 (1)' }).check()
  await expect(visitor).toHaveURL(/[?&]town=xiaolan(&|$)/)
  expect(queryOf(visitor, 'q')).toBe(`五轴 铝 ${token}`)
  await expect(towns.getByRole('checkbox', { name: '小榄 (1)' })).toBeChecked()
  await expect(card).toBeVisible()
  await expect(visitor.getByText('共 1 台设备')).toBeVisible()

  // The workshop link opens its public page, which lists the machine.
  await card.getByRole('link', { name: DEMO_WORKSHOP }).click()
  await expect(visitor).toHaveURL(/\/workshops\/[0-9a-f-]{36}$/)
  await expect(visitor.getByRole('heading', { level: 1 })).toContainText(DEMO_WORKSHOP)
  const machines = visitor.getByRole('region', { name: '设备与产能' })
  const listed = machineCard(machines, machine.name)
  await expect(listed).toBeVisible()
  await expect(listed).toContainText('五轴数控铣 · 铝合金 6061、铝合金 7075')
  await expect(listed).toContainText(
    '行程 650×520×400 mm · 公差 ±0.01 mm · 4 周空闲 112 小时 · 阳极氧化、喷砂',
  )
})

test('the search works without JavaScript: query, facets and pages', async ({ newPage }) => {
  const page = await newPage({ javaScriptEnabled: false })
  await page.goto('/capabilities')
  await expect(page.getByRole('heading', { level: 1, name: '找产能' })).toBeVisible()
  const everything = await totalOf(page)
  expect(everything, 'the demo data has plenty of machines').toBeGreaterThan(100)

  await page.getByRole('searchbox', { name: '搜索' }).fill('cnc aluminium')
  await page.getByRole('button', { name: '搜索', exact: true }).click()
  await expect(page).toHaveURL(/[?&]q=cnc(\+|%20)aluminium(&|$)/)
  await expect(page.getByRole('searchbox', { name: '搜索' })).toHaveValue('cnc aluminium')
  const matching = await totalOf(page)
  expect(matching).toBeGreaterThan(0)
  expect(matching).toBeLessThan(everything)
  const hits = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) })
  await expect(hits).toHaveCount(Math.min(matching, 20))

  // Facet counts: the 3-axis count becomes the total once that box is ticked.
  const processes = page.getByRole('group', { name: '工艺' })
  const threeAxis = processes.getByRole('checkbox', { name: /^三轴数控铣 \(\d+\)$/ })
  await expect(threeAxis).toBeVisible()
  const facetLabel = await threeAxis.locator('xpath=..').textContent()
  const threeAxisCount = Number(facetLabel?.match(/\((\d+)\)/)?.[1])
  expect(threeAxisCount).toBeGreaterThan(0)
  await expect(page.getByRole('group', { name: '材料' }).getByRole('checkbox')).not.toHaveCount(0)
  await expect(page.getByRole('group', { name: '镇街' }).getByRole('checkbox')).not.toHaveCount(0)

  await threeAxis.check()
  await page.getByRole('button', { name: '应用筛选' }).click()
  await expect(page).toHaveURL(/[?&]process=cnc_milling_3axis(&|$)/)
  await expect(page).toHaveURL(/[?&]q=cnc(\+|%20)aluminium(&|$)/)
  expect(await totalOf(page)).toBe(threeAxisCount)
  await expect(processes.getByRole('checkbox', { name: /^三轴数控铣/ })).toBeChecked()
  const filtered = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 2 }) })
  await expect(filtered).toHaveCount(Math.min(threeAxisCount, 20))
  for (const hit of await filtered.all()) await expect(hit).toContainText('三轴数控铣 · ')

  // Pages: everything is more than one page of 20.
  await page.getByRole('link', { name: '清除全部' }).click()
  await expect(page).toHaveURL(/\/capabilities$/)
  const pages = Math.ceil(everything / 20)
  const pager = page.getByRole('navigation', { name: `第 1 / ${pages} 页` })
  await expect(pager).toBeVisible()
  await expect(pager.getByRole('link', { name: '上一页' })).toHaveCount(0)
  const firstOnPage1 = await hits.first().getByRole('heading').textContent()
  await pager.getByRole('link', { name: '下一页' }).click()
  await expect(page).toHaveURL(/[?&]page=2(&|$)/)
  const pager2 = page.getByRole('navigation', { name: `第 2 / ${pages} 页` })
  await expect(pager2).toBeVisible()
  await expect(hits).toHaveCount(20)
  await expect(hits.first().getByRole('heading')).not.toHaveText(firstOnPage1 ?? '')
  await pager2.getByRole('link', { name: '上一页' }).click()
  await expect(page).toHaveURL(/[?&]page=1(&|$)/)
  await expect(hits.first().getByRole('heading')).toHaveText(firstOnPage1 ?? '')
})

test('with JavaScript the results follow the search box, in Chinese and English', async ({
  page,
}) => {
  await page.goto('/capabilities')
  await expect(page.getByRole('heading', { level: 1, name: '找产能' })).toBeVisible()
  const everything = await totalOf(page)
  // Set on the document: a full page load would lose it.
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true))

  const box = page.getByRole('searchbox', { name: '搜索' })
  await box.pressSequentially('SLA 光敏树脂', { delay: 30 })
  await expect(page).toHaveURL(/[?&]q=SLA(\+|%20)%E5%85%89%E6%95%8F%E6%A0%91%E8%84%82(&|$)/)
  const hits = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) })
  await expect(page.getByText(/^共 \d+ 台设备$/)).not.toHaveText(`共 ${everything} 台设备`)
  const sla = await totalOf(page)
  expect(sla).toBeGreaterThan(0)
  await expect(hits).toHaveCount(Math.min(sla, 20))
  for (const hit of await hits.all()) await expect(hit).toContainText('SLA 光固化 3D打印 · ')
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true)

  // Clearing the box brings everything back, still without a page load.
  await box.clear()
  await expect(page.getByText(`共 ${everything} 台设备`)).toBeVisible()
  await expect(page).not.toHaveURL(/[?&]q=/)
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true)

  // English, from the language switch; the page keeps working as you type.
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Find capacity' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(page.getByText(`${everything} machines`)).toBeVisible()
  await expect(page.getByRole('group', { name: 'Process' })).toBeVisible()
  await expect(page.getByRole('group', { name: 'Town' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Apply filters' })).toBeVisible()
  const enBox = page.getByRole('searchbox', { name: 'Search' })
  await expect(enBox).toHaveAttribute('placeholder', /cnc aluminium/)
  await enBox.pressSequentially('5-axis aluminium', { delay: 30 })
  await expect(page).toHaveURL(/[?&]q=5-axis(\+|%20)aluminium(&|$)/)
  await expect(page.getByText(/^\d+ machines$/)).not.toHaveText(`${everything} machines`)
  const enHits = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) })
  await expect(enHits.first()).toContainText(/Envelope \d+×\d+×\d+ mm · Tolerance ±[\d.]+ mm/)
  for (const hit of await enHits.all()) {
    await expect(hit).toContainText('5-axis CNC milling · ')
    await expect(hit).toContainText(/Aluminium|AlSi10Mg/)
  }
  await expect(page.getByRole('heading', { level: 1, name: '找产能' })).toHaveCount(0)

  // And back to Chinese.
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '找产能' })).toBeVisible()
})

test.describe('bad input is refused where the user sees it', () => {
  // Chromium logs the 400 responses (document or data request) itself.
  test.use({ allowedConsoleErrors: [/status of 400/] })

  test('a search query over 200 characters shows an error', async ({ page }) => {
    // The box stops at 200 characters, so such a query comes from a link or an edited URL.
    const response = await page.goto(`/capabilities?q=${'铝'.repeat(201)}`)
    expect(response?.status()).toBe(400)
    await expect(page.getByRole('heading', { level: 1, name: '找产能' })).toBeVisible()
    const alert = page.getByRole('alert')
    await expect(alert).toHaveText(/^搜索条件有误：.*200/)
    await expect(page.getByText('共 0 台设备')).toBeVisible()
    const hits = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) })
    await expect(hits).toHaveCount(0)

    // Typing cannot go past 200 characters; a shorter query clears the error.
    const box = page.getByRole('searchbox', { name: '搜索' })
    await box.clear()
    await box.fill('铝'.repeat(205))
    await expect(box).toHaveValue('铝'.repeat(200))
    await box.clear()
    await box.pressSequentially('铝合金')
    await expect(alert).toHaveCount(0)
    await expect(hits.first()).toBeVisible()
    await expect(page.getByText(/^共 [1-9]\d* 台设备$/)).toBeVisible()

    // A part size that is not three sizes is refused with the reason, the same way.
    await page.getByLabel('零件尺寸（mm，长×宽×高）', { exact: true }).fill('300,200')
    await expect(alert).toHaveText(/^搜索条件有误：.*300,200,50/)
    await expect(hits).toHaveCount(0)
    await page.getByLabel('零件尺寸（mm，长×宽×高）', { exact: true }).fill('300,200,50')
    await expect(alert).toHaveCount(0)
    await expect(hits.first()).toBeVisible()
    expect(new URL(page.url()).searchParams.get('min_envelope_mm')).toBe('300,200,50')
  })

  for (const javaScriptEnabled of [true, false]) {
    test(`the new-machine form refuses envelope 0 and tolerance ≤ 0 (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
      newPage,
    }) => {
      const page = await newPage({ javaScriptEnabled })
      await logIn(page, 'workshop@demo.test', DEMO_PASSWORD)
      await expect(page.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
      await page.goto('/workshop/resources/new')
      const token = uniqueToken()
      const name = `无效设备 ${token}`
      await fillMachineForm(page, {
        name,
        model: `BAD-${token}`,
        envelope: ['0', '520', '400'],
        tolerance: javaScriptEnabled ? '0' : '-0.02',
      })

      const x = page.getByLabel('X 行程（mm）', { exact: true })
      const tolerance = page.getByLabel('最佳公差（mm）', { exact: true })
      await expect(x).toHaveAttribute('aria-invalid', 'true')
      await expect(x).toHaveAccessibleDescription('加工范围须大于 0 且不超过 10000 mm')
      await expect(tolerance).toHaveAttribute('aria-invalid', 'true')
      await expect(tolerance).toHaveAccessibleDescription('公差须大于 0')
      await expect(page.getByLabel('Y 行程（mm）', { exact: true })).not.toHaveAttribute(
        'aria-invalid',
        'true',
      )
      await expect(page).toHaveURL(/\/workshop\/resources\/new$/)
      await expect(page.getByRole('heading', { level: 1, name: '登记设备' })).toBeVisible()
      // What the user typed is still there to correct.
      await expect(page.getByLabel('设备名称', { exact: true })).toHaveValue(name)

      // Nothing was saved.
      await page.goto('/workshop/resources')
      await expect(page.getByRole('heading', { level: 1, name: '我的设备' })).toBeVisible()
      await expect(page.getByRole('row').filter({ hasText: 'DMU 50' })).toHaveCount(1)
      await expect(page.getByText(name)).toHaveCount(0)
    })
  }
})
