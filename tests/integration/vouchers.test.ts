// 服务券 service vouchers (issue 8) on real PostgreSQL through the pages and the JSON API:
// programmes and grants (with the refusals that change nothing and the decision emails), the
// voucher fixed at acceptance (20 racing accepts against a cap that fits 3, budgets, what is
// not eligible, related parties, cancellation giving it back), the estimate on the designer's
// quote comparison, and the reimbursement file in CSV and XLSX.
import { faker } from '@faker-js/faker'
import { beforeAll, describe, expect, test, vi } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import {
  TestClient,
  apiPost,
  apiSession,
  apiUpload,
  browserSession,
  type Session,
} from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import {
  manualQuote,
  move,
  moveTo,
  openJob,
  quotingWorkshop,
  type Order,
} from '../support/orders.ts'
import { readXlsx, rowValues } from '../support/xlsx.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { fenToYuanString, formatFen } from '../../app/models/money.ts'
import { usccCheckCharacter } from '../../app/models/uscc.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const PUBLIC_URL = 'https://factory.example.test'
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
])
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const t = useTestDatabase()
// Wide enough that 20 racing accepts really run together in the database.
const app = useTestApp(t, { publicUrl: PUBLIC_URL, serverPool: 30 })
let operator: Session
beforeAll(async () => {
  operator = await apiSession(app.url, await createOperatorAccount(t.db))
})

const today = shanghaiToday()
const year = Number(today.slice(0, 4))

async function designFirm(fields: { uscc?: string; legal_name?: string; address?: string } = {}) {
  const account = await createAccount(t.db, { kind: 'design_firm' })
  if (Object.keys(fields).length) {
    await t.db
      .updateTable('organizations')
      .set(fields)
      .where('id', '=', account.organization.id)
      .execute()
  }
  return apiSession(app.url, account)
}

/** A valid 统一社会信用代码 (check character computed). */
function uscc() {
  const first17 = `914420${faker.string.numeric(11)}`
  return first17 + usccCheckCharacter(first17)!
}

const programBody = (body: Record<string, unknown> = {}) => ({
  name: `中山设计服务券 ${faker.string.alphanumeric(5)}`,
  share_bps: 5000,
  annual_cap_fen: 30_000_000,
  budget_fen: 1_000_000_000,
  valid_from: addDays(today, -30),
  valid_until: addDays(today, 30),
  ...body,
})

async function newProgram(body: Record<string, unknown> = {}) {
  const res = await apiPost(operator, '/api/v1/ops/voucher-programs', programBody(body))
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  expect(schemas.VoucherProgram.parse(res.body)).toEqual(res.body)
  return res.body as { id: string; name: string; annual_cap_fen: number }
}

