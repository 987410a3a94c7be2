import { writeFileSync } from 'node:fs'
import { analyseCadFileTimed } from '../../../app/models/cad/index.ts'
import { sphereStl } from './models.ts'
writeFileSync('/tmp/sphere.stl', sphereStl(50, 700, 351))
const rows: string[] = []
for (let i = 0; i < 12; i++) {
  const c = process.cpuUsage()
  const { timings } = await analyseCadFileTimed('/tmp/sphere.stl', 'stl')
  const u = process.cpuUsage(c)
  rows.push(`parse ${timings.parseMs.toFixed(0)} measure ${timings.measureMs.toFixed(0)} preview ${timings.previewMs.toFixed(0)} cpu ${((u.user + u.system) / 1000).toFixed(0)} (user ${(u.user/1000).toFixed(0)} sys ${(u.system/1000).toFixed(0)})`)
}
console.log(rows.join('\n'))
