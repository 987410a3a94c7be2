import { randomBytes } from 'node:crypto'
import type { RequestHandler } from 'express'

// The security headers every response carries (issue 10, decision 015, docs/security.md).
// Routes that serve stored bytes set a stricter Content-Security-Policy of their own, which
// replaces this one (http.server.ts sendFetchResponse).

export interface SecurityOptions {
  mode: 'production' | 'development'
  /** Strict-Transport-Security: production behind an https PUBLIC_URL (settings.secureCookies). */
  hsts: boolean
}

/**
 * Where a form may send the browser: our own pages, and Stripe, which the card-payment and
 * payout-onboarding forms reach through a 303 from our action (browsers check form-action
 * against every redirect of a form submission).
 */
export const FORM_ACTION_ORIGINS = ['https://checkout.stripe.com', 'https://connect.stripe.com']

/** The policy for one HTML response whose inline scripts carry `nonce`. */
export function contentSecurityPolicy(nonce: string, mode: SecurityOptions['mode']): string {
  const development = mode === 'development'
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`],
    // React renders style="" attributes (layout tweaks, the CAD viewer, chart sizes) and the
    // server-rendered ECharts SVG carries its own; styles cannot run script.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    // Vite's HMR socket in development.
    'connect-src': ["'self'", ...(development ? ['ws:', 'wss:'] : [])],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'", ...FORM_ACTION_ORIGINS],
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}

/** For responses that carry stored or derived bytes: nothing in them may run or load. */
export const DOWNLOAD_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

/** Header names this middleware sets that a route's own response replaces, not adds to. */
export const SECURITY_HEADERS = new Set([
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'permissions-policy',
])

/**
 * Sets the headers on every response and a fresh nonce in `res.locals.cspNonce`, which the
 * Remix load context hands to entry.server.tsx and root.tsx for their inline scripts.
 */
export function securityHeaders(options: SecurityOptions): RequestHandler {
  return (_req, res, next) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, options.mode))
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
    if (options.hsts) {
      res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    }
    next()
  }
}