async function grant(programId: string, firm: Session) {
  const res = await apiPost(operator, `/api/v1/ops/voucher-programs/${programId}/grants`, {
    organization_id: firm.account.organization.id,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

/** A CSV field as RFC 4180 quotes it (workshop names may hold commas). */
const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)

const orderRow = (id: string) =>
  t.db
    .selectFrom('orders')
    .select(['subtotal_fen', 'voucher_fen', 'total_fen', 'related_party', 'status'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

/**
 * An order of `designer`'s on a new job without a sample, from a new workshop (its profile
 * fields set first) quoting 10 yuan a part by hand, accepted through the API.
 */
async function order(
  designer: Session,
  workshop: { clusters?: string[]; legal_name?: string; address?: string } = {},
): Promise<Order> {
  const { jobId, fileId } = await openJob(app, { designer, needs_sample: false })
  const ws = await quotingWorkshop(app, { hours: 0 })
  if (Object.keys(workshop).length) {
    await t.db
      .updateTable('organizations')
      .set(workshop)
      .where('id', '=', ws.account.organization.id)
      .execute()
  }
  const quote = await manualQuote(app, ws, jobId, fileId, 1_000)
  const accepted = await apiPost(designer, `/api/v1/quotes/${quote.id}/accept`)
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
  const o = accepted.body.order
  return {
    id: o.id,
    number: o.number,
    version: o.version,
    total: o.total_fen,
    jobId,
    designer,
    workshop: ws.session,
    workshopId: ws.account.organization.id,
  }
}

describe('programmes and grants', () => {
  test('an operator creates and edits a programme on the console pages; bad input changes nothing', async () => {
    const browser = await browserSession(app.url, await createOperatorAccount(t.db))
    expect((await browser.get('/console/vouchers')).status).toBe(200)
    const name = `古镇灯饰设计券 ${faker.string.alphanumeric(4)}`
    const form = {
      intent: 'create',
      name,
      share: '95',
      annualCap: '300,000',
      budget: '5000000',
      processes: 'cnc_milling_3axis',
      validFrom: addDays(today, -1),
      validUntil: addDays(today, 60),
    }
    const tooMuch = await browser.postForm('/console/vouchers', form)
    expect(tooMuch.status).toBe(400)
    expect(await tooMuch.text()).toContain('请输入 0.01 到 90 之间的百分比')
    const backwards = await browser.postForm('/console/vouchers', {
      ...form,
      share: '50',
      validUntil: addDays(today, -2),
    })
    expect(backwards.status).toBe(400)
    expect(await backwards.text()).toContain('结束日期不能早于开始日期')
    const named = () =>
      t.db.selectFrom('voucher_programs').selectAll().where('name', '=', name).execute()
    expect(await named()).toEqual([])

    const created = await browser.postForm('/console/vouchers', { ...form, share: '50' })
    expect(created.status).toBe(302)
    const [program] = await named()
    expect(created.headers.get('location')).toBe(`/console/vouchers/${program!.id}?created=1`)
    expect(program).toMatchObject({
      share_bps: 5000,
      annual_cap_fen: 30_000_000,
      budget_fen: 500_000_000,
      processes: ['cnc_milling_3axis'],
      clusters: [],
    })
    const page = await (await browser.get(`/console/vouchers/${program!.id}`)).text()
    expect(page).toContain(name)
    expect(page).toContain('最高 90%')
    // The list shows the budget used and left.
    const list = await (await browser.get('/console/vouchers')).text()
    expect(list).toContain(formatFen(500_000_000, 'zh-CN'))

    const edit = { ...form, intent: 'update', share: '40', budget: '6000000' }
    const badEdit = await browser.postForm(`/console/vouchers/${program!.id}`, {
      ...edit,
      validUntil: addDays(today, -5),
    })
    expect(badEdit.status).toBe(400)
    expect((await named())[0]).toMatchObject({ share_bps: 5000, budget_fen: 500_000_000 })
    const saved = await browser.postForm(`/console/vouchers/${program!.id}`, edit)
    expect(saved.status).toBe(302)
    expect((await named())[0]).toMatchObject({ share_bps: 4000, budget_fen: 600_000_000 })

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('subject', '=', program!.id)
      .orderBy('created_at')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['voucher_program.create', 'voucher_program.update'])
    expect(audit[1]).toMatchObject({
      before: { shareBps: 5000, budgetFen: 500_000_000 },
      after: { shareBps: 4000, budgetFen: 600_000_000 },
    })
  })

  test('the API refuses a share above 90 %, dates out of order and unknown processes, naming the field', async () => {
    const bad = async (body: Record<string, unknown>, path: string) => {
      const res = await apiPost(operator, '/api/v1/ops/voucher-programs', programBody(body))
      expectError(res, 400, 'invalid_input')
      expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path)
    }
    const before = await t.db.selectFrom('voucher_programs').select('id').execute()
    await bad({ share_bps: 9001 }, 'share_bps')
    await bad({ valid_from: today, valid_until: addDays(today, -1) }, 'valid_until')
    await bad({ processes: ['cnc_milling_3axis', 'welding'] }, 'processes.1')
    await bad({ clusters: ['space'] }, 'clusters.0')
    expect(await t.db.selectFrom('voucher_programs').select('id').execute()).toHaveLength(
      before.length,
    )

    const program = await newProgram()
    const patch = (body: Record<string, unknown>) =>
      operator.client.api(
        'PATCH',
        `/api/v1/ops/voucher-programs/${program.id}`,
        body,
        operator.csrf,
      )
    const backwards = await patch({ valid_until: addDays(today, -31) })
    expectError(backwards, 400, 'invalid_input')
    expect(backwards.body.error.details.issues[0].path).toBe('valid_until')
    expectError(await patch({ share_bps: 9500 }), 400, 'invalid_input')
    const ok = await patch({ share_bps: 9000, clusters: ['lighting'] })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ share_bps: 9000, clusters: ['lighting'], used_fen: 0 })
    expectError(
      await operator.client.api('GET', `/api/v1/ops/voucher-programs/${crypto.randomUUID()}`),
      404,
      'not_found',
    )
  })

  test('a design firm applies; the operator rejects with a note, the firm applies again, the operator approves; the owners are emailed', async () => {
    const program = await newProgram()
    const firm = await designFirm({ uscc: uscc() })
    const browser = await browserSession(app.url, firm.account)
    const page = await (await browser.get('/vouchers')).text()
    expect(page).toContain(program.name)
    expect(page).toContain('未申请')

    const applied = await browser.postForm('/vouchers', {
      intent: 'apply',
      programId: program.id,
      note: '工业设计工作室，主要做灯具外壳',
    })
    expect(applied.status).toBe(302)
    const again = await browser.postForm('/vouchers', { intent: 'apply', programId: program.id })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('已经提交过申请')
    const grants = () =>
      t.db
        .selectFrom('voucher_grants')
        .selectAll()
        .where('organization_id', '=', firm.account.organization.id)
        .execute()
    expect(await grants()).toMatchObject([
      { program_id: program.id, year, status: 'applied', note: '工业设计工作室，主要做灯具外壳' },
    ])
    const grantId = (await grants())[0]!.id

    // The operator's queue shows it with the firm's 统一社会信用代码.
    const detail = await operator.client.api('GET', `/api/v1/ops/voucher-programs/${program.id}`)
    expect(schemas.VoucherProgramDetail.parse(detail.body)).toEqual(detail.body)
    expect(detail.body.grants).toMatchObject([
      {
        id: grantId,
        status: 'applied',
        organization: { id: firm.account.organization.id, uscc: expect.any(String) },
      },
    ])

    const decide = (body: Record<string, unknown>) =>
      operator.client.api('PATCH', `/api/v1/ops/voucher-grants/${grantId}`, body, operator.csrf)
    const noReason = await decide({ decision: 'reject' })
    expectError(noReason, 400, 'invalid_input')
    expect(noReason.body.error.details.issues[0].path).toBe('note')
    const rejected = await decide({ decision: 'reject', note: '请补充营业执照' })
    expect(rejected.status).toBe(200)
    expect(rejected.body).toMatchObject({ status: 'rejected', decision_note: '请补充营业执照' })
    expectError(await decide({ decision: 'approve' }), 409, 'voucher_not_applied')

    // Rejected: the firm may apply again (API), back to applied.
    const reapplied = await apiPost(firm, `/api/v1/vouchers/${program.id}/applications`, {
      note: '已补充营业执照',
    })
    expect(reapplied.status, JSON.stringify(reapplied.body)).toBe(201)
    expect(reapplied.body).toMatchObject({ id: grantId, status: 'applied', decision_note: '' })

    // Approved on the console page.
    const ops = await browserSession(app.url, await createOperatorAccount(t.db))
    expect(await (await ops.get(`/console/vouchers/${program.id}`)).text()).toContain(
      '已补充营业执照',
    )
    const approved = await ops.postForm(`/console/vouchers/${program.id}`, {
      intent: 'decide',
      grantId,
      decision: 'approve',
      note: '',
    })
    expect(approved.status).toBe(302)
    expect(await grants()).toMatchObject([{ status: 'approved' }])

    const mine = await firm.client.api('GET', '/api/v1/vouchers')
    expect(mine.status).toBe(200)
    expect(schemas.VoucherOverview.parse(mine.body)).toEqual(mine.body)
    expect(mine.body.year).toBe(year)
    expect(mine.body.programs.find((p: { id: string }) => p.id === program.id)).toMatchObject({
      remaining_cap_fen: 30_000_000,
      grant: { id: grantId, status: 'approved' },
    })

    // Two decision emails, rendered in the owner's language, sent to the owner.
    await vi.waitFor(
      async () => {
        const mails = await t.db
          .selectFrom('emails')
          .select(['subject', 'status', 'text'])
          .where('template', '=', 'voucher-decision')
          .where('to_address', '=', firm.account.user.email)
          .orderBy('created_at')
          .execute()
        expect(mails.map((m) => [m.status, m.subject])).toEqual([
          ['sent', `【共享工厂】服务券「${program.name}」申请未通过`],
          ['sent', `【共享工厂】服务券「${program.name}」已获批`],
        ])
        expect(mails[0]!.text).toContain('请补充营业执照')
        expect(mails[1]!.text).toContain(`${PUBLIC_URL}/vouchers`)
      },
      { timeout: 15_000, interval: 200 },
    )
  })

  test('an operator grants a design firm directly, chosen by name; not a workshop, not twice, not after the end', async () => {
    const program = await newProgram()
    const label = `直发设计 ${faker.string.alphanumeric(6)}`
    const account = await createAccount(t.db, { kind: 'design_firm', organizationName: label })
    const ops = await browserSession(app.url, await createOperatorAccount(t.db))
    const found = await (
      await ops.get(`/console/vouchers/${program.id}?q=${encodeURIComponent(label.slice(5))}`)
    ).text()
    expect(found).toContain(`<option value="${account.organization.id}">${label}</option>`)
    const granted = await ops.postForm(`/console/vouchers/${program.id}`, {
      intent: 'grant',
      organizationId: account.organization.id,
      note: '重点扶持企业',
    })
    expect(granted.status).toBe(302)
    const rows = await t.db
      .selectFrom('voucher_grants')
      .select(['status', 'year', 'decision_note'])
      .where('organization_id', '=', account.organization.id)
      .execute()
    expect(rows).toEqual([{ status: 'approved', year, decision_note: '重点扶持企业' }])
    const twice = await ops.postForm(`/console/vouchers/${program.id}`, {
      intent: 'grant',
      organizationId: account.organization.id,
    })
    expect(twice.status).toBe(409)

    const workshop = await createAccount(t.db, { kind: 'workshop' })
    expectError(
      await apiPost(operator, `/api/v1/ops/voucher-programs/${program.id}/grants`, {
        organization_id: workshop.organization.id,
      }),
      422,
      'voucher_not_design_firm',
    )
    const ended = await newProgram({
      valid_from: addDays(today, -60),
      valid_until: addDays(today, -1),
    })
    expectError(
      await apiPost(operator, `/api/v1/ops/voucher-programs/${ended.id}/grants`, {
        organization_id: account.organization.id,
      }),
      409,
      'voucher_program_closed',
    )
    expect(
      await t.db
        .selectFrom('emails')
        .select('template')
        .where('to_address', '=', account.user.email)
        .where('template', '=', 'voucher-decision')
        .execute(),
    ).toHaveLength(1)
  })

  test('designers and workshops get 403 on the operators’ endpoints and pages; a workshop cannot apply; nobody anonymous', async () => {
    const program = await newProgram()
    const designer = await designFirm()
    const workshop = await apiSession(app.url, await createAccount(t.db, { kind: 'workshop' }))
    const grantRow = await apiPost(designer, `/api/v1/vouchers/${program.id}/applications`, {})
    expect(grantRow.status).toBe(201)
    for (const s of [designer, workshop]) {
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/v1/ops/voucher-programs'],
        ['POST', '/api/v1/ops/voucher-programs', programBody()],
        ['GET', `/api/v1/ops/voucher-programs/${program.id}`],
        ['PATCH', `/api/v1/ops/voucher-programs/${program.id}`, { share_bps: 9000 }],
        [
          'POST',
          `/api/v1/ops/voucher-programs/${program.id}/grants`,
          { organization_id: s.account.organization.id },
        ],
        ['PATCH', `/api/v1/ops/voucher-grants/${grantRow.body.id}`, { decision: 'approve' }],
        [
          'GET',
          `/api/v1/ops/voucher-programs/${program.id}/reimbursement?from=${today}&to=${today}`,
        ],
      ]
      for (const [method, path, body] of calls) {
        expectError(await s.client.api(method, path, body, s.csrf), 403, 'forbidden')
      }
      const browser = await browserSession(app.url, s.account)
      expect((await browser.get('/console/vouchers')).status).toBe(403)
      expect((await browser.get(`/console/vouchers/${program.id}`)).status).toBe(403)
      expect(
        (
          await browser.get(
            `/console/vouchers/${program.id}/reimbursement?from=${today}&to=${today}`,
          )
        ).status,
      ).toBe(403)
    }
    expectError(
      await apiPost(workshop, `/api/v1/vouchers/${program.id}/applications`, {}),
      403,
      'forbidden',
    )
    expectError(await workshop.client.api('GET', '/api/v1/vouchers'), 403, 'forbidden')
    const workshopBrowser = await browserSession(app.url, workshop.account)
    expect((await workshopBrowser.get('/vouchers')).status).toBe(403)
    const anonymous = await new TestClient(app.url).get('/vouchers')
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Fvouchers/)
    expectError(await new TestClient(app.url).api('GET', '/api/v1/vouchers'), 401, 'unauthorized')
    // Nothing changed.
    expect(
      await t.db
        .selectFrom('voucher_grants')
        .select('status')
        .where('program_id', '=', program.id)
        .execute(),
    ).toEqual([{ status: 'applied' }])

    // Operators see every programme's budget on GET /vouchers.
    const all = await operator.client.api('GET', '/api/v1/vouchers')
    expect(schemas.VoucherOverview.parse(all.body)).toEqual(all.body)
    expect(all.body.programs.find((p: { id: string }) => p.id === program.id)).toMatchObject({
      budget_fen: 1_000_000_000,
      used_fen: 0,
      left_fen: 1_000_000_000,
    })
  })
})

