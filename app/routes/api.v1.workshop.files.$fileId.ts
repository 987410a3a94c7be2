import { deleteFile } from '../models/file.server.ts'
import { api, apiJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

const handler = api({
  /** Deletes one of the caller's organisation's files; the bytes go once the row is gone. */
  async DELETE({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'fileId')
    const storageKey = await context.db.transaction().execute((tx) => deleteFile(tx, account, id))
    await context.storage.delete(storageKey)
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
