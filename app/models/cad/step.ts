// STEP through occt-import-js (OpenCascade in WebAssembly). The module is loaded lazily —
// the 7.6 MB WASM must stay out of anything that does not read STEP — and kept for the
// life of the thread; OCCT converts to millimetres itself.
import { readFile } from 'node:fs/promises'
import type { Occt } from 'occt-import-js'
import type { TriangleSoup } from './mesh.ts'
import { CadError } from './types.ts'

let occtReady: Promise<Occt> | undefined
/** What OCCT printed during the current read (it reports syntax errors on stdout/stderr). */
let printed: string[] = []

function remember(text: string): void {
  if (printed.length < 20) printed.push(text)
}

export function loadOcct(): Promise<Occt> {
  occtReady ??= import('occt-import-js').then((module) =>
    module.default({ print: remember, printErr: remember }),
  )
  return occtReady
}

export async function readStep(path: string, maxTriangles: number): Promise<TriangleSoup> {
  return parseStep(await readFile(path), maxTriangles)
}

export async function parseStep(content: Uint8Array, maxTriangles: number): Promise<TriangleSoup> {
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf)
    content = content.subarray(3)
  const head = new TextDecoder('latin1').decode(content.subarray(0, 64)).trimStart()
  if (!head.startsWith('ISO-10303-21')) {
    throw new CadError('corrupt', 'not a STEP file: it does not start with "ISO-10303-21;"')
  }
  const occt = await loadOcct()
  printed = []
  let result
  try {
    result = occt.ReadStepFile(content, { linearUnit: 'millimeter' })
  } catch (error) {
    // An abort leaves the module in an unknown state: start a fresh one next time.
    occtReady = undefined
    throw new CadError('corrupt', `OpenCascade could not read the STEP file: ${String(error)}`)
  }
  if (!result.success || !result.meshes) {
    const reason = printed
      .map((line) => line.replace(/\*+/g, '').trim())
      .filter(Boolean)
      .join('; ')
      .slice(0, 300)
    throw new CadError(
      'corrupt',
      `OpenCascade could not read the STEP file${reason ? `: ${reason}` : ''}`,
    )
  }
  let triangles = 0
  for (const mesh of result.meshes) triangles += Math.floor(mesh.index.array.length / 3)
  if (triangles === 0) throw new CadError('empty', 'the STEP file has no surfaces to measure')
  if (triangles > maxTriangles) {
    throw new CadError(
      'too_complex',
      `${triangles} triangles, more than the ${maxTriangles} allowed`,
    )
  }
  const positions = new Float64Array(triangles * 9)
  let o = 0
  for (const mesh of result.meshes) {
    const p = mesh.attributes.position.array
    const index = mesh.index.array
    const vertices = p.length / 3
    for (let i = 0; i + 2 < index.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        const v = index[i + k]!
        if (!(v >= 0 && v < vertices))
          throw new CadError('corrupt', 'OpenCascade returned a bad index')
        positions[o++] = p[3 * v]! + 0
        positions[o++] = p[3 * v + 1]! + 0
        positions[o++] = p[3 * v + 2]! + 0
      }
    }
  }
  return { positions, triangles }
}
