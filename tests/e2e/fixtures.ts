import { test as base, expect, type BrowserContextOptions, type Page } from '@playwright/test'

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
