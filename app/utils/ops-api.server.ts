import { auditChanges } from '../models/audit.ts'
import type { AuditEntry } from '../models/audit.server.ts'
import type { OrderQueues } from '../models/order-queue.server.ts'
import type { DirectoryOrganization } from '../models/suspension.server.ts'
import type { listVerificationQueue } from '../models/workshop.server.ts'
import { iso } from './api.server.ts'

// Bodies of the operations endpoints (api-contract-ops.ts).

export function opsOrganizationBody(org: DirectoryOrganization) {
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    town: org.town,
    verification_status: org.verification_status,
    members: org.members,
    suspended: org.suspended_at !== null,
    suspended_at: iso(org.suspended_at),
    suspended_reason: org.suspended_reason,
    created_at: iso(org.created_at),
  }
}

export function auditEntryBody(entry: AuditEntry) {
  return {
    id: entry.id,
    action: entry.action,
    subject: entry.subject,
    subject_name: entry.subject_name,
    actor: entry.actor_user_id
      ? { id: entry.actor_user_id, name: entry.actor_name ?? '', email: entry.actor_email ?? '' }
      : null,
    before: entry.before,
    after: entry.after,
    changes: auditChanges(entry.before, entry.after),
    created_at: iso(entry.created_at),
  }
}

export function queuesBody(
  verifications: Awaited<ReturnType<typeof listVerificationQueue>>,
  queues: OrderQueues,
) {
  return {
    verifications: verifications.map((w) => ({
      organization_id: w.id,
      name: w.name,
      town: w.town,
      requested_at: iso(w.verification_requested_at),
    })),
    transfers: queues.transfers.map((p) => ({
      order_id: p.order_id,
      number: p.number,
      buyer: p.buyer,
      amount_fen: p.amount_fen,
      payer_name: p.payer_name,
      transferred_on: p.transferred_on,
      reported_at: iso(p.reported_at),
    })),
    disputes: queues.disputes.map((d) => ({
      order_id: d.order_id,
      number: d.number,
      reason: d.reason,
      opened_at: iso(d.opened_at),
      buyer: d.buyer,
      workshop: d.workshop,
    })),
    unpaid: queues.unpaid.map((o) => ({
      order_id: o.order_id,
      number: o.number,
      buyer: o.buyer,
      workshop: o.workshop,
      total_fen: o.total_fen,
      accepted_at: iso(o.accepted_at),
      waiting_days: o.waiting_days,
    })),
    expiring_quotes: queues.expiringQuotes.map((q) => ({
      quote_id: q.quote_id,
      job_id: q.job_id,
      job_title: q.job_title,
      firm: q.firm,
      workshop: q.workshop,
      total_fen: q.total_fen,
      expires_at: iso(q.expires_at),
      waiting_on: q.confirmed ? ('designer' as const) : ('workshop' as const),
    })),
    unmatched_jobs: queues.unmatchedJobs.map((j) => ({
      job_id: j.job_id,
      title: j.job_title,
      firm: j.firm,
      opened_at: iso(j.opened_at),
      matched_at: iso(j.matched_at),
      top_miss: j.top_miss,
    })),
  }
}
