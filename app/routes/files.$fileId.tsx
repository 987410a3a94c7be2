import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { fileForViewer } from '../models/file.server.ts'
import { contentDisposition } from '../models/storage.server.ts'
import { isNotFoundError } from '../models/errors.ts'
import { getAuth } from '../utils/auth.server.ts'

/** Streams an uploaded document or photo to whoever may see it; anyone else gets 404. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const fileId = z.uuid().safeParse(params.fileId)
  if (!fileId.success) throw new Response('Not found', { status: 404 })
  const auth = await getAuth(request, context)
  try {
    const file = await fileForViewer(context.db, fileId.data, auth?.account ?? null)
    const { stream, size } = await context.storage.get(file.storage_key)
    return new Response(createReadableStreamFromReadable(stream), {
      headers: {
        'Content-Type': file.content_type,
        'Content-Length': String(size),
        'Content-Disposition': contentDisposition(file.original_name),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, max-age=300',
      },
    })
  } catch (error) {
    if (isNotFoundError(error)) throw new Response('Not found', { status: 404 })
    throw error
  }
}
