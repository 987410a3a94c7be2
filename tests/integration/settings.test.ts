import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import {
  TestClient,
  apiSession,
  browserSession,
  startTestServer,
  type TestServer,
} from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { visibleText } from '../support/html.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { defaultPricingTables } from '../../app/models/pricing.ts'
import { defaultWeights } from '../../app/models/scoring.ts'
import { getPlatformSettings } from '../../app/models/settings.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'
import type { AccountView } from '../../app/models/user.server.ts'

const t = useTestDatabase()
let server: TestServer
beforeAll(async () => {
  server = await startTestServer(t.db)
})
afterAll(() => server.close())

const operatorSession = async () => apiSession(server.url, await createOperatorAccount(t.db))

const loggedIn = (account: AccountView) => browserSession(server.url, account)

const auditRows = () =>
  t.db
    .selectFrom('audit_log')
    .select(['actor_user_id', 'action', 'subject', 'before', 'after'])
    .where('action', '=', 'settings.update')
    .orderBy('created_at')
    .execute()

const bankAccount = {
  accountName: '中山共享工厂科技有限公司',
  bankName: '中国工商银行中山古镇支行',
  accountNumber: '2011 0012 3456 7890 123',
}

/** Tables the stored schema accepts: the defaults without their no-op [1, 0] break. */
function validTables() {
  const tables = defaultPricingTables()
  return { ...tables, quantityBreaks: tables.quantityBreaks.filter(([, bps]) => bps > 0) }
}

function decode(value: string) {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** name → value of every named input of the form with `formId`, as the page rendered them. */
function formInputs(html: string, formId: string): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    if (!tag.includes(`form="${formId}"`)) continue
    const name = /\bname="([^"]*)"/.exec(tag)?.[1]
    if (name) inputs[decode(name)] = decode(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')
  }
  return inputs
}

/** The rendered `<input>` named `name`. */
function inputTag(html: string, name: string): string {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)]
    .map(([m]) => m)
    .find((m) => m.includes(`name="${name}"`))
  expect(tag, name).toBeDefined()
  return tag!
}

const valueOf = (html: string, name: string) =>
  decode(/\bvalue="([^"]*)"/.exec(inputTag(html, name))?.[1] ?? '')

