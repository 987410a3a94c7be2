// zh↔en synonyms for processes and materials. Plain data: the embedded index expands
// query words with it, the Meilisearch adapter sends it as the `synonyms` setting.
//
// `terms` of one entry are equivalent (each finds the others). `includes` are narrower
// terms a search for any of `terms` also finds, but not the other way round: "nylon"
// finds PA12, "pa12" does not find every nylon. A term may appear in several entries;
// its expansions are the union. Write terms lowercase, as they are after normalisation.

export interface SynonymEntry {
  terms: readonly string[]
  includes?: readonly string[]
}

export const synonymEntries: readonly SynonymEntry[] = [
  // processes
  { terms: ['数控', 'cnc'] },
  { terms: ['五轴', '5轴', '5-axis', '5axis', 'five-axis'] },
  { terms: ['三轴', '3轴', '3-axis', '3axis', 'three-axis'] },
  { terms: ['铣', '铣削', 'milling'] },
  { terms: ['车削', 'turning', 'lathe'] },
  { terms: ['加工中心', 'machining center', 'machining centre'] },
  {
    terms: ['3d打印', '增材制造', '3d printing', 'additive manufacturing', 'additive'],
    includes: ['光固化', 'sla', 'sls', 'mjf', 'fdm', 'slm'],
  },
  { terms: ['光固化', 'sla', 'stereolithography'] },
  { terms: ['选择性激光烧结', 'sls', 'selective laser sintering'] },
  { terms: ['多射流熔融', 'mjf', 'multi jet fusion'] },
  { terms: ['熔融沉积', 'fdm', 'fused deposition'] },
  { terms: ['金属3d打印', 'metal 3d printing', 'slm', '选择性激光熔化'] },
  { terms: ['激光切割', 'laser cutting'] },
  { terms: ['激光', 'laser'] },
  { terms: ['钣金', 'sheet metal', 'sheetmetal'] },
  { terms: ['折弯', 'bending', 'press brake'] },
  { terms: ['冲压', 'stamping'] },
  { terms: ['压铸', 'die casting', 'diecasting'] },
  {
    terms: ['注塑', '注塑成型', 'injection moulding', 'injection molding', 'injection'],
  },
  { terms: ['moulding', 'molding'] },
  { terms: ['模具', 'mould', 'mold', 'tooling'] },
  { terms: ['抛光', 'polishing', 'polish'] },
  { terms: ['阳极氧化', 'anodizing', 'anodising', 'anodized', 'anodised'] },
  { terms: ['喷砂', 'sandblasting', 'bead blasting'] },
  { terms: ['电镀', 'plating', 'electroplating'] },
  { terms: ['拉丝', 'brushing', 'brushed'] },
  { terms: ['裁床', 'textile cutting', 'fabric cutting', 'cutting table'] },
  // materials
  {
    terms: ['铝', '铝合金', 'aluminium', 'aluminum'],
    includes: ['铝板', '铝件', '压铸铝', 'alsi10mg', 'adc12'],
  },
  { terms: ['不锈钢', 'stainless', 'stainless steel'] },
  { terms: ['钛', '钛合金', 'titanium'], includes: ['tc4'] },
  { terms: ['尼龙', 'nylon', 'polyamide'], includes: ['pa12', 'pa66', 'pa6'] },
  { terms: ['树脂', 'resin'] },
  { terms: ['光敏树脂', 'photopolymer', 'photopolymer resin'] },
  { terms: ['铜', 'copper'], includes: ['黄铜', 'brass', '紫铜', '红铜'] },
  { terms: ['黄铜', 'brass'] },
  { terms: ['紫铜', '红铜', 'copper t2'] },
  {
    terms: ['塑料', 'plastic', 'plastics'],
    includes: ['abs', 'pc', 'pom', 'pp', 'pmma', 'pla', 'petg', '尼龙', 'nylon'],
  },
  { terms: ['聚碳酸酯', 'polycarbonate'] },
  { terms: ['亚克力', 'acrylic', 'pmma'] },
  { terms: ['碳钢', 'carbon steel', 'mild steel'] },
  { terms: ['木', '木材', '实木', 'wood', 'timber'] },
  { terms: ['面料', '布料', 'fabric', 'textile'] },
  { terms: ['皮革', 'leather'] },
  // clusters
  { terms: ['灯饰', '照明', 'lighting'] },
  { terms: ['家具', 'furniture'] },
  { terms: ['服装', 'clothing', 'garment', 'apparel'] },
  { terms: ['五金', 'hardware'] },
  { terms: ['家电', '家用电器', 'home appliances', 'appliances'] },
]

/** Every term → what a search for it also finds (equivalents, then narrower terms). */
export function synonymExpansions(
  entries: readonly SynonymEntry[] = synonymEntries,
): Map<string, string[]> {
  const out = new Map<string, Set<string>>()
  for (const entry of entries) {
    for (const term of entry.terms) {
      let set = out.get(term)
      if (!set) out.set(term, (set = new Set()))
      for (const other of entry.terms) if (other !== term) set.add(other)
      for (const narrower of entry.includes ?? []) if (narrower !== term) set.add(narrower)
    }
  }
  return new Map([...out].map(([term, set]) => [term, [...set]]))
}

/** The map Meilisearch's `synonyms` setting expects: a word → the words it also matches. */
export function meilisearchSynonyms(
  entries: readonly SynonymEntry[] = synonymEntries,
): Record<string, string[]> {
  return Object.fromEntries(synonymExpansions(entries))
}
