import { ForbiddenError } from '../models/errors.ts'
import { recordCadFile } from '../models/cad-file.server.ts'
import { api, apiJson, requireApiAuth } from '../utils/api.server.ts'
import { parseApiUpload, parseCadUploadForm, recordUpload } from '../utils/upload.server.ts'
import { cadFileBody } from '../utils/job-api.server.ts'

const handler = api({
  /** A CAD part, streamed to storage; its analysis is queued in the same transaction. */
  async POST({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    if (account.organization.kind !== 'design_firm') {
      throw new ForbiddenError('Only design firms upload CAD files')
    }
    const { upload } = await parseApiUpload(request, () =>
      parseCadUploadForm(request, context, {
        organizationId: account.organization.id,
        userId: account.user.id,
      }),
    )
    const file = await recordUpload(context, upload, (tx) => recordCadFile(tx, account, upload))
    return apiJson(cadFileBody(file), {
      status: 201,
      headers: { Location: `/api/v1/files/${file.id}` },
    })
  },
})

export const loader = handler
export const action = handler
