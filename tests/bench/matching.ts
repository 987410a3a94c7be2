// Matching budget (issue 6): match one job against 100k resources, p95 ≤ 100 ms. Run by
// search.bench.ts on its synthetic supply (the same 100k resources and their capacity):
// a design firm posts open jobs with one analysed part each, and matchJob runs on each.
import { sql } from 'kysely'
import type { Db } from '../../db/client.ts'
import { addDays, shanghaiToday } from '../../app/models/capacity.server.ts'
import { matchJob } from '../../app/models/matching.server.ts'
import { percentile } from './lib.ts'

const JOBS: { process: string; material: string; box: [number, number, number]; qty: number }[] = [
  { process: 'cnc_milling_3axis', material: 'al6061', box: [120, 80, 40], qty: 50 },
  { process: 'cnc_milling_5axis', material: 'al7075', box: [200, 150, 90], qty: 10 },
  { process: 'cnc_turning', material: 'ss304', box: [60, 60, 150], qty: 200 },
  { process: 'sla', material: 'resin_std', box: [90, 60, 40], qty: 5 },
  { process: 'sls', material: 'pa12', box: [150, 100, 60], qty: 100 },
  { process: 'injection_molding', material: 'abs', box: [80, 50, 30], qty: 5000 },
  { process: 'cnc_milling_3axis', material: 'ss304', box: [300, 200, 100], qty: 20 },
  { process: 'fdm', material: 'pla', box: [100, 100, 100], qty: 3 },
]

export async function measureMatching(db: Db, note: (line: string) => void) {
  const today = shanghaiToday()
  const firm = await db
    .insertInto('organizations')
    .values({ kind: 'design_firm', name: '基准测试设计公司', town: 'guzhen' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const materials = new Set(
    (await db.selectFrom('materials').select('code').execute()).map((m) => m.code),
  )
  const timings: number[] = []
  const matched: number[] = []
  for (let round = 0; round < 5; round++) {
    for (const [i, spec] of JOBS.entries()) {
      if (!materials.has(spec.material)) continue
      const [x, y, z] = spec.box
      const file = await db
        .insertInto('job_files')
        .values({
          organization_id: firm.id,
          storage_key: `bench/${round}/${i}`,
          original_name: 'part.stl',
          format: 'stl',
          size_bytes: 684,
          sha256: 'bench',
          analysis_status: 'done',
          analysis: {
            kind: 'mesh',
            volumeMm3: x * y * z * 0.6,
            surfaceAreaMm2: 2 * (x * y + y * z + x * z),
            bboxMm: [x, y, z],
            bboxMinMm: [0, 0, 0],
            triangles: 12,
            watertight: true,
            warnings: [],
          },
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const job = await db
        .insertInto('jobs')
        .values({
          organization_id: firm.id,
          title: `bench ${spec.process}`,
          process: spec.process,
          material: spec.material,
          tolerance_mm: 0.05,
          deadline: addDays(today, 30 + round),
          delivery_town: 'guzhen',
          status: 'open',
          opened_at: sql<Date>`now()`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('job_parts')
        .values({ job_id: job.id, file_id: file.id, quantity: spec.qty, position: 0 })
        .execute()
      const started = performance.now()
      const outcome = await matchJob(db, job.id, { publicUrl: 'http://bench', today })
      timings.push(performance.now() - started)
      matched.push(outcome?.matched ?? 0)
    }
  }
  const sorted = [...timings].sort((a, b) => a - b)
  const ms = (n: number) => `${n.toFixed(1)} ms`
  note(
    `(5) matchJob on 100k resources, ${timings.length} jobs over ${JOBS.length} process/material ` +
      `kinds (filters in SQL, pricing per candidate, idle hours, scoring, top 8 stored, emails ` +
      `queued): p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ` +
      `${ms(sorted[sorted.length - 1]!)} (budget p95 ≤ 100 ms); matches per job ` +
      `${Math.min(...matched)}–${Math.max(...matched)}`,
  )
}
