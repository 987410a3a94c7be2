import { listMaterials } from '../models/material.server.ts'
import { api, apiJson } from '../utils/api.server.ts'

const handler = api({
  async GET({ context }) {
    const materials = await listMaterials(context.db)
    return apiJson({
      materials: materials.map((m) => ({
        code: m.code,
        name_zh: m.name_zh,
        name_en: m.name_en,
        families: m.families,
        density_g_cm3: m.density_g_cm3,
        price_fen_per_kg: m.price_fen_per_kg,
      })),
    })
  },
})

export const loader = handler
export const action = handler
