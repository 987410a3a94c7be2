// What the scale load needs beyond `npm run db:seed`'s demo set: verified workshops whose mills
// alone hold the scale jobs' tolerance (so matching quotes them and nobody else), with free
// hours, and design firms; all with the demo password.
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { townByCode } from '../../app/models/towns.ts'
import type { Db } from '../../db/client.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { createAccount } from '../factories.ts'
import { MACHINE_TOLERANCE_MM, registerWorkshop } from './load.ts'

const TOWNS = ['guzhen', 'xiaolan', 'huoju', 'dongfeng']

export async function seedScaleData(
  db: Db,
  counts: { workshops: number; designers: number },
): Promise<{ workshops: string[]; designers: string[] }> {
  const run = Date.now().toString(36)
  const workshops: string[] = []
  for (let i = 0; i < counts.workshops; i++) {
    const email = `scale-workshop-${i}-${run}@scale.test`
    const town = TOWNS[i % TOWNS.length]!
    const account = await createAccount(db, {
      kind: 'workshop',
      email,
      password: DEMO_PASSWORD,
      organizationName: `规模测试精密加工 ${i}`,
      town,
    })
    const place = townByCode(town)
    await db
      .updateTable('organizations')
      .set({
        verification_status: 'verified',
        ...(place ? { lat: place.lat, lng: place.lng } : {}),
      })
      .where('id', '=', account.organization.id)
      .execute()
    const resource = await db
      .insertInto('resources')
      .values({
        organization_id: account.organization.id,
        process: 'cnc_milling_3axis',
        name: `规模测试 ${i} 号精密三轴加工中心`,
        materials: ['al6061'],
        envelope_x_mm: 500,
        envelope_y_mm: 400,
        envelope_z_mm: 300,
        tolerance_mm: MACHINE_TOLERANCE_MM,
        hourly_rate_fen: 12_000 + i * 500,
        max_quantity: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const today = shanghaiToday()
    await db
      .insertInto('capacity_windows')
      .values({
        resource_id: resource.id,
        starts_on: today,
        ends_on: addDays(today, 90),
        hours_per_day: 10,
      })
      .execute()
    registerWorkshop(account.organization.id, i)
    workshops.push(email)
  }
  const designers: string[] = []
  for (let i = 0; i < counts.designers; i++) {
    const email = `scale-designer-${i}-${run}@scale.test`
    await createAccount(db, {
      kind: 'design_firm',
      email,
      password: DEMO_PASSWORD,
      organizationName: `规模测试设计 ${i} ${run}`,
      town: 'guzhen',
    })
    designers.push(email)
  }
  return { workshops, designers }
}
