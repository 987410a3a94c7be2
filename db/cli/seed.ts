// npm run db:seed — adds the demo organisations and logins that are missing.
import { migrateToLatest } from '../migrate.ts'
import { DEMO_PASSWORD, seedDemo } from '../seed.ts'
import { openCliDatabase } from './open.ts'

const database = await openCliDatabase()
try {
  await migrateToLatest(database.db, database.connectionString)
  const created = await seedDemo(database.db)
  console.log(
    created.length
      ? `Created ${created.join(', ')} (password ${DEMO_PASSWORD}).`
      : 'Demo accounts already present.',
  )
} finally {
  await database.stop()
}
