import { expect, vi } from 'vitest'
import type { Db } from '../../db/client.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { createManualQuote } from '../../app/models/quote.server.ts'
import { getPlatformSettings } from '../../app/models/settings.server.ts'
import { createAccount } from '../factories.ts'
import { binaryStl, box } from '../unit/cad/models.ts'
import { apiSession, apiUpload, type Session } from './http.ts'

// An order made the way the app makes one: a design firm's job with one part (uploaded through
// the API and analysed by the worker the test file runs), opened, quoted by hand by a verified
// workshop with a CNC machine, and accepted by the firm. The order awaits payment.

const post = (s: Session, pathname: string, body?: unknown) =>
  s.client.api('POST', pathname, body, s.csrf)

/** A verified workshop with one active 3-axis CNC machine and capacity for 40 days. */
async function quotingWorkshop(db: Db) {
  const account = await createAccount(db, { kind: 'workshop' })
  await db
    .updateTable('organizations')
    .set({ verification_status: 'verified' })
    .where('id', '=', account.organization.id)
    .execute()
  const resource = await db
    .insertInto('resources')
    .values({
      organization_id: account.organization.id,
      process: 'cnc_milling_3axis',
      name: `${account.organization.name} CNC`,
      materials: ['al6061'],
      envelope_x_mm: 500,
      envelope_y_mm: 400,
      envelope_z_mm: 300,
      tolerance_mm: 0.01,
      hourly_rate_fen: 12_000,
      max_quantity: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const today = shanghaiToday()
  await db
    .insertInto('capacity_windows')
    .values({
      resource_id: resource.id,
      starts_on: today,
      ends_on: addDays(today, 40),
      hours_per_day: 8,
    })
    .execute()
  return { account, resourceId: resource.id }
}

/**
 * An accepted order in awaiting_payment, quantity 10, without a sample unless `needsSample`.
 * `job` adds to or overrides the fields of the job's POST /api/v1/jobs body.
 */
export async function acceptedOrder(
  db: Db,
  serverUrl: string,
  options: { publicUrl: string; job?: Record<string, unknown>; needsSample?: boolean },
) {
  const designer = await apiSession(serverUrl, await createAccount(db, { kind: 'design_firm' }))
  const file = await apiUpload(
    designer,
    '/api/v1/files',
    {},
    { name: 'block.stl', bytes: binaryStl(box(40, 30, 20)) },
  )
  expect(file.status).toBe(201)
  const fileId = file.body.id as string
  await vi.waitFor(
    async () => {
      const res = await designer.client.api('GET', `/api/v1/files/${fileId}`)
      if (res.body.analysis.status !== 'done') throw new Error('not analysed yet')
    },
    { timeout: 20_000, interval: 100 },
  )
  const job = await post(designer, '/api/v1/jobs', {
    title: '铝块 40×30×20',
    process: 'cnc_milling_3axis',
    material: 'al6061',
    tolerance_mm: 0.02,
    deadline: addDays(shanghaiToday(), 30),
    delivery_town: 'guzhen',
    needs_sample: options.needsSample ?? false,
    parts: [{ file_id: fileId, quantity: 10 }],
    ...options.job,
  })
  expect(job.status, JSON.stringify(job.body)).toBe(201)
  const jobId = job.body.id as string
  expect((await post(designer, `/api/v1/jobs/${jobId}/open`)).status).toBe(200)

  const ws = await quotingWorkshop(db)
  const settings = await getPlatformSettings(db)
  const quote = await db.transaction().execute((tx) =>
    createManualQuote(
      tx,
      ws.account,
      jobId,
      {
        resourceId: ws.resourceId,
        parts: [{ fileId, unitPriceFen: 1_000 }],
        setupFen: 20_000,
        samplePriceFen: 5_000,
        sampleLeadDays: 3,
        batchLeadDays: 10,
        machineHours: 4,
        comment: '',
      },
      {
        validityDays: settings.quoteValidityDays,
        platformFeeBps: settings.pricingTables.platformFeeBps,
        publicUrl: options.publicUrl,
      },
    ),
  )
  const accepted = await post(designer, `/api/v1/quotes/${quote.id}/accept`)
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201)
  return {
    designer,
    workshop: await apiSession(serverUrl, ws.account),
    jobId,
    order: accepted.body.order as {
      id: string
      number: string
      version: number
      total_fen: number
    },
  }
}
