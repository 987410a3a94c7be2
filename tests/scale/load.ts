// The scale test's load mix: design firms search, upload a part, open a job, wait for
// matching, accept a confirmed quote (sometimes twice at once through both web processes,
// sometimes two competing quotes at once) and take the order through payment, shipment,
// delivery and inspection; workshops read their job board and confirm the estimates; anonymous
// visitors search. Every acknowledged (2xx) write is recorded with the id it returned.
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { binaryStl, box } from '../unit/cad/models.ts'
import { Client, HttpError, type Recorder } from './client.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The tolerance of the scale test's jobs: only the scale workshops' machines hold it. */
export const JOB_TOLERANCE_MM = 0.003
export const MACHINE_TOLERANCE_MM = 0.002
const QUANTITY = 10

export interface AckedOrder {
  id: string
  number: string
  jobId: string
  quoteId: string
  workshopId: string
  total: number
}

export interface AckedTransition {
  orderId: string
  /** The status the acknowledged answer reported. */
  status: string
  version: number
  /** Applied by an attempt whose answer was lost, seen on a later read (not acknowledged). */
  inferred?: boolean
}

export interface AcceptRace {
  jobId: string
  kind: 'double' | 'competing'
  /** Statuses of the racing accepts and the order ids the 2xx ones returned. */
  statuses: number[]
  orderIds: string[]
}

/** Every acknowledged write of the run, for the checks at the end. */
export class Ledger {
  files: string[] = []
  jobsOpened: string[] = []
  quotesConfirmed = new Set<string>()
  orders = new Map<string, AckedOrder>()
  transitions: AckedTransition[] = []
  payments: string[] = []
  races: AcceptRace[] = []
  completed: string[] = []
  errors: string[] = []
}

export interface LoadOptions {
  bases: string[]
  recorder: Recorder
  ledger: Ledger
  designers: string[]
  workshops: string[]
  operatorEmail: string
  jobsPerDesigner: number
  /** Nothing new is started after this time (ms since the epoch). */
  deadline: number
  /** How long a designer waits for the worker side (analysis, matching) of one step. */
  workerWaitMs: number
  /** True while the load should keep going (workshops and visitors stop when it turns false). */
  running: () => boolean
}

async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch((error: unknown) => {
      if (error instanceof HttpError) return undefined
      throw error
    })
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
    await sleep(300)
  }
}

const STL = binaryStl(box(40, 30, 20))

function part(): FormData {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(STL)], { type: 'model/stl' }), 'block.stl')
  return form
}

