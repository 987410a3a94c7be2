import { fileAccess } from '../models/job.server.ts'
import { getOwnCadFile, setCadFileUnits } from '../models/cad-file.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { cadFileBody, deniedError } from '../utils/job-api.server.ts'

const handler = api({
  /** The file and its analysis, for whoever may open it. */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const { file, denied } = await fileAccess(context.db, uuidParam(params, 'fileId'), account)
    if (denied) throw deniedError(denied)
    return apiJson(cadFileBody(file))
  },
  /** The units the file was drawn in (its organisation, while the job is a draft). */
  async PATCH({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = uuidParam(params, 'fileId')
    const body = await parseJson(request, schemas.CadFilePatchRequest)
    await context.db.transaction().execute((tx) => setCadFileUnits(tx, account, id, body.units))
    return apiJson(cadFileBody(await getOwnCadFile(context.db, account, id)))
  },
})

export const loader = handler
export const action = handler
