import {
  test as base,
  expect,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type TestInfo,
} from '@playwright/test'

// What every e2e spec shares: an unexpected console.error (or uncaught page error) in any
// page of a test fails it — a test that expects one lists it in `allowedConsoleErrors` —
// and the demo logins.

export const DEMO_PASSWORD = 'demo-password'

export const test = base.extend<{
  allowedConsoleErrors: RegExp[]
  watchConsole: (page: Page) => Page
  /** A page in a fresh browser context (no cookies), watched like `page`. */
  newPage: (options?: BrowserContextOptions) => Promise<Page>
}>({
  allowedConsoleErrors: [[], { option: true }],
  watchConsole: async ({ allowedConsoleErrors }, use) => {
    const errors: string[] = []
    await use((page) => {
      page.on('console', (message) => {
        if (message.type() !== 'error') return
        const text = message.text()
        if (!allowedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(text)
      })
      page.on('pageerror', (error) => errors.push(error.message))
      return page
    })
    expect(errors, 'console errors').toEqual([])
  },
  page: async ({ page, watchConsole }, use) => {
    await use(watchConsole(page))
  },
  newPage: async ({ browser, watchConsole }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = []
    await use(async (options) => {
      const context = await browser.newContext(options)
      contexts.push(context)
      return watchConsole(await context.newPage())
    })
    for (const context of contexts) await context.close()
  },
})

export { expect }

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('邮箱', { exact: true }).fill(email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

/** 'YYYY-MM-DD' in Asia/Shanghai, `days` from today. */
export function shanghaiDay(days = 0) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** A binary STL of an axis-aligned box (12 triangles), w × d × h mm. */
export function boxStl(w: number, d: number, h: number): Buffer {
  const v = [
    [0, 0, 0],
    [w, 0, 0],
    [w, d, 0],
    [0, d, 0],
    [0, 0, h],
    [w, 0, h],
    [w, d, h],
    [0, d, h],
  ]
  // prettier-ignore
  const t = [0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 1, 2, 6, 1, 6, 5, 2, 3, 7, 2, 7, 6, 3, 0, 4, 3, 4, 7]
  const buf = Buffer.alloc(84 + 50 * 12)
  buf.write('solid e2e box', 0, 'latin1')
  buf.writeUInt32LE(12, 80)
  for (let i = 0; i < 12; i++) {
    const at = 84 + 50 * i
    for (let k = 0; k < 3; k++) {
      const p = v[t[i * 3 + k]!]!
      for (let c = 0; c < 3; c++) buf.writeFloatLE(p[c]!, at + 12 + k * 12 + c * 4)
    }
  }
  return buf
}

/**
 * A designer's open SLS PA12 job (a sample first) with one 60 × 40 × 20 mm part × `quantity`,
 * matched; returns the job page's path.
 */
export async function postSlsJob(page: Page, title: string, quantity = 40) {
  await page.goto('/jobs/new')
  await page.getByLabel('需求标题', { exact: true }).fill(title)
  await page.getByLabel('加工工艺', { exact: true }).selectOption({ label: 'SLS 选择性激光烧结' })
  await page.getByLabel('材料', { exact: true }).selectOption({ label: '尼龙 PA12 粉末' })
  await page.getByLabel('公差（mm，±）', { exact: true }).fill('0.3')
  await page.getByLabel('交货日期', { exact: true }).fill(shanghaiDay(30))
  await page.getByRole('checkbox', { name: /需要先打样/ }).check()
  await page.getByRole('button', { name: '保存草稿并上传图纸' }).click()
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(title) })).toBeVisible()
  await page.getByLabel('数量', { exact: true }).fill(String(quantity))
  const drop = await page.evaluateHandle(
    ({ bytes, name }) => {
      const data = new DataTransfer()
      data.items.add(new File([new Uint8Array(bytes)], name))
      return data
    },
    { bytes: [...boxStl(60, 40, 20)], name: '卡扣.stl' },
  )
  await page.locator('form.dropzone').dispatchEvent('drop', { dataTransfer: drop })
  await expect(
    page.getByRole('article', { name: '卡扣.stl' }).getByText('60 × 40 × 20 mm'),
  ).toBeVisible({ timeout: 20_000 })
  await page.getByRole('button', { name: '发布需求' }).click()
  await expect(page.getByRole('status').filter({ hasText: '需求已发布。' })).toBeVisible()
  const matches = page.getByRole('region', { name: '匹配结果' })
  await expect(matches.getByText(/^已匹配 [1-9]\d* 家工厂$/)).toBeVisible({ timeout: 20_000 })
  return new URL(page.url()).pathname
}

/** Signs a new organisation up through /signup (it lands on its dashboard). */
export async function signUp(
  page: Page,
  user: { kind: '设计方' | '加工方'; organization: string; name: string; email: string },
  password: string,
) {
  await page.goto('/signup')
  await expect(page.getByRole('heading', { name: '注册企业账号' })).toBeVisible()
  const kinds = page.getByRole('group', { name: '我是' })
  await kinds.getByRole('radio', { name: new RegExp(user.kind) }).check()
  await page.getByLabel('企业名称', { exact: true }).fill(user.organization)
  await page.getByLabel('所在镇街', { exact: true }).selectOption({ label: '小榄' })
  await page.getByLabel('姓名', { exact: true }).fill(user.name)
  await page.getByLabel('邮箱', { exact: true }).fill(user.email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '创建账号' }).click()
}

/** The order's status badge, as the order page's heading shows it. */
export async function expectOrderStatus(page: Page, status: string) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    new RegExp(`^订单 SF\\d+ ${status}$`),
  )
}

/**
 * Takes a lifecycle action on a freshly loaded order page (the forms carry the order's
 * version, so a page another party has moved on would be refused): fills its form, submits,
 * and waits for the redirect that names the action.
 */
export async function orderAction(
  page: Page,
  orderPath: string,
  action: string,
  label: string,
  fill: (form: Locator) => Promise<void> = async () => {},
) {
  await page.goto(orderPath)
  const form = page.getByRole('form', { name: label })
  await fill(form)
  await form.getByRole('button', { name: label, exact: true }).click()
  await page.waitForURL(new RegExp(`${orderPath}\\?done=${action}$`))
  await expect(page.getByRole('status')).toHaveText(`已完成：${label}。`)
}

/** Screenshots `target` into the test's output and attaches it to the report. */
export async function attachShot(testInfo: TestInfo, target: Locator, name: string) {
  const path = testInfo.outputPath(`${name}.png`)
  await target.screenshot({ path })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}

/** Screenshots the whole page (not just the viewport) into the test's output and attaches it. */
export async function attachPageShot(testInfo: TestInfo, page: Page, name: string) {
  const path = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path, fullPage: true })
  await testInfo.attach(name, { path, contentType: 'image/png' })
}
