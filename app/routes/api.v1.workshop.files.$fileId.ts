import { z } from 'zod'
import { deleteFile } from '../models/file.server.ts'
import { api, apiJson, notFound, requireApiAuth } from '../utils/api.server.ts'

const handler = api({
  /** Deletes one of the caller's organisation's files; the bytes go once the row is gone. */
  async DELETE({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = z.uuid().safeParse(params.fileId)
    if (!id.success) throw notFound()
    const storageKey = await context.db
      .transaction()
      .execute((tx) => deleteFile(tx, account, id.data))
    await context.storage.delete(storageKey)
    return apiJson(null, { status: 204 })
  },
})

export const loader = handler
export const action = handler
