import type { Locator, Page } from '@playwright/test'
import {
  DEMO_PASSWORD,
  attachShot,
  expect,
  expectOrderStatus,
  logIn,
  orderAction,
  postSlsJob,
  shanghaiDay,
  signUp,
  test,
} from './fixtures.ts'

// Issue 8's journey: an operator creates a 服务券 programme and grants it to a design firm that
// has just signed up (so no demo grant competes with it); the firm sees the voucher on the
// quote comparison, accepts, pays the rest by bank transfer; the operator confirms; the order
// runs to completion; the operator pays both payout lines by bank transfer, and the workshop's
// statement shows them paid with their references.

// A step that cannot happen fails in seconds, not at the test's timeout.
test.use({ actionTimeout: 15_000, navigationTimeout: 30_000 })

const WORKSHOP = '小榄精密数控加工厂'
// 30 % of the contract, with a cap and a budget far above it: the share decides the amount.
const SHARE_PERCENT = 30
const CAP_YUAN = 100_000
const BUDGET_YUAN = 1_000_000

const cny = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' })
/** Fen as the pages show them in zh-CN: ¥1,234.50. */
const yuan = (fen: number) => cny.format(fen / 100)
/** "¥1,234.50" (or "−¥…") → 123450. */
function fenOf(text: string | null) {
  const match = /¥([\d,]+)\.(\d\d)/.exec(text ?? '')
  if (!match) throw new Error(`Not an amount: ${text}`)
  return Number(match[1]!.replaceAll(',', '')) * 100 + Number(match[2])
}

/** The comparison's cell in row `label` for the workshop's quote column. */
async function quoteCell(compare: Locator, label: string) {
  const headers = await compare.getByRole('columnheader').allTextContents()
  const column = headers.findIndex((h) => h.includes(WORKSHOP))
  expect(column, `${WORKSHOP}'s column`).toBeGreaterThan(0)
  // The row's first column is its header (a th), not a cell.
  return compare
    .getByRole('row', { name: new RegExp(`^${label}`) })
    .getByRole('cell')
    .nth(column - 1)
}

/** A row of the amounts table on the order page. */
const amountRow = (page: Page, label: string) =>
  page.getByRole('region', { name: '金额', exact: true }).getByRole('row', { name: label })

