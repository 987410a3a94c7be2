// npm run db:restore -- file [--clean]: pg_restore a db:backup dump into DATABASE_URL's
// database (or the embedded one under DATA_DIR). Refuses a database that already has tables
// unless --clean, which drops what the dump contains first. Stop the web and worker processes
// before restoring over a live database.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { openCliDatabase } from './open.ts'
import { findTool, libpqConnection, runTool, serverMajor } from './pg-tools.ts'

const args = process.argv.slice(2)
const clean = args.includes('--clean')
const fileArg = args.find((a) => !a.startsWith('-'))
if (!fileArg) {
  console.error('Usage: npm run db:restore -- <file.dump> [--clean]')
  process.exit(2)
}
const file = path.resolve(fileArg)
if (!existsSync(file)) {
  console.error(`No such file: ${file}`)
  process.exit(2)
}

const database = await openCliDatabase()
let failed = false
try {
  const { rows } = await sql<{ tables: number; name: string }>`
    select count(*)::int as tables, current_database() as name from pg_tables
    where schemaname not in ('pg_catalog', 'information_schema')`.execute(database.db)
  const { tables, name } = rows[0]!
  if (tables > 0 && !clean) {
    throw new Error(
      `The database "${name}" is not empty (${tables} tables): restore into an empty database, ` +
        'or add --clean to drop and replace everything the dump contains (stop the web and ' +
        'worker processes first).',
    )
  }
  const tool = findTool('pg_restore', await serverMajor(database.db))
  const { dbname, env } = libpqConnection(database.connectionString)
  await runTool(
    tool.binary,
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      ...(clean ? ['--clean', '--if-exists'] : []),
      `--dbname=${dbname}`,
      file,
    ],
    env,
  )
  console.log(`Restored ${file} into "${name}"${clean ? ' (after --clean)' : ''}.`)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  failed = true
} finally {
  await database.stop()
}
process.exit(failed ? 1 : 0)
