// npm run db:backup -- [file]: pg_dump (custom format) of DATABASE_URL's database, or of the
// embedded one under DATA_DIR (started for the dump when no `npm start` is running), to
// `file` or backups/shared-factory-YYYYMMDD-HHMMSS.dump (UTC). Uploaded files are not in it:
// back up DATA_DIR/files or the S3 bucket separately (README "Production").
import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { openCliDatabase } from './open.ts'
import { findTool, libpqConnection, runTool, serverMajor } from './pg-tools.ts'

function defaultFile(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/-|:/g, '')
    .replace('T', '-')
  return path.join('backups', `shared-factory-${stamp}.dump`)
}

const file = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('-')) ?? defaultFile())
const database = await openCliDatabase()
let failed = false
try {
  const major = await serverMajor(database.db)
  const tool = findTool('pg_dump', major)
  mkdirSync(path.dirname(file), { recursive: true })
  const { dbname, env } = libpqConnection(database.connectionString)
  await runTool(tool.binary, ['--format=custom', `--file=${file}`, `--dbname=${dbname}`], env)
  const mb = (statSync(file).size / 1024 / 1024).toFixed(1)
  console.log(`Backed up to ${file} (${mb} MB; PostgreSQL ${major}, ${tool.binary}).`)
  console.log('Uploaded files are not in the dump: copy DATA_DIR/files or the S3 bucket too.')
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  failed = true
} finally {
  await database.stop()
}
process.exit(failed ? 1 : 0)
