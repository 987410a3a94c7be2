// The scale test's checks once the load is over and the queue has drained: nothing that was
// acknowledged is lost or duplicated (orders, order events, payments, matches, emails).
import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'
import type { Ledger } from './load.ts'
import type { ReceivedMail } from './smtp.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface CheckResult {
  name: string
  ok: boolean
  detail: string
  /** Reported, but does not fail the run (the lead decides). */
  warning?: boolean
}

interface QueueState {
  due: number
  locked: number
  failed: { task: string; error: string | null }[]
  emailsUnsent: number
}

async function queueState(db: Db): Promise<QueueState> {
  const due = await sql<{ due: number; locked: number }>`
    select count(*) filter (where attempts < max_attempts)::int as due,
           count(*) filter (where locked_at is not null)::int as locked
    from graphile_worker.jobs where run_at <= now()`.execute(db)
  const failed = await sql<{ task: string; error: string | null }>`
    select task_identifier as task, last_error as error from graphile_worker.jobs
    where attempts >= max_attempts`.execute(db)
  const emails = await db
    .selectFrom('emails')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '!=', 'sent')
    .executeTakeFirstOrThrow()
  return {
    due: due.rows[0]!.due,
    locked: due.rows[0]!.locked,
    failed: failed.rows,
    emailsUnsent: emails.n,
  }
}

/**
 * Waits until no job is due (only future ones — cron, scheduled retries — remain) and every
 * email is sent, or `timeoutMs` passes. Returns the check and how long it took.
 */
