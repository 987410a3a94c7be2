import Stripe from 'stripe'

// Stripe is met only through its SDK. Configured by STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET
// and STRIPE_PUBLISHABLE_KEY together; STRIPE_API_URL points the SDK at another host (the
// tests' local stub). Without the keys the platform takes bank transfers only.

export interface StripeConfig {
  secretKey: string
  webhookSecret: string
  publishableKey: string
  /** e.g. http://127.0.0.1:12111 — only for a local stub; Stripe's own host otherwise. */
  apiUrl?: string
}

export interface StripeGateway {
  client: Stripe
  webhookSecret: string
  publishableKey: string
}

export function createStripeGateway(config: StripeConfig): StripeGateway {
  const options: ConstructorParameters<typeof Stripe>[1] = { maxNetworkRetries: 2, timeout: 20_000 }
  if (config.apiUrl) {
    const url = new URL(config.apiUrl)
    options.host = url.hostname
    options.port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
    options.protocol = url.protocol === 'https:' ? 'https' : 'http'
  }
  return {
    client: new Stripe(config.secretKey, options),
    webhookSecret: config.webhookSecret,
    publishableKey: config.publishableKey,
  }
}
