import { createReadableStreamFromReadable, type LoaderFunctionArgs } from '@remix-run/node'
import { contentDisposition, verifyDownloadToken } from '../models/storage.server.ts'
import { isNotFoundError } from '../models/errors.ts'
import { DOWNLOAD_CSP } from '../server/security.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { translate } from '../locales/index.ts'

// Where a signed download URL of the local storage points (S3 signs its own URLs). The token
// is the authorisation: it names the stored object and expires within minutes.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const secret = context.settings.sessionSecrets[0]!
  const signed = verifyDownloadToken(params.token ?? '', secret)
  if (!signed) {
    throw new Response(translate(requestLocale(request), 'error.downloadExpired'), {
      status: 410,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  try {
    const { stream, size } = await context.storage.get(signed.key)
    return new Response(createReadableStreamFromReadable(stream), {
      headers: {
        'Content-Type': signed.contentType,
        'Content-Length': String(size),
        'Content-Disposition': contentDisposition(signed.filename, 'attachment'),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': DOWNLOAD_CSP,
        'Cache-Control': 'private, no-store',
      },
    })
  } catch (error) {
    if (isNotFoundError(error)) throw new Response('Not found', { status: 404 })
    throw error
  }
}
