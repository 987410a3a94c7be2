import { z } from 'zod'
import { yuanToFen } from '../models/money.ts'
import { MEASUREMENT_ROWS, orderActions, type OrderAction } from '../models/order-lifecycle.ts'

// The order page's forms (issue 7) → the lifecycle's payloads (order-lifecycle.ts), so the
// browser and the API are checked by the same schemas. People type yuan and lists of measured
// values; a field that cannot be read becomes a value the schema refuses, with its field name.

export function isOrderAction(value: string): value is OrderAction {
  return (orderActions as string[]).includes(value)
}

const str = (form: FormData, name: string) => {
  const v = form.get(name)
  return typeof v === 'string' ? v : ''
}
/** A number field: empty → undefined (schema default), unreadable → NaN (schema refuses). */
const num = (form: FormData, name: string) => {
  const v = str(form, name).trim()
  if (v === '') return undefined
  const n = Number(v)
  return Number.isFinite(n) ? n : Number.NaN
}
const fen = (form: FormData, name: string) => {
  const v = str(form, name).trim()
  if (v === '') return undefined
  return yuanToFen(v) ?? Number.NaN
}
const attachmentIds = (form: FormData) =>
  form.getAll('attachment').filter((v): v is string => typeof v === 'string' && v !== '')

/** The measured values typed as "10.01, 10.02 9.99" (commas, spaces or 、). */
function measuredValues(text: string): number[] {
  return text
    .split(/[\s,，、;；]+/)
    .filter(Boolean)
    .map((v) => (Number.isFinite(Number(v)) ? Number(v) : Number.NaN))
}

/** The rows of the measurement table that have anything in them. */
function measurements(form: FormData) {
  const rows = []
  for (let i = 0; i < MEASUREMENT_ROWS; i++) {
    const feature = str(form, `m${i}.feature`).trim()
    const values = str(form, `m${i}.measured`).trim()
    const nominal = str(form, `m${i}.nominal`).trim()
    if (!feature && !values && !nominal) continue
    rows.push({
      feature,
      nominal: num(form, `m${i}.nominal`) ?? Number.NaN,
      tol_minus: num(form, `m${i}.tolMinus`) ?? Number.NaN,
      tol_plus: num(form, `m${i}.tolPlus`) ?? Number.NaN,
      measured: measuredValues(values),
    })
  }
  return rows
}

/** The payload an action's form carries (unvalidated; transitionOrder parses it). */
export function payloadFromForm(action: OrderAction, form: FormData): Record<string, unknown> {
  switch (action) {
    case 'report_transfer':
      return {
        payer_name: str(form, 'payerName'),
        transferred_on: str(form, 'transferredOn'),
        note: str(form, 'note'),
      }
    case 'confirm_payment':
      return { bank_reference: str(form, 'bankReference'), amount_fen: fen(form, 'amount') }
    case 'cancel':
    case 'request_cancellation':
      return { reason: str(form, 'reason') }
    case 'ship_sample':
    case 'ship_batch':
      return {
        carrier: str(form, 'carrier'),
        tracking_number: str(form, 'trackingNumber'),
        quantity: num(form, 'quantity'),
        note: str(form, 'note'),
        attachment_ids: attachmentIds(form),
      }
    case 'approve_sample':
      return { feedback: str(form, 'feedback') }
    case 'reject_sample':
      return { feedback: str(form, 'feedback'), attachment_ids: attachmentIds(form) }
    case 'record_inspection':
      return {
        aql: num(form, 'aql'),
        level: str(form, 'level') || undefined,
        defects_found: num(form, 'defectsFound') ?? Number.NaN,
        measurements: measurements(form),
        notes: str(form, 'notes'),
        attachment_ids: attachmentIds(form),
      }
    case 'assign_inspector':
      return { user_id: str(form, 'userId') }
    case 'add_evidence':
      return { note: str(form, 'note'), attachment_ids: attachmentIds(form) }
    case 'resolve_dispute':
      return {
        resolution: str(form, 'resolution'),
        refund_fen: fen(form, 'refund'),
        note: str(form, 'note'),
      }
    case 'confirm_card_payment':
    case 'confirm_delivery':
    case 'auto_confirm_delivery':
    case 'start_inspection':
    case 'auto_accept':
      return {}
  }
}

/** Payload field → the form field it came from (for errors beside the right input). */
const formFields: Record<string, string> = {
  payer_name: 'payerName',
  transferred_on: 'transferredOn',
  bank_reference: 'bankReference',
  amount_fen: 'amount',
  tracking_number: 'trackingNumber',
  defects_found: 'defectsFound',
  user_id: 'userId',
  refund_fen: 'refund',
  attachment_ids: 'attachment',
}

/** A zod issue path of a payload → the form field name (measurements → `m<i>.<field>`). */
export function formFieldOf(path: readonly PropertyKey[]): string {
  const [head, index, field] = path.map(String)
  if (head === 'measurements' && index !== undefined) {
    const f = { tol_minus: 'tolMinus', tol_plus: 'tolPlus' }[field ?? ''] ?? field ?? 'feature'
    return `m${index}.${f}`
  }
  return formFields[head ?? ''] ?? head ?? ''
}

export const VersionSchema = z.coerce.number().int().positive()
