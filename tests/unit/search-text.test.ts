import { describe, expect, test } from 'vitest'
import { createEmbeddedIndex } from '../../search/embedded.ts'
import { meilisearchSynonyms, synonymExpansions } from '../../search/synonyms.ts'
import { normalizeText, tokenize } from '../../search/text.ts'
import type { CapabilityDocument } from '../../search/types.ts'
import { contractDocument } from '../contract/search.contract.ts'

describe('normalisation', () => {
  test('full-width Latin and digits become ASCII, Latin lowercase', () => {
    expect(normalizeText('ＣＮＣ　５轴 ＰＡ１２')).toBe('cnc 5轴 pa12')
    expect(tokenize('ＣＮＣ')).toEqual(['cnc'])
    expect(tokenize('Ｄｍｕ５０', 'query')).toEqual(['dmu50'])
  })
})

describe('tokenisation', () => {
  test('Latin splits on anything that is not a letter or digit, and keeps 5axis, pa12, 6061', () => {
    expect(tokenize('5-axis, 5axis; PA12/6061 (AlSi10Mg)')).toEqual([
      '5',
      'axis',
      '5axis',
      'pa12',
      '6061',
      'alsi10mg',
    ])
  })

  test('domain words stay whole: 钣金, 五轴, 光固化, 阳极氧化, 裁床', () => {
    expect(tokenize('钣金加工', 'query')).toEqual(['钣金', '加工'])
    expect(tokenize('钣金加工')).toEqual(['钣金', '加工'])
    expect(tokenize('五轴数控铣', 'query')).toEqual(['五轴', '数控铣'])
    expect(tokenize('光固化', 'query')).toEqual(['光固化'])
    expect(tokenize('表面阳极氧化', 'query')).toEqual(['表面', '阳极氧化'])
    expect(tokenize('智能裁床', 'query')).toEqual(['智能', '裁床'])
  })

  test('the domain dictionary does not swallow neighbours', () => {
    expect(tokenize('十五轴承', 'query')).toEqual(['十五', '轴承'])
  })

  test('index mode adds the words inside longer words; query mode keeps the longest', () => {
    expect(tokenize('铝合金')).toEqual(['合金', '铝合金'])
    expect(tokenize('铝合金', 'query')).toEqual(['铝合金'])
    expect(tokenize('五轴数控铣')).toEqual(expect.arrayContaining(['五轴', '数控', '数控铣']))
  })

  test('Latin and Han runs are split where the script changes', () => {
    expect(tokenize('3D打印', 'query')).toEqual(['3d', '打印'])
    expect(tokenize('SLA光固化', 'query')).toEqual(['sla', '光固化'])
  })

  test('punctuation, spaces and empty text give no tokens', () => {
    expect(tokenize('')).toEqual([])
    expect(tokenize(' ，。、；— ')).toEqual([])
  })
})

describe('synonyms', () => {
  test('equivalent terms find each other; narrower terms are found one way only', () => {
    const expansions = synonymExpansions()
    expect(expansions.get('cnc')).toContain('数控')
    expect(expansions.get('数控')).toContain('cnc')
    expect(expansions.get('铝合金')).toEqual(
      expect.arrayContaining(['铝', 'aluminium', 'aluminum']),
    )
    expect(expansions.get('nylon')).toEqual(expect.arrayContaining(['尼龙', 'pa12']))
    expect(expansions.has('pa12')).toBe(false)
  })

  test('Meilisearch gets a term → terms map with no term mapped to itself', () => {
    const map = meilisearchSynonyms()
    for (const [term, others] of Object.entries(map)) {
      expect(others, term).not.toContain(term)
      expect(others.length, term).toBeGreaterThan(0)
    }
    expect(map['3d打印']).toEqual(expect.arrayContaining(['3d printing', 'additive']))
  })
})

describe('matching in the embedded index', () => {
  const doc = (id: string, description: string): CapabilityDocument => ({
    ...contractDocument('r16'),
    id,
    name: '设备',
    make: '',
    model: '',
    workshopName: '工坊',
    keywords: '',
    description,
  })

  async function search(docs: CapabilityDocument[], q: string) {
    const index = createEmbeddedIndex()
    await index.replaceAll(docs)
    const result = await index.search({ q, page: 1, perPage: 50 })
    return result.hits.map((h) => h.document.id).sort()
  }

  test('a query for 铝合金 finds a resource that only says 铝, through the synonyms', async () => {
    const docs = [doc('a', '压铸铝外壳'), doc('b', '铝合金型材'), doc('c', '不锈钢')]
    expect(await search(docs, '铝合金')).toEqual(['a', 'b'])
    expect(await search(docs, 'aluminium')).toEqual(['a', 'b'])
    // And 铝 finds 铝合金 as a prefix.
    expect(await search(docs, '铝')).toEqual(['a', 'b'])
  })

  test('a word matches the words it begins', async () => {
    const docs = [doc('a', 'anodizing service'), doc('b', 'anodised parts'), doc('c', 'annealing')]
    expect(await search(docs, 'anod')).toEqual(['a', 'b'])
  })

  test('one typo is forgiven in words of five letters or more, not in shorter ones', async () => {
    const docs = [doc('a', 'titanium'), doc('b', 'brass'), doc('c', 'resin')]
    expect(await search(docs, 'titanum')).toEqual(['a'])
    expect(await search(docs, 'titainum')).toEqual(['a']) // swapped letters
    expect(await search(docs, 'bras')).toEqual(['b']) // a prefix, not a typo
    expect(await search(docs, 'resn')).toEqual([])
  })

  test('no typo tolerance on digits or Chinese: 5axis never finds 3axis', async () => {
    const docs = [doc('a', '3axis'), doc('b', '5axis'), doc('c', 'al6063'), doc('d', '三轴')]
    expect(await search(docs, '5axis')).toEqual(['b'])
    expect(await search(docs, 'al6061')).toEqual([])
    expect(await search(docs, '五轴')).toEqual(['b'])
  })

  test('every word must match', async () => {
    const docs = [doc('a', '五轴 钛合金'), doc('b', '五轴 铝合金'), doc('c', '钛合金')]
    expect(await search(docs, '五轴 钛合金')).toEqual(['a'])
  })

  test('an edited resource no longer matches its old words', async () => {
    const index = createEmbeddedIndex()
    await index.replaceAll([doc('a', '注塑模具'), doc('b', '注塑')])
    await index.upsert([doc('a', '激光切割')])
    const ids = async (q: string) =>
      (await index.search({ q, page: 1, perPage: 10 })).hits.map((h) => h.document.id)
    expect(await ids('注塑')).toEqual(['b'])
    expect(await ids('模具')).toEqual([])
    expect(await ids('激光切割')).toEqual(['a'])
  })

  test('malformed pages are refused', async () => {
    const index = createEmbeddedIndex()
    await expect(index.search({ page: 0, perPage: 10 })).rejects.toThrow(RangeError)
    await expect(index.search({ page: 1, perPage: 0 })).rejects.toThrow(RangeError)
    await expect(index.search({ radiusKm: 5, page: 1, perPage: 10 })).rejects.toThrow(/near/)
  })
})
