// The AQL a design firm chooses on its job (issue 7): from the GB/T 2828.1 series, 1.0 unless
// chosen, through the form without JavaScript and through the API, and copied to the order
// when a quote is accepted, so the inspection samples at it.
import { describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { apiSession, browserSession } from '../support/http.ts'
import { visibleText } from '../support/html.ts'
import { expectError } from '../support/api-errors.ts'
import { acceptedOrder } from '../support/orders.ts'
import { createAccount } from '../factories.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const PUBLIC_URL = 'https://factory.example.test'

const t = useTestDatabase()
const app = useTestApp(t, { publicUrl: PUBLIC_URL })

async function designerBrowser() {
  const account = await createAccount(t.db, { kind: 'design_firm' })
  return { account, client: await browserSession(app.url, account) }
}

const jobForm = (overrides: Record<string, string> = {}) => ({
  title: '精密灯饰支架',
  toleranceMm: '0.02',
  deadline: addDays(shanghaiToday(), 20),
  deliveryTown: 'guzhen',
  visibility: 'public',
  ...overrides,
})

/** The `<option>` tags of the select named `name`, as rendered. */
function optionsOf(html: string, name: string): string[] {
  const select = new RegExp(`<select\\b[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)
  expect(select, name).not.toBeNull()
  return [...select![1]!.matchAll(/<option\b[^>]*>/g)].map(([tag]) => tag)
}
const selectedOption = (html: string, name: string) =>
  optionsOf(html, name)
    .filter((tag) => /\bselected\b/.test(tag))
    .map((tag) => /\bvalue="([^"]*)"/.exec(tag)?.[1])

const storedAql = async (organizationId: string) =>
  t.db
    .selectFrom('jobs')
    .select(['id', 'aql'])
    .where('organization_id', '=', organizationId)
    .execute()

describe('the job form, without JavaScript', () => {
  test('a new job offers the standard AQLs with 1.0 chosen, and keeps 0.65 when chosen', async () => {
    const { account, client } = await designerBrowser()
    const blank = await (await client.get('/jobs/new')).text()
    expect(optionsOf(blank, 'aql')).toHaveLength(26)
    expect(selectedOption(blank, 'aql')).toEqual(['1'])
    expect(visibleText(blank)).toContain('品检 AQL（可接收质量限）')
    expect(visibleText(blank)).toContain('机加工件通常选 1.0')

    const created = await client.postForm('/jobs/new', jobForm({ aql: '0.65' }))
    expect(created.status).toBe(302)
    const [job] = await storedAql(account.organization.id)
    expect(job!.aql).toBe(0.65)

    const page = visibleText(await (await client.get(`/jobs/${job!.id}`)).text())
    expect(page).toContain('品检 AQL（可接收质量限） 0.65')

    const edit = await (await client.get(`/jobs/${job!.id}/edit`)).text()
    expect(selectedOption(edit, 'aql')).toEqual(['0.65'])
    const saved = await client.postForm(`/jobs/${job!.id}/edit`, jobForm({ aql: '2.5' }))
    expect(saved.status).toBe(302)
    expect((await storedAql(account.organization.id))[0]!.aql).toBe(2.5)
  })

  test('an AQL outside the series is refused beside the field, keeping what was sent', async () => {
    const { account, client } = await designerBrowser()
    for (const aql of ['0.7', 'abc']) {
      const refused = await client.postForm('/jobs/new', jobForm({ aql }))
      expect(refused.status).toBe(400)
      const html = await refused.text()
      expect(visibleText(html)).toContain('请选择 GB/T 2828.1 标准系列中的 AQL 值')
      expect(html).toMatch(/<select\b[^>]*name="aql"[^>]*aria-invalid="true"/)
      expect(selectedOption(html, 'aql')).toEqual([aql])
      expect(html).toContain('value="精密灯饰支架"')
    }
    expect(await storedAql(account.organization.id)).toEqual([])
  })

  test('the English form names the AQL and its error', async () => {
    const { client } = await designerBrowser()
    await client.postForm('/language', { locale: 'en' })
    const refused = await client.postForm('/jobs/new', jobForm({ aql: '3' }))
    expect(refused.status).toBe(400)
    const text = visibleText(await refused.text())
    expect(text).toContain('Inspection AQL (acceptance quality limit)')
    expect(text).toContain('Choose an AQL from the GB/T 2828.1 series')
  })
})

describe('the jobs API', () => {
  const body = (overrides: Record<string, unknown> = {}) => ({
    title: '精密灯饰支架',
    process: 'cnc_milling_3axis',
    tolerance_mm: 0.02,
    deadline: addDays(shanghaiToday(), 20),
    delivery_town: 'guzhen',
    ...overrides,
  })

  test('aql is optional on create (1.0), kept when sent, changed by PATCH, and checked against the series', async () => {
    const s = await apiSession(app.url, await createAccount(t.db, { kind: 'design_firm' }))
    const plain = await s.client.api('POST', '/api/v1/jobs', body(), s.csrf)
    expect(plain.status).toBe(201)
    expect(plain.body.aql).toBe(1)
    expect(schemas.Job.parse(plain.body)).toEqual(plain.body)

    const chosen = await s.client.api('POST', '/api/v1/jobs', body({ aql: 0.65 }), s.csrf)
    expect(chosen.status).toBe(201)
    expect(chosen.body.aql).toBe(0.65)
    const id = chosen.body.id as string
    expect((await s.client.api('GET', `/api/v1/jobs/${id}`)).body.aql).toBe(0.65)

    for (const aql of [0.7, '0.65', null]) {
      const res = await s.client.api('POST', '/api/v1/jobs', body({ aql }), s.csrf)
      expectError(res, 400, 'invalid_input')
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain('aql')
    }

    const patched = await s.client.api('PATCH', `/api/v1/jobs/${id}`, { aql: 4 }, s.csrf)
    expect(patched.status).toBe(200)
    expect(patched.body.aql).toBe(4)
    expectError(
      await s.client.api('PATCH', `/api/v1/jobs/${id}`, { aql: 0.3 }, s.csrf),
      400,
      'invalid_input',
    )
    // A PATCH without aql leaves it alone.
    const renamed = await s.client.api('PATCH', `/api/v1/jobs/${id}`, { title: '支架 B' }, s.csrf)
    expect(renamed.body).toMatchObject({ title: '支架 B', aql: 4 })
  })
})

describe('accepting a quote', () => {
  test("the order is inspected at the job's AQL", async () => {
    const order = await acceptedOrder(app, { job: { aql: 0.65 } })
    const stored = await t.db
      .selectFrom('orders')
      .select('aql')
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow()
    expect(stored.aql).toBe(0.65)
    const res = await order.designer.client.api('GET', `/api/v1/orders/${order.id}`)
    expect(res.status).toBe(200)
    expect(res.body.order.aql).toBe(0.65)
  })
})
