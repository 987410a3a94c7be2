// npm run search:reindex — rebuilds the capability index from PostgreSQL.
// With MEILISEARCH_URL: configures the Meilisearch index and replaces every document now.
// With the embedded index (which lives inside each web process): records a full rebuild in
// search_changes, which every running web process follows; one not running rebuilds at start.
import { loadConfig } from '../../app/config.server.ts'
import { createMeilisearchIndex } from '../../search/meilisearch.ts'
import { allCapabilityDocuments } from '../../search/document.ts'
import { recordSearchChange } from '../../search/changes.server.ts'
import { migrateToLatest } from '../migrate.ts'
import { openCliDatabase } from './open.ts'

const config = loadConfig()
const database = await openCliDatabase()
try {
  await migrateToLatest(database.db, database.connectionString)
  if (config.meilisearchUrl) {
    const started = Date.now()
    const index = createMeilisearchIndex({
      url: config.meilisearchUrl,
      apiKey: config.meilisearchKey || undefined,
    })
    await index.configure()
    let documents = 0
    await index.replaceAll(
      (async function* () {
        for await (const batch of allCapabilityDocuments(database.db)) {
          documents += batch.length
          yield batch
        }
      })(),
    )
    console.log(
      `Meilisearch at ${config.meilisearchUrl}: ${documents} documents indexed in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s.`,
    )
  } else {
    await recordSearchChange(database.db, { all: true })
    console.log(
      'Embedded index: every running web process rebuilds it within seconds (and on every start).',
    )
  }
} finally {
  await database.stop()
}