test('a 服务券 pays its share of an order and the workshop is paid the whole contract', async ({
  page: operator,
  newPage,
}, testInfo) => {
  test.setTimeout(90_000)
  const stamp = Date.now().toString(36)
  const programme = `e2e 服务券 ${stamp}`
  const firm = `e2e 服务券设计工作室 ${stamp}`
  const title = `e2e 服务券订单 ${stamp}`

  // 1. A design firm signs up: it holds no grant yet.
  const designer = await newPage()
  await signUp(
    designer,
    {
      kind: '设计方',
      organization: firm,
      name: '服务券测试',
      email: `e2e-voucher-${stamp}@example.test`,
    },
    'voucher-pass-1',
  )
  await expect(designer.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()

  // 2. The operator creates a programme for SLS work and grants it to the firm directly.
  await logIn(operator, 'operator@demo.test', DEMO_PASSWORD)
  await expect(operator.getByRole('heading', { level: 1, name: '运营后台' })).toBeVisible()
  await operator.getByRole('link', { name: '服务券项目' }).click()
  await expect(operator.getByRole('heading', { level: 1, name: '服务券项目' })).toBeVisible()
  const create = operator.getByRole('region', { name: '新建项目' })
  await create.getByLabel('项目名称', { exact: true }).fill(programme)
  await create.getByLabel('补贴比例（%）', { exact: true }).fill(String(SHARE_PERCENT))
  await create.getByLabel('每家企业年度上限（元）', { exact: true }).fill(String(CAP_YUAN))
  await create.getByLabel('总预算（元）', { exact: true }).fill(String(BUDGET_YUAN))
  await create.getByLabel('开始日期', { exact: true }).fill(shanghaiDay(0))
  await create.getByLabel('结束日期', { exact: true }).fill(shanghaiDay(90))
  await create
    .getByRole('group', { name: /^适用工艺/ })
    .getByRole('checkbox', { name: 'SLS 选择性激光烧结' })
    .check()
  await create.getByRole('button', { name: '创建项目' }).click()
  await expect(operator).toHaveURL(/\/console\/vouchers\/[0-9a-f-]{36}\?created=1$/)
  const programmePath = new URL(operator.url()).pathname
  await expect(operator.getByRole('status')).toHaveText('项目已创建。')
  await expect(operator.getByRole('heading', { level: 1, name: programme })).toBeVisible()
  await expect(
    operator.getByText(
      `补贴合同金额的 ${SHARE_PERCENT}%，每家企业每年最多 ${yuan(CAP_YUAN * 100)}`,
      { exact: false },
    ),
  ).toBeVisible()
  await expect(
    operator.getByText(`已使用 ¥0.00，剩余 ${yuan(BUDGET_YUAN * 100)}`, { exact: false }),
  ).toBeVisible()

  const direct = operator.getByRole('region', { name: '直接发放' })
  await direct.getByLabel('按企业名称搜索', { exact: true }).fill(firm)
  await direct.getByRole('button', { name: '搜索', exact: true }).click()
  await expect(operator).toHaveURL(/\?q=/)
  await direct.getByLabel('设计企业', { exact: true }).selectOption({ label: firm })
  await direct.getByLabel('备注（企业可见）', { exact: true }).fill('e2e 直接发放')
  await direct.getByRole('button', { name: '发放', exact: true }).click()
  await expect(operator).toHaveURL(new RegExp(`${programmePath}\\?granted=1#grants$`))
  await expect(operator.getByRole('status')).toHaveText('已发放，并已邮件通知该企业。')
  const grant = operator
    .getByRole('region', { name: '获批与驳回' })
    .getByRole('row')
    .filter({ hasText: firm })
  await expect(grant).toContainText('已获批')
  await expect(grant).toContainText(yuan(CAP_YUAN * 100))

  // 3. The firm posts a job; the workshop confirms its quote; the comparison shows the voucher.
  const jobPath = await postSlsJob(designer, title)
  const workshop = await newPage()
  await logIn(workshop, 'workshop@demo.test', DEMO_PASSWORD)
  await expect(workshop.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
  await workshop.goto('/workshop/job-board')
  const card = workshop.locator('article.quote-card').filter({ hasText: title })
  await card.getByLabel('单价（元，含平台服务费）').fill('12.50')
  await card.getByRole('button', { name: '确认报价' }).click()
  await expect(workshop.getByRole('status')).toHaveText('报价已确认，设计方会收到通知。')

  await designer.goto(jobPath)
  const compare = designer.getByRole('region', { name: '报价对比' })
  await expect(
    compare.getByText('按您已获批的服务券估算；实际金额在接受报价时确定。'),
  ).toBeVisible()
  const contract = fenOf(await (await quoteCell(compare, '应付合计（含打样）')).textContent())
  const voucher = Math.floor((contract * SHARE_PERCENT) / 100)
  const due = contract - voucher
  expect(voucher).toBeGreaterThan(0)
  await expect(await quoteCell(compare, '服务券（预估）')).toHaveText(`−${yuan(voucher)}`)
  await expect(await quoteCell(compare, '您需支付（预估）')).toHaveText(yuan(due))
  await compare.getByRole('button', { name: '接受此报价并下单' }).click()

  // 4. The order: the voucher comes off what the firm pays; escrow shows the programme's part.
  await expect(designer).toHaveURL(/\/orders\/[0-9a-f-]{36}\?accepted=1$/)
  const orderPath = new URL(designer.url()).pathname
  await expectOrderStatus(designer, '待付款')
  await expect(amountRow(designer, '小计')).toContainText(yuan(contract))
  await expect(amountRow(designer, '服务券抵扣')).toContainText(`−${yuan(voucher)}`)
  await expect(designer.getByTestId('order-total')).toHaveText(yuan(due))
  const fee = fenOf(await amountRow(designer, '其中平台服务费').textContent())
  const payment = designer.getByRole('region', { name: '付款（银行转账）' })
  await expect(payment.getByText(yuan(due), { exact: true })).toBeVisible()
  const orderNumber = (await designer.getByTestId('payment-reference').textContent()) ?? ''
  expect(orderNumber).toMatch(/^SF\d+$/)
  const escrow = designer.getByRole('region', { name: '资金托管' })
  await expect(escrow.getByText(`${programme} · ${yuan(voucher)}`)).toBeVisible()
  await attachShot(
    testInfo,
    designer.getByRole('region', { name: '金额', exact: true }),
    'order-amounts',
  )

  await orderAction(designer, orderPath, 'report_transfer', '我已转账', async (form) => {
    await form.getByLabel('付款户名', { exact: true }).fill(firm)
  })
  await expectOrderStatus(designer, '待付款')

  // 5. The operator finds the transfer in the queue and confirms the amount the firm paid.
  await operator.goto('/console')
  await operator.getByRole('link', { name: '资金', exact: true }).click()
  await expect(operator.getByRole('heading', { level: 1, name: '资金' })).toBeVisible()
  await operator.getByRole('link', { name: '到订单待办确认收款' }).click()
  const transfer = operator
    .getByRole('region', { name: '待确认的转账' })
    .getByRole('row')
    .filter({ hasText: orderNumber })
  await expect(transfer).toContainText(firm)
  await expect(transfer).toContainText(yuan(due))
  await transfer.getByRole('link', { name: orderNumber, exact: true }).click()
  await expect(operator).toHaveURL(new RegExp(`${orderPath}$`))
  const bankIn = `ICBC-IN-${stamp}`
  await orderAction(operator, orderPath, 'confirm_payment', '确认收款', async (form) => {
    await expect(form.getByLabel('到账金额（元）', { exact: true })).toHaveValue(
      yuan(due).replace(/[¥,]/g, ''),
    )
    await form.getByLabel('银行流水号', { exact: true }).fill(bankIn)
  })
  await expectOrderStatus(operator, '打样中')
  // The escrow holds the whole contract: the firm's transfer plus the programme's share.
  await expect(operator.getByTestId('escrow-held')).toHaveText(yuan(contract))

  // 6. Sample, batch, delivery and an accepted inspection complete the order.
  await orderAction(workshop, orderPath, 'ship_sample', '寄出样品', async (form) => {
    await form.getByLabel('承运商', { exact: true }).fill('顺丰速运')
    await form.getByLabel('运单号', { exact: true }).fill(`SF-${stamp}`)
  })
  await expectOrderStatus(workshop, '样品已发出')
  await orderAction(designer, orderPath, 'approve_sample', '样品合格，开始批量生产')
  await expectOrderStatus(designer, '生产中')
  await orderAction(workshop, orderPath, 'ship_batch', '批量发货', async (form) => {
    await form.getByLabel('承运商', { exact: true }).fill('德邦快递')
    await form.getByLabel('运单号', { exact: true }).fill(`DB-${stamp}`)
  })
  await expectOrderStatus(workshop, '已发货')
  await orderAction(designer, orderPath, 'confirm_delivery', '确认收货')
  await expectOrderStatus(designer, '已送达')
  await orderAction(designer, orderPath, 'start_inspection', '开始品检')
  await expectOrderStatus(designer, '品检中')
  await orderAction(designer, orderPath, 'record_inspection', '记录品检结果', async (form) => {
    await form.getByLabel('样本中的不合格品数', { exact: true }).fill('0')
  })
  await expectOrderStatus(designer, '已完成')
  await expect(designer.getByTestId('escrow-held')).toHaveText('¥0.00')

  // 7. The operator pays both payout lines (the sample's, the rest's) by bank transfer.
  await operator.goto('/console/money')
  await expect(operator.getByText(/^对账一致/)).toBeVisible()
  const references = { 样品款: `ICBC-S-${stamp}`, 尾款: `ICBC-F-${stamp}` }
  for (const [milestone, reference] of Object.entries(references)) {
    const line = operator
      .getByRole('region', { name: '待付工厂的货款' })
      .getByRole('row')
      .filter({ hasText: orderNumber })
      .filter({ hasText: milestone })
    await expect(line).toContainText(WORKSHOP)
    await line.getByLabel('银行流水号', { exact: true }).fill(reference)
    await line.getByRole('button', { name: '标记已付款' }).click()
    await expect(operator.getByRole('status')).toHaveText(
      `订单 ${orderNumber} 的${milestone}已标记为已付款（流水号 ${reference}）。`,
    )
    await expect(line).toHaveCount(0)
  }
  await expect(operator.getByText(/^对账一致/)).toBeVisible()
  // The programme counts the order against its budget.
  await operator.goto(programmePath)
  await expect(
    operator.getByText(`已使用 ${yuan(voucher)}，剩余 ${yuan(BUDGET_YUAN * 100 - voucher)}`, {
      exact: false,
    }),
  ).toBeVisible()
  const redemption = operator
    .getByRole('region', { name: '抵扣记录' })
    .getByRole('row')
    .filter({ hasText: orderNumber })
  await expect(redemption).toContainText('已完成')
  await expect(redemption).toContainText(yuan(voucher))

  // 8. The workshop's statement: the contract, the voucher's part, the fee, all paid out.
  await workshop.goto('/workshop')
  await workshop
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: '货款结算' })
    .click()
  await expect(workshop.getByRole('heading', { level: 1, name: '货款结算' })).toBeVisible()
  await workshop.getByRole('link', { name: '全部月份' }).click()
  await expect(workshop).toHaveURL(/\/workshop\/payouts\?month=all$/)
  const statement = workshop.getByRole('table', { name: '全部结算' })
  const row = statement.getByRole('row').filter({ hasText: orderNumber })
  const cells = row.getByRole('cell')
  await expect(cells.nth(1)).toHaveText(title)
  await expect(cells.nth(2)).toHaveText(firm)
  await expect(cells.nth(3)).toHaveText(yuan(contract)) // 合同金额
  await expect(cells.nth(4)).toHaveText(yuan(fee)) // 平台服务费
  await expect(cells.nth(5)).toHaveText(yuan(voucher)) // 服务券支付
  await expect(cells.nth(6)).toHaveText('¥0.00') // 退款
  await expect(cells.nth(7)).toHaveText(yuan(contract - fee)) // 结算净额
  await expect(cells.nth(8)).toHaveText('¥0.00') // 平台托管中
  for (const [milestone, reference] of Object.entries(references)) {
    const line = row.getByRole('listitem').filter({ hasText: milestone })
    await expect(line).toContainText('已付款')
    await expect(line).toContainText(`流水号 ${reference}`)
  }
  await attachShot(testInfo, statement, 'workshop-statement')
})
