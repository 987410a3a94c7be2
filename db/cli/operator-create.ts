// npm run operator:create -- --email ops@example.com --password '…' [--name 名字]
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { createOperator } from '../../app/models/user.server.ts'
import { DomainError } from '../../app/models/errors.ts'
import { migrateToLatest } from '../migrate.ts'
import { openCliDatabase } from './open.ts'

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    name: { type: 'string' },
  },
})
const parsed = z
  .object({
    email: z.email('--email must be an email address'),
    password: z.string('--password is required').min(8, '--password must be at least 8 characters'),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .safeParse(values)
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join('\n'))
  console.error(
    "usage: npm run operator:create -- --email ops@example.com --password '…' [--name 名字]",
  )
  process.exit(2)
}

const database = await openCliDatabase()
try {
  await migrateToLatest(database.db, database.connectionString)
  const { email, password, name } = parsed.data
  const account = await database.db
    .transaction()
    .execute((tx) => createOperator(tx, { email, password, name: name ?? email.split('@')[0]! }))
  console.log(`Operator ${account.user.email} created in ${account.organization.name}.`)
} catch (error) {
  if (error instanceof DomainError) {
    console.error(`Not created: ${error.message}`)
    process.exitCode = 1
  } else throw error
} finally {
  await database.stop()
}
