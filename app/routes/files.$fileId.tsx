import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { fileForViewer } from '../models/file.server.ts'
import { contentDisposition } from '../models/storage.server.ts'
import { isNotFoundError } from '../models/errors.ts'
import { DOWNLOAD_CSP } from '../server/security.server.ts'
import { getAuth } from '../utils/auth.server.ts'

/**
 * Streams an uploaded document or photo to whoever may see it; anyone else gets 404. Never
 * shown inline from our origin (a PDF may carry script): opened, it downloads; an <img>
 * ignores the disposition. The type is the one sniffed from the content at upload (PDF, PNG,
 * JPEG or WebP), which images need.
 */
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
        'Content-Disposition': contentDisposition(file.original_name, 'attachment'),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': DOWNLOAD_CSP,
        'Cache-Control': 'private, max-age=300',
      },
    })
  } catch (error) {
    if (isNotFoundError(error)) throw new Response('Not found', { status: 404 })
    throw error
  }
}
