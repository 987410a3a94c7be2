import type { Db } from '../../db/client.ts'
import type { Locale } from '../locales/index.ts'
import type { listOrderAttachments } from '../models/order-attachment.server.ts'
import { automaticDeadline } from '../models/order-schedule.server.ts'
import { actionsFor, actionsOf, rolesOn } from '../models/order-transition.server.ts'
import { orderRecord, requireOrderForViewer, type listOrders } from '../models/order.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { iso } from './api.server.ts'
import { orderDetailBody, orderSummaryBody } from './quote-api.server.ts'

// The API shapes of the order lifecycle (issue 7), added to issue 6's order bodies: field
// names are promises to API users — extend, never break.

type Record_ = Awaited<ReturnType<typeof orderRecord>>

function amountsBody(o: {
  subtotal_fen: number
  platform_fee_fen: number
  voucher_fen: number
  total_fen: number
  refunded_fen: number
}) {
  return {
    subtotal_fen: o.subtotal_fen,
    platform_fee_fen: o.platform_fee_fen,
    voucher_fen: o.voucher_fen,
    total_fen: o.total_fen,
    refunded_fen: o.refunded_fen,
  }
}

export function inspectionBody(i: Record_['inspections'][number]) {
  return {
    id: i.id,
    inspector_user_id: i.inspector_user_id,
    lot_size: i.lot_size,
    aql: i.aql,
    level: i.level,
    code_letter: i.code_letter,
    sample_size: i.sample_size,
    accept_number: i.accept_number,
    reject_number: i.reject_number,
    defects_found: i.defects_found,
    measurements: i.measurements,
    result: i.result,
    notes: i.notes,
    attachment_ids: i.attachment_ids,
    automatic: i.automatic,
    created_at: iso(i.created_at),
  }
}

function recordBody(record: Record_, batchRound: number) {
  const open = record.disputes.find((d) => d.status === 'open')
  return {
    shipped_quantity: record.shipments
      .filter((s) => s.kind === 'batch' && s.round === batchRound)
      .reduce((sum, s) => sum + s.quantity, 0),
    payments: record.payments.map((p) => ({
      id: p.id,
      provider: p.provider,
      amount_fen: p.amount_fen,
      status: p.status,
      payer_name: p.payer_name,
      transferred_on: p.transferred_on,
      note: p.note,
      bank_reference: p.bank_reference,
      reported_at: iso(p.reported_at),
      confirmed_at: iso(p.confirmed_at),
    })),
    shipments: record.shipments.map((s) => ({
      id: s.id,
      kind: s.kind,
      round: s.round,
      quantity: s.quantity,
      carrier: s.carrier,
      tracking_number: s.tracking_number,
      note: s.note,
      attachment_ids: s.attachment_ids,
      created_at: iso(s.created_at),
    })),
    sample_reviews: record.sampleReviews.map((r) => ({
      id: r.id,
      round: r.round,
      decision: r.decision,
      feedback: r.feedback,
      attachment_ids: r.attachment_ids,
      created_at: iso(r.created_at),
    })),
    inspections: record.inspections.map(inspectionBody),
    dispute: open
      ? {
          id: open.id,
          reason: open.reason,
          status: open.status,
          created_at: iso(open.created_at),
          evidence: record.evidence
            .filter((e) => e.dispute_id === open.id)
            .map((e) => ({
              id: e.id,
              organization_id: e.organization_id,
              organization_name: e.organization_name,
              author_user_id: e.author_user_id,
              note: e.note,
              attachment_ids: e.attachment_ids,
              created_at: iso(e.created_at),
            })),
        }
      : null,
  }
}

type Viewed = Awaited<ReturnType<typeof requireOrderForViewer>>

/** The lifecycle fields both the order and the order list carry. */
function lifecycleBody(
  o: Viewed['order'] | Awaited<ReturnType<typeof listOrders>>[number],
  allowed: { action: string; targets: string[] }[],
) {
  return {
    needs_sample: o.needs_sample,
    sample_round: o.sample_round,
    max_sample_rounds: o.max_sample_rounds,
    quantity: o.quantity,
    amounts: amountsBody(o),
    buyer: { id: o.buyer_organization_id, name: o.buyer_name },
    workshop: { id: o.workshop_organization_id, name: o.workshop_name },
    inspector_user_id: o.inspector_user_id,
    cancel_requested_by: o.cancel_requested_by,
    allowed_transitions: allowed.map((a) => ({ action: a.action, to: a.targets })),
  }
}

/** One order as `viewer` sees it: issue 6's detail plus its lifecycle (404 for a stranger). */
export async function orderViewBody(db: Db, orderId: string, viewer: AccountView, locale: Locale) {
  const viewed = await requireOrderForViewer(db, orderId, viewer)
  const { order } = viewed
  const [record, { actions: allowed }] = await Promise.all([
    orderRecord(db, order.id),
    actionsFor(db, order, viewer),
  ])
  const automatic = automaticDeadline(order)
  return {
    ...orderDetailBody(viewed, locale),
    ...lifecycleBody(order, allowed),
    batch_round: order.batch_round,
    aql: order.aql,
    inspection_level: order.inspection_level,
    paid_at: iso(order.paid_at),
    shipped_at: iso(order.shipped_at),
    delivered_at: iso(order.delivered_at),
    completed_at: iso(order.completed_at),
    cancelled_at: iso(order.cancelled_at),
    automatic: automatic ? { action: automatic.action, at: iso(automatic.at) } : null,
    ...recordBody(record, order.batch_round),
  }
}

/** A row of the caller's order list with its lifecycle fields. */
export function orderListItemBody(
  o: Awaited<ReturnType<typeof listOrders>>[number],
  viewer: AccountView,
) {
  // allowedActions decides by status, party and a pending cancellation request only; the
  // payload guards (shipped quantity, amounts) are checked when an action is taken.
  const facts = {
    status: o.status,
    needs_sample: o.needs_sample,
    sample_round: o.sample_round,
    max_sample_rounds: o.max_sample_rounds,
    quantity: o.quantity,
    shipped_quantity: 0,
    cancel_requested_by: o.cancel_requested_by,
    total_fen: o.total_fen,
    held_fen: 0,
  }
  return { ...orderSummaryBody(o), ...lifecycleBody(o, actionsOf(facts, rolesOn(o, viewer))) }
}

/** One entry of an order's audit log. */
export function orderEventBody(e: Viewed['events'][number]) {
  const { action, automatic, ...payload } = e.payload as {
    action?: string
    automatic?: boolean
  } & Record<string, unknown>
  return {
    id: e.id,
    from: e.from_status,
    to: e.to_status,
    action: action ?? null,
    actor: e.actor_user_id ? { user_id: e.actor_user_id, name: e.actor_name } : null,
    automatic: automatic === true,
    payload,
    at: iso(e.created_at),
  }
}

/** An order attachment: the promised id, name, content_type and size, and where to get it. */
export function attachmentBody(f: {
  id: string
  original_name: string
  content_type: string
  size_bytes: number
  created_at: Date
}) {
  return {
    id: f.id,
    name: f.original_name,
    content_type: f.content_type,
    size: f.size_bytes,
    created_at: iso(f.created_at),
    url: `/files/${f.id}`,
  }
}

/** A listed attachment, with who uploaded it. */
export function listedAttachmentBody(f: Awaited<ReturnType<typeof listOrderAttachments>>[number]) {
  return {
    ...attachmentBody(f),
    organization: { id: f.organization_id, name: f.organization_name },
    uploaded_by: f.uploaded_by ? { user_id: f.uploaded_by, name: f.uploader_name } : null,
  }
}
