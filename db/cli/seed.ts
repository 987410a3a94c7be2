// npm run db:seed — adds the demo organisations and logins that are missing.
import { migrateToLatest } from '../migrate.ts'
import { DEMO_PASSWORD, seedDemo } from '../seed.ts'
import { openCliDatabase } from './open.ts'
import { loadConfig, storageEnv } from '../../app/config.server.ts'
import { createStorage } from '../../app/models/storage.server.ts'

const database = await openCliDatabase()
try {
  await migrateToLatest(database.db, database.connectionString)
  const config = loadConfig()
  const created = await seedDemo(database.db, {
    storage: await createStorage(storageEnv(config)),
    publicUrl: config.publicUrl,
  })
  console.log(
    created.length
      ? `Created ${created.join(', ')} (password ${DEMO_PASSWORD}).`
      : 'Demo accounts already present.',
  )
} finally {
  await database.stop()
}
