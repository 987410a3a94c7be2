import type { Db, Tx } from '../../db/client.ts'
import { NotFoundError } from './errors.ts'
import { recordFile, type StoredUpload } from './file.server.ts'
import { rolesOn } from './order-transition.server.ts'
import type { AccountView } from './user.server.ts'

// An order's attachments (issue 7): shipment and sample photos, inspection reports, dispute
// evidence. Files of purpose 'order_attachment' tied to the order; actions name them in their
// `attachment_ids`. Only the order's parties, its inspector and operators upload, list and
// download them (fileForViewer applies the same rule to downloads).

/** The order's parties as `viewer` is one of them; a stranger is told the order does not exist. */
export async function requireOrderParty(db: Db | Tx, orderId: string, viewer: AccountView) {
  const order = await db
    .selectFrom('orders')
    .select(['id', 'buyer_organization_id', 'workshop_organization_id', 'inspector_user_id'])
    .where('id', '=', orderId)
    .executeTakeFirst()
  if (!order || !rolesOn(order, viewer).length) throw new NotFoundError('No such order')
  return order
}

/** Records a stored upload as an attachment of an order the actor is party to (or operates). */
export async function addOrderAttachment(
  tx: Tx,
  actor: AccountView,
  orderId: string,
  upload: StoredUpload,
) {
  await requireOrderParty(tx, orderId, actor)
  return recordFile(tx, actor, upload, { purpose: 'order_attachment', orderId })
}

/** The order's attachments, oldest first, with who uploaded them (the order page, the API). */
export function listOrderAttachments(db: Db | Tx, orderId: string) {
  return db
    .selectFrom('files')
    .innerJoin('organizations', 'organizations.id', 'files.organization_id')
    .leftJoin('users', 'users.id', 'files.uploaded_by')
    .select([
      'files.id',
      'files.original_name',
      'files.content_type',
      'files.size_bytes',
      'files.created_at',
      'files.organization_id',
      'organizations.name as organization_name',
      'files.uploaded_by',
      'users.name as uploader_name',
    ])
    .where('files.order_id', '=', orderId)
    .where('files.purpose', '=', 'order_attachment')
    .orderBy('files.created_at')
    .orderBy('files.id')
    .execute()
}