describe('GET and PATCH /api/v1/ops/settings', () => {
  test('the operator saves weights: GET shows them normalised, the audit log holds before and after', async () => {
    const ops = await operatorSession()
    const initial = await ops.client.api('GET', '/api/v1/ops/settings')
    expect(initial.status).toBe(200)
    expect(initial.body).toStrictEqual({
      pricing_tables: defaultPricingTables(),
      weights: { ...defaultWeights },
      quote_validity_days: 7,
      bank_account: null,
    })

    const weights = {
      price: 1,
      lead_time: 1,
      distance: 0,
      rating: 0.5,
      on_time: 0.5,
      idle_share: 1,
    }
    const normalised = {
      price: 0.25,
      lead_time: 0.25,
      distance: 0,
      rating: 0.125,
      on_time: 0.125,
      idle_share: 0.25,
    }
    const saved = await ops.client.api('PATCH', '/api/v1/ops/settings', { weights }, ops.csrf)
    expect(saved.status).toBe(200)
    expect(saved.body).toStrictEqual({ ...initial.body, weights: normalised })
    expect((await ops.client.api('GET', '/api/v1/ops/settings')).body.weights).toEqual(normalised)
    expect((await getPlatformSettings(t.db)).weights).toEqual(normalised)

    expect(await auditRows()).toEqual([
      {
        actor_user_id: ops.account.user.id,
        action: 'settings.update',
        subject: 'match_weights',
        before: { ...defaultWeights },
        after: normalised,
      },
    ])
  })

  test('several keys are saved together, each with its audit entry, and the new settings return', async () => {
    const ops = await operatorSession()
    const tables = { ...validTables(), platformFeeBps: 1000 }
    const before = (await auditRows()).length
    const res = await ops.client.api(
      'PATCH',
      '/api/v1/ops/settings',
      { pricing_tables: tables, quote_validity_days: 14 },
      ops.csrf,
    )
    expect(res.status).toBe(200)
    expect(res.body.quote_validity_days).toBe(14)
    expect(res.body.pricing_tables).toEqual(tables)
    expect(schemas.PlatformSettings.parse(res.body)).toEqual(res.body)
    const rows = (await auditRows()).slice(before)
    expect(rows.map((r) => r.subject).sort()).toEqual(['pricing_tables', 'quote_validity_days'])
    expect(rows.find((r) => r.subject === 'quote_validity_days')).toMatchObject({
      before: 7,
      after: 14,
    })
  })

  test('invalid input is a 400 envelope and changes nothing, not even the valid keys beside it', async () => {
    const ops = await operatorSession()
    const settings = (await ops.client.api('GET', '/api/v1/ops/settings')).body
    const audits = (await auditRows()).length
    const bodies: [unknown, string][] = [
      [{ weights: { ...defaultWeights, price: -0.1 } }, 'weights.price'],
      [{ quote_validity_days: 0 }, 'quote_validity_days'],
      [
        { pricing_tables: { ...validTables(), platformFeeBps: 6000 } },
        'pricing_tables.platformFeeBps',
      ],
      [{ quote_validity_days: 30, weights: { ...defaultWeights, rating: 2 } }, 'weights.rating'],
      [{ quote_validity: 30 }, ''],
      [
        { bank_account: { ...bankAccount, accountNumber: '6222-0000' } },
        'bank_account.accountNumber',
      ],
      [{ bank_account: null }, 'bank_account'],
    ]
    for (const [body, path] of bodies) {
      const res = await ops.client.api('PATCH', '/api/v1/ops/settings', body, ops.csrf)
      expectError(res, 400, 'invalid_input')
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path)
    }
    const allZero = Object.fromEntries(Object.keys(defaultWeights).map((k) => [k, 0]))
    expectError(
      await ops.client.api('PATCH', '/api/v1/ops/settings', { weights: allZero }, ops.csrf),
      400,
      'invalid_input',
    )
    expect((await ops.client.api('GET', '/api/v1/ops/settings')).body).toStrictEqual(settings)
    expect(await auditRows()).toHaveLength(audits)
  })

  test('the escrow bank account: null until set, then saved whole with the model field names and audited', async () => {
    const ops = await operatorSession()
    const before = (await auditRows()).length
    const saved = await ops.client.api(
      'PATCH',
      '/api/v1/ops/settings',
      { bank_account: { ...bankAccount, accountName: ` ${bankAccount.accountName} ` } },
      ops.csrf,
    )
    expect(saved.status).toBe(200)
    expect(saved.body.bank_account).toStrictEqual(bankAccount)
    expect(schemas.PlatformSettings.parse(saved.body)).toEqual(saved.body)
    expect((await ops.client.api('GET', '/api/v1/ops/settings')).body.bank_account).toEqual(
      bankAccount,
    )
    expect((await getPlatformSettings(t.db)).bankAccount).toEqual(bankAccount)
    expect((await auditRows()).slice(before)).toEqual([
      {
        actor_user_id: ops.account.user.id,
        action: 'settings.update',
        subject: 'bank_account',
        before: null,
        after: bankAccount,
      },
    ])

    // Inside bank_account the names are the model's, as in pricing_tables: snake_case is 400.
    const snake = await ops.client.api(
      'PATCH',
      '/api/v1/ops/settings',
      {
        bank_account: {
          account_name: '另一家公司',
          bank_name: '中国银行',
          account_number: '1234 5678 9012',
        },
      },
      ops.csrf,
    )
    expectError(snake, 400, 'invalid_input')
    expect((await getPlatformSettings(t.db)).bankAccount).toEqual(bankAccount)
  })

  test('designers and workshops get 403, anonymous callers 401', async () => {
    for (const kind of ['design_firm', 'workshop'] as const) {
      const s = await apiSession(server.url, await createAccount(t.db, { kind }))
      expectError(await s.client.api('GET', '/api/v1/ops/settings'), 403, 'forbidden')
      expectError(
        await s.client.api('PATCH', '/api/v1/ops/settings', { quote_validity_days: 9 }, s.csrf),
        403,
        'forbidden',
      )
    }
    const anonymous = new TestClient(server.url)
    expectError(await anonymous.api('GET', '/api/v1/ops/settings'), 401, 'unauthorized')
    expectError(
      await anonymous.api('PATCH', '/api/v1/ops/settings', { quote_validity_days: 9 }),
      401,
      'unauthorized',
    )
    expect((await getPlatformSettings(t.db)).quoteValidityDays).not.toBe(9)
  })
})

