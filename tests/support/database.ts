import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, inject } from 'vitest'
import { createDb, type Db } from '../../db/client.ts'
import { TEMPLATE_DB, withDatabase } from './global-setup.ts'

export interface TestDatabase {
  db: Db
  url: string
  name: string
}

/**
 * Gives the calling test file its own database, cloned from the migrated template
 * before its tests and dropped after them.
 */
export function useTestDatabase(): TestDatabase {
  const handle = {} as TestDatabase
  const adminUrl = inject('pgAdminUrl')
  beforeAll(async () => {
    const name = `t_${randomBytes(6).toString('hex')}`
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`)
    await admin.end()
    handle.name = name
    handle.url = withDatabase(adminUrl, name)
    handle.db = createDb(handle.url, { max: 5 })
  })
  afterAll(async () => {
    await handle.db?.destroy()
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    await admin.unsafe(`drop database if exists ${handle.name} with (force)`)
    await admin.end()
  })
  return handle
}
