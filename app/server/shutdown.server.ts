import type { Server, ServerResponse } from 'node:http'

/**
 * Graceful close for an HTTP server, armed when the server starts: `close()` stops
 * accepting connections, closes idle keep-alive sockets, lets in-flight requests finish
 * (their responses, and any request that still arrives on an open socket, carry
 * `Connection: close`), and cuts whatever is left after `timeoutMs`. Resolves with whether
 * everything finished in time.
 */
export function gracefulHttpClose(server: Server): (timeoutMs: number) => Promise<boolean> {
  const active = new Set<ServerResponse>()
  let closing = false
  const noKeepAlive = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close')
  }
  // Before express's own listener, so the header is set before any response is written.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) noKeepAlive(res)
    active.add(res)
    const done = () => active.delete(res)
    res.once('finish', done)
    res.once('close', done)
  })

  return (timeoutMs) => {
    closing = true
    for (const res of active) noKeepAlive(res)
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        server.closeAllConnections()
        resolve(false)
      }, timeoutMs)
      server.close(() => {
        clearTimeout(timer)
        resolve(true)
      })
      server.closeIdleConnections()
    })
  }
}
