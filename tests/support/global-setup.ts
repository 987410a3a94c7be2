import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres, type EmbeddedCluster } from '../../db/embedded.ts'
import { createDb } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'

export const TEMPLATE_DB = 'sf_template'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
  }
}

/**
 * One PostgreSQL for the run (TEST_DATABASE_URL's server when set, else embedded in a
 * temp dir) with a migrated template database each test file clones.
 */
export default async function setup(project: TestProject) {
  let cluster: EmbeddedCluster | undefined
  let dir: string | undefined
  let adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sf-test-pg-'))
    cluster = await startEmbeddedPostgres(path.join(dir, 'pg'))
    adminUrl = cluster.adminUrl
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${TEMPLATE_DB} with (force)`)
  await admin.unsafe(`create database ${TEMPLATE_DB}`)
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB)
  const db = createDb(templateUrl, { max: 2 })
  await migrateToLatest(db, templateUrl)
  await db.destroy()
  await admin.end()
  project.provide('pgAdminUrl', adminUrl)

  return async () => {
    await cluster?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}
