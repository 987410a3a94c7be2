import { randomUUID } from 'node:crypto'
import type { Db, Tx } from '../../db/client.ts'
import type { FilePurpose } from '../../db/schema.ts'
import type { AccountView } from './user.server.ts'
import { NotFoundError, RuleViolationError } from './errors.ts'
import { putUpload, sniffDocumentType, type FileStorage } from './storage.server.ts'

export interface UploadedPart {
  filename: string
  data: AsyncIterable<Uint8Array>
}

export interface StoredUpload {
  storageKey: string
  originalName: string
  contentType: string
  size: number
  sha256: string
}

/**
 * Streams one uploaded document or photo into storage and checks its content. Nothing is
 * recorded in the database yet; a refused file is removed again.
 */
export async function storeUpload(
  storage: FileStorage,
  part: UploadedPart,
  options: { organizationId: string; maxBytes: number; imagesOnly?: boolean },
): Promise<StoredUpload> {
  const storageKey = `org/${options.organizationId}/${randomUUID()}`
  const stored = await putUpload(storage, storageKey, part.data, { maxBytes: options.maxBytes })
  const contentType = sniffDocumentType(stored.head)
  const problem =
    stored.size === 0
      ? 'file_empty'
      : !contentType || (options.imagesOnly && contentType === 'application/pdf')
        ? 'file_type'
        : undefined
  if (problem) {
    await storage.delete(storageKey)
    throw new RuleViolationError(problem, 'This file cannot be used', { field: 'file' })
  }
  const originalName = (part.filename || 'file').replace(/[\\/\0]/g, '_').slice(-200)
  return {
    storageKey,
    originalName,
    contentType: contentType!,
    size: stored.size,
    sha256: stored.sha256,
  }
}

/** Records a stored upload as a file of the actor's organisation; returns the new row. */
export async function recordFile(
  tx: Tx,
  actor: AccountView,
  upload: StoredUpload,
  input: { purpose: FilePurpose; resourceId?: string; certification?: string; orderId?: string },
) {
  if (input.resourceId) {
    const own = await tx
      .selectFrom('resources')
      .select('id')
      .where('id', '=', input.resourceId)
      .where('organization_id', '=', actor.organization.id)
      .executeTakeFirst()
    if (!own) throw new NotFoundError('No such resource')
  }
  const row = await tx
    .insertInto('files')
    .values({
      organization_id: actor.organization.id,
      purpose: input.purpose,
      resource_id: input.resourceId ?? null,
      certification: input.certification ?? null,
      order_id: input.orderId ?? null,
      storage_key: upload.storageKey,
      original_name: upload.originalName,
      content_type: upload.contentType,
      size_bytes: upload.size,
      sha256: upload.sha256,
      uploaded_by: actor.user.id,
    })
    .returning([
      'id',
      'purpose',
      'certification',
      'original_name',
      'content_type',
      'size_bytes',
      'created_at',
    ])
    .executeTakeFirstOrThrow()
  return row
}

/** Deletes one of the actor's organisation's files (the stored bytes go after commit). */
export async function deleteFile(tx: Tx, actor: AccountView, fileId: string) {
  const row = await tx
    .deleteFrom('files')
    .where('id', '=', fileId)
    .where('organization_id', '=', actor.organization.id)
    .returning(['storage_key'])
    .executeTakeFirst()
  if (!row) throw new NotFoundError('No such file')
  return row.storage_key
}

/**
 * Photos are public; certificates and licences only reach their company and operators; an
 * order's attachments only its buyer, its workshop, its inspector and operators.
 */
export async function fileForViewer(db: Db, fileId: string, viewer: AccountView | null) {
  const file = await db
    .selectFrom('files')
    .leftJoin('orders', 'orders.id', 'files.order_id')
    .select([
      'files.id',
      'files.organization_id',
      'files.purpose',
      'files.storage_key',
      'files.original_name',
      'files.content_type',
      'files.size_bytes',
      'orders.buyer_organization_id',
      'orders.workshop_organization_id',
      'orders.inspector_user_id',
    ])
    .where('files.id', '=', fileId)
    .executeTakeFirst()
  if (!file) throw new NotFoundError('No such file')
  const isPhoto = file.purpose === 'workshop_photo' || file.purpose === 'resource_photo'
  const allowed =
    file.purpose === 'order_attachment'
      ? viewer !== null &&
        (viewer.organization.kind === 'platform' ||
          viewer.organization.id === file.buyer_organization_id ||
          viewer.organization.id === file.workshop_organization_id ||
          viewer.user.id === file.inspector_user_id)
      : isPhoto ||
        viewer?.organization.id === file.organization_id ||
        viewer?.organization.kind === 'platform'
  // Not found rather than forbidden: a stranger learns nothing about which files exist.
  if (!allowed) throw new NotFoundError('No such file')
  return file
}
