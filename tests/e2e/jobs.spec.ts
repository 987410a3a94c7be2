import { boxStl, DEMO_PASSWORD, expect, logIn, shanghaiDay, test } from './fixtures.ts'

// A designer posts a job with a CAD part through the browser — drag-and-drop upload with a
// progress bar, the analysis as soon as it is ready, the 3D preview — invites a workshop
// under NDA and opens the job; the workshop gets 403 on the download until it accepts.

const DEMO_WORKSHOP = '小榄精密数控加工厂'

test('a designer posts a job with an STL, previews it in 3D, and a workshop needs the NDA', async ({
  page,
  newPage,
}, testInfo) => {
  test.setTimeout(90_000)
  const title = `e2e 灯饰支架 ${Date.now().toString(36)}`

  await logIn(page, 'designer@demo.test', DEMO_PASSWORD)
  await expect(page.getByRole('heading', { level: 1, name: '设计方工作台' })).toBeVisible()
  await page.getByRole('link', { name: '我的需求' }).click()
  await page.getByRole('link', { name: '发布加工需求' }).click()
  await page.getByLabel('需求标题', { exact: true }).fill(title)
  await page.getByLabel('加工工艺', { exact: true }).selectOption({ label: '三轴数控铣' })
  await page.getByLabel('材料', { exact: true }).selectOption({ label: '铝合金 6061' })
  await page.getByLabel('公差（mm，±）', { exact: true }).fill('0.05')
  await page.getByLabel('交货日期', { exact: true }).fill(shanghaiDay(30))
  await page.getByRole('radio', { name: '仅邀请的工厂' }).check()
  await page.getByRole('checkbox', { name: /需要签署保密协议/ }).check()
  await page.getByRole('button', { name: '保存草稿并上传图纸' }).click()
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(title) })).toBeVisible()
  await expect(page.getByRole('status')).toHaveText('草稿已保存。现在上传零件图纸。')
  const jobUrl = new URL(page.url())
  jobUrl.search = ''
  jobUrl.hash = ''

  // Not ready to open without parts.
  await expect(page.getByRole('button', { name: '发布需求' })).toBeDisabled()

  // Drop the file on the drop zone: it uploads with a progress bar, then the analysis shows.
  await page.getByLabel('数量', { exact: true }).fill('120')
  const stl = boxStl(40, 30, 20)
  const drop = await page.evaluateHandle(
    ({ bytes, name }) => {
      const data = new DataTransfer()
      data.items.add(new File([new Uint8Array(bytes)], name))
      return data
    },
    { bytes: [...stl], name: '支架.stl' },
  )
  await page.locator('form.dropzone').dispatchEvent('drop', { dataTransfer: drop })
  const progress = page.getByRole('progressbar', { name: '支架.stl 上传进度' })
  await expect(progress).toBeVisible()
  await expect(page.getByText('已上传，分析中…')).toBeVisible()
  const part = page.getByRole('article', { name: '支架.stl' })
  await expect(part.getByText('40 × 30 × 20 mm')).toBeVisible({ timeout: 20_000 })
  await expect(part.getByText('24,000 mm³')).toBeVisible()
  await expect(part.getByText('数量 120')).toHaveCount(0) // editable: a field, not text
  await expect(part.getByLabel('数量')).toHaveValue('120')

  // The 3D preview.
  await part.getByRole('link', { name: '支架.stl' }).click()
  const viewer = page.getByTestId('cad-viewer')
  await expect(viewer).toHaveAttribute('data-state', 'ready', { timeout: 20_000 })
  await expect(page.getByRole('img', { name: /40 × 30 × 20 mm/ })).toBeVisible()
  // The screenshot is the artifact a reviewer looks at (test-results/…/3d-preview.png).
  const shot = testInfo.outputPath('3d-preview.png')
  await viewer.screenshot({ path: shot })
  await testInfo.attach('3d-preview', { path: shot, contentType: 'image/png' })
  await page.goBack()

  // Invite the demo workshop, then open the job.
  const invite = page.getByLabel('邀请工厂', { exact: true })
  const option = invite.locator('option', { hasText: DEMO_WORKSHOP })
  await invite.selectOption((await option.getAttribute('value'))!)
  await page.getByRole('button', { name: '邀请', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText('已邀请。需求发布后工厂会收到邮件。')
  await page.getByRole('button', { name: '发布需求' }).click()
  await expect(page.getByRole('status').filter({ hasText: '需求已发布。' })).toBeVisible()
  await expect(page.getByText('需求已发布，正在等待工厂报价。')).toBeVisible()
  // Matching runs in the worker; the page looks again until it is done.
  const matches = page.getByRole('region', { name: '匹配结果' })
  await expect(matches.getByText(/^已匹配 [1-9]\d* 家工厂$/)).toBeVisible({ timeout: 20_000 })
  await expect(matches.getByText(/^估价 ¥[\d,.]+，批量交期约 \d+ 天/).first()).toBeVisible()
  await expect(page.getByRole('link', { name: '编辑需求' })).toHaveCount(0)

  // The workshop: sees the job, not the drawings; the download is 403 until the NDA.
  const workshop = await newPage()
  await logIn(workshop, 'workshop@demo.test', DEMO_PASSWORD)
  await expect(workshop.getByRole('heading', { level: 1, name: '加工方工作台' })).toBeVisible()
  await workshop.goto(jobUrl.pathname)
  await expect(workshop.getByRole('heading', { level: 2, name: '保密协议（NDA）' })).toBeVisible()
  await expect(workshop.getByText('STL 零件 × 120（图纸仅对受邀工厂开放）')).toBeVisible()
  const fileId = await page
    .getByRole('article', { name: '支架.stl' })
    .getByRole('link', { name: '下载原文件' })
    .getAttribute('href')
    .then((href) => href!.split('/')[4]!)
  const refused = await workshop.request.get(`/api/v1/files/${fileId}/download`, {
    maxRedirects: 0,
  })
  expect(refused.status()).toBe(403)
  expect((await refused.json()).error.code).toBe('nda_required')

  await workshop.getByRole('button', { name: '同意并查看图纸' }).click()
  await expect(workshop.getByRole('status')).toHaveText('已确认保密协议，现在可以查看图纸。')
  const download = workshop.waitForEvent('download')
  await workshop
    .getByRole('article', { name: '支架.stl' })
    .getByRole('link', { name: '下载原文件' })
    .click()
  const file = await download
  expect(file.suggestedFilename()).toBe('支架.stl')

  // The designer sees who downloaded it.
  await page.reload()
  const log = page.getByRole('region', { name: '下载记录' })
  await expect(log.getByRole('cell', { name: /黄师傅/ })).toBeVisible()
})
