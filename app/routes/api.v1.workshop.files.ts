import { ForbiddenError } from '../models/errors.ts'
import { recordFile } from '../models/file.server.ts'
import { WorkshopUploadSchema } from '../models/workshop.schema.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import {
  discardUpload,
  parseApiUpload,
  parseUploadForm,
  recordUpload,
} from '../utils/upload.server.ts'
import { fileBody } from '../utils/workshop-api.server.ts'

const handler = api({
  /** A business licence, certificate or workshop photo, as the profile page uploads it. */
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'workshop') {
      throw new ForbiddenError('Only workshops upload profile documents')
    }
    const { fields, upload } = await parseApiUpload(request, () =>
      parseUploadForm(request, context, {
        organizationId: account.organization.id,
        userId: account.user.id,
        imagesOnly: (form) => form.get('purpose') === 'workshop_photo',
      }),
    )
    const parsed = WorkshopUploadSchema.safeParse(Object.fromEntries(fields))
    if (!parsed.success) {
      await discardUpload(context, upload)
      throw parsed.error
    }
    const { purpose, certification } = parsed.data
    const file = await recordUpload(context, upload, (tx) =>
      recordFile(tx, account, upload, {
        purpose,
        certification: purpose === 'certificate' ? certification : undefined,
      }),
    )
    return apiJson(fileBody(file), { status: 201, headers: { Location: `/files/${file.id}` } })
  },
})

export const loader = handler
export const action = handler
