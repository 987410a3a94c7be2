// npm run ledger:check — proves the ledger against payments, payouts, refunds and voucher
// redemptions (app/models/ledger-check.server.ts) on the database `npm start` uses
// (DATABASE_URL, else the embedded one in DATA_DIR). Prints the figures and every problem;
// exits 1 when there is a problem, 0 when the ledger reconciles.
import { checkLedger } from '../../app/models/ledger-check.server.ts'
import { fenToYuanString } from '../../app/models/money.ts'
import { migrateToLatest } from '../migrate.ts'
import { openCliDatabase } from './open.ts'

const yuan = (fen: number) => `¥${fenToYuanString(fen)}`.padStart(16)

const database = await openCliDatabase()
let problems = 0
try {
  await migrateToLatest(database.db, database.connectionString)
  const check = await checkLedger(database.db)
  const { figures: f, expected: e } = check
  console.log(`Ledger: ${check.lines} lines over ${check.orders} orders`)
  console.log(`                      ledger   payments/payouts/refunds`)
  console.log(`paid in       ${yuan(f.paid_fen)} ${yuan(e.paid_fen)}`)
  console.log(`released      ${yuan(f.released_fen)} ${yuan(e.released_fen)}`)
  console.log(`refunded      ${yuan(f.refunded_fen)} ${yuan(e.refunded_fen)}`)
  console.log(`escrow        ${yuan(f.escrow_fen)} ${yuan(e.escrow_fen)}`)
  console.log(`escrow account balance ${yuan(check.escrow_account_fen)}`)
  problems = check.problems.length
  if (problems) {
    console.log(`\n${problems} problem${problems === 1 ? '' : 's'}:`)
    for (const problem of check.problems) console.log(`  - ${problem}`)
  } else {
    console.log('\nThe ledger reconciles: no problems.')
  }
} finally {
  await database.stop()
}
process.exit(problems ? 1 : 0)
