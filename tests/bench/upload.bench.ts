// CAD upload budget (issue 5): a 100 MB upload streams to storage with < 150 MB RSS growth
// of the web server. The server is the one run.ts started (production build, embedded
// PostgreSQL, local storage); its RSS (/proc) is sampled every 20 ms while the upload runs, then
// while the in-process worker analyses the file (a worker thread of the same process).
// Prints figures, never asserts on them.
import { createWriteStream, openAsBlob } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { defineScenario, login, rssOf, serverPid, DEMO_DESIGNER, type BenchContext } from './lib.ts'

const TARGET_MB = Number(process.env.BENCH_UPLOAD_MB) || 100
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** A binary STL of about `targetBytes`: a strip of small quads, written in chunks. */
async function writeBigStl(file: string, targetBytes: number): Promise<number> {
  const triangles = Math.floor((targetBytes - 84) / 50)
  const out = createWriteStream(file)
  const header = Buffer.alloc(84)
  header.write('bench upload', 0, 'latin1')
  header.writeUInt32LE(triangles, 80)
  out.write(header)
  const perChunk = 20_000
  for (let start = 0; start < triangles; start += perChunk) {
    const n = Math.min(perChunk, triangles - start)
    const chunk = Buffer.alloc(50 * n)
    for (let i = 0; i < n; i++) {
      const t = start + i
      const x = (t >> 1) * 0.01
      const up = t & 1
      const at = 50 * i + 12
      const pts = up
        ? [x, 0, 0, x + 0.01, 1, 0, x, 1, 0]
        : [x, 0, 0, x + 0.01, 0, 0, x + 0.01, 1, 0]
      for (let k = 0; k < 9; k++) chunk.writeFloatLE(pts[k]!, at + 4 * k)
    }
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return 84 + 50 * triangles
}

async function logIn(baseUrl: string) {
  const cookie = await login(baseUrl, DEMO_DESIGNER)
  const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { Cookie: cookie } })
  const body = (await me.json()) as { csrf_token: string }
  return { cookie, csrf: body.csrf_token }
}

/** Samples the server's RSS every 20 ms until stopped; returns the peak. */
function sampler(pid: number) {
  let peak = rssOf(pid)
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid))
  }, 20)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, rssOf(pid))
    },
  }
}

async function run(ctx: BenchContext) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sf-bench-upload-'))
  try {
    const file = path.join(dir, 'big.stl')
    const size = await writeBigStl(file, TARGET_MB * 1024 * 1024)
    const { cookie, csrf } = await logIn(ctx.baseUrl)
    // Let the server settle (demo seeding, index build, first requests) before measuring.
    await new Promise((r) => setTimeout(r, 2000))
    const pid = serverPid(ctx.serverProcessGroup)
    const before = rssOf(pid)
    const form = new FormData()
    // openAsBlob reads the file from disk as the request is sent: the bench holds no copy.
    form.append('file', await openAsBlob(file), 'big.stl')
    const upload = sampler(pid)
    const started = performance.now()
    const res = await fetch(`${ctx.baseUrl}/api/v1/files`, {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: form,
    })
    const body = (await res.json()) as { id: string; size_bytes: number }
    const uploadMs = performance.now() - started
    const uploadPeak = upload.stop()
    if (res.status !== 201) throw new Error(`upload: HTTP ${res.status} ${JSON.stringify(body)}`)
    ctx.note(
      `upload of a ${mb(size)} binary STL (${((size - 84) / 50).toLocaleString('en')} triangles) ` +
        `through POST /api/v1/files: ${seconds(uploadMs)} (${(size / 1024 / 1024 / (uploadMs / 1000)).toFixed(0)} MB/s), ` +
        `server RSS ${mb(before)} → peak ${mb(uploadPeak)}: growth ${mb(uploadPeak - before)} (budget < 150 MB)`,
    )

    const analysis = sampler(pid)
    const analysisStarted = performance.now()
    let status = 'pending'
    let figures = ''
    while (status === 'pending' && performance.now() - analysisStarted < 180_000) {
      await new Promise((r) => setTimeout(r, 200))
      const poll = await fetch(`${ctx.baseUrl}/api/v1/files/${body.id}`, {
        headers: { Cookie: cookie, Accept: 'application/json' },
      })
      const file = (await poll.json()) as {
        analysis: { status: string; triangles: number | null; error?: string }
      }
      status = file.analysis.status
      figures = file.analysis.triangles
        ? `${file.analysis.triangles.toLocaleString('en')} triangles measured`
        : (file.analysis.error ?? '')
    }
    const analysisPeak = analysis.stop()
    ctx.note(
      `    then its analysis by the in-process worker (a worker thread): ${status} in ` +
        `${seconds(performance.now() - analysisStarted)} (${figures}); server RSS peak ` +
        `${mb(analysisPeak)} (${mb(analysisPeak - before)} over the start; not part of the budget)`,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return []
}

export default defineScenario({ name: 'upload', run })
