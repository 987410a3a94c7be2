import type { AppLoadContext } from '@remix-run/node'
import { z } from 'zod'
import { DomainError, NotFoundError, statusForKind } from '../models/errors.ts'
import { acceptQuote } from '../models/order.server.ts'
import {
  ConfirmQuoteFormSchema,
  DeclineQuoteFormSchema,
  ManualQuoteFormSchema,
} from '../models/quote.schema.ts'
import { confirmQuote, createManualQuote, declineQuote } from '../models/quote.server.ts'
import type { AccountView } from '../models/user.server.ts'
import { translate, type Locale, type MessageKey } from '../locales/index.ts'
import { domainErrorMessage } from './api.server.ts'

// The quote forms of the job board and the job page (issue 6): one parser and runner, so both
// pages refuse bad input and stale clicks with the same messages. Without JavaScript the
// forms post here and the page re-renders with the outcome.

export const quoteIntents = [
  'confirm-quote',
  'decline-quote',
  'manual-quote',
  'accept-quote',
] as const
export type QuoteIntent = (typeof quoteIntents)[number]

export function isQuoteIntent(intent: string): intent is QuoteIntent {
  return (quoteIntents as readonly string[]).includes(intent)
}

export type QuoteActionResult =
  | { ok: true; intent: QuoteIntent; quoteId?: string; orderId?: string }
  | {
      ok: false
      intent: QuoteIntent
      status: number
      quoteId?: string
      message: string
      fieldErrors: Record<string, string>
      values: Record<string, string>
    }

function issuesOf(error: z.ZodError, locale: Locale): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (out[field]) continue
    const key = issue.message.startsWith('error.') ? issue.message : 'error.invalid'
    out[field] = translate(locale, key as MessageKey)
  }
  return out
}

/** Parses and runs one quote form; never throws for bad input or a refused change. */
export async function runQuoteAction(
  context: AppLoadContext,
  account: AccountView,
  locale: Locale,
  intent: QuoteIntent,
  formData: FormData,
  jobId?: string,
): Promise<QuoteActionResult> {
  const values = Object.fromEntries(
    [...formData].filter(([k, v]) => typeof v === 'string' && k !== 'csrf'),
  ) as Record<string, string>
  const quoteId = typeof values.quoteId === 'string' ? values.quoteId : undefined
  const refuse = (status: number, message: string, fieldErrors: Record<string, string> = {}) =>
    ({ ok: false, intent, status, quoteId, message, fieldErrors, values }) as const
  const invalid = (error: z.ZodError) =>
    refuse(400, translate(locale, 'quotes.error.form'), issuesOf(error, locale))

  const { publicUrl } = context.settings
  try {
    switch (intent) {
      case 'confirm-quote': {
        const parsed = ConfirmQuoteFormSchema.safeParse(values)
        if (!parsed.success) return invalid(parsed.error)
        await context.db.transaction().execute((tx) =>
          confirmQuote(
            tx,
            account,
            parsed.data.quoteId,
            {
              unitPriceFen: parsed.data.unitPrice,
              batchLeadDays: parsed.data.batchLeadDays,
              comment: parsed.data.comment || undefined,
            },
            { publicUrl },
          ),
        )
        return { ok: true, intent, quoteId: parsed.data.quoteId }
      }
      case 'decline-quote': {
        const parsed = DeclineQuoteFormSchema.safeParse(values)
        if (!parsed.success) return invalid(parsed.error)
        await context.db
          .transaction()
          .execute((tx) => declineQuote(tx, account, parsed.data.quoteId, parsed.data.reason))
        return { ok: true, intent, quoteId: parsed.data.quoteId }
      }
      case 'accept-quote': {
        const parsed = z
          .object({ quoteId: z.uuid(), expectedTotal: z.coerce.number().int().positive() })
          .safeParse(values)
        if (!parsed.success) return invalid(parsed.error)
        const { order } = await context.db.transaction().execute((tx) =>
          acceptQuote(tx, account, parsed.data.quoteId, {
            publicUrl,
            expectedTotalFen: parsed.data.expectedTotal,
          }),
        )
        return { ok: true, intent, quoteId: parsed.data.quoteId, orderId: order.id }
      }
      case 'manual-quote': {
        if (!jobId) throw new NotFoundError('No such job')
        const parsed = ManualQuoteFormSchema.safeParse(values)
        // Unit prices: one field per part, `unitPrice.<fileId>`.
        const unitFields = Object.entries(values).filter(([k]) => k.startsWith('unitPrice.'))
        const priceErrors: Record<string, string> = {}
        const parts = unitFields.flatMap(([k, v]) => {
          const price = ConfirmQuoteFormSchema.shape.unitPrice.safeParse(v)
          if (!price.success || price.data === undefined) {
            priceErrors[k] = translate(locale, 'error.money')
            return []
          }
          return [{ fileId: k.slice('unitPrice.'.length), unitPriceFen: price.data }]
        })
        if (!parsed.success || Object.keys(priceErrors).length || !parts.length) {
          return refuse(400, translate(locale, 'quotes.error.form'), {
            ...(parsed.success ? {} : issuesOf(parsed.error, locale)),
            ...priceErrors,
            ...(parts.length || Object.keys(priceErrors).length
              ? {}
              : { parts: translate(locale, 'error.quote_parts') }),
          })
        }
        const quote = await context.db.transaction().execute((tx) =>
          createManualQuote(
            tx,
            account,
            jobId,
            {
              resourceId: parsed.data.resourceId,
              parts,
              setupFen: parsed.data.setup,
              samplePriceFen: parsed.data.samplePrice,
              sampleLeadDays: parsed.data.sampleLeadDays,
              batchLeadDays: parsed.data.batchLeadDays,
              machineHours: parsed.data.machineHours,
              comment: parsed.data.comment,
            },
            { publicUrl },
          ),
        )
        return { ok: true, intent, quoteId: quote.id }
      }
    }
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    if (!(error instanceof DomainError)) throw error
    const message = domainErrorMessage(locale, error)
    const field = error.field ? fieldOfApi(error.field) : undefined
    return refuse(statusForKind[error.kind], message, field ? { [field]: message } : {})
  }
}

/** The form field for a model error's API field name. */
function fieldOfApi(field: string): string {
  return (
    (
      { unit_price_fen: 'unitPrice', resource_id: 'resourceId', parts: 'parts' } as Record<
        string,
        string
      >
    )[field] ?? field
  )
}
