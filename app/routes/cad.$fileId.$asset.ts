import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { fileAccess } from '../models/job.server.ts'
import { isNotFoundError } from '../models/errors.ts'
import { contentDisposition } from '../models/storage.server.ts'
import { DOWNLOAD_CSP } from '../server/security.server.ts'
import { getAuth } from '../utils/auth.server.ts'

// A CAD part's derived files: its thumbnail, the mesh the 3D preview loads, the DXF's SVG.
// They show the geometry, so they follow the file's own access rule (NDA included). Never
// shown inline from our origin: an <img> (thumbnail, SVG) and the viewer's fetch (the mesh)
// ignore the attachment disposition, a browser opening the URL downloads the file, and
// nothing in it may run or load (sandbox). The types are fixed: images for <img>, the mesh
// as plain bytes.

const assets = {
  'thumbnail.png': { column: 'thumbnail_key', type: 'image/png' },
  'preview.stl': { column: 'preview_key', type: 'application/octet-stream' },
  'preview.svg': { column: 'svg_key', type: 'image/svg+xml' },
} as const

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const fileId = z.uuid().safeParse(params.fileId)
  const asset = assets[params.asset as keyof typeof assets]
  if (!fileId.success || !asset) throw new Response('Not found', { status: 404 })
  const auth = await getAuth(request, context)
  try {
    const { file, denied } = await fileAccess(context.db, fileId.data, auth?.account ?? null)
    if (denied) throw new Response('Forbidden', { status: 403 })
    // A binary STL is its own preview.
    const key =
      file[asset.column] ??
      (asset.column === 'preview_key' && file.format === 'stl' && file.analysis_status === 'done'
        ? file.storage_key
        : null)
    if (!key) throw new Response('Not found', { status: 404 })
    const { stream, size } = await context.storage.get(key)
    return new Response(createReadableStreamFromReadable(stream), {
      headers: {
        'Content-Type': asset.type,
        'Content-Length': String(size),
        'Content-Disposition': contentDisposition(params.asset!, 'attachment'),
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
