import { requireOperator } from '../models/actor.server.ts'
import {
  getPlatformSettings,
  saveSetting,
  type PlatformSettings,
} from '../models/settings.server.ts'
import type { PricingTables } from '../models/pricing.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth } from '../utils/api.server.ts'

function settingsBody(settings: PlatformSettings) {
  return {
    pricing_tables: settings.pricingTables,
    weights: settings.weights,
    quote_validity_days: settings.quoteValidityDays,
    // The model's field names inside, as in pricing_tables (api-contract.ts).
    bank_account: settings.bankAccount,
  }
}

const handler = api({
  async GET({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators see the platform settings')
    return apiJson(settingsBody(await getPlatformSettings(context.db)))
  },
  /** Each key sent replaces that setting; keys left out keep their values. */
  async PATCH({ request, context }) {
    const { account } = await requireApiAuth(request, context)
    requireOperator(account, 'Operators tune the platform settings')
    const patch = await parseJson(request, schemas.PlatformSettingsPatchRequest)
    const settings = await context.db.transaction().execute(async (tx) => {
      if (patch.pricing_tables) {
        await saveSetting(tx, account, 'pricingTables', patch.pricing_tables as PricingTables)
      }
      if (patch.weights) await saveSetting(tx, account, 'weights', patch.weights)
      if (patch.quote_validity_days !== undefined) {
        await saveSetting(tx, account, 'quoteValidityDays', patch.quote_validity_days)
      }
      if (patch.bank_account) await saveSetting(tx, account, 'bankAccount', patch.bank_account)
      return getPlatformSettings(tx)
    })
    return apiJson(settingsBody(settings))
  },
})

export const loader = handler
export const action = handler
