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
    connection: { application_name: options.applicationName ?? 'shared-factory' },
    types: {
      // int8: fen amounts and bigserial ids stay far below 2^53.
      bigint: {
        to: 20,
        from: [20],
        serialize: (value: number | bigint) => value.toString(),
        parse: (value: string) => Number(value),
      },
    },
  })
  return new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) })
}