export async function drainQueue(db: Db, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now()
  let state: QueueState | undefined
  for (;;) {
    state = await queueState(db).catch(() => undefined)
    if (state && state.due === 0 && state.emailsUnsent === 0) break
    if (Date.now() - started > timeoutMs) break
    await sleep(1_000)
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (!state) return { name: 'queue drained', ok: false, detail: 'database unreachable' }
  const ok = state.due === 0 && state.emailsUnsent === 0 && state.failed.length === 0
  const failed = state.failed.map((f) => `${f.task}: ${f.error ?? ''}`.slice(0, 200))
  return {
    name: 'queue drained',
    ok,
    detail: ok
      ? `in ${seconds} s`
      : `after ${seconds} s: ${state.due} jobs due (${state.locked} locked), ` +
        `${state.emailsUnsent} emails not sent, ${state.failed.length} jobs failed for good` +
        (failed.length ? `: ${failed.join(' | ')}` : ''),
  }
}

export async function checkLedgerOfWrites(
  db: Db,
  ledger: Ledger,
  mail: ReceivedMail[],
): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  const check = (name: string, problems: string[], okDetail: string) =>
    results.push({
      name,
      ok: problems.length === 0,
      detail: problems.length ? problems.slice(0, 10).join('; ') : okDetail,
    })

  // Orders: every acknowledged one exists; at most one live order per job; races settled.
  const orderIds = [...ledger.orders.keys()]
  const orders = orderIds.length
    ? await db
        .selectFrom('orders')
        .select(['id', 'job_id', 'quote_id', 'status'])
        .where('id', 'in', orderIds)
        .execute()
    : []
  const missing = orderIds.filter((id) => !orders.some((o) => o.id === id))
  const jobIds = ledger.jobsOpened
  const perJob = jobIds.length
    ? await db
        .selectFrom('orders')
        .select(['job_id', sql<number>`count(*)::int`.as('n')])
        .where('job_id', 'in', jobIds)
        .groupBy('job_id')
        .having(sql<number>`count(*)`, '>', 1)
        .execute()
    : []
  const raceProblems = ledger.races.flatMap((r) => {
    const ok2xx = r.statuses.filter((s) => s >= 200 && s < 300).length
    const distinct = new Set(r.orderIds).size
    if (r.kind === 'double' && distinct > 1) return [`double accept on ${r.jobId}: two orders`]
    if (r.kind === 'competing' && ok2xx > 1) return [`competing accepts on ${r.jobId} both won`]
    if (
      r.kind === 'competing' &&
      ok2xx === 1 &&
      !r.statuses.includes(409) &&
      !r.statuses.includes(0)
    )
      return [`competing accept on ${r.jobId}: loser got ${r.statuses.join('/')}`]
    return []
  })
  check(
    'orders: each acknowledged order exists once, one per job',
    [
      ...missing.map((id) => `acknowledged order ${id} missing`),
      ...perJob.map((r) => `job ${r.job_id} has ${r.n} orders`),
      ...raceProblems,
    ],
    `${orderIds.length} orders on ${jobIds.length} opened jobs; ${ledger.races.length} accept races ` +
      `(${ledger.races.map((r) => `${r.kind}:${r.statuses.join('/')}`).join(', ')})`,
  )

  // Order events: each acknowledged status change is in order_events exactly once.
  const events = orderIds.length
    ? await db
        .selectFrom('order_events')
        .select(['order_id', 'from_status', 'to_status'])
        .where('order_id', 'in', orderIds)
        .where(sql<boolean>`from_status is distinct from to_status`)
        .execute()
    : []
  const eventCount = (orderId: string, to: string) =>
    events.filter((e) => e.order_id === orderId && e.to_status === to).length
  const eventProblems = ledger.transitions.flatMap((t) => {
    const n = eventCount(t.orderId, t.status)
    return n === 1 ? [] : [`order ${t.orderId} → ${t.status}: ${n} events`]
  })
  const seen = new Map<string, number>()
  for (const e of events) {
    const key = `${e.order_id} ${e.from_status}→${e.to_status}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }
  for (const [key, n] of seen) if (n > 1) eventProblems.push(`${key} recorded ${n} times`)
  const inferred = ledger.transitions.filter((t) => t.inferred).length
  check(
    'order events: each acknowledged transition recorded once',
    eventProblems,
    `${ledger.transitions.length} transitions (${inferred} whose answer was lost, applied once)`,
  )

  // Payments: one confirmed bank transfer per paid order.
  const payments = ledger.payments.length
    ? await db
        .selectFrom('payments')
        .select(['order_id', sql<number>`count(*)::int`.as('n')])
        .where('order_id', 'in', ledger.payments)
        .groupBy('order_id')
        .execute()
    : []
  check(
    'payments: one per paid order',
    ledger.payments.flatMap((id) => {
      const n = payments.find((p) => p.order_id === id)?.n ?? 0
      return n === 1 ? [] : [`order ${id}: ${n} payments`]
    }),
    `${ledger.payments.length} payments`,
  )

  // Matching: every opened job matched once (no duplicate match or quote per job + machine).
  const jobs = jobIds.length
    ? await db.selectFrom('jobs').select(['id', 'matched_at']).where('id', 'in', jobIds).execute()
    : []
  const dupMatches = jobIds.length
    ? await db
        .selectFrom('matches')
        .select(['job_id', 'resource_id', sql<number>`count(*)::int`.as('n')])
        .where('job_id', 'in', jobIds)
        .groupBy(['job_id', 'resource_id'])
        .having(sql<number>`count(*)`, '>', 1)
        .execute()
    : []
  const dupQuotes = jobIds.length
    ? await db
        .selectFrom('quotes')
        .select(['job_id', 'resource_id', sql<number>`count(*)::int`.as('n')])
        .where('job_id', 'in', jobIds)
        .groupBy(['job_id', 'resource_id'])
        .having(sql<number>`count(*)`, '>', 1)
        .execute()
    : []
  check(
    'matching: every opened job matched once',
    [
      ...jobs.filter((j) => !j.matched_at).map((j) => `job ${j.id} never matched`),
      ...dupMatches.map((m) => `job ${m.job_id} machine ${m.resource_id}: ${m.n} matches`),
      ...dupQuotes.map((m) => `job ${m.job_id} machine ${m.resource_id}: ${m.n} quotes`),
    ],
    `${jobs.length} jobs matched, no duplicate matches or quotes`,
  )

  // Emails: every row sent, and the SMTP listener got each; duplicates counted by Message-ID.
  const rows = await db.selectFrom('emails').select(['id', 'status', 'message_id']).execute()
  const received = new Map<string, number>()
  for (const m of mail) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1)
  const unsent = rows.filter((r) => r.status !== 'sent')
  const lost = rows.filter((r) => r.status === 'sent' && !received.has(r.message_id ?? ''))
  check(
    'emails: every queued email sent and received',
    [
      ...unsent.slice(0, 5).map((r) => `email ${r.id} is ${r.status}`),
      ...(unsent.length > 5 ? [`${unsent.length} unsent in all`] : []),
      ...lost.slice(0, 5).map((r) => `email ${r.id} marked sent, never received`),
      ...(lost.length > 5 ? [`${lost.length} lost in all`] : []),
    ],
    `${rows.length} emails, ${mail.length} SMTP deliveries`,
  )
  const duplicates = [...received].filter(([, n]) => n > 1)
  results.push({
    name: 'emails: delivered once (by Message-ID)',
    ok: duplicates.length === 0,
    warning: true,
    detail: duplicates.length
      ? `${duplicates.length} Message-IDs delivered more than once ` +
        `(${duplicates
          .map(([id, n]) => `${id}×${n}`)
          .join(', ')
          .slice(0, 300)}): a worker ` +
        'killed between the SMTP server accepting a message and the row being marked sent ' +
        'sends it again when the job is retried (at-least-once delivery)'
      : 'no duplicates',
  })

  check(
    'load: every design firm finished its jobs',
    ledger.errors,
    `${ledger.completed.length} orders completed, no errors`,
  )
  return results
}
