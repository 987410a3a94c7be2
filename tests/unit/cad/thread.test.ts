import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import {
  analyseCadFile,
  analyseInThread,
  CadError,
  closeCadThreads,
  type MeshAnalysis,
} from '../../../app/models/cad/index.ts'
import { binaryStl, box, circle, cylinder, dxf, sphereStl, tempDir } from './models.ts'

const tmp = tempDir()
afterAll(async () => {
  await closeCadThreads()
  tmp.cleanup()
})

// Starting a worker loads the TypeScript sources through tsx: allow for a busy machine.
test('analyseInThread runs the analysis in a worker thread from the TypeScript sources', async () => {
  const file = tmp.write('cyl.stl', binaryStl(cylinder(10, 20, 64)))
  const inThread = await analyseInThread(file, 'stl')
  const inProcess = await analyseCadFile(file, 'stl')
  expect(inThread.analysis).toEqual(inProcess.analysis)
  expect((inThread.analysis as MeshAnalysis).watertight).toBe(true)
  expect(inThread.thumbnailPng).toBeInstanceOf(Uint8Array)
  expect(Buffer.from(inThread.thumbnailPng)).toEqual(Buffer.from(inProcess.thumbnailPng))
  expect(inThread.previewStl).toBeUndefined() // binary STL: the original serves
}, 60_000)

test('the thread is reused and reports CadErrors with their code', async () => {
  const sheet = tmp.write('sheet.dxf', dxf([circle(0, 0, 5)], [['$INSUNITS', 70, 4]]))
  const a = await analyseInThread(sheet, 'dxf')
  expect(a.svg).toMatch(/^<svg /)
  const empty = tmp.write('empty.stl', binaryStl({ vertices: [], triangles: [] }))
  const error = await analyseInThread(empty, 'stl').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(CadError)
  expect((error as CadError).code).toBe('empty')
  const missing = await analyseInThread(path.join(tmp.dir, 'nope.stl'), 'stl').catch(
    (e: unknown) => e,
  )
  expect(missing).toBeInstanceOf(Error)
}, 60_000)

test('a time limit that runs out terminates the worker: CadError timeout', async () => {
  const big = tmp.write('sphere.stl', sphereStl(50, 400, 200)) // 159,200 facets
  const started = performance.now()
  const error = await analyseInThread(big, 'stl', { timeoutMs: 1 }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(CadError)
  expect((error as CadError).code).toBe('timeout')
  expect(performance.now() - started).toBeLessThan(1000)
  // The next call gets a fresh worker and works.
  const ok = await analyseInThread(tmp.write('box.stl', binaryStl(box(1, 2, 3))), 'stl')
  expect((ok.analysis as MeshAnalysis).volumeMm3).toBeCloseTo(6, 6)
}, 60_000)

test('concurrent analyses each get a thread and all finish', async () => {
  const files = [1, 2, 3].map((k) => tmp.write(`c${k}.stl`, binaryStl(box(k, k, k))))
  const results = await Promise.all(files.map((f) => analyseInThread(f, 'stl')))
  expect(results.map((r) => (r.analysis as MeshAnalysis).volumeMm3)).toEqual([1, 8, 27])
}, 60_000)
