import { replaceCapacity, resourceCalendar } from '../models/resource.server.ts'
import { schemas } from '../utils/api-contract.ts'
import { api, apiJson, parseJson, requireApiAuth, uuidParam } from '../utils/api.server.ts'

function idFrom(params: Record<string, string | undefined>) {
  const id = uuidParam(params, 'resourceId')
  return id
}

async function body(
  context: Parameters<typeof resourceCalendar>[0],
  account: Parameters<typeof resourceCalendar>[1],
  id: string,
) {
  const { windows, weeks } = await resourceCalendar(context, account, id, 8)
  return {
    windows: windows.map((w) => ({
      from: w.starts_on,
      to: w.ends_on,
      hours_per_day: w.hours_per_day,
    })),
    weeks,
  }
}

const handler = api({
  /** The windows and the 8-week offered/booked/idle calendar (own resources). */
  async GET({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    return apiJson(await body(context.db, account, idFrom(params)))
  },
  /** Replaces all windows. */
  async PUT({ request, params, context }) {
    const { account } = await requireApiAuth(request, context)
    const id = idFrom(params)
    const input = await parseJson(request, schemas.CapacityRequest)
    await context.db.transaction().execute((tx) =>
      replaceCapacity(
        tx,
        account,
        id,
        input.windows.map((w) => ({ from: w.from, to: w.to, hoursPerDay: w.hours_per_day })),
      ),
    )
    return apiJson(await body(context.db, account, id))
  },
})

export const loader = handler
export const action = handler