describe('the voucher at acceptance', () => {
  test(
    '20 concurrent accepts by one firm against a cap that fits 3: exactly 3 vouchers, never past the cap, each total = subtotal − voucher',
    { timeout: 180_000 },
    async () => {
      const designer = await designFirm()
      const ws = await quotingWorkshop(app, { hours: 0 })
      const jobs: { jobId: string; fileId: string }[] = []
      for (let i = 0; i < 20; i += 5) {
        jobs.push(
          ...(await Promise.all(
            Array.from({ length: 5 }, () => openJob(app, { designer, needs_sample: false })),
          )),
        )
      }
      const quotes = await Promise.all(
        jobs.map((j) => manualQuote(app, ws, j.jobId, j.fileId, 1_000)),
      )
      const contract = quotes[0]!.total_fen
      expect(quotes.every((q) => q.total_fen === contract)).toBe(true)
      const voucher = Math.floor(contract / 2)
      const program = await newProgram({ annual_cap_fen: 3 * voucher })
      await grant(program.id, designer)

      const results = await Promise.all(
        quotes.map((q) => apiPost(designer, `/api/v1/quotes/${q.id}/accept`)),
      )
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201))
      const orders = await t.db
        .selectFrom('orders')
        .select(['id', 'subtotal_fen', 'voucher_fen', 'total_fen'])
        .where('buyer_organization_id', '=', designer.account.organization.id)
        .execute()
      expect(orders).toHaveLength(20)
      expect(orders.filter((o) => o.voucher_fen > 0).map((o) => o.voucher_fen)).toEqual([
        voucher,
        voucher,
        voucher,
      ])
      expect(orders.reduce((sum, o) => sum + o.voucher_fen, 0)).toBe(3 * voucher)
      for (const o of orders) expect(o.total_fen).toBe(o.subtotal_fen - o.voucher_fen)
      // The API's order bodies say the same.
      for (const r of results) {
        const o = orders.find((x) => x.id === r.body.order.id)!
        expect(r.body.order.total_fen).toBe(o.total_fen)
      }
      const redeemed = await t.db
        .selectFrom('voucher_redemptions')
        .select(['order_id', 'amount_fen'])
        .where('program_id', '=', program.id)
        .execute()
      expect(redeemed).toHaveLength(3)
      expect(redeemed.reduce((sum, r) => sum + r.amount_fen, 0)).toBe(3 * voucher)

      const mine = await designer.client.api('GET', '/api/v1/vouchers')
      expect(mine.body.programs.find((p: { id: string }) => p.id === program.id)).toMatchObject({
        remaining_cap_fen: 0,
      })
    },
  )

  test(
    'a programme budget smaller than the firm cap is respected',
    { timeout: 60_000 },
    async () => {
      const designer = await designFirm()
      const first = await order(designer)
      // Made after the first quote, so the budget is known to fit one voucher and a part.
      const contract = (await orderRow(first.id)).subtotal_fen
      expect((await orderRow(first.id)).voucher_fen).toBe(0)
      const voucher = Math.floor(contract / 2)
      const program = await newProgram({ annual_cap_fen: 100 * voucher, budget_fen: voucher + 500 })
      await grant(program.id, designer)
      const a = await orderRow((await order(designer)).id)
      const b = await orderRow((await order(designer)).id)
      const c = await orderRow((await order(designer)).id)
      expect([a.voucher_fen, b.voucher_fen, c.voucher_fen]).toEqual([voucher, 500, 0])
      expect(c.total_fen).toBe(c.subtotal_fen)
      const detail = await operator.client.api('GET', `/api/v1/ops/voucher-programs/${program.id}`)
      expect(detail.body.program).toMatchObject({ used_fen: voucher + 500, left_fen: 0 })
      // An operator cannot lower the budget below what it paid.
      expectError(
        await operator.client.api(
          'PATCH',
          `/api/v1/ops/voucher-programs/${program.id}`,
          { budget_fen: voucher },
          operator.csrf,
        ),
        422,
        'voucher_budget_below_used',
      )
    },
  )

  test(
    'no voucher for an ineligible process or cluster, a programme ended or not started, or a grant not approved',
    { timeout: 90_000 },
    async () => {
      const cases: { name: string; voucher: boolean; setUp: (f: Session) => Promise<unknown> }[] = [
        {
          name: 'other process',
          voucher: false,
          setUp: async (f) => grant((await newProgram({ processes: ['fdm'] })).id, f),
        },
        {
          name: 'other cluster',
          voucher: false,
          setUp: async (f) => grant((await newProgram({ clusters: ['lighting'] })).id, f),
        },
        {
          name: 'ended',
          voucher: false,
          setUp: async (f) => {
            const p = await newProgram({
              valid_from: addDays(today, -60),
              valid_until: addDays(today, -1),
            })
            // Granted while it ran.
            await t.db
              .insertInto('voucher_grants')
              .values({
                program_id: p.id,
                organization_id: f.account.organization.id,
                year,
                status: 'approved',
              })
              .execute()
          },
        },
        {
          name: 'not started',
          voucher: false,
          setUp: async (f) =>
            grant(
              (await newProgram({ valid_from: addDays(today, 1), valid_until: addDays(today, 30) }))
                .id,
              f,
            ),
        },
        {
          name: 'applied, not approved',
          voucher: false,
          setUp: async (f) =>
            expect(
              (await apiPost(f, `/api/v1/vouchers/${(await newProgram()).id}/applications`, {}))
                .status,
            ).toBe(201),
        },
        {
          name: 'eligible process and cluster',
          voucher: true,
          setUp: async (f) =>
            grant(
              (await newProgram({ processes: ['cnc_milling_3axis'], clusters: ['hardware'] })).id,
              f,
            ),
        },
      ]
      for (const c of cases) {
        const firm = await designFirm()
        await c.setUp(firm)
        const o = await order(firm, { clusters: ['hardware', 'furniture'] })
        const row = await orderRow(o.id)
        expect(row.voucher_fen > 0, c.name).toBe(c.voucher)
        expect(row.total_fen, c.name).toBe(row.subtotal_fen - row.voucher_fen)
      }
    },
  )

  test(
    'related parties (one legal owner, or one address) are flagged and get no voucher',
    { timeout: 60_000 },
    async () => {
      // One company with a design and a workshop account (统一社会信用代码 is unique to one
      // account, so the registered name is what they share).
      const legalName = `中山市同源科技有限公司 ${faker.string.alphanumeric(4)}`
      const firm = await designFirm({
        legal_name: legalName,
        address: '中山市古镇镇东兴中路 18 号',
      })
      await grant((await newProgram()).id, firm)
      const sameOwner = await orderRow((await order(firm, { legal_name: legalName })).id)
      const sameAddress = await orderRow(
        (await order(firm, { address: ' 中山市古镇镇东兴中路18号' })).id,
      )
      const unrelated = await orderRow(
        (await order(firm, { address: '中山市小榄镇升平路 1 号' })).id,
      )
      for (const [name, row] of Object.entries({ sameOwner, sameAddress })) {
        expect(row, name).toMatchObject({ related_party: true, voucher_fen: 0 })
        expect(row.total_fen, name).toBe(row.subtotal_fen)
      }
      expect(unrelated.related_party).toBe(false)
      expect(unrelated.voucher_fen).toBeGreaterThan(0)
    },
  )

  test(
    'cancelling before payment gives the voucher back, and the next accept uses it',
    { timeout: 60_000 },
    async () => {
      const firm = await designFirm()
      // A cap smaller than any one voucher here: the first order takes it all.
      const program = await newProgram({ annual_cap_fen: 10_000 })
      await grant(program.id, firm)
      const a = await order(firm)
      const b = await order(firm)
      expect((await orderRow(a.id)).voucher_fen).toBe(10_000)
      expect((await orderRow(b.id)).voucher_fen).toBe(0)
      await move(firm, a, { action: 'cancel', reason: '设计变更，不再需要' })
      expect(await orderRow(a.id)).toMatchObject({ status: 'cancelled' })
      const reversal = await t.db
        .selectFrom('voucher_redemptions')
        .select(['amount_fen', 'reversed_fen'])
        .where('order_id', '=', a.id)
        .executeTakeFirstOrThrow()
      expect(reversal).toEqual({ amount_fen: 10_000, reversed_fen: 10_000 })
      const c = await orderRow((await order(firm)).id)
      expect(c.voucher_fen).toBe(10_000)
      expect(c.total_fen).toBe(c.subtotal_fen - 10_000)
    },
  )
})

