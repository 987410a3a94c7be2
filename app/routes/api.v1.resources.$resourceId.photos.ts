import { getResource, listResourcePhotos } from '../models/resource.server.ts'
import { recordFile } from '../models/file.server.ts'
import { api, apiJson, notFound, requireApiAuth, uuidParam } from '../utils/api.server.ts'
import { getAuth } from '../utils/auth.server.ts'
import { parseApiUpload, parseUploadForm, recordUpload } from '../utils/upload.server.ts'
import { fileBody } from '../utils/workshop-api.server.ts'

function idFrom(params: Record<string, string | undefined>) {
  const id = uuidParam(params, 'resourceId')
  return id
}

const handler = api({
  /** Photos of a resource anyone may see (its own workshop also while inactive). */
  async GET({ request, params, context }) {
    const auth = await getAuth(request, context)
    const resource = await getResource(context.db, idFrom(params), auth?.account.organization.id)
    if (!resource) throw notFound()
    const photos = await listResourcePhotos(context.db, resource.id)
    return apiJson({
      photos: photos.map((p) => fileBody({ ...p, purpose: 'resource_photo' })),
    })
  },
  /** Adds a photo (PNG, JPEG, WebP) to one of the caller's resources. */
  async POST({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = idFrom(params)
    const resource = await getResource(context.db, id, account.organization.id)
    if (!resource || resource.organization_id !== account.organization.id) throw notFound()
    const { upload } = await parseApiUpload(request, () =>
      parseUploadForm(request, context, {
        organizationId: account.organization.id,
        userId: account.user.id,
        imagesOnly: true,
      }),
    )
    const file = await recordUpload(context, upload, (tx) =>
      recordFile(tx, account, upload, { purpose: 'resource_photo', resourceId: id }),
    )
    return apiJson(fileBody(file), { status: 201, headers: { Location: `/files/${file.id}` } })
  },
})

export const loader = handler
export const action = handler
