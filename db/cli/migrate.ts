// npm run db:migrate — applies pending migrations (npm start also does this).
import { migrateToLatest } from '../migrate.ts'
import { openCliDatabase } from './open.ts'

const database = await openCliDatabase()
try {
  const applied = await migrateToLatest(database.db, database.connectionString)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.')
} finally {
  await database.stop()
}
