import { type Page } from '@playwright/test'
import { DEMO_PASSWORD, expect, logIn, signUp, test } from './fixtures.ts'

let counter = 0
/** An address no earlier run or test has used. */
function uniqueEmail(label: string) {
  counter += 1
  return `e2e-${label}-${Date.now()}-${counter}@example.test`
}

async function logOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByText('你已退出登录。')).toBeVisible()
}

test('a new workshop signs up, switches to English, logs out and back in', async ({ page }) => {
  const email = uniqueEmail('workshop')
  const password = 'workshop-pass-1'
  await signUp(
    page,
    { kind: '加工方', organization: '小榄测试五金厂', name: '测试师傅', email },
    password,
  )

  await expect(page).toHaveURL(/\/workshop$/)
  await expect(page.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
  for (const [heading, empty] of [
    ['接单大厅', '暂无匹配的需求'],
    ['我的设备', '还没有登记设备'],
    ['订单', '还没有订单'],
  ] as const) {
    const section = page.getByRole('region', { name: heading })
    await expect(section.getByRole('heading', { name: heading })).toBeVisible()
    await expect(section.getByText(empty)).toBeVisible()
  }
  await expect(page.getByRole('link', { name: '工作台' })).toBeVisible()
  await expect(page.getByRole('link', { name: '设置' })).toBeVisible()

  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Workshop dashboard' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )

  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page).toHaveURL(/\/login\?notice=logged-out$/)
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible()
  await expect(page.getByText('You are logged out.')).toBeVisible()

  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
  await expect(page).toHaveURL(/\/workshop$/)
  await expect(page.getByRole('heading', { level: 1, name: 'Workshop dashboard' })).toBeVisible()
})

test.describe(() => {
  // Chromium logs the 401 response to the login form's submission itself.
  test.use({ allowedConsoleErrors: [/status of 401/] })

  test('a wrong password is refused with a clear message', async ({ page }) => {
    await logIn(page, 'designer@demo.test', 'not-the-password')

    await expect(page.getByRole('alert')).toHaveText('邮箱或密码错误')
    await expect(page).toHaveURL(/\/login$/)
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible()
  })
})

test.describe(() => {
  // Chromium logs the 403 document response itself.
  test.use({ allowedConsoleErrors: [/status of 403/] })

  test('a designer cannot open the operator console', async ({ page }) => {
    await logIn(page, 'designer@demo.test', DEMO_PASSWORD)
    await expect(page.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()

    const response = await page.goto('/console')
    expect(response?.status()).toBe(403)
    await expect(page.getByRole('alert')).toHaveText('你没有权限访问此页面（403）')
    await expect(page.getByRole('heading', { name: '运营后台' })).toHaveCount(0)
  })
})

test('the login page lists the demo accounts in demo mode', async ({ page }) => {
  await page.goto('/login')

  const demo = page.getByRole('region', { name: '演示账号' })
  await expect(demo.getByRole('heading', { name: '演示账号' })).toBeVisible()
  await expect(demo.getByText(DEMO_PASSWORD)).toBeVisible()
  for (const email of [
    'designer@demo.test',
    'workshop@demo.test',
    'workshop2@demo.test',
    'operator@demo.test',
  ]) {
    await expect(demo.getByText(email, { exact: true })).toBeVisible()
  }
})

test.describe('password reset', () => {
  // The mailbox shows the email in an iframe sandboxed without scripts; Playwright's own
  // helper scripts, injected into every frame, are blocked there and Chromium sometimes
  // logs that. The page itself runs no script in the frame.
  test.use({ allowedConsoleErrors: [/Blocked script execution in 'about:srcdoc'/] })

  test('a designer resets a forgotten password through the link in the mailbox', async ({
    page,
  }) => {
    const email = uniqueEmail('designer')
    await signUp(
      page,
      { kind: '设计方', organization: '古镇测试灯饰设计', name: '测试设计师', email },
      'original-pass-1',
    )
    await expect(page.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()
    await logOut(page)

    await page.goto('/forgot-password')
    await expect(page.getByRole('heading', { name: '找回密码' })).toBeVisible()
    await page.getByLabel('邮箱', { exact: true }).fill(email)
    await page.getByRole('button', { name: '发送重置链接' }).click()
    await expect(page.getByRole('status')).toHaveText(
      '如果该邮箱已注册，重置链接已发出，请查收邮件。',
    )

    // No SMTP in demo mode: the worker delivers to the operator's mailbox.
    await logIn(page, 'operator@demo.test', DEMO_PASSWORD)
    await expect(page.getByRole('heading', { level: 1, name: '运营后台' })).toBeVisible()
    await page.getByRole('link', { name: '邮件箱' }).click()
    await expect(page.getByRole('heading', { level: 1, name: '邮件箱' })).toBeVisible()

    const row = page.getByRole('row').filter({ hasText: email })
    const subject = row.getByRole('link', { name: '【共享工厂】重置你的密码' })
    await expect(async () => {
      await page.reload()
      await expect(subject, 'the worker has sent the reset email').toBeVisible({ timeout: 1_000 })
    }).toPass({ timeout: 15_000 })
    await expect(row.getByRole('cell', { name: '已发送' })).toBeVisible()
    await subject.click()

    await expect(
      page.getByRole('heading', { level: 1, name: '【共享工厂】重置你的密码' }),
    ).toBeVisible()
    await expect(page.getByRole('definition').filter({ hasText: email })).toBeVisible()
    await page.getByText('纯文本版本').click()
    const text = page.getByText(/\/reset-password\//)
    await expect(text).toBeVisible()
    const link = (await text.textContent())?.match(/https?:\/\/\S+\/reset-password\/[\w-]+/)?.[0]
    expect(link, 'reset link in the plain-text email').toBeTruthy()
    await logOut(page)

    await page.goto(link!)
    await expect(page.getByRole('heading', { name: '设置新密码' })).toBeVisible()
    const newPassword = 'brand-new-pass-2'
    await page.getByLabel('新密码', { exact: true }).fill(newPassword)
    await page.getByLabel('确认新密码', { exact: true }).fill(newPassword)
    await page.getByRole('button', { name: '保存新密码' }).click()

    await expect(page).toHaveURL(/\/login\?notice=password-reset$/)
    await expect(page.getByText('密码已重置，请用新密码登录。')).toBeVisible()
    await page.getByLabel('邮箱', { exact: true }).fill(email)
    await page.getByLabel('密码', { exact: true }).fill(newPassword)
    await page.getByRole('button', { name: '登录', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()
  })
})
