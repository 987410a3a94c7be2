import { Transform } from 'node:stream'
import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer, isRouteErrorResponse } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { isDatabaseUnavailable, noteDatabaseUnavailable } from './server/unavailable.server.ts'
import { NonceContext } from './utils/nonce.ts'

const ABORT_DELAY = 5_000

/**
 * React 18.3's renderToPipeableStream pads a 2 KB chunk that ends inside a multi-byte
 * character with NUL bytes (react-dom-server writeStringChunk), which Chinese pages hit
 * all the time. 0x00 never occurs inside a UTF-8 sequence and has no place in HTML, so
 * dropping every NUL byte restores the document exactly.
 */
function withoutNulBytes() {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.indexOf(0) === -1) return callback(null, chunk)
      const out = Buffer.allocUnsafe(chunk.length)
      let length = 0
      for (const byte of chunk) if (byte !== 0) out[length++] = byte
      callback(null, out.subarray(0, length))
    },
  })
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The nonce the Content-Security-Policy of this response allows inline scripts with.
  const nonce = loadContext.cspNonce
  // Bots get the whole document at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get('user-agent') ?? '') || remixContext.isSpaMode
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true
          const body = withoutNulBytes()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors inside the shell reach onShellError; these are from streamed parts.
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

/** Logs server errors through the request's logger; 4xx responses and aborts are not errors. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return
  if (isRouteErrorResponse(error) && error.status < 500) return
  if (error instanceof Response && error.status < 500) return
  if (isDatabaseUnavailable(error)) {
    // The HTTP layer answers 503 for this request instead of the error page (one warning each).
    noteDatabaseUnavailable(context)
    ;(context as Partial<AppLoadContext>).logger?.warn(
      { err: { message: (error as Error).message }, url: request.url },
      'database unavailable',
    )
    return
  }
  const logger = (context as Partial<AppLoadContext>).logger
  if (logger) logger.error({ err: error, url: request.url }, 'unhandled route error')
  else console.error(error)
}
