import type { Db } from './client.ts'
import { recordSearchChange } from '../search/changes.server.ts'
import { createOperator, signUp } from '../app/models/user.server.ts'
import { seedDemoSupply } from './demo/supply.ts'
import { seedDemoJobs } from './demo/jobs.ts'
import { seedDemoMoney } from './demo/money.ts'
import { seedDemoMetrics } from './demo/metrics.ts'
import type { FileStorage } from '../app/models/storage.server.ts'

export const DEMO_PASSWORD = 'demo-password'

// The demo set; later issues extend it. Keep these logins working.
export const demoAccounts = [
  {
    email: 'designer@demo.test',
    name: '陈设计',
    kind: 'design_firm',
    organizationName: '古镇灯饰设计工作室',
    town: 'guzhen',
  },
  {
    email: 'workshop@demo.test',
    name: '黄师傅',
    kind: 'workshop',
    organizationName: '小榄精密数控加工厂',
    town: 'xiaolan',
  },
  {
    email: 'workshop2@demo.test',
    name: '李工',
    kind: 'workshop',
    organizationName: '火炬增材制造中心',
    town: 'huoju',
  },
  {
    email: 'operator@demo.test',
    name: '平台运营小周',
    kind: 'platform',
    organizationName: '',
    town: 'huoju',
  },
] as const

/**
 * Creates the demo organisations and logins that are missing, then the demo supply side
 * (workshops, machines, capacity); safe to run again.
 */
export async function seedDemo(
  db: Db,
  options: { storage?: FileStorage; publicUrl?: string } = {},
): Promise<string[]> {
  const created: string[] = []
  for (const account of demoAccounts) {
    await db.transaction().execute(async (tx) => {
      const exists = await tx
        .selectFrom('users')
        .select('id')
        .where('email', '=', account.email)
        .executeTakeFirst()
      if (exists) return
      if (account.kind === 'platform') {
        await createOperator(tx, {
          email: account.email,
          password: DEMO_PASSWORD,
          name: account.name,
        })
      } else {
        await signUp(tx, {
          kind: account.kind,
          organizationName: account.organizationName,
          town: account.town,
          name: account.name,
          email: account.email,
          password: DEMO_PASSWORD,
          locale: 'zh-CN',
        })
      }
      created.push(account.email)
    })
  }
  // Workshops, machines and idle capacity across Zhongshan's towns (db/demo/supply.ts).
  const supply = await seedDemoSupply(db, DEMO_PASSWORD)
  if (supply.workshops) {
    const first = supply.emails[0]
    const last = supply.emails[supply.emails.length - 1]
    created.push(
      supply.workshops === 1
        ? `${first}`
        : `${supply.workshops} workshops ${first} … ${last} (${supply.resources} machines)`,
    )
  }
  // The escrow account buyers transfer to (an operator edits it in the console). The demo's
  // is marked as such in its name, so nobody mistakes it for a real account.
  await db
    .insertInto('platform_settings')
    .values({
      key: 'bank_account',
      value: {
        accountName: '共享工厂平台客户资金托管户（演示）',
        bankName: '中国工商银行中山古镇支行（演示）',
        accountNumber: '6222 0000 0000 0000 001',
      },
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  // Jobs with generated CAD parts, when there is a storage to put them in (db/demo/jobs.ts).
  if (options.storage) {
    const jobs = await seedDemoJobs(db, options.storage, options.publicUrl ?? '')
    if (jobs) created.push(`${jobs} demo jobs for designer@demo.test`)
    // A voucher programme and one order taken to completion and payout (db/demo/money.ts).
    created.push(...(await seedDemoMoney(db, options.storage, options.publicUrl ?? '')))
  }
  // Four months of orders between more design firms and the supply workshops, for the
  // operator dashboard (db/demo/metrics.ts).
  created.push(...(await seedDemoMetrics(db, DEMO_PASSWORD)))
  // Web processes already following the search feed (a seed run beside them) index it all.
  if (created.length) await recordSearchChange(db, { all: true })
  return created
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  return !row
}

export async function hasDemoAccounts(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', demoAccounts[0].email)
    .executeTakeFirst()
  return Boolean(row)
}