describe('the designer sees the discount before accepting', () => {
  test(
    'the quote comparison shows each quote’s estimated voucher and what is left to pay',
    { timeout: 60_000 },
    async () => {
      const firm = await designFirm()
      await grant((await newProgram({ share_bps: 3000 })).id, firm)
      const { jobId, fileId } = await openJob(app, { designer: firm, needs_sample: false })
      const ws1 = await quotingWorkshop(app, { hours: 0 })
      const ws2 = await quotingWorkshop(app, { hours: 0 })
      const q1 = await manualQuote(app, ws1, jobId, fileId, 1_000)
      const q2 = await manualQuote(app, ws2, jobId, fileId, 2_345)
      const browser = await browserSession(app.url, firm.account)
      const html = await (await browser.get(`/jobs/${jobId}`)).text()
      expect(html).toContain('服务券（预估）')
      for (const q of [q1, q2]) {
        const voucher = Math.floor((q.total_fen * 3000) / 10_000)
        expect(html).toContain(`−${formatFen(voucher, 'zh-CN')}`)
        expect(html).toContain(formatFen(q.total_fen - voucher, 'zh-CN'))
      }
      // The estimate is what acceptance fixes.
      const accepted = await apiPost(firm, `/api/v1/quotes/${q2.id}/accept`)
      expect(accepted.body.order.voucher_fen).toBe(Math.floor((q2.total_fen * 3000) / 10_000))

      // A firm without a grant sees no voucher rows.
      const other = await designFirm()
      const job = await openJob(app, { designer: other, needs_sample: false })
      await manualQuote(app, ws1, job.jobId, job.fileId, 1_000)
      const plain = await (
        await (await browserSession(app.url, other.account)).get(`/jobs/${job.jobId}`)
      ).text()
      expect(plain).not.toContain('服务券（预估）')
    },
  )
})

