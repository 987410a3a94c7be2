// The capability index the app uses: Meilisearch when MEILISEARCH_URL is set, otherwise the
// embedded index (DESIGN §7).
import { createEmbeddedIndex } from './embedded.ts'
import { createMeilisearchIndex } from './meilisearch.ts'
import type { CapabilityIndex } from './types.ts'

export * from './types.ts'
export { createEmbeddedIndex } from './embedded.ts'
export { createMeilisearchIndex, type MeilisearchIndexOptions } from './meilisearch.ts'

/** Picks the adapter from the environment. */
export function createCapabilityIndex(env: {
  MEILISEARCH_URL?: string
  MEILISEARCH_KEY?: string
}): CapabilityIndex {
  const url = env.MEILISEARCH_URL?.trim()
  if (url) return createMeilisearchIndex({ url, apiKey: env.MEILISEARCH_KEY || undefined })
  return createEmbeddedIndex()
}
