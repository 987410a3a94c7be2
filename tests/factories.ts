import { faker } from '@faker-js/faker'
import type { Db } from '../db/client.ts'
import { signUp, type AccountView, type SignUpInput } from '../app/models/user.server.ts'
import { createOperator } from '../app/models/user.server.ts'

export const TEST_PASSWORD = 'correct-horse-battery'

/** A design firm or workshop with its owner; returns the account view. */
export async function createAccount(
  db: Db,
  overrides: Partial<SignUpInput> = {},
): Promise<AccountView> {
  return db.transaction().execute((tx) =>
    signUp(tx, {
      kind: 'design_firm',
      organizationName: `${faker.company.name()} ${faker.string.alphanumeric(4)}`,
      town: 'guzhen',
      name: faker.person.fullName(),
      email: faker.internet
        .email({ provider: `${faker.string.alphanumeric(6)}.test` })
        .toLowerCase(),
      password: TEST_PASSWORD,
      locale: 'zh-CN',
      ...overrides,
    }),
  )
}

export async function createOperatorAccount(db: Db, overrides: { email?: string } = {}) {
  return db.transaction().execute((tx) =>
    createOperator(tx, {
      email: overrides.email ?? faker.internet.email({ provider: 'ops.test' }).toLowerCase(),
      password: TEST_PASSWORD,
      name: faker.person.fullName(),
    }),
  )
}
