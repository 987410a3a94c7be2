import type { Db } from '../../db/client.ts'

/** Head counts for the operator console. */
export async function platformCounts(db: Db) {
  const [orgs, users] = await Promise.all([
    db
      .selectFrom('organizations')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('kind')
      .execute(),
    db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow(),
  ])
  const byKind = Object.fromEntries(orgs.map((o) => [o.kind, Number(o.count)]))
  return {
    designFirms: byKind.design_firm ?? 0,
    workshops: byKind.workshop ?? 0,
    users: Number(users.count),
  }
}
