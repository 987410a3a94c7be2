import { requireOperator } from '../models/actor.server.ts'
import { listAuditLog } from '../models/audit.server.ts'
import { AuditQuerySchema, queryObject } from '../models/operations.schema.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { auditEntryBody } from '../utils/ops-api.server.ts'

const handler = api({
  /** The audit log, newest first, by action prefix and subject; `before` pages back. */
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators read the audit log')
    const query = AuditQuerySchema.parse(queryObject(new URL(request.url).searchParams))
    const log = await listAuditLog(context.db, query)
    return apiJson({ entries: log.entries.map(auditEntryBody), next_before: log.nextBefore })
  },
})

export const loader = handler
export const action = handler
