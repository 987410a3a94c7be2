import { createContext, useContext } from 'react'

/**
 * The response's Content-Security-Policy nonce (app/server/security.server.ts), given by
 * entry.server.tsx for the inline scripts the document renders. Empty in the browser, which
 * hides nonces from the DOM anyway and never runs scripts React inserts.
 */
export const NonceContext = createContext('')

export function useNonce(): string {
  return useContext(NonceContext)
}
