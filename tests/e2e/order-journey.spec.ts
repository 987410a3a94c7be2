import type { Page } from '@playwright/test'
import {
  DEMO_PASSWORD,
  attachShot,
  expect,
  expectOrderStatus as expectStatus,
  logIn,
  orderAction as act,
  postSlsJob,
  shanghaiDay,
  test,
} from './fixtures.ts'

// Issue 7's journey, continuing issue 6's (quotes.spec.ts): three browser contexts — the
// designer, the workshop and an operator — take one order from acceptance through bank
// transfer, two sample rounds (the first rejected with a photo), a batch shipped in two parts,
// delivery, an inspection with measurements, to both parties' reviews.

// A step that cannot happen fails in seconds, not at the test's timeout.
test.use({ actionTimeout: 15_000, navigationTimeout: 30_000 })

const WORKSHOP = '小榄精密数控加工厂'
const DESIGN_FIRM = '古镇灯饰设计工作室'
const QUANTITY = 40
// GB/T 2828.1 Table 1: a lot of 26–50 at level II is code letter D; Table 2-A at AQL 1.0
// points down from D to E's plan: n = 13, Ac 0, Re 1 (the job's default AQL is 1.0).
const PLAN = `批量 ${QUANTITY} 件，检验水平 II，AQL 1：样本字码 D，抽样 13 件，Ac 0 / Re 1`

