import { DEMO_PASSWORD, expect, logIn, postSlsJob, test } from './fixtures.ts'

// Issue 6's journey: a designer opens a job, matching finds the demo workshop's SLS printer,
// the workshop confirms its auto-quote on the job board (接单大厅) with a comment, the
// designer compares the quotes side by side and accepts, and the order awaits payment.

// The refused price answers 400, which the browser logs.
test.use({ allowedConsoleErrors: [/status of 400 \(Bad Request\)/] })

test('a workshop confirms its auto-quote and the designer accepts it: an order awaits payment', async ({
  page,
  newPage,
}, testInfo) => {
  test.setTimeout(120_000)
  const title = `e2e 尼龙卡扣 ${Date.now().toString(36)}`
  await logIn(page, 'designer@demo.test', DEMO_PASSWORD)
  await expect(page.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()
  const jobPath = await postSlsJob(page, title)

  // Before the workshop confirms, the designer sees estimates that cannot be accepted yet.
  const compare = page.getByRole('region', { name: '报价对比' })
  await expect(compare.getByText('平台估价，等待工厂确认').first()).toBeVisible()
  await expect(compare.getByRole('button', { name: '接受此报价并下单' })).toHaveCount(0)

  // The workshop finds the job on its job board with the estimate and why it matched.
  const workshop = await newPage()
  await logIn(workshop, 'workshop@demo.test', DEMO_PASSWORD)
  await expect(workshop.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
  await workshop.getByRole('link', { name: '接单大厅' }).first().click()
  await expect(workshop.getByRole('heading', { level: 1, name: '接单大厅' })).toBeVisible()
  const card = workshop.locator('article.quote-card').filter({ hasText: title })
  await expect(card.getByText('待工厂确认')).toBeVisible()
  await card.getByText('为什么匹配到你').click()
  await expect(card.getByText(/^空闲产能: 交期前空闲 [\d.]+ 小时/)).toBeVisible()

  // A bad price is refused beside the field, and what was typed stays.
  await card.getByLabel('单价（元，含平台服务费）').fill('-5')
  await card.getByLabel('备注').fill('本色白，打样后 3 天内出货')
  await card.getByRole('button', { name: '确认报价' }).click()
  await expect(card.getByRole('alert').filter({ hasText: '请输入金额' })).toBeVisible()
  await expect(card.getByLabel('备注')).toHaveValue('本色白，打样后 3 天内出货')

  // Adjust the unit price to ¥12.50 and confirm.
  await card.getByLabel('单价（元，含平台服务费）').fill('12.50')
  await card.getByRole('button', { name: '确认报价' }).click()
  await expect(workshop.getByRole('status')).toHaveText('报价已确认，设计方会收到通知。')
  await expect(card.getByText('¥12.50').first()).toBeVisible()

  // The designer compares side by side and accepts the confirmed quote.
  await page.goto(jobPath)
  const column = compare.getByRole('columnheader', { name: /小榄精密数控加工厂/ })
  await expect(column.getByText('有效')).toBeVisible()
  await expect(compare.getByRole('row', { name: /^单价/ })).toContainText('¥12.50')
  await expect(compare.getByRole('row', { name: /^价格构成/ })).toContainText('工厂调整')
  await expect(compare.getByRole('row', { name: /^备注/ })).toContainText('本色白')
  const shot = testInfo.outputPath('quote-comparison.png')
  await compare.screenshot({ path: shot })
  await testInfo.attach('quote-comparison', { path: shot, contentType: 'image/png' })
  // A second tab on the same comparison: its click comes after the order exists.
  const stale = await page.context().newPage()
  await stale.goto(jobPath)
  await compare.getByRole('button', { name: '接受此报价并下单' }).click()

  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?accepted=1$/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待付款')
  await expect(page.getByRole('status')).toHaveText(
    '已接受报价并生成订单。其他报价已自动拒绝，需求已关闭。',
  )
  const orderPath = new URL(page.url()).pathname
  // 40 × ¥12.50 + one-off charges + the sample (the job needs one): payable as stored.
  await expect(page.getByTestId('order-total')).toHaveText(/^¥[\d,]+\.\d\d$/)
  await expect(page.getByText('接受报价，生成订单（待付款）')).toBeVisible()

  // The stale tab's click (a double submit) lands on the same order, not a second one.
  await stale
    .getByRole('region', { name: '报价对比' })
    .getByRole('button', { name: '接受此报价并下单' })
    .click()
  await expect(stale).toHaveURL(new RegExp(`${orderPath}\\?accepted=1$`))
  await stale.goto(jobPath)
  await expect(stale.getByText(/已下单：订单 SF\d+。/)).toBeVisible()
  await expect(
    stale
      .getByRole('region', { name: '报价对比' })
      .getByRole('button', { name: '接受此报价并下单' }),
  ).toHaveCount(0)

  // The workshop sees the order too.
  await workshop.goto(orderPath)
  await expect(workshop.getByRole('heading', { level: 1 })).toContainText('待付款')
  await expect(workshop.getByText('设计方已下单，等待付款。', { exact: false })).toBeVisible()
})
