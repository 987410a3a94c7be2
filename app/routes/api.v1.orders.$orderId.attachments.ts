import {
  addOrderAttachment,
  listOrderAttachments,
  requireOrderParty,
} from '../models/order-attachment.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { attachmentBody, listedAttachmentBody } from '../utils/order-api.server.ts'
import { parseApiUpload, parseUploadForm, recordUpload } from '../utils/upload.server.ts'

const handler = api({
  /** The order's attachments, oldest first (its parties, its inspector and operators). */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'orderId')
    await requireOrderParty(context.db, id, account)
    const files = await listOrderAttachments(context.db, id)
    return apiJson({ attachments: files.map(listedAttachmentBody) })
  },
  /** Attaches a photo or PDF to the order, for an action's `attachment_ids`. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'orderId')
    // A stranger's upload is refused before its bytes are stored.
    await requireOrderParty(context.db, id, account)
    const { upload } = await parseApiUpload(request, () =>
      parseUploadForm(request, context, {
        organizationId: account.organization.id,
        userId: account.user.id,
      }),
    )
    const file = await recordUpload(context, upload, (tx) =>
      addOrderAttachment(tx, account, id, upload),
    )
    return apiJson(attachmentBody(file), {
      status: 201,
      headers: { Location: `/files/${file.id}` },
    })
  },
})

export const loader = handler
export const action = handler