test('designer, workshop and operator take an order from acceptance to both reviews', async ({
  page: designer,
  newPage,
}, testInfo) => {
  test.setTimeout(180_000)
  const title = `e2e 订单全流程 ${Date.now().toString(36)}`
  const timeline = (page: Page) => page.getByRole('region', { name: '订单记录' })

  // 1. The designer posts the job; the workshop confirms its auto-quote; the designer accepts.
  await logIn(designer, 'designer@demo.test', DEMO_PASSWORD)
  await expect(designer.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()
  const jobPath = await postSlsJob(designer, title, QUANTITY)

  const workshop = await newPage()
  await logIn(workshop, 'workshop@demo.test', DEMO_PASSWORD)
  await expect(workshop.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
  await workshop.goto('/workshop/job-board')
  const card = workshop.locator('article.quote-card').filter({ hasText: title })
  await expect(card.getByText('待工厂确认')).toBeVisible()
  await card.getByLabel('单价（元，含平台服务费）').fill('12.50')
  await card.getByRole('button', { name: '确认报价' }).click()
  await expect(workshop.getByRole('status')).toHaveText('报价已确认，设计方会收到通知。')

  await designer.goto(jobPath)
  await designer
    .getByRole('region', { name: '报价对比' })
    .getByRole('button', { name: '接受此报价并下单' })
    .click()
  await expect(designer).toHaveURL(/\/orders\/[0-9a-f-]{36}\?accepted=1$/)
  const orderPath = new URL(designer.url()).pathname
  await expectStatus(designer, '待付款')
  const total = (await designer.getByTestId('order-total').textContent()) ?? ''
  expect(total).toMatch(/^¥[\d,]+\.\d\d$/)

  // 2. Bank transfer: the account, the amount and the order number as the reference.
  const payment = designer.getByRole('region', { name: '付款（银行转账）' })
  await expect(payment.getByText('共享工厂平台客户资金托管户（演示）')).toBeVisible()
  await expect(payment.getByText('中国工商银行中山古镇支行（演示）')).toBeVisible()
  await expect(payment.getByText(total, { exact: true })).toBeVisible()
  const orderNumber = (await designer.getByTestId('payment-reference').textContent()) ?? ''
  expect(orderNumber).toMatch(/^SF\d+$/)
  await expect(designer.getByRole('heading', { level: 1 })).toContainText(orderNumber)
  await expect(payment.getByText('转账附言（必填）')).toBeVisible()
  await expect(payment.getByText(/款项转入平台托管账户/)).toBeVisible()
  await expect(
    designer.getByText('下一步：按下面的账户转账并点击“我已转账”。', { exact: false }),
  ).toBeVisible()
  await act(designer, orderPath, 'report_transfer', '我已转账', async (form) => {
    await form.getByLabel('付款户名', { exact: true }).fill('古镇灯饰设计工作室')
    await expect(form.getByLabel('转账日期', { exact: true })).toHaveValue(shanghaiDay(0))
  })
  await expectStatus(designer, '待付款')
  await expect(
    payment.getByText(/^已报告转账：古镇灯饰设计工作室，.+。等待平台核对到账。$/),
  ).toBeVisible()
  await expect(timeline(designer).getByText(/我已转账: 待付款/)).toBeVisible()
  await attachShot(testInfo, payment, 'payment-section')

  // The operator finds the order in the list and confirms receipt; the amount is prefilled.
  const operator = await newPage()
  await logIn(operator, 'operator@demo.test', DEMO_PASSWORD)
  await expect(operator.getByRole('heading', { level: 1, name: '运营后台' })).toBeVisible()
  await operator
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: '订单' })
    .click()
  await expect(operator.getByRole('heading', { level: 1, name: '订单' })).toBeVisible()
  await operator
    .getByRole('row')
    .filter({ hasText: title })
    .getByRole('link', { name: orderNumber, exact: true })
    .click()
  await expect(operator).toHaveURL(new RegExp(`${orderPath}$`))
  await expect(operator.getByText('等待设计方转账；看到到账后确认收款。')).toBeVisible()
  await act(operator, orderPath, 'confirm_payment', '确认收款', async (form) => {
    await expect(form.getByLabel('到账金额（元）', { exact: true })).toHaveValue(
      total.replace(/[¥,]/g, ''),
    )
    await form.getByLabel('银行流水号', { exact: true }).fill(`ICBC${Date.now()}`)
  })
  await expectStatus(operator, '打样中')
  await expect(timeline(operator).getByText('确认收款: 待付款 → 打样中')).toBeVisible()

  await designer.goto(orderPath)
  await expectStatus(designer, '打样中')
  await expect(designer.getByText('工厂正在打样，寄出后你会收到通知。')).toBeVisible()
  await expect(designer.getByRole('region', { name: '付款（银行转账）' })).toHaveCount(0)

  // 3. Sample round 1: shipped, then rejected with feedback and a photo.
  await workshop.goto(orderPath)
  await expectStatus(workshop, '打样中')
  await expect(workshop.getByText('款项已托管：请打样并寄出样品。')).toBeVisible()
  await act(workshop, orderPath, 'ship_sample', '寄出样品', async (form) => {
    await form.getByLabel('承运商', { exact: true }).fill('顺丰速运')
    await form.getByLabel('运单号', { exact: true }).fill('SF1001')
  })
  await expectStatus(workshop, '样品已发出')

  // The workshop writes in the order's thread; the designer's order list shows it unread.
  const note = '第一轮样品已寄出，卡扣位置按图纸做的，请重点看装配。'
  const thread = workshop.getByRole('region', { name: '留言' })
  await thread.getByLabel('留言内容', { exact: true }).fill(note)
  await thread.getByRole('button', { name: '发送', exact: true }).click()
  await expect(thread.getByText(note)).toBeVisible()

  await designer.goto('/orders')
  const row = designer.getByRole('row').filter({ hasText: title })
  await expect(row.getByText('样品已发出')).toBeVisible()
  await row.getByRole('link', { name: '1 条未读' }).click()
  await expect(designer).toHaveURL(new RegExp(`${orderPath}#messages$`))
  const designerThread = designer.getByRole('region', { name: '留言' })
  await expect(designerThread.getByText(note)).toBeVisible()
  await expect(designerThread.getByText(WORKSHOP)).toBeVisible()
  await designer.goto('/orders')
  await expect(row.getByRole('link', { name: /条未读/ })).toHaveCount(0)

  // The designer uploads a photo of the sample, then rejects round 1 with it.
  await designer.goto(orderPath)
  await expect(
    designer.getByText('样品已寄出：收到后确认合格，或写明修改意见要求重做。'),
  ).toBeVisible()
  const photoName = `样品第1轮-${Date.now().toString(36)}.png`
  const photo = await designer.screenshot({ clip: { x: 0, y: 0, width: 96, height: 64 } })
  const attachments = designer.getByRole('region', { name: '订单附件' })
  await attachments
    .getByLabel('上传照片或 PDF', { exact: true })
    .setInputFiles({ name: photoName, mimeType: 'image/png', buffer: photo })
  await attachments.getByRole('button', { name: '上传', exact: true }).click()
  await designer.waitForURL(new RegExp(`${orderPath}\\?attached=1#attachments$`))
  await expect(attachments.getByRole('link', { name: photoName })).toBeVisible()

  const feedback = '卡扣太紧，装配时断了两个；请把卡扣间隙加大 0.2 mm。'
  await act(designer, orderPath, 'reject_sample', '样品不合格，要求重新打样', async (form) => {
    await expect(form.getByText('第 1 轮打样，最多 3 轮。')).toBeVisible()
    await form.getByLabel('修改意见（工厂可见）', { exact: true }).fill(feedback)
    await form.getByRole('checkbox', { name: photoName }).check()
  })
  await expectStatus(designer, '打样中')
  const samples = designer.getByRole('region', { name: '打样记录' })
  const round1 = samples.getByRole('listitem').filter({ hasText: '第 1 轮' })
  await expect(round1.getByText(/^顺丰速运 SF1001，1 件，.+ 寄出/)).toBeVisible()
  await expect(round1.getByText('样品不合格')).toBeVisible()
  await expect(round1.getByText(feedback)).toBeVisible()
  await expect(round1.getByRole('link', { name: photoName })).toBeVisible()
  await expect(
    timeline(designer).getByText('样品不合格，要求重新打样: 样品已发出 → 打样中'),
  ).toBeVisible()
  await attachShot(testInfo, samples, 'sample-rejection')

  // Round 2: the workshop sees the feedback, ships again; the designer approves.
  await workshop.goto(orderPath)
  await expectStatus(workshop, '打样中')
  await expect(workshop.getByRole('region', { name: '打样记录' }).getByText(feedback)).toBeVisible()
  await act(workshop, orderPath, 'ship_sample', '寄出样品', async (form) => {
    await form.getByLabel('承运商', { exact: true }).fill('顺丰速运')
    await form.getByLabel('运单号', { exact: true }).fill('SF1002')
    await form.getByLabel('备注', { exact: true }).fill('卡扣间隙已加大 0.2 mm')
  })
  await expectStatus(workshop, '样品已发出')

  await act(designer, orderPath, 'approve_sample', '样品合格，开始批量生产', async (form) => {
    await form.getByLabel('意见（可选）', { exact: true }).fill('装配顺畅，按此批量。')
  })
  await expectStatus(designer, '生产中')
  const round2 = samples.getByRole('listitem').filter({ hasText: '第 2 轮' })
  await expect(
    round2.getByText(/^顺丰速运 SF1002，1 件，.+ 寄出 · 卡扣间隙已加大 0.2 mm/),
  ).toBeVisible()
  await expect(round2.getByText('样品合格')).toBeVisible()
  await expect(designer.getByText('工厂正在批量生产，发货后你会收到通知。')).toBeVisible()

  // 4. The batch in two shipments: 15 first (still in production), then the 25 left.
  await workshop.goto(orderPath)
  await expect(workshop.getByText('请批量生产并发货；可以分多次发货。')).toBeVisible()
  await act(workshop, orderPath, 'ship_batch', '批量发货', async (form) => {
    await expect(form.getByText(`本批还需发 ${QUANTITY} 件；可以分多次发货`)).toBeVisible()
    await form.getByLabel('承运商', { exact: true }).fill('德邦快递')
    await form.getByLabel('运单号', { exact: true }).fill('DB2001')
    await form.getByLabel('数量', { exact: true }).fill('15')
  })
  await expectStatus(workshop, '生产中')
  const rest = workshop.getByRole('form', { name: '批量发货' })
  await expect(rest.getByText(`本批还需发 ${QUANTITY - 15} 件；可以分多次发货`)).toBeVisible()
  await expect(rest.getByLabel('数量', { exact: true })).toHaveValue(String(QUANTITY - 15))
  await act(workshop, orderPath, 'ship_batch', '批量发货', async (form) => {
    await form.getByLabel('承运商', { exact: true }).fill('德邦快递')
    await form.getByLabel('运单号', { exact: true }).fill('DB2002')
  })
  await expectStatus(workshop, '已发货')
  const shipments = workshop.getByRole('region', { name: '发货记录' })
  await expect(shipments.getByRole('row').filter({ hasText: 'DB2001' })).toContainText('15')
  await expect(shipments.getByRole('row').filter({ hasText: 'DB2002' })).toContainText(
    String(QUANTITY - 15),
  )
  await expect(timeline(workshop).getByText('批量发货: 生产中 → 已发货')).toBeVisible()

  await designer.goto(orderPath)
  await expect(designer.getByText(/^货已发出：收到后请确认收货。/)).toBeVisible()
  await act(designer, orderPath, 'confirm_delivery', '确认收货')
  await expectStatus(designer, '已送达')
  await expect(designer.getByText(/^已收货：请在 7 天内完成品检/)).toBeVisible()
  await act(designer, orderPath, 'start_inspection', '开始品检')
  await expectStatus(designer, '品检中')

  // The inspection: two measured features, all inside tolerance, no defects → accepted.
  await act(designer, orderPath, 'record_inspection', '记录品检结果', async (form) => {
    await expect(
      form.getByText(`批量 ${QUANTITY} 件。按 GB/T 2828.1`, { exact: false }),
    ).toBeVisible()
    await form.getByLabel('特征 1', { exact: true }).fill('长度')
    await form.getByLabel('名义值 1', { exact: true }).fill('60')
    await form.getByLabel('下偏差 1', { exact: true }).fill('0.3')
    await form.getByLabel('上偏差 1', { exact: true }).fill('0.3')
    await form.getByLabel('实测值 1', { exact: true }).fill('60.05, 59.92, 60.11')
    await form.getByLabel('特征 2', { exact: true }).fill('高度')
    await form.getByLabel('名义值 2', { exact: true }).fill('20')
    await form.getByLabel('下偏差 2', { exact: true }).fill('0.2')
    await form.getByLabel('上偏差 2', { exact: true }).fill('0.2')
    await form.getByLabel('实测值 2', { exact: true }).fill('20.02 19.95 20.1')
    await form.getByLabel('样本中的不合格品数', { exact: true }).fill('0')
  })
  await expectStatus(designer, '已完成')
  await expect(designer.getByText('订单已完成。欢迎评价这次合作。')).toBeVisible()
  const inspection = designer.getByRole('region', { name: /^品检记录/ })
  await expect(inspection.getByRole('heading', { name: '品检记录 接收' })).toBeVisible()
  await expect(inspection.getByText(PLAN, { exact: true })).toBeVisible()
  await expect(inspection.getByText('发现不合格品 0 件')).toBeVisible()
  await expect(inspection.getByRole('row').filter({ hasText: '长度' })).toContainText(
    /60\s*−0\.3 \/ \+0\.3\s*60\.05, 59\.92, 60\.11\s*✓/,
  )
  await expect(inspection.getByRole('row').filter({ hasText: '高度' })).toContainText(
    /20\s*−0\.2 \/ \+0\.2\s*20\.02, 19\.95, 20\.1\s*✓/,
  )
  await expect(inspection.getByText('超差')).toHaveCount(0)
  await expect(timeline(designer).getByText('记录品检结果: 品检中 → 已完成')).toBeVisible()
  await attachShot(testInfo, inspection, 'inspection-result')

  // 5. Reviews: the designer rates the workshop, the workshop rates the buyer.
  const review = designer.getByRole('region', { name: '评价' })
  await expect(review.getByText('双方都还没有评价。')).toBeVisible()
  await review.getByRole('group', { name: '质量' }).getByLabel('5 星').check()
  await review.getByRole('group', { name: '沟通' }).getByLabel('4 星').check()
  await review.getByRole('group', { name: '准时交付' }).getByLabel('5 星').check()
  await review.getByLabel('评语（选填）').fill('第二轮样品一次通过，批量尺寸稳定。')
  await review.getByRole('button', { name: '提交评价' }).click()
  await designer.waitForURL(new RegExp(`${orderPath}\\?reviewed=1#review$`))
  await expect(review.getByRole('status')).toHaveText('评价已提交，谢谢！')
  await expect(review.getByRole('button', { name: '提交评价' })).toHaveCount(0)

  await workshop.goto(orderPath)
  await expectStatus(workshop, '已完成')
  const workshopReview = workshop.getByRole('region', { name: '评价' })
  await expect(
    workshopReview.getByRole('heading', { name: new RegExp(`^${DESIGN_FIRM} 对工厂的评价`) }),
  ).toBeVisible()
  await expect(workshopReview.getByText('质量 5 / 5 · 沟通 4 / 5 · 准时交付 5 / 5')).toBeVisible()
  await expect(workshopReview.getByText('第二轮样品一次通过，批量尺寸稳定。')).toBeVisible()
  await workshopReview.getByRole('group', { name: '总体评分' }).getByLabel('5 星').check()
  await workshopReview.getByLabel('评语（选填）').fill('付款及时，反馈清楚。')
  await workshopReview.getByRole('button', { name: '提交评价' }).click()
  await workshop.waitForURL(new RegExp(`${orderPath}\\?reviewed=1#review$`))
  await expect(
    workshopReview.getByRole('heading', { name: `${WORKSHOP} 对买家的评价 · 5.0 / 5` }),
  ).toBeVisible()

  await designer.goto(orderPath)
  await expect(
    review.getByRole('heading', { name: `${WORKSHOP} 对买家的评价 · 5.0 / 5` }),
  ).toBeVisible()
  await expect(review.getByText('付款及时，反馈清楚。')).toBeVisible()
  await expect(
    review.getByRole('heading', {
      name: new RegExp(`^${DESIGN_FIRM} 对工厂的评价 · [\\d.]+ / 5$`),
    }),
  ).toBeVisible()
  await attachShot(testInfo, designer.locator('body'), 'completed-order-with-reviews')
})
