import { fileAccess, recordDownload } from '../models/job.server.ts'
import { api, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { deniedError } from '../utils/job-api.server.ts'

/** How long a signed download URL works. */
const SIGNED_URL_SECONDS = 300

const contentTypes: Record<string, string> = {
  stl: 'model/stl',
  '3mf': 'model/3mf',
  obj: 'model/obj',
  step: 'model/step',
  dxf: 'image/vnd.dxf',
}

const handler = api({
  /** Logs the download, then redirects to a short-lived signed URL of the stored file. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const { file, denied } = await fileAccess(context.db, uuidParam(params, 'fileId'), account)
    if (denied) throw deniedError(denied)
    await recordDownload(context.db, file.id, account, context.clientIp)
    const url = await context.storage.signedGetUrl(file.storage_key, {
      expiresInSeconds: SIGNED_URL_SECONDS,
      filename: file.original_name,
      contentType: contentTypes[file.format] ?? 'application/octet-stream',
    })
    return new Response(null, {
      status: 302,
      headers: { Location: url, 'Cache-Control': 'no-store' },
    })
  },
})

export const loader = handler
export const action = handler
