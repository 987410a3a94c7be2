// npm run search:reindex — rebuilds the capability index from PostgreSQL.
// With MEILISEARCH_URL: configures the Meilisearch index and replaces every document now.
// With the embedded index (which lives inside the web process): queues a full rebuild for
// the running app's worker; an app that is not running rebuilds it when it starts anyway.
import { loadConfig } from '../../app/config.server.ts'
import { createMeilisearchIndex } from '../../search/meilisearch.ts'
import { allCapabilityDocuments } from '../../search/document.ts'
import { enqueue } from '../../workers/enqueue.server.ts'
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
    await enqueue(database.db, 'search__sync', { all: true }, { jobKey: 'search:all' })
    console.log(
      'Embedded index: a full rebuild is queued for the running app (it also rebuilds on every start).',
    )
  }
} finally {
  await database.stop()
}
