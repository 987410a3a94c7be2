import { sql } from 'kysely'
import type { Db } from '../client.ts'
import type { FileStorage } from '../../app/models/storage.server.ts'
import { prismStl, regularPolygon, uploadDemoPart } from './jobs.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { createJob, openJob } from '../../app/models/job.server.ts'
import { createManualQuote } from '../../app/models/quote.server.ts'
import { acceptQuote } from '../../app/models/order.server.ts'
import { transitionOrder } from '../../app/models/order-transition.server.ts'
import { markPayoutPaid } from '../../app/models/escrow.server.ts'
import { getAccount, type AccountView } from '../../app/models/user.server.ts'

// The money side of the demo (issue 8): a 服务券 programme (marked 演示) with an approved grant
// for designer@demo.test, and one order of theirs with workshop@demo.test taken all the way:
// accepted with the voucher, paid by bank transfer, shipped, inspected, completed, and its
// payout paid by the operator — so the order page shows the escrow, the workshop's payout
// statement has a paid line and the operator's money console has figures.

async function accountOf(db: Db, email: string): Promise<AccountView | undefined> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst()
  return user ? getAccount(db, user.id) : undefined
}

export async function seedDemoMoney(
  db: Db,
  storage: FileStorage,
  publicUrl: string,
): Promise<string[]> {
  const [designer, workshop, operator] = await Promise.all([
    accountOf(db, 'designer@demo.test'),
    accountOf(db, 'workshop@demo.test'),
    accountOf(db, 'operator@demo.test'),
  ])
  if (!designer || !workshop || !operator) return []
  const done: string[] = []
  const today = shanghaiToday()
  const year = Number(today.slice(0, 4))

  const existing = await db.selectFrom('voucher_programs').select('id').limit(1).executeTakeFirst()
  if (!existing) {
    await db.transaction().execute(async (tx) => {
      const program = await tx
        .insertInto('voucher_programs')
        .values({
          name: '中山市工业设计服务券（演示）',
          share_bps: 5000,
          annual_cap_fen: 30_000_000,
          budget_fen: 500_000_000,
          valid_from: `${year}-01-01`,
          valid_until: `${year}-12-31`,
          created_by: operator.user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await tx
        .insertInto('voucher_grants')
        .values({
          program_id: program.id,
          organization_id: designer.organization.id,
          year,
          status: 'approved',
          note: '古镇灯饰设计企业，申请用于新品打样与小批量试产。',
          decision_note: '资质齐全，批准。',
          applied_by: designer.user.id,
          decided_by: operator.user.id,
          decided_at: sql<Date>`now()`,
        })
        .execute()
    })
    done.push('a 50 % service-voucher programme granted to designer@demo.test')
  }

  const ordered = await db
    .selectFrom('orders')
    .select('id')
    .where('buyer_organization_id', '=', designer.organization.id)
    .limit(1)
    .executeTakeFirst()
  if (ordered) return done
  const mill = await db
    .selectFrom('resources')
    .select('id')
    .where('organization_id', '=', workshop.organization.id)
    .where('process', '=', 'cnc_milling_3axis')
    .where('active', '=', true)
    .executeTakeFirst()
  if (!mill) return done
  // A hexagonal connector, 50 mm across the corners, 20 mm high.
  const part = {
    id: await uploadDemoPart(
      db,
      storage,
      designer,
      '落地灯底座连接件-六角.stl',
      prismStl(regularPolygon(6, 25), 20),
    ),
  }

  const options = { publicUrl }
  const jobId = await db.transaction().execute(async (tx) => {
    const id = await createJob(
      tx,
      designer,
      {
        title: '落地灯底座连接件 CNC 40 件（已完成示例）',
        description: '6061 铝合金连接件，阳极氧化黑色，40 件，无需打样。',
        process: 'cnc_milling_3axis',
        material: 'al6061',
        toleranceMm: 0.05,
        thicknessMm: null,
        finish: '阳极氧化 黑色',
        needsSample: false,
        deadline: addDays(today, 30),
        budgetFen: null,
        deliveryTown: 'guzhen',
        deliveryAddress: '古镇镇东兴路 18 号',
        visibility: 'public',
        ndaRequired: false,
        aql: 1,
      },
      [{ fileId: part.id, quantity: 40 }],
      today,
    )
    await openJob(tx, designer, id, publicUrl, today)
    return id
  })
  const quote = await db.transaction().execute((tx) =>
    createManualQuote(
      tx,
      workshop,
      jobId,
      {
        resourceId: mill.id,
        parts: [{ fileId: part.id, unitPriceFen: 4_500 }],
        setupFen: 30_000,
        samplePriceFen: 0,
        sampleLeadDays: 3,
        batchLeadDays: 10,
        machineHours: 6,
        comment: '老客户价，含阳极氧化。',
      },
      options,
    ),
  )
  const { order } = await db
    .transaction()
    .execute((tx) => acceptQuote(tx, designer, quote.id, { ...options, today }))
  let version = order.version
  const step = async (
    who: AccountView,
    action: Parameters<typeof transitionOrder>[3]['action'],
    payload: Record<string, unknown>,
  ) => {
    const moved = await db
      .transaction()
      .execute((tx) =>
        transitionOrder(
          tx,
          { kind: 'person', account: who },
          order.id,
          { action, version, payload },
          options,
        ),
      )
    version = moved.version
    return moved
  }
  await step(designer, 'report_transfer', {
    payer_name: '古镇灯饰设计工作室',
    transferred_on: today,
    note: '演示转账',
  })
  await step(operator, 'confirm_payment', {
    bank_reference: 'ICBC-DEMO-0001',
    amount_fen: order.total_fen,
  })
  await step(workshop, 'ship_batch', {
    carrier: '顺丰速运',
    tracking_number: 'SF1234567890',
    quantity: order.quantity,
    note: '整批发出',
  })
  await step(designer, 'confirm_delivery', {})
  const completed = await step(designer, 'record_inspection', {
    defects_found: 0,
    measurements: [
      {
        feature: '孔距',
        nominal: 40,
        tol_minus: 0.05,
        tol_plus: 0.05,
        measured: [40.01, 39.98, 40.02],
      },
    ],
    notes: '外观、孔距抽检合格。',
  })
  if (completed.status === 'completed') {
    const payout = await db
      .selectFrom('payouts')
      .select('id')
      .where('order_id', '=', order.id)
      .executeTakeFirst()
    if (payout) {
      await db
        .transaction()
        .execute((tx) =>
          markPayoutPaid(
            tx,
            payout.id,
            { bankReference: 'ICBC-PAYOUT-DEMO-0001', userId: operator.user.id },
            options,
          ),
        )
    }
  }
  done.push(`order ${order.number} completed with its payout paid`)
  return done
}