describe('the reimbursement file', () => {
  test(
    'CSV and XLSX list the completed voucher order with its figures and evidence, and the related-party order flagged without a voucher',
    { timeout: 120_000 },
    async () => {
      const code = uscc()
      const firm = await designFirm({
        uscc: code,
        legal_name: '中山市明灯工业设计有限公司',
        address: '中山市古镇镇同益路 8 号',
      })
      const program = await newProgram()
      await grant(program.id, firm)

      // The voucher order: paid, shipped, delivered, inspected with a report attached.
      const o1 = await order(firm)
      await moveTo(o1, 'delivered', operator)
      const report = await apiUpload(
        firm,
        `/api/v1/orders/${o1.id}/attachments`,
        {},
        { name: '品检报告.png', bytes: PNG },
      )
      expect(report.status).toBe(201)
      const inspected = await apiPost(firm, `/api/v1/orders/${o1.id}/inspections`, {
        version: o1.version,
        defects_found: 0,
        measurements: [],
        attachment_ids: [report.body.id],
      })
      expect(inspected.status, JSON.stringify(inspected.body)).toBe(201)
      expect(inspected.body.order.status).toBe('completed')
      // The related-party order (same address), completed too; and one still unpaid.
      const o2 = await order(firm, { address: '中山市古镇镇同益路 8 号' })
      await moveTo(o2, 'completed', operator)
      const o3 = await order(firm)
      const [r1, r2] = [await orderRow(o1.id), await orderRow(o2.id)]
      expect(r1.voucher_fen).toBeGreaterThan(0)
      expect(r2).toMatchObject({ related_party: true, voucher_fen: 0 })
      const workshopName = async (o: Order) =>
        (
          await t.db
            .selectFrom('organizations')
            .select('name')
            .where('id', '=', o.workshopId)
            .executeTakeFirstOrThrow()
        ).name

      // CSV from the console page.
      const ops = await browserSession(app.url, await createOperatorAccount(t.db))
      const csvRes = await ops.get(
        `/console/vouchers/${program.id}/reimbursement?from=${today}&to=${today}&format=csv`,
      )
      expect(csvRes.status).toBe(200)
      expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(csvRes.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="voucher-reimbursement-${today}-${today}\\.csv"`),
      )
      const bytes = new Uint8Array(await csvRes.arrayBuffer())
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const csv = new TextDecoder().decode(bytes.slice(3))
      expect(csv.endsWith('\r\n')).toBe(true)
      expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/)
      const lines = csv.split('\r\n')
      expect(lines[0]).toBe(
        '订单号,企业,统一社会信用代码,加工方,合同金额（元）,服务券金额（元）,完成日期,关联方,订单链接,品检报告及附件,付款凭证',
      )
      const evidence1 = `${PUBLIC_URL}/files/${report.body.id}`
      expect(lines[1]).toBe(
        [
          o1.number,
          '中山市明灯工业设计有限公司',
          code,
          csvCell(await workshopName(o1)),
          fenToYuanString(r1.subtotal_fen),
          fenToYuanString(r1.voucher_fen),
          today,
          '否',
          `${PUBLIC_URL}/orders/${o1.id}`,
          evidence1,
          'ICBC-20261130',
        ].join(','),
      )
      expect(lines[2]).toBe(
        `合计,,,,${fenToYuanString(r1.subtotal_fen)},${fenToYuanString(r1.voucher_fen)}`,
      )
      expect(lines[3]).toBe('')
      expect(lines[4]).toBe('关联方订单（不予补贴）')
      expect(lines[5]).toBe(lines[0])
      expect(lines[6]).toBe(
        [
          o2.number,
          '中山市明灯工业设计有限公司',
          code,
          csvCell(await workshopName(o2)),
          fenToYuanString(r2.subtotal_fen),
          '0.00',
          today,
          '是',
          `${PUBLIC_URL}/orders/${o2.id}`,
          '',
          'ICBC-20261130',
        ].join(','),
      )
      expect(lines).toHaveLength(8)
      expect(csv).not.toContain(o3.number)

      // XLSX from the API, chosen by Accept.
      const xlsxRes = await operator.client.fetch(
        `/api/v1/ops/voucher-programs/${program.id}/reimbursement?from=${today}&to=${today}`,
        { headers: { accept: XLSX } },
      )
      expect(xlsxRes.status).toBe(200)
      expect(xlsxRes.headers.get('content-type')).toBe(XLSX)
      expect(xlsxRes.headers.get('content-disposition')).toMatch(/^attachment; .*\.xlsx"/)
      const book = readXlsx(new Uint8Array(await xlsxRes.arrayBuffer()))
      expect(book.sheets.map((s) => s.name)).toEqual(['服务券补贴明细', '关联方订单'])
      const [main, related] = book.sheets
      expect(main!.rows.map(rowValues)).toEqual([
        expect.objectContaining({ A: '订单号', E: '合同金额（元）', F: '服务券金额（元）' }),
        {
          A: o1.number,
          B: '中山市明灯工业设计有限公司',
          C: code,
          D: await workshopName(o1),
          E: r1.subtotal_fen / 100,
          F: r1.voucher_fen / 100,
          G: today,
          H: '否',
          I: `${PUBLIC_URL}/orders/${o1.id}`,
          J: evidence1,
          K: 'ICBC-20261130',
        },
        { A: '合计', E: r1.subtotal_fen / 100, F: r1.voucher_fen / 100 },
      ])
      // Amounts are numbers with two decimals, not text.
      expect(main!.xml).toContain(`<c r="F2" s="2"><v>${fenToYuanString(r1.voucher_fen)}</v></c>`)
      expect(related!.rows.map(rowValues)[1]).toMatchObject({
        A: o2.number,
        F: 0,
        H: '是',
      })

      // ?format= wins; a period without completions has only the header and zero totals.
      const empty = await operator.client.fetch(
        `/api/v1/ops/voucher-programs/${program.id}/reimbursement?from=2020-01-01&to=2020-12-31&format=csv`,
        { headers: { accept: XLSX } },
      )
      expect(empty.status).toBe(200)
      expect(empty.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect((await empty.text()).split('\r\n').slice(1)).toEqual(['合计,,,,0.00,0.00', ''])
      // Bad periods: 400 on the API and the page.
      expectError(
        await operator.client.api(
          'GET',
          `/api/v1/ops/voucher-programs/${program.id}/reimbursement?from=${today}&to=2020-01-01`,
        ),
        400,
        'invalid_input',
      )
      expect(
        (await ops.get(`/console/vouchers/${program.id}/reimbursement?from=${today}&to=2020-01-01`))
          .status,
      ).toBe(400)
      expect(
        (
          await ops.get(
            `/console/vouchers/${crypto.randomUUID()}/reimbursement?from=${today}&to=${today}`,
          )
        ).status,
      ).toBe(404)
    },
  )
})
