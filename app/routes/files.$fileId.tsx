import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { fileForViewer } from '../models/file.server.ts'
import { NotFoundError } from '../models/errors.ts'
import { getAuth } from '../utils/auth.server.ts'

// RFC 8187 ext-value: everything outside attr-char is percent-encoded.
function contentDisposition(filename: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `inline; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

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
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    throw error
  }
}
