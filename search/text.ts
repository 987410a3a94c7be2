// Normalisation and tokenisation for the embedded capability index. Index and query go
// through the same normaliser and the same segmenter; keep it that way, or terms stop
// matching.
import { createRequire } from 'node:module'
import type * as JiebaModule from 'jieba-wasm'

/**
 * Domain words jieba's default dictionary splits apart (钣金 → 钣/金, 五轴 → 五/轴) or does
 * not know. Also sent to Meilisearch as its `dictionary` setting.
 */
export const domainWords = [
  // processes and machines
  '五轴',
  '四轴',
  '三轴',
  '数控',
  '数控铣',
  '数控车',
  '加工中心',
  '光固化',
  '阳极氧化',
  '钣金',
  '注塑',
  '注塑机',
  '抛光',
  '裁床',
  '压铸',
  '冲压',
  '折弯',
  '折弯机',
  '铣削',
  '车削',
  '走心机',
  '线切割',
  '慢走丝',
  '电火花',
  '喷砂',
  '拉丝',
  '电镀',
  '喷涂',
  '增材',
  '增材制造',
  '熔融沉积',
  '多射流',
  '选择性激光烧结',
  '选择性激光熔化',
  // materials
  '铝合金',
  '铝件',
  '铝板',
  '不锈钢',
  '钛合金',
  '光敏树脂',
  '尼龙',
  '紫铜',
  '黄铜',
  '碳纤维',
  '亚克力',
  '聚碳酸酯',
  '聚甲醛',
  '聚丙烯',
  '涤纶',
  '密度板',
  // clusters
  '灯饰',
  '五金',
  '小家电',
  // towns (app/models/towns.ts) the default dictionary does not keep whole
  '小榄',
  '古镇',
  '东凤',
  '南头',
  '黄圃',
  '阜沙',
  '东升',
  '横栏',
  '大涌',
  '沙溪',
  '坦洲',
  '板芙',
  '三乡',
  '神湾',
  '石岐',
  '五桂山',
  '翠亨',
] as const

// High enough that a domain word wins over splitting it into single characters, not so
// high that it swallows neighbours (十五轴承 must stay 十五/轴承).
const DOMAIN_WORD_FREQUENCY = 20_000

let jieba: typeof JiebaModule | undefined

// Loaded on first use: the WebAssembly module and its dictionary cost nothing to processes
// that import this file but never segment (the Meilisearch adapter only needs domainWords).
// jieba-wasm rather than a native binding: one package for every platform, so the lock
// file installs the same everywhere (decision 004).
function segmenter(): typeof JiebaModule {
  if (!jieba) {
    const require = createRequire(import.meta.url)
    const instance = require('jieba-wasm') as typeof JiebaModule
    for (const word of domainWords) instance.add_word(word, DOMAIN_WORD_FREQUENCY, 'n')
    jieba = instance
  }
  return jieba
}

/** NFKC (full-width ＣＮＣ → CNC, ５ → 5) and lowercase. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

// A run of Han characters, or a run of other letters/digits. Everything else separates.
// Built with the `v` flag (class subtraction), which TypeScript only accepts for ES2024
// targets in a literal.
const RUNS = new RegExp('(\\p{Script=Han}+)|[[\\p{L}\\p{N}\\p{M}]--\\p{Script=Han}]+', 'gv')
const HAN = /\p{Script=Han}/u

export function isHanToken(token: string): boolean {
  return HAN.test(token)
}

/** Letters only (no digits): the tokens typo tolerance applies to. */
export function isAlphabeticToken(token: string): boolean {
  return /^[a-z]+$/.test(token)
}

/**
 * `index` mode emits jieba's search-mode words (铝合金 → 合金, 铝合金) so a document is
 * found by any word inside a longer one; `query` mode emits only the longest words
 * (铝合金), which search mode always includes on the index side. A query word therefore
 * meets the same term it would meet in search mode, without requiring the sub-words as
 * extra AND terms (合金 would defeat the synonyms of 铝合金).
 */
export type TokenizeMode = 'index' | 'query'

/** Normalises and splits text into terms: Han runs by jieba, other runs as they are. */
export function tokenize(text: string, mode: TokenizeMode = 'index'): string[] {
  const out: string[] = []
  if (!text) return out
  const normalized = normalizeText(text)
  for (const match of normalized.matchAll(RUNS)) {
    const run = match[0]
    if (match[1] === undefined) {
      out.push(run)
      continue
    }
    const words =
      mode === 'index' ? segmenter().cut_for_search(run, false) : segmenter().cut(run, false)
    for (const w of words) out.push(w)
  }
  return out
}
