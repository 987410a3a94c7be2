// Reviews (issue 7): once an order is completed its design firm rates the workshop (quality,
// communication, on-time) and the workshop rates the buyer, each once; the workshop's rating
// (a seeded one until its first review) becomes the mean of its reviews and reaches the search
// index; its on-time rate from completed orders feeds matching. Through the JSON API, and the
// order page's form without JavaScript.
import { beforeAll, describe, expect, test } from 'vitest'
import { useTestDatabase } from '../support/database.ts'
import { useTestApp } from '../support/app.ts'
import { TestClient, apiPost, apiSession, type Session } from '../support/http.ts'
import { expectError } from '../support/api-errors.ts'
import { visibleText } from '../support/html.ts'
import { acceptedOrder, moveTo, openJob, quotingWorkshop } from '../support/orders.ts'
import { createAccount, createOperatorAccount } from '../factories.ts'
import type { AccountView } from '../../app/models/user.server.ts'
import { schemas } from '../../app/utils/api-contract.ts'

const t = useTestDatabase()
const app = useTestApp(t, { sharedSearch: true })
let operator: Session
beforeAll(async () => {
  operator = await apiSession(app.url, await createOperatorAccount(t.db))
})

const session = (account: AccountView) => apiSession(app.url, account)

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await probe()
    if (value !== undefined) return value
    if (i > 200) throw new Error(`${what} never happened`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

// Matching keeps the best 8 machines per job, and every workshop of this file competes for
// every later job: this file makes fewer than 8.

const organization = (id: string) =>
  t.db
    .selectFrom('organizations')
    .select(['rating', 'buyer_rating', 'on_time_rate', 'completed_orders'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()

/** The workshop's rating as the search index has it (undefined: not indexed). */
async function searchedRating(s: Session, workshopId: string) {
  const res = await s.client.api(
    'GET',
    '/api/v1/capabilities?process=cnc_milling_3axis&per_page=100',
  )
  expect(res.status).toBe(200)
  const hit = res.body.hits.find((h: { workshop: { id: string } }) => h.workshop.id === workshopId)
  return hit ? (hit.workshop.rating as number | null) : undefined
}

/** The value of the checked radio button of the group `name`, as the server rendered it. */
function checkedValue(html: string, name: string) {
  const radios = html.match(new RegExp(`<input[^>]*type="radio"[^>]*name="${name}"[^>]*>`, 'g'))
  return radios?.find((tag) => /\bchecked=""/.test(tag))?.match(/\bvalue="([^"]*)"/)?.[1]
}

describe('reviews through the API', () => {
  test('each side reviews a completed order once; the workshop rating becomes the mean of its reviews', async () => {
    // A demo-style workshop: rated 4.8 by the seed, without reviews.
    const ws = await quotingWorkshop(app, { label: '评价', rating: 4.8 })
    const designer = await session(await createAccount(t.db, { kind: 'design_firm' }))
    const order = await acceptedOrder(app, { designer, workshop: ws })
    const reviews = `/api/v1/orders/${order.id}/reviews`
    const buyerReview = { quality: 5, communication: 4, on_time: 4, comment: '质量很好，沟通及时' }

    // Not before the order is completed.
    expectError(await apiPost(designer, reviews, buyerReview), 409, 'order_not_completed')
    expectError(await apiPost(ws.session, reviews, { overall: 5 }), 409, 'order_not_completed')

    await moveTo(order, 'completed', operator)
    // Shipped today, due in 30 days: on time.
    expect(await organization(ws.account.organization.id)).toMatchObject({
      rating: 4.8,
      on_time_rate: 1,
      completed_orders: 1,
    })
    // The seeded rating stands until the first review; the search index has it.
    await until('indexing', async () =>
      (await searchedRating(designer, ws.account.organization.id)) === 4.8 ? true : undefined,
    )

    // Strangers cannot see or review it (404); an operator sees but does not review (403).
    const stranger = await session(await createAccount(t.db, { kind: 'design_firm' }))
    expectError(await apiPost(stranger, reviews, buyerReview), 404, 'not_found')
    expectError(await stranger.client.api('GET', reviews), 404, 'not_found')
    const otherWorkshop = await session(await createAccount(t.db, { kind: 'workshop' }))
    expectError(await apiPost(otherWorkshop, reviews, { overall: 1 }), 404, 'not_found')
    expectError(await apiPost(operator, reviews, buyerReview), 403, 'forbidden')
    expectError(
      await apiPost(designer, `/api/v1/orders/not-a-uuid/reviews`, buyerReview),
      404,
      'not_found',
    )

    // Bad input: scores out of 1–5, fractions, missing, the other side's fields, a long comment.
    for (const body of [
      { ...buyerReview, quality: 6 },
      { ...buyerReview, communication: 0 },
      { ...buyerReview, on_time: 4.5 },
      { quality: 5, communication: 4 },
      { overall: 5 },
      { ...buyerReview, overall: 5 },
      { ...buyerReview, comment: 'x'.repeat(2001) },
    ]) {
      expectError(await apiPost(designer, reviews, body), 400, 'invalid_input')
    }
    expectError(await apiPost(ws.session, reviews, { overall: 9 }), 400, 'invalid_input')
    expectError(await apiPost(ws.session, reviews, buyerReview), 400, 'invalid_input')
    expect((await designer.client.api('GET', reviews)).body).toEqual({ reviews: [] })

    // The designer's review: overall is the mean of the three; the rating now the reviews' mean.
    const created = await apiPost(designer, reviews, buyerReview)
    expect(created.status).toBe(201)
    expect(schemas.ReviewResponse.parse(created.body)).toEqual(created.body)
    expect(created.body.review).toMatchObject({
      order_id: order.id,
      direction: 'buyer_to_workshop',
      author_id: designer.account.organization.id,
      author_name: designer.account.organization.name,
      subject_id: ws.account.organization.id,
      quality: 5,
      communication: 4,
      on_time: 4,
      comment: '质量很好，沟通及时',
    })
    expect(created.body.review.overall).toBeCloseTo(13 / 3, 10)
    expect((await organization(ws.account.organization.id)).rating).toBe(4.3)
    // …and reaches the search index (re-indexed in the same transaction's job).
    await until('re-index', async () =>
      (await searchedRating(designer, ws.account.organization.id)) === 4.3 ? true : undefined,
    )

    // Once per side.
    expectError(await apiPost(designer, reviews, buyerReview), 409, 'review_exists')

    // The workshop rates the buyer.
    const byWorkshop = await apiPost(ws.session, reviews, { overall: 4, comment: '付款很快' })
    expect(byWorkshop.status).toBe(201)
    expect(byWorkshop.body.review).toMatchObject({
      direction: 'workshop_to_buyer',
      subject_id: designer.account.organization.id,
      quality: null,
      communication: null,
      on_time: null,
      overall: 4,
    })
    expectError(await apiPost(ws.session, reviews, { overall: 5 }), 409, 'review_exists')
    expect((await organization(designer.account.organization.id)).buyer_rating).toBe(4)
    expect((await organization(ws.account.organization.id)).rating).toBe(4.3)

    // Both parties (and operators) see both reviews, oldest first.
    for (const s of [designer, ws.session, operator]) {
      const listed = await s.client.api('GET', reviews)
      expect(listed.status).toBe(200)
      expect(schemas.ReviewList.parse(listed.body)).toEqual(listed.body)
      expect(listed.body.reviews.map((r: { direction: string }) => r.direction)).toEqual([
        'buyer_to_workshop',
        'workshop_to_buyer',
      ])
    }

    // A second order with another firm, rated 3 on everything: the mean of 4.33 and 3.
    const second = await session(await createAccount(t.db, { kind: 'design_firm' }))
    const order2 = await acceptedOrder(app, { designer: second, workshop: ws })
    await moveTo(order2, 'completed', operator)
    const again = await apiPost(second, `/api/v1/orders/${order2.id}/reviews`, {
      quality: 3,
      communication: 3,
      on_time: 3,
    })
    expect(again.status).toBe(201)
    expect(again.body.review.comment).toBe('')
    expect(await organization(ws.account.organization.id)).toMatchObject({
      rating: 3.7,
      on_time_rate: 1,
      completed_orders: 2,
    })
  })
})

describe('matching', () => {
  test('reports the on-time rate of a workshop with completed orders; new workshops are not penalised', async () => {
    const punctual = await quotingWorkshop(app, { label: '准时' })
    const fresh = await quotingWorkshop(app, { label: '新厂' })
    const designer = await session(await createAccount(t.db, { kind: 'design_firm' }))
    const order = await acceptedOrder(app, { designer, workshop: punctual })
    await moveTo(order, 'completed', operator)
    expect((await organization(punctual.account.organization.id)).on_time_rate).toBe(1)

    const { jobId } = await openJob(app, { designer, needs_sample: false })
    const res = await designer.client.api('GET', `/api/v1/jobs/${jobId}/matches`)
    expect(res.status).toBe(200)
    const onTime = (workshopId: string) => {
      const match = res.body.matches.find(
        (m: { workshop_id: string }) => m.workshop_id === workshopId,
      )
      expect(match, workshopId).toBeDefined()
      return match.reasons.find((r: { term: string }) => r.term === 'on_time')
    }
    const a = onTime(punctual.account.organization.id)
    const b = onTime(fresh.account.organization.id)
    expect(a.value).toBe(1)
    expect(b.value).toBe(-1)
    // Both score in full: punctual, or without a record yet.
    expect(a.contribution).toBe(b.contribution)
    expect(a.contribution).toBeCloseTo(a.weight, 4)

    // A workshop that shipped late half the time scores half.
    await t.db
      .updateTable('organizations')
      .set({ on_time_rate: 0.5 })
      .where('id', '=', fresh.account.organization.id)
      .execute()
    const { jobId: later } = await openJob(app, { designer, needs_sample: false })
    const res2 = await designer.client.api('GET', `/api/v1/jobs/${later}/matches`)
    const half = res2.body.matches
      .find((m: { workshop_id: string }) => m.workshop_id === fresh.account.organization.id)
      .reasons.find((r: { term: string }) => r.term === 'on_time')
    expect(half.value).toBe(0.5)
    expect(half.contribution).toBeCloseTo(half.weight * 0.5, 4)
  })
})

describe('the order page without JavaScript', () => {
  test('the form refuses a missing score keeping what was typed, then saves; the workshop page shows it', async () => {
    const ws = await quotingWorkshop(app, { label: '表单' })
    const designer = await session(await createAccount(t.db, { kind: 'design_firm' }))
    const order = await acceptedOrder(app, { designer, workshop: ws })
    const page = `/orders/${order.id}`
    const action = `${page}/review`

    // Not completed: no review section, and a post is refused.
    const before = await designer.client.get(page)
    expect(before.status).toBe(200)
    expect(await before.text()).not.toContain('id="review"')
    const early = await designer.client.postForm(action, {
      quality: '5',
      communication: '5',
      on_time: '5',
    })
    expect(early.status).toBe(303)
    expect(early.headers.get('location')).toBe(`${page}?reviewError=order_not_completed#review`)

    await moveTo(order, 'completed', operator)

    // Completed: the form, three 1–5 groups for the designer.
    const form = await (await designer.client.get(page)).text()
    expect(form).toContain('id="review"')
    expect(form).toContain(`action="${action}"`)
    for (const name of ['quality', 'communication', 'on_time']) {
      expect(form.match(new RegExp(`type="radio"[^>]*name="${name}"`, 'g'))).toHaveLength(5)
    }

    // A missing score: back to the page with the error beside it and the rest kept.
    const comment = '交期准，表面处理一般'
    const refused = await designer.client.postForm(action, {
      quality: '4',
      communication: '5',
      comment,
    })
    expect(refused.status).toBe(303)
    const location = refused.headers.get('location')!
    expect(location).toMatch(new RegExp(`^${page}\\?reviewError=review_score&reviewField=on_time&`))
    expect(location.endsWith('#review')).toBe(true)
    const shown = await (await designer.client.get(location)).text()
    expect(visibleText(shown)).toContain('评价没有提交，请检查标出的内容。')
    expect(shown).toMatch(/id="review-on_time-error"[^>]*>请选择 1–5 星</)
    expect(checkedValue(shown, 'quality')).toBe('4')
    expect(checkedValue(shown, 'communication')).toBe('5')
    expect(checkedValue(shown, 'on_time')).toBeUndefined()
    expect(shown).toContain(`>${comment}</textarea>`)
    expect(
      await t.db.selectFrom('reviews').select('id').where('order_id', '=', order.id).execute(),
    ).toEqual([])

    // A full review: saved, the notice, the review, no form any more.
    const saved = await designer.client.postForm(action, {
      quality: '4',
      communication: '5',
      on_time: '5',
      comment,
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`${page}?reviewed=1#review`)
    const after = await (await designer.client.get(saved.headers.get('location')!)).text()
    const text = visibleText(after)
    expect(text).toContain('评价已提交，谢谢！')
    expect(text).toContain(`${designer.account.organization.name} 对工厂的评价 · 4.7 / 5`)
    expect(text).toContain(comment)
    expect(after).not.toContain(`action="${action}"`)
    // Again (a second tab): refused, and said so.
    const twice = await designer.client.postForm(action, {
      quality: '1',
      communication: '1',
      on_time: '1',
    })
    expect(twice.headers.get('location')).toBe(`${page}?reviewError=review_exists#review`)
    const said = visibleText(
      await (await designer.client.get(twice.headers.get('location')!)).text(),
    )
    expect(said).toContain('你已经评价过这个订单了')

    // The workshop rates the buyer with one group.
    const wsForm = await (await ws.session.client.get(page)).text()
    expect(wsForm.match(/type="radio"[^>]*name="overall"/g)).toHaveLength(5)
    expect(wsForm).not.toContain('name="quality"')
    const byWorkshop = await ws.session.client.postForm(action, { overall: '5', comment: '' })
    expect(byWorkshop.headers.get('location')).toBe(`${page}?reviewed=1#review`)
    expect((await organization(designer.account.organization.id)).buyer_rating).toBe(5)

    // The workshop's public page: average, count, the comment and the firm — no people.
    const anonymous = new TestClient(app.url)
    const publicPage = visibleText(
      await (await anonymous.get(`/workshops/${ws.account.organization.id}`)).text(),
    )
    expect(publicPage).toContain('平均 4.7 / 5 · 共 1 条评价')
    expect(publicPage).toContain(comment)
    expect(publicPage).toContain(designer.account.organization.name)
    expect(publicPage).not.toContain(designer.account.user.name)

    // Someone else's order: 404.
    const stranger = await session(await createAccount(t.db, { kind: 'design_firm' }))
    const intrusion = await stranger.client.postForm(action, {
      quality: '1',
      communication: '1',
      on_time: '1',
    })
    expect(intrusion.status).toBe(404)
  })
})
