import type { FirmProgram, GrantView, ProgramView } from '../models/voucher-admin.server.ts'
import { iso } from './api.server.ts'

// 服务券 rows as the /api/v1 contract promises them (api-contract-vouchers.ts).

export function programBody(p: Omit<ProgramView, 'applications' | 'grants'>) {
  return {
    id: p.id,
    name: p.name,
    share_bps: p.share_bps,
    annual_cap_fen: p.annual_cap_fen,
    processes: p.processes,
    clusters: p.clusters,
    valid_from: p.valid_from,
    valid_until: p.valid_until,
    budget_fen: p.budget_fen,
    used_fen: p.used_fen,
    left_fen: p.left_fen,
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  }
}

export function grantBody(g: GrantView) {
  return {
    id: g.id,
    program_id: g.program_id,
    organization: {
      id: g.organization_id,
      name: g.organization_name,
      legal_name: g.legal_name,
      uscc: g.uscc,
    },
    year: g.year,
    status: g.status,
    note: g.note,
    decision_note: g.decision_note,
    decided_at: iso(g.decided_at),
    created_at: iso(g.created_at),
    used_fen: g.used_fen,
    remaining_cap_fen: g.remaining_cap_fen,
  }
}

export function firmProgramBody(p: FirmProgram) {
  return {
    id: p.id,
    name: p.name,
    share_bps: p.share_bps,
    annual_cap_fen: p.annual_cap_fen,
    processes: p.processes,
    clusters: p.clusters,
    valid_from: p.valid_from,
    valid_until: p.valid_until,
    open: p.open,
    remaining_cap_fen: p.remaining_cap_fen,
    grant:
      p.grant_id && p.grant_status
        ? {
            id: p.grant_id,
            status: p.grant_status,
            note: p.grant_note ?? '',
            decision_note: p.grant_decision_note ?? '',
            decided_at: iso(p.grant_decided_at),
          }
        : null,
  }
}