describe('the console settings page, without JavaScript', () => {
  test('only operators open it; the console links to it', async () => {
    const designer = await loggedIn(await createAccount(t.db))
    expect((await designer.get('/console/settings')).status).toBe(403)
    expect((await new TestClient(server.url).get('/console/settings')).status).toBe(302)
    const ops = await loggedIn(await createOperatorAccount(t.db))
    expect(await (await ops.get('/console')).text()).toContain('href="/console/settings"')
  })

  test('saving the quote validity redirects, re-renders it and logs the change', async () => {
    const account = await createOperatorAccount(t.db)
    const ops = await loggedIn(account)
    const saved = await ops.postForm('/console/settings', {
      intent: 'validity',
      quoteValidityDays: '21',
    })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe('/console/settings?saved=1#validity')
    expect((await getPlatformSettings(t.db)).quoteValidityDays).toBe(21)

    const page = await ops.get('/console/settings?saved=1')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(valueOf(html, 'quoteValidityDays')).toBe('21')
    const text = visibleText(html)
    expect(text).toContain('设置已保存')
    expect(text).toContain(`${account.user.name} <${account.user.email}> 报价有效期`)
  })

  test('a bad value shows its message beside the field and keeps every submitted value', async () => {
    const ops = await loggedIn(await createOperatorAccount(t.db))
    const before = await getPlatformSettings(t.db)

    const badDays = await ops.postForm('/console/settings', {
      intent: 'validity',
      quoteValidityDays: '0',
    })
    expect(badDays.status).toBe(400)
    const daysHtml = await badDays.text()
    expect(visibleText(daysHtml)).toContain('报价有效期为 1 至 60 个整天')
    expect(valueOf(daysHtml, 'quoteValidityDays')).toBe('0')
    expect(inputTag(daysHtml, 'quoteValidityDays')).toContain('aria-invalid="true"')

    const fees = {
      intent: 'fees',
      platformFee: '60',
      'breaks[0].minQuantity': '50',
      'breaks[0].discount': '5',
      'breaks[1].minQuantity': '',
      'breaks[1].discount': '',
      'finishes[0].name': '阳极氧化',
      'finishes[0].price': '2.5',
      'finishes[1].name': 'Cerakote',
      'finishes[1].price': '12.30',
      'finishes[2].name': '',
      'finishes[2].price': '',
    }
    const badFee = await ops.postForm('/console/settings', fees)
    expect(badFee.status).toBe(400)
    const feeHtml = await badFee.text()
    expect(visibleText(feeHtml)).toContain('平台服务费为 0 至 50%，最多两位小数')
    expect(inputTag(feeHtml, 'platformFee')).toContain('aria-invalid="true"')
    expect(formInputs(feeHtml, 'settings-fees')).toEqual({
      platformFee: '60',
      'breaks[0].minQuantity': '50',
      'breaks[0].discount': '5',
      'breaks[1].minQuantity': '',
      'breaks[1].discount': '',
      'finishes[0].name': '阳极氧化',
      'finishes[0].price': '2.5',
      'finishes[1].name': 'Cerakote',
      'finishes[1].price': '12.30',
      'finishes[2].name': '',
      'finishes[2].price': '',
    })

    const halfRow = await ops.postForm('/console/settings', {
      ...fees,
      platformFee: '8',
      'breaks[1].minQuantity': '200',
    })
    expect(halfRow.status).toBe(400)
    const halfHtml = await halfRow.text()
    expect(inputTag(halfHtml, 'breaks[1].discount')).toContain('aria-invalid="true"')
    expect(valueOf(halfHtml, 'breaks[1].minQuantity')).toBe('200')

    expect(await getPlatformSettings(t.db)).toEqual(before)
  })

  test('the escrow account saves from its form; a bad value is refused beside its field, keeping what was typed', async () => {
    const account = await createOperatorAccount(t.db)
    const ops = await loggedIn(account)
    const before = await getPlatformSettings(t.db)
    const typed = {
      accountName: '中山共享工厂科技有限公司',
      bankName: '工',
      accountNumber: '6222 ABC',
    }
    const refused = await ops.postForm('/console/settings', { intent: 'bank', ...typed })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    const text = visibleText(html)
    expect(text).toContain('开户行为 2 至 120 个字')
    expect(text).toContain('账号为 8 至 40 位数字，可用空格分组')
    expect(inputTag(html, 'bankName')).toContain('aria-invalid="true"')
    expect(inputTag(html, 'accountNumber')).toContain('aria-invalid="true"')
    expect(inputTag(html, 'accountName')).not.toContain('aria-invalid')
    expect(formInputs(html, 'settings-bank')).toEqual(typed)
    expect(await getPlatformSettings(t.db)).toEqual(before)

    // Full-width digits from a Chinese IME are the same number.
    const saved = await ops.postForm('/console/settings', {
      intent: 'bank',
      accountName: ' 中山共享工厂托管账户 ',
      bankName: '中国建设银行中山古镇支行',
      accountNumber: '４４０５ ０１６８ ００８８ ００００ １２３４',
    })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe('/console/settings?saved=1#bank')
    const stored = {
      accountName: '中山共享工厂托管账户',
      bankName: '中国建设银行中山古镇支行',
      accountNumber: '4405 0168 0088 0000 1234',
    }
    expect((await getPlatformSettings(t.db)).bankAccount).toEqual(stored)

    const page = await (await ops.get('/console/settings?saved=1')).text()
    expect(formInputs(page, 'settings-bank')).toEqual(stored)
    expect(visibleText(page)).toContain(`${account.user.name} <${account.user.email}> 托管收款账户`)
  })

  test('fees, breaks and finishes save from their form; rows left empty are dropped', async () => {
    const ops = await loggedIn(await createOperatorAccount(t.db))
    const page = await (await ops.get('/console/settings')).text()
    const shown = formInputs(page, 'settings-fees')
    // The stored breaks (without the no-op [1, 0]) and three empty rows to add to.
    expect(shown['breaks[0].minQuantity']).toBe('50')
    expect(shown['breaks[0].discount']).toBe('5')
    expect(shown['breaks[5].minQuantity']).toBe('')
    expect(shown['breaks[6].minQuantity']).toBeUndefined()
    const anodising = Object.keys(shown).find((k) => shown[k] === '阳极氧化')
    expect(anodising).toMatch(/^finishes\[\d+\]\.name$/)
    expect(shown[anodising!.replace('.name', '.price')]).toBe('2.00')

    const saved = await ops.postForm('/console/settings', {
      intent: 'fees',
      platformFee: '9.5',
      'breaks[0].minQuantity': '100',
      'breaks[0].discount': '7.5',
      'breaks[1].minQuantity': '',
      'breaks[1].discount': '',
      'breaks[2].minQuantity': '20',
      'breaks[2].discount': '3',
      'finishes[0].name': ' Cerakote ',
      'finishes[0].price': '12.30',
      'finishes[1].name': '',
      'finishes[1].price': '',
    })
    expect(saved.status).toBe(302)
    const { pricingTables } = await getPlatformSettings(t.db)
    expect(pricingTables.platformFeeBps).toBe(950)
    expect(pricingTables.quantityBreaks).toEqual([
      [20, 300],
      [100, 750],
    ])
    expect(pricingTables.finishSurchargeFenPerDm2).toEqual({ Cerakote: 1230 })
    expect(pricingTables.processes).toEqual(defaultPricingTables().processes)

    const after = formInputs(await (await ops.get('/console/settings')).text(), 'settings-fees')
    expect(after.platformFee).toBe('9.5')
    expect(after['breaks[1].discount']).toBe('7.5')
    expect(after['finishes[0].price']).toBe('12.30')
  })

  test('per-process pricing saves the shown fields, in fen for the mould, and checks cut speeds strictly', async () => {
    const ops = await loggedIn(await createOperatorAccount(t.db))
    const before = await getPlatformSettings(t.db)
    const shown = formInputs(
      await (await ops.get('/console/settings')).text(),
      'settings-processes',
    )
    expect(shown['fdm.buildRateMm3PerHour']).toBe('15000')
    expect(shown['laser_cutting.cutSpeeds']).toBe(
      '1:20000, 2:10000, 3:6000, 5:3500, 8:2000, 12:1200, 20:600, 25:400',
    )
    expect(shown['injection_molding.toolingYuan']).toBe('15000.00')
    expect(shown['cnc_milling_3axis.layerHeightMm']).toBeUndefined()

    const badSpeeds = await ops.postForm('/console/settings', {
      ...shown,
      intent: 'processes',
      'laser_cutting.cutSpeeds': '1:6000, 3',
      'fdm.buildRateMm3PerHour': '',
    })
    expect(badSpeeds.status).toBe(400)
    const badHtml = await badSpeeds.text()
    expect(inputTag(badHtml, 'laser_cutting.cutSpeeds')).toContain('aria-invalid="true"')
    expect(visibleText(badHtml)).toContain('每行写作“最大板厚:速度”')
    expect(inputTag(badHtml, 'fdm.buildRateMm3PerHour')).toContain('aria-invalid="true"')
    expect(valueOf(badHtml, 'laser_cutting.cutSpeeds')).toBe('1:6000, 3')
    expect(valueOf(badHtml, 'sla.buildRateMm3PerHour')).toBe('60000')
    expect(await getPlatformSettings(t.db)).toEqual(before)

    const saved = await ops.postForm('/console/settings', {
      ...shown,
      intent: 'processes',
      'fdm.buildRateMm3PerHour': '18000',
      'fdm.supportFactor': '',
      'laser_cutting.cutSpeeds': '3：6000， 1:21000',
      'injection_molding.toolingYuan': '12000.50',
    })
    expect(saved.status).toBe(302)
    const { pricingTables } = await getPlatformSettings(t.db)
    const defaults = defaultPricingTables().processes
    const { supportFactor: _dropped, ...fdm } = defaults.fdm!
    expect(pricingTables.processes).toEqual({
      ...defaults,
      fdm: { ...fdm, buildRateMm3PerHour: 18000 },
      laser_cutting: {
        ...defaults.laser_cutting,
        cutSpeedMmPerMinByThickness: [
          [1, 21000],
          [3, 6000],
        ],
      },
      injection_molding: { ...defaults.injection_molding, toolingFen: 1_200_050 },
    })
    // The rest of the tables stay as they were (the no-op [1, 0] break is dropped).
    expect(pricingTables.platformFeeBps).toBe(before.pricingTables.platformFeeBps)
    expect(pricingTables.finishSurchargeFenPerDm2).toEqual(
      before.pricingTables.finishSurchargeFenPerDm2,
    )
  })
})
