import { Kysely, type Transaction } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'
import postgres from 'postgres'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>
export type Tx = Transaction<Database>

export interface DbOptions {
  max?: number
  /** Name shown in pg_stat_activity. */
  applicationName?: string
}

/** Opens a pool on `url`; money columns are bigint fen and come back as numbers. */
export function createDb(url: string, options: DbOptions = {}): Db {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // While PostgreSQL is out of reach, requests fail at once (503) instead of queueing behind
    // postgres.js's growing reconnect backoff (up to 20 s); they succeed again once it is back.
    connect_timeout: 5,
    backoff: (attempt: number) => Math.min(0.25 * attempt, 2),
    connection: { application_name: options.applicationName ?? 'shared-factory' },
    types: {
      // int8: fen amounts and bigserial ids stay far below 2^53.
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number | bigint) => value.toString(),
        parse: (value: string) => Number(value),
      },
      // numeric: dimensions, tolerances and hours (never money, which is bigint fen).
      numeric: {
        to: 1700,
        from: [1700],
        serialize: (value: number) => String(value),
        parse: (value: string) => Number(value),
      },
      // date stays 'YYYY-MM-DD': a calendar day has no time zone to get wrong.
      date: {
        to: 1082,
        from: [1082],
        serialize: (value: string) => value,
        parse: (value: string) => value,
      },
    },
  })
  return new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) })
}
