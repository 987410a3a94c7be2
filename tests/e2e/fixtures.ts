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