/** One design firm: `jobsPerDesigner` jobs from upload to a completed order. */
async function designerUser(o: LoadOptions, index: number, email: string) {
  const me = new Client(`designer ${index}`, o.bases, index, o.recorder)
  await me.login(email, DEMO_PASSWORD)
  const operator = new Client(`operator/${index}`, o.bases, index + 1, o.recorder)
  await operator.login(o.operatorEmail, DEMO_PASSWORD)
  const workshops = new Map<string, Client>()
  const workshopClient = async (organizationId: string) => {
    let client = workshops.get(organizationId)
    if (!client) {
      const ws = o.workshops[workshopOf(organizationId)]!
      client = new Client(`workshop/${index}`, o.bases, index, o.recorder)
      await client.login(ws, DEMO_PASSWORD)
      workshops.set(organizationId, client)
    }
    return client
  }

  for (let k = 0; k < o.jobsPerDesigner && Date.now() < o.deadline; k++) {
    try {
      await me.expect([200], 'GET', `/api/v1/capabilities?q=${encodeURIComponent('三轴 铝')}`)
      await me.expect([200], 'GET', `/capabilities?q=${encodeURIComponent('铝')}`, undefined, {
        label: 'page /capabilities',
      })
      const file = await me.expect([201], 'POST', '/api/v1/files', undefined, { rawBody: part() })
      o.ledger.files.push(file.id as string)
      await poll(`analysis of file ${file.id}`, o.workerWaitMs, async () => {
        const res = await me.expect([200], 'GET', `/api/v1/files/${file.id}`)
        if (res.analysis?.status === 'failed')
          throw new Error(`analysis failed: ${JSON.stringify(res.analysis)}`)
        return res.analysis?.status === 'done' ? true : undefined
      })
      const job = await me.expect([201], 'POST', '/api/v1/jobs', {
        title: `规模测试 ${index}-${k}`,
        process: 'cnc_milling_3axis',
        material: 'al6061',
        tolerance_mm: JOB_TOLERANCE_MM,
        deadline: addDays(shanghaiToday(), 30),
        delivery_town: 'guzhen',
        visibility: 'public',
        needs_sample: false,
        parts: [{ file_id: file.id, quantity: QUANTITY }],
      })
      const jobId = job.id as string
      const opened = await me.call('POST', `/api/v1/jobs/${jobId}/open`)
      if (opened.status !== 200) {
        // A retried open after a lost answer: the job is open already.
        const current = await me.expect([200], 'GET', `/api/v1/jobs/${jobId}`)
        if (current.job?.status !== 'open' && current.status !== 'open') {
          throw new Error(`open job ${jobId}: ${opened.status} ${JSON.stringify(opened.body)}`)
        }
      }
      o.ledger.jobsOpened.push(jobId)
      // Matching (worker) writes estimates; the workshops confirm them from their boards.
      const confirmed = await poll(
        `two confirmed quotes on job ${jobId}`,
        o.workerWaitMs,
        async () => {
          const res = await me.expect([200], 'GET', `/api/v1/jobs/${jobId}/quotes`)
          const live = (res.quotes as any[]).filter((q) => q.status === 'pending' && q.confirmed)
          return live.length >= 2 ? live : undefined
        },
      )
      const [first, second] = confirmed as { id: string; workshop: { id: string } }[]
      const mode = k % 3 === 0 ? 'double' : k % 3 === 1 ? 'competing' : 'single'
      let accepted: { order: any; quoteId: string }
      if (mode === 'single') {
        const body = await me.expect([200, 201], 'POST', `/api/v1/quotes/${first!.id}/accept`, {})
        accepted = { order: body.order, quoteId: first!.id }
      } else {
        // Racing accepts through both web processes at once (no failover: each its process).
        const targets = mode === 'double' ? [first!, first!] : [first!, second!]
        const answers = await Promise.all(
          targets.map((q, i) =>
            me
              .once(o.bases[i % o.bases.length]!, 'POST', `/api/v1/quotes/${q.id}/accept`, {})
              .catch(() => undefined),
          ),
        )
        const race: AcceptRace = {
          jobId,
          kind: mode,
          statuses: answers.map((a) => a?.status ?? 0),
          orderIds: answers.flatMap((a) =>
            a && a.status >= 200 && a.status < 300 ? [a.body.order.id as string] : [],
          ),
        }
        o.ledger.races.push(race)
        const winner = answers.findIndex((a) => a && a.status >= 200 && a.status < 300)
        if (winner >= 0) {
          accepted = { order: answers[winner]!.body.order, quoteId: targets[winner]!.id }
        } else {
          // Both answers lost (a process died, the database went away): accept again.
          const body = await me.expect([200, 201], 'POST', `/api/v1/quotes/${first!.id}/accept`, {})
          accepted = { order: body.order, quoteId: first!.id }
        }
      }
      const quote = confirmed.find((q: { id: string }) => q.id === accepted.quoteId)
      const order: AckedOrder = {
        id: accepted.order.id,
        number: accepted.order.number,
        jobId,
        quoteId: accepted.quoteId,
        workshopId: quote.workshop.id,
        total: accepted.order.total_fen,
      }
      o.ledger.orders.set(order.id, order)
      let version = accepted.order.version as number
      const workshop = await workshopClient(quote.workshop.id as string)

      /** A transition that must reach `to`; a retry whose first answer was lost is detected. */
      const move = async (
        client: Client,
        body: Record<string, unknown>,
        to: string,
        path = 'transitions',
      ) => {
        const res = await client.call('POST', `/api/v1/orders/${order.id}/${path}`, {
          version,
          ...body,
        })
        if (res.status >= 200 && res.status < 300) {
          version = res.body.order.version
          o.ledger.transitions.push({ orderId: order.id, status: res.body.order.status, version })
          if (res.body.order.status !== to) {
            throw new Error(`order ${order.number}: expected ${to}, got ${res.body.order.status}`)
          }
          return
        }
        if (res.status === 409) {
          const current = await client.expect([200], 'GET', `/api/v1/orders/${order.id}`)
          if (current.order.status === to && current.order.version > version) {
            version = current.order.version
            o.ledger.transitions.push({ orderId: order.id, status: to, version, inferred: true })
            return
          }
        }
        throw new Error(
          `order ${order.number} → ${to}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
        )
      }

      await move(
        operator,
        { to: 'in_production', bank_reference: `SCALE-${order.number}`, amount_fen: order.total },
        'in_production',
      )
      o.ledger.payments.push(order.id)
      await workshop.expect([200], 'GET', `/orders/${order.id}`, undefined, {
        label: 'page /orders/:id',
      })
      await move(
        workshop,
        {
          action: 'ship_batch',
          carrier: '顺丰',
          tracking_number: `SF${order.number}`,
          quantity: QUANTITY,
        },
        'shipped',
      )
      await move(me, { to: 'delivered' }, 'delivered')
      await me.expect([200], 'GET', `/orders/${order.id}`, undefined, { label: 'page /orders/:id' })
      await move(me, { defects_found: 0, measurements: [] }, 'completed', 'inspections')
      o.ledger.completed.push(order.id)
    } catch (error) {
      o.ledger.errors.push(
        `designer ${index} job ${k}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
}

/** `organizationId` → the index of its owner's email in `o.workshops` (see seedScaleData). */
const workshopIds = new Map<string, number>()
export function registerWorkshop(organizationId: string, index: number) {
  workshopIds.set(organizationId, index)
}
function workshopOf(organizationId: string): number {
  const index = workshopIds.get(organizationId)
  if (index === undefined) throw new Error(`quote from an unknown workshop ${organizationId}`)
  return index
}

/** A workshop: reads its job board (API and page) and confirms the estimates waiting there. */
async function workshopUser(o: LoadOptions, index: number, email: string) {
  const me = new Client(`workshop ${index}`, o.bases, index, o.recorder)
  await me.login(email, DEMO_PASSWORD)
  while (o.running()) {
    try {
      const board = await me.expect([200], 'GET', '/api/v1/job-board', undefined, {
        retryForMs: 5_000,
      })
      await me.expect([200], 'GET', '/workshop/job-board', undefined, {
        label: 'page /workshop/job-board',
        retryForMs: 5_000,
      })
      for (const q of board.quoted as any[]) {
        if (q.status !== 'pending' || q.confirmed || q.job.status !== 'open') continue
        const res = await me.call(
          'POST',
          `/api/v1/quotes/${q.id}/confirm`,
          {},
          { retryForMs: 10_000 },
        )
        if (res.status === 200) o.ledger.quotesConfirmed.add(q.id as string)
      }
    } catch {
      // A process or the database is away: the next round tries again.
    }
    await sleep(400)
  }
}

/** An anonymous visitor searching capabilities (page and API). */
async function visitorUser(o: LoadOptions, index: number) {
  const me = new Client(`visitor ${index}`, o.bases, index, o.recorder)
  const queries = ['铝', '三轴 铝', 'cnc', '激光', '五轴']
  let n = 0
  while (o.running()) {
    const q = encodeURIComponent(queries[n++ % queries.length]!)
    await me
      .call('GET', n % 2 ? `/capabilities?q=${q}` : `/api/v1/capabilities?q=${q}`, undefined, {
        label: n % 2 ? 'page /capabilities' : undefined,
        retryForMs: 5_000,
      })
      .catch(() => undefined)
    await sleep(250)
  }
}

/** Runs the whole mix; resolves when every design firm is done (or gave up at the deadline). */
export async function runLoad(o: LoadOptions, visitors: number) {
  let designersDone = false
  const side = [
    ...o.workshops.map((email, i) =>
      workshopUser({ ...o, running: () => o.running() && !designersDone }, i, email),
    ),
    ...Array.from({ length: visitors }, (_, i) =>
      visitorUser({ ...o, running: () => o.running() && !designersDone }, i),
    ),
  ]
  await Promise.all(o.designers.map((email, i) => designerUser(o, i, email)))
  designersDone = true
  await Promise.all(side)
}
