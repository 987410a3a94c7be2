// The format from the first bytes and the size — never from the file name.
import { isBinaryStlSize, isText, looksLikeAsciiStl } from './stl.ts'
import type { CadFormat } from './types.ts'

/** How many leading bytes sniffCadFormat wants (it copes with fewer for small files). */
export const SNIFF_BYTES = 512

const latin1 = new TextDecoder('latin1')

const OTHER_MAGIC: Uint8Array[] = [
  Uint8Array.of(0x89, 0x50, 0x4e, 0x47), // PNG
  Uint8Array.of(0x25, 0x50, 0x44, 0x46), // %PDF
  Uint8Array.of(0xff, 0xd8, 0xff), // JPEG
  Uint8Array.of(0x47, 0x49, 0x46, 0x38), // GIF8
  Uint8Array.of(0x50, 0x4b, 0x05, 0x06), // empty zip
  Uint8Array.of(0x1f, 0x8b), // gzip
  Uint8Array.of(0x52, 0x61, 0x72, 0x21), // Rar!
  Uint8Array.of(0x37, 0x7a, 0xbc, 0xaf), // 7z
  Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0), // OLE (old Office, SolidWorks parts)
  Uint8Array.of(0x7f, 0x45, 0x4c, 0x46), // ELF
]

function startsWith(head: Uint8Array, magic: Uint8Array): boolean {
  if (head.length < magic.length) return false
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false
  return true
}

/**
 * Format from the first bytes (≥ 512 when the file has them) and the total size.
 * undefined = not a CAD file we take. Binary STL iff size = 84 + 50·n for the n at offset
 * 80 (its header may say "solid"); 3MF = any ZIP (the model part is checked during
 * analysis); STEP = "ISO-10303-21"; DXF = group-code text ("0 / SECTION"), binary DXF too
 * (refused during analysis with a clear message); OBJ = text lines of OBJ statements.
 */
export function sniffCadFormat(head: Uint8Array, size: number): CadFormat | undefined {
  if (size <= 0 || head.length === 0) return undefined
  if (startsWith(head, Uint8Array.of(0x50, 0x4b, 0x03, 0x04))) return '3mf'
  if (OTHER_MAGIC.some((magic) => startsWith(head, magic))) return undefined
  if (isBinaryStlSize(head, size)) return 'stl'

  let text = latin1.decode(head.subarray(0, Math.min(head.length, 4096)))
  if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3) // UTF-8 BOM
  if (/^\s*AutoCAD Binary DXF/.test(text)) return 'dxf'
  if (looksLikeAsciiStl(head)) return 'stl'
  if (looksLikeTruncatedBinaryStl(head, size)) return 'stl'
  if (!isText(head)) return undefined
  const trimmed = text.replace(/^\s+/, '')
  if (trimmed.startsWith('ISO-10303-21')) return 'step'
  // DXF: optional 999 comments, then group code 0 and SECTION.
  if (/^(999[ \t]*\r?\n[^\n]*\n\s*)*0[ \t]*\r?\n[ \t]*SECTION[ \t]*\r?\n/.test(trimmed))
    return 'dxf'
  if (looksLikeObj(text, head.length < size)) return 'obj'
  return undefined
}

const OBJ_STATEMENTS = new Set([
  'v',
  'vn',
  'vt',
  'vp',
  'f',
  'l',
  'p',
  'o',
  'g',
  's',
  'mtllib',
  'usemtl',
  'usemap',
  'maplib',
  'cstype',
  'deg',
  'curv',
  'curv2',
  'surf',
  'parm',
  'end',
  'mg',
  'bevel',
  'c_interp',
  'd_interp',
  'lod',
  'shadow_obj',
  'trace_obj',
])

/**
 * Every complete line is blank, a comment or an OBJ statement, and at least one is a
 * statement (a file of only comments counts when more follows the head).
 */
function looksLikeObj(text: string, truncatedHead: boolean): boolean {
  const lines = text.split('\n')
  if (truncatedHead && lines.length > 1) lines.pop() // the last line may be cut
  let statements = 0
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const keyword = line.split(/\s+/, 1)[0]!
    if (!OBJ_STATEMENTS.has(keyword)) return false
    statements++
  }
  return statements > 0 || truncatedHead
}

/**
 * A binary STL whose size does not match its header (cut short during upload): the first
 * facets are finite, plausible floats with unit (or zero) normals. Reported as STL so that analysis
 * says "truncated" rather than "not a CAD file".
 */
function looksLikeTruncatedBinaryStl(head: Uint8Array, size: number): boolean {
  if (head.length < 84 + 2 * 50 || size < 84 + 2 * 50) return false
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const n = view.getUint32(80, true)
  if (n === 0 || 84 + 50 * n <= size) return false
  const facets = Math.min(8, Math.floor((head.length - 84) / 50))
  let nonZero = false
  for (let f = 0; f < facets; f++) {
    const base = 84 + 50 * f
    let nn = 0
    for (let k = 0; k < 12; k++) {
      const v = view.getFloat32(base + 4 * k, true)
      if (!Number.isFinite(v) || Math.abs(v) > 1e7) return false
      if (k < 3) nn += v * v
      else if (v !== 0) nonZero = true
    }
    // Normals are unit vectors, or zero from exporters that leave them to the reader.
    if (nn !== 0 && Math.abs(nn - 1) > 1e-3) return false
  }
  return nonZero
}
