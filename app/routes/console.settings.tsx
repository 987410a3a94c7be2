import {
  getFormProps,
  getInputProps,
  useForm,
  type DefaultValue,
  type FieldMetadata,
  type FormMetadata,
  type SubmissionResult,
} from '@conform-to/react'
import type { ReactNode } from 'react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { processFamilies } from '../models/material.schema.ts'
import { fenToYuanString, yuanToFen } from '../models/money.ts'
import { MAX_QUANTITY, type PricingTables, type ProcessPricing } from '../models/pricing.ts'
import { processName, processes, type ProcessFamily } from '../models/processes.ts'
import { scoreTerms, type ScoreTerm } from '../models/scoring.ts'
import {
  getPlatformSettings,
  listSettingsChanges,
  saveSetting,
  type PlatformSettings,
} from '../models/settings.server.ts'
import { requireKind } from '../utils/auth.server.ts'
import { CsrfInput, decimalInput, ErrorList, Field } from '../components/forms.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { TableHead } from '../components/table.tsx'

// The operators' platform settings (issues 6 and 7): five forms, one per setting area, each
// with its `intent`. Form messages are i18n keys; every bound below is the model's
// (settings.schema.ts), so a valid form always saves. Money is typed in yuan and stored in fen,
// percentages are typed and stored in basis points, both parsed exactly from the text.

const numberError = (issue: { input: unknown }) =>
  issue.input === undefined ? 'error.required' : 'error.number'

function numberField(
  message: MessageKey,
  bounds: { min: number; max: number; above?: boolean; integer?: boolean },
) {
  const n = z.number({ error: numberError })
  const ranged = (bounds.above ? n.gt(bounds.min, message) : n.min(bounds.min, message)).max(
    bounds.max,
    message,
  )
  return bounds.integer ? ranged.int(message) : ranged
}

/** A text field `parse` turns into a value; `undefined` from it is `message`. */
function parsedText<T>(parse: (text: string) => T | undefined, message: MessageKey) {
  return z.string({ error: 'error.required' }).transform((text, ctx) => {
    const value = parse(text)
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    return value
  })
}

/** "8", "8.5", "8.25 %" → basis points (850…), exactly. */
function percentToBps(text: string): number | undefined {
  const match = /^(\d{1,5})(?:\.(\d{1,2}))?$/.exec(
    text.normalize('NFKC').trim().replace(/\s*%$/, ''),
  )
  if (!match) return undefined
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

const bpsToPercent = (bps: number) => String(bps / 100)

const percent = (message: MessageKey, minBps: number, maxBps: number) =>
  parsedText((text) => {
    const bps = percentToBps(text)
    return bps !== undefined && bps >= minBps && bps <= maxBps ? bps : undefined
  }, message)

function yuan(message: MessageKey, maxFen: number) {
  return z.string({ error: 'error.required' }).transform((text, ctx) => {
    const fen = yuanToFen(text)
    if (fen === undefined || fen > maxFen) {
      ctx.addIssue({ code: 'custom', message: fen === undefined ? 'error.money' : message })
      return z.NEVER
    }
    return fen
  })
}

/**
 * "1:6000, 3:3000, 6:1200" (max thickness mm : cut speed mm/min) → rows by thickness. Strict:
 * every comma-separated part is one row, no thickness twice.
 */
function parseCutSpeeds(text: string): [number, number][] | undefined {
  const parts = text.normalize('NFKC').split(',')
  if (parts.length > 50) return undefined
  const rows: [number, number][] = []
  for (const part of parts) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part)
    if (!match) return undefined
    const thickness = Number(match[1])
    const speed = Number(match[2])
    if (!(thickness > 0 && thickness <= 500 && speed > 0 && speed <= 1e6)) return undefined
    if (rows.some(([t]) => t === thickness)) return undefined
    rows.push([thickness, speed])
  }
  return rows.sort((a, b) => a[0] - b[0])
}

const formatCutSpeeds = (rows: [number, number][]) =>
  rows.map(([thickness, speed]) => `${thickness}:${speed}`).join(', ')

// --- (a) quote validity, (b) matching weights

const ValiditySchema = z.object({
  quoteValidityDays: numberField('error.validityDays', { min: 1, max: 60, integer: true }),
})

const WeightsSchema = z
  .object(
    Object.fromEntries(
      scoreTerms.map((term) => [term, numberField('error.weight', { min: 0, max: 1 })]),
    ) as Record<ScoreTerm, z.ZodNumber>,
  )
  .refine((w) => Object.values(w).some((v) => v > 0), { message: 'error.weightsZero' })

// --- (c) platform fee, quantity breaks, finish surcharges

/** Empty rows are left out: the form always shows a few to add to. */
const EMPTY_ROWS = 3

const FeesSchema = z
  .object({
    platformFee: percent('error.feePercent', 0, 5000),
    breaks: z
      .array(
        z
          .object({
            minQuantity: numberField('error.breakQuantity', {
              min: 2,
              max: MAX_QUANTITY,
              integer: true,
            }).optional(),
            discount: percent('error.breakDiscount', 1, 9000).optional(),
          })
          .nullable(),
      )
      .default([]),
    finishes: z
      .array(
        z
          .object({
            name: z.string().trim().max(40, 'error.tooLong').optional(),
            price: yuan('error.finishPrice', 1_000_000).optional(),
          })
          .nullable(),
      )
      .default([]),
  })
  .superRefine((v, ctx) => {
    const missing = (path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', path, message: 'error.required' })
    const quantities = new Set<number>()
    let breaks = 0
    v.breaks.forEach((row, i) => {
      if (row?.minQuantity === undefined && row?.discount === undefined) return
      if (row.minQuantity === undefined) return missing(['breaks', i, 'minQuantity'])
      if (row.discount === undefined) return missing(['breaks', i, 'discount'])
      if (quantities.has(row.minQuantity)) {
        ctx.addIssue({
          code: 'custom',
          path: ['breaks', i, 'minQuantity'],
          message: 'error.breakDuplicate',
        })
      }
      quantities.add(row.minQuantity)
      breaks++
    })
    if (breaks > 20) ctx.addIssue({ code: 'custom', path: ['breaks'], message: 'error.tooMany' })
    // Finishes are matched case- and width-insensitively, so "Paint" and "paint" are one.
    const names = new Set<string>()
    v.finishes.forEach((row, i) => {
      const name = row?.name ?? ''
      if (name === '' && row?.price === undefined) return
      if (name === '') return missing(['finishes', i, 'name'])
      if (row?.price === undefined) return missing(['finishes', i, 'price'])
      const key = name.normalize('NFKC').toLowerCase()
      if (names.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['finishes', i, 'name'],
          message: 'error.finishDuplicate',
        })
      }
      names.add(key)
    })
  })

type Fees = Pick<PricingTables, 'platformFeeBps' | 'quantityBreaks' | 'finishSurchargeFenPerDm2'>

function feesFromForm(v: z.output<typeof FeesSchema>): Fees {
  const quantityBreaks: [number, number][] = []
  for (const row of v.breaks) {
    if (row?.minQuantity !== undefined && row.discount !== undefined) {
      quantityBreaks.push([row.minQuantity, row.discount])
    }
  }
  const finishSurchargeFenPerDm2: Record<string, number> = {}
  for (const row of v.finishes) {
    if (row?.name && row.price !== undefined) finishSurchargeFenPerDm2[row.name] = row.price
  }
  return {
    platformFeeBps: v.platformFee,
    quantityBreaks: quantityBreaks.sort((a, b) => a[0] - b[0]),
    finishSurchargeFenPerDm2,
  }
}

// A 0 % break never changes a price (the discount is 0 up to the first break anyway); the
// default tables start with [1, 0]. The page shows and keeps only the breaks that discount.
const effectiveBreaks = (breaks: PricingTables['quantityBreaks']) =>
  breaks.filter(([, bps]) => bps > 0)

function feesDefaults(tables: PricingTables) {
  const empty = Array.from({ length: EMPTY_ROWS }, () => ({}))
  return {
    platformFee: bpsToPercent(tables.platformFeeBps),
    breaks: [
      ...effectiveBreaks(tables.quantityBreaks).map(([q, bps]) => ({
        minQuantity: String(q),
        discount: bpsToPercent(bps),
      })),
      ...empty,
    ],
    finishes: [
      // By code point, not locale: the server and the browser must render the same order.
      ...Object.entries(tables.finishSurchargeFenPerDm2)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, fen]) => ({
          name,
          price: fenToYuanString(fen),
        })),
      ...empty,
    ],
  }
}

// --- (d) per-process pricing: the fields that matter for each family

type NumberKey = {
  [K in keyof ProcessPricing]-?: NonNullable<ProcessPricing[K]> extends number ? K : never
}[keyof ProcessPricing]

type ProcessField = { label: MessageKey; message: MessageKey } & (
  | {
      kind: 'number'
      name: NumberKey
      min: number
      max: number
      above?: boolean
      integer?: boolean
      required?: boolean
    }
  | { kind: 'yuan'; name: 'toolingYuan'; key: 'toolingFen'; maxFen: number }
  | { kind: 'speeds'; name: 'cutSpeeds'; key: 'cutSpeedMmPerMinByThickness' }
)

const handlingDays: ProcessField = {
  kind: 'number',
  name: 'handlingDays',
  label: 'opsSettings.field.handlingDays',
  message: 'error.settings.handlingDays',
  min: 0,
  max: 60,
  integer: true,
}

const processFields: Record<ProcessFamily, ProcessField[]> = {
  subtractive: [
    {
      kind: 'number',
      name: 'removalRateMm3PerMin',
      label: 'opsSettings.field.removalRate',
      message: 'error.settings.removalRate',
      min: 0,
      max: 1e7,
      above: true,
      required: true,
    },
    {
      kind: 'number',
      name: 'finishingRateMm2PerMin',
      label: 'opsSettings.field.finishingRate',
      message: 'error.settings.finishingRate',
      min: 0,
      max: 1e7,
      above: true,
    },
    {
      kind: 'number',
      name: 'stockMarginMm',
      label: 'opsSettings.field.stockMargin',
      message: 'error.settings.stockMargin',
      min: 0,
      max: 100,
    },
    handlingDays,
  ],
  additive: [
    {
      kind: 'number',
      name: 'buildRateMm3PerHour',
      label: 'opsSettings.field.buildRate',
      message: 'error.settings.buildRate',
      min: 0,
      max: 1e8,
      above: true,
      required: true,
    },
    {
      kind: 'number',
      name: 'layerHeightMm',
      label: 'opsSettings.field.layerHeight',
      message: 'error.settings.layerHeight',
      min: 0,
      max: 10,
      above: true,
    },
    {
      kind: 'number',
      name: 'secondsPerLayer',
      label: 'opsSettings.field.secondsPerLayer',
      message: 'error.settings.seconds',
      min: 0,
      max: 600,
    },
    {
      kind: 'number',
      name: 'supportFactor',
      label: 'opsSettings.field.supportFactor',
      message: 'error.settings.supportFactor',
      min: 0,
      max: 5,
    },
    handlingDays,
  ],
  sheet: [
    {
      kind: 'speeds',
      name: 'cutSpeeds',
      key: 'cutSpeedMmPerMinByThickness',
      label: 'opsSettings.field.cutSpeeds',
      message: 'error.settings.cutSpeeds',
    },
    {
      kind: 'number',
      name: 'secondsPerPierce',
      label: 'opsSettings.field.secondsPerPierce',
      message: 'error.settings.seconds',
      min: 0,
      max: 600,
    },
    {
      kind: 'number',
      name: 'sheetUtilisation',
      label: 'opsSettings.field.sheetUtilisation',
      message: 'error.settings.sheetUtilisation',
      min: 0,
      max: 1,
      above: true,
    },
    handlingDays,
  ],
  moulding: [
    {
      kind: 'yuan',
      name: 'toolingYuan',
      key: 'toolingFen',
      label: 'opsSettings.field.tooling',
      message: 'error.settings.tooling',
      maxFen: 1e10,
    },
    {
      kind: 'number',
      name: 'cycleSeconds',
      label: 'opsSettings.field.cycleSeconds',
      message: 'error.settings.cycleSeconds',
      min: 0,
      max: 3600,
      above: true,
      required: true,
    },
    {
      kind: 'number',
      name: 'cavities',
      label: 'opsSettings.field.cavities',
      message: 'error.settings.cavities',
      min: 1,
      max: 256,
      integer: true,
    },
    {
      kind: 'number',
      name: 'supportFactor',
      label: 'opsSettings.field.runnerFactor',
      message: 'error.settings.supportFactor',
      min: 0,
      max: 5,
    },
    {
      kind: 'number',
      name: 'toolingDays',
      label: 'opsSettings.field.toolingDays',
      message: 'error.settings.toolingDays',
      min: 0,
      max: 180,
      integer: true,
    },
    handlingDays,
  ],
  hourly: [
    {
      kind: 'number',
      name: 'minutesPerPart',
      label: 'opsSettings.field.minutesPerPart',
      message: 'error.settings.minutesPerPart',
      min: 0,
      max: 10_000,
      above: true,
      required: true,
    },
    {
      kind: 'number',
      name: 'minutesPerDm2',
      label: 'opsSettings.field.minutesPerDm2',
      message: 'error.settings.minutesPerDm2',
      min: 0,
      max: 10_000,
    },
    handlingDays,
  ],
}

function processFieldSchema(field: ProcessField) {
  switch (field.kind) {
    case 'number': {
      const n = numberField(field.message, field)
      return field.required ? n : n.optional()
    }
    case 'yuan':
      return yuan(field.message, field.maxFen).optional()
    case 'speeds':
      return parsedText(parseCutSpeeds, field.message)
  }
}

function familySchema(family: ProcessFamily) {
  const shape = z.object(
    Object.fromEntries(processFields[family].map((f) => [f.name, processFieldSchema(f)])),
  )
  if (family !== 'additive') return shape
  // Time per layer needs the layer height to count the layers (pricing.ts).
  return shape.superRefine((v, ctx) => {
    if (typeof v.secondsPerLayer === 'number' && v.secondsPerLayer > 0 && !v.layerHeightMm) {
      ctx.addIssue({
        code: 'custom',
        path: ['layerHeightMm'],
        message: 'error.settings.layerHeightNeeded',
      })
    }
  })
}

/** Per process code: its family's fields, named as in `processFields`. */
const ProcessesSchema = z.object(
  Object.fromEntries(processes.map((p) => [p.code, familySchema(p.family)])),
)

type ProcessFormValue = number | [number, number][] | undefined

/**
 * The processes with the form's values: each field shown is set (or, left empty, removed so
 * the pricing default applies); fields not shown keep their stored values.
 */
function processesFromForm(
  form: Record<string, unknown>,
  current: PricingTables['processes'],
): PricingTables['processes'] {
  return Object.fromEntries(
    processes.map((p) => {
      const values = (form[p.code] ?? {}) as Record<string, ProcessFormValue>
      const entry: Record<string, unknown> = { ...current[p.code], family: p.family }
      for (const field of processFields[p.family]) {
        const key = field.kind === 'number' ? field.name : field.key
        const value = values[field.name]
        if (value === undefined) delete entry[key]
        else entry[key] = value
      }
      return [p.code, entry as unknown as ProcessPricing]
    }),
  )
}

function processDefaults(tables: PricingTables) {
  return Object.fromEntries(
    processes.map((p) => {
      const stored = tables.processes[p.code]
      const values: Record<string, string> = {}
      for (const field of processFields[p.family]) {
        if (field.kind === 'number') {
          const v = stored?.[field.name]
          if (v !== undefined) values[field.name] = String(v)
        } else if (field.kind === 'yuan') {
          if (stored?.toolingFen !== undefined)
            values[field.name] = fenToYuanString(stored.toolingFen)
        } else if (stored?.cutSpeedMmPerMinByThickness) {
          values[field.name] = formatCutSpeeds(stored.cutSpeedMmPerMinByThickness)
        }
      }
      return [p.code, values]
    }),
  )
}

// --- (e) the escrow bank account buyers transfer to (BankAccountSchema's bounds)

const bankText = (message: MessageKey) =>
  z.string({ error: 'error.required' }).trim().min(2, message).max(120, message)

const BankSchema = z.object({
  accountName: bankText('error.bank.accountName'),
  bankName: bankText('error.bank.bankName'),
  // Full-width digits typed with a Chinese IME are the same account number.
  accountNumber: z.preprocess(
    (v) => (typeof v === 'string' ? v.normalize('NFKC') : v),
    z
      .string({ error: 'error.required' })
      .trim()
      .regex(/^[0-9 ]{8,40}$/, 'error.bank.accountNumber'),
  ),
})

// --- loader and action

const intents = ['validity', 'weights', 'fees', 'processes', 'bank'] as const
type Intent = (typeof intents)[number]
const isIntent = (v: unknown): v is Intent => intents.includes(v as Intent)

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const [settings, changes] = await Promise.all([
    getPlatformSettings(context.db),
    listSettingsChanges(context.db, 20),
  ])
  return { settings, changes }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (!isIntent(intent)) throw new Response('Unknown intent', { status: 400 })
  const invalid = (submission: { reply(): SubmissionResult<string[]> }) =>
    data({ intent, result: submission.reply() }, { status: 400 })

  switch (intent) {
    case 'validity': {
      const submission = parseWithZod(formData, { schema: ValiditySchema })
      if (submission.status !== 'success') return invalid(submission)
      const days = submission.value.quoteValidityDays
      await context.db
        .transaction()
        .execute((tx) => saveSetting(tx, operator, 'quoteValidityDays', days))
      break
    }
    case 'weights': {
      const submission = parseWithZod(formData, { schema: WeightsSchema })
      if (submission.status !== 'success') return invalid(submission)
      const weights = submission.value
      await context.db.transaction().execute((tx) => saveSetting(tx, operator, 'weights', weights))
      break
    }
    case 'fees': {
      const submission = parseWithZod(formData, { schema: FeesSchema })
      if (submission.status !== 'success') return invalid(submission)
      const fees = feesFromForm(submission.value)
      await context.db.transaction().execute(async (tx) => {
        const { pricingTables } = await getPlatformSettings(tx)
        await saveSetting(tx, operator, 'pricingTables', { ...pricingTables, ...fees })
      })
      break
    }
    case 'processes': {
      const submission = parseWithZod(formData, { schema: ProcessesSchema })
      if (submission.status !== 'success') return invalid(submission)
      const form = submission.value
      await context.db.transaction().execute(async (tx) => {
        const { pricingTables } = await getPlatformSettings(tx)
        await saveSetting(tx, operator, 'pricingTables', {
          ...pricingTables,
          quantityBreaks: effectiveBreaks(pricingTables.quantityBreaks),
          processes: processesFromForm(form, pricingTables.processes),
        })
      })
      break
    }
    case 'bank': {
      const submission = parseWithZod(formData, { schema: BankSchema })
      if (submission.status !== 'success') return invalid(submission)
      const account = submission.value
      await context.db
        .transaction()
        .execute((tx) => saveSetting(tx, operator, 'bankAccount', account))
      break
    }
  }
  return redirect(`/console/settings?saved=1#${intent}`)
}

// --- page

/**
 * One settings form bound to `schema`: its id is `settings-<intent>`, and it shows the action's
 * refusal when the refused submit was this form's.
 */
function useSettingsForm<FormShape extends Record<string, unknown>, Output>(
  intent: Intent,
  schema: z.ZodType<Output>,
  defaultValue: DefaultValue<FormShape>,
) {
  const actionData = useActionData<typeof action>()
  return useForm<FormShape, Output>({
    id: `settings-${intent}`,
    lastResult: actionData?.intent === intent ? actionData.result : undefined,
    defaultValue,
    constraint: getZodConstraint(schema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  })
}

/** A settings form's card (its id is the intent, for the redirect's #anchor) and its form. */
function SettingsCard<FormShape extends Record<string, unknown>>(props: {
  intent: Intent
  form: FormMetadata<FormShape, string[]>
  title: string
  lead?: string
  notice?: ReactNode
  children: ReactNode
}) {
  const { intent, form } = props
  return (
    <section className="card" id={intent} aria-labelledby={`${intent}-heading`}>
      <h2 id={`${intent}-heading`}>{props.title}</h2>
      {props.lead ? <p className="muted">{props.lead}</p> : null}
      {props.notice}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <input type="hidden" name="intent" value={intent} />
        <ErrorList id={form.errorId} errors={form.errors} />
        {props.children}
      </Form>
    </section>
  )
}

function SaveButton() {
  const t = useT()
  return (
    <button type="submit" className="primary">
      {t('opsSettings.save')}
    </button>
  )
}

export default function PlatformSettingsPage() {
  const t = useT()
  const { settings, changes } = useLoaderData<typeof loader>()
  const tables = settings.pricingTables
  const [searchParams] = useSearchParams()
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('opsSettings.title')}</h1>
      <p className="muted">{t('opsSettings.lead')}</p>
      {searchParams.get('saved') ? (
        <p className="notice" role="status">
          {t('opsSettings.saved')}
        </p>
      ) : null}
      {/* Conform reads defaultValue once: a form remounts (new key) when what it shows was saved,
          so after a save with JavaScript on it shows the stored values (normalised weights). */}
      <ValidityForm key={settings.quoteValidityDays} days={settings.quoteValidityDays} />
      <WeightsForm key={JSON.stringify(settings.weights)} weights={settings.weights} />
      <FeesForm key={JSON.stringify(feesDefaults(tables))} tables={tables} />
      <ProcessesForm key={JSON.stringify(tables.processes)} tables={tables} />
      <BankForm key={JSON.stringify(settings.bankAccount)} account={settings.bankAccount} />
      <History changes={changes} />
    </>
  )
}

function ValidityForm({ days }: { days: number }) {
  const t = useT()
  const [form, fields] = useSettingsForm<
    z.input<typeof ValiditySchema>,
    z.output<typeof ValiditySchema>
  >('validity', ValiditySchema, { quoteValidityDays: String(days) })
  return (
    <SettingsCard intent="validity" form={form} title={t('opsSettings.validity.title')}>
      <Field
        label={t('opsSettings.validity.days')}
        hint={t('opsSettings.validity.hint')}
        inputProps={getInputProps(fields.quoteValidityDays, { type: 'number' })}
        errors={fields.quoteValidityDays.errors}
      />
      <SaveButton />
    </SettingsCard>
  )
}

function WeightsForm({ weights }: { weights: PlatformSettings['weights'] }) {
  const t = useT()
  const [form, fields] = useSettingsForm<
    z.input<typeof WeightsSchema>,
    z.output<typeof WeightsSchema>
  >(
    'weights',
    WeightsSchema,
    Object.fromEntries(scoreTerms.map((term) => [term, String(weights[term])])),
  )
  return (
    <SettingsCard
      intent="weights"
      form={form}
      title={t('opsSettings.weights.title')}
      lead={t('opsSettings.weights.lead')}
    >
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        {scoreTerms.map((term) => (
          <Field
            key={term}
            label={t(`match.term.${term}`)}
            inputProps={decimalInput(getInputProps(fields[term], { type: 'number' }))}
            errors={fields[term].errors}
          />
        ))}
      </div>
      <SaveButton />
    </SettingsCard>
  )
}

type CellKind = 'integer' | 'decimal' | 'text' | 'decimalText'

/** A table cell's input: its label is hidden from sight (the column heading says it). */
function CellInput(props: {
  label: string
  field: FieldMetadata<unknown>
  kind: CellKind
  wide?: boolean
}) {
  const { field, kind } = props
  const input =
    kind === 'integer'
      ? getInputProps(field, { type: 'number' })
      : kind === 'decimal'
        ? decimalInput(getInputProps(field, { type: 'number' }))
        : {
            ...getInputProps(field, { type: 'text' }),
            inputMode: kind === 'decimalText' ? ('decimal' as const) : undefined,
          }
  return (
    <div className="field" style={{ marginBottom: 0, minWidth: props.wide ? '14rem' : '6rem' }}>
      <label htmlFor={field.id} className="visually-hidden">
        {props.label}
      </label>
      <input {...input} />
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  )
}

/**
 * A list field as a table under its own heading: a row per entry, a column per entry field;
 * each input is labelled by its column and row number.
 */
function RowsTable<Name extends string>(props: {
  id: string
  title: string
  lead: string
  list: { errorId: string; errors?: string[] }
  columns: { name: Name; label: string; kind: CellKind }[]
  rows: { key?: string; cells: Record<Name, FieldMetadata<unknown>> }[]
}) {
  const headingId = `${props.id}-heading`
  return (
    <>
      <h3 id={headingId}>{props.title}</h3>
      <p className="hint">{props.lead}</p>
      <ErrorList id={props.list.errorId} errors={props.list.errors} />
      <table aria-labelledby={headingId}>
        <TableHead columns={props.columns.map((c) => c.label)} />
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={row.key}>
              {props.columns.map((c) => (
                <td key={c.name}>
                  <CellInput
                    label={`${c.label} (${i + 1})`}
                    field={row.cells[c.name]}
                    kind={c.kind}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function FeesForm({ tables }: { tables: PricingTables }) {
  const t = useT()
  const [form, fields] = useSettingsForm<z.input<typeof FeesSchema>, z.output<typeof FeesSchema>>(
    'fees',
    FeesSchema,
    feesDefaults(tables),
  )
  return (
    <SettingsCard intent="fees" form={form} title={t('opsSettings.fees.title')}>
      <Field
        label={t('opsSettings.fees.platformFee')}
        hint={t('opsSettings.fees.platformFeeHint')}
        inputProps={{
          ...getInputProps(fields.platformFee, { type: 'text' }),
          inputMode: 'decimal',
        }}
        errors={fields.platformFee.errors}
      />
      <RowsTable
        id="breaks"
        title={t('opsSettings.fees.breaks')}
        lead={t('opsSettings.fees.breaksLead')}
        list={fields.breaks}
        columns={[
          { name: 'minQuantity', label: t('opsSettings.fees.minQuantity'), kind: 'integer' },
          { name: 'discount', label: t('opsSettings.fees.discount'), kind: 'decimalText' },
        ]}
        rows={fields.breaks
          .getFieldList()
          .map((row) => ({ key: row.key, cells: row.getFieldset() }))}
      />
      <RowsTable
        id="finishes"
        title={t('opsSettings.fees.finishes')}
        lead={t('opsSettings.fees.finishesLead')}
        list={fields.finishes}
        columns={[
          { name: 'name', label: t('opsSettings.fees.finishName'), kind: 'text' },
          { name: 'price', label: t('opsSettings.fees.finishPrice'), kind: 'decimalText' },
        ]}
        rows={fields.finishes
          .getFieldList()
          .map((row) => ({ key: row.key, cells: row.getFieldset() }))}
      />
      <p>
        <SaveButton />
      </p>
    </SettingsCard>
  )
}

function ProcessesForm({ tables }: { tables: PricingTables }) {
  const t = useT()
  const locale = useLocale()
  const [form, fields] = useSettingsForm<
    Record<string, Record<string, string>>,
    z.output<typeof ProcessesSchema>
  >('processes', ProcessesSchema, processDefaults(tables))
  return (
    <SettingsCard
      intent="processes"
      form={form}
      title={t('opsSettings.processes.title')}
      lead={t('opsSettings.processes.lead')}
    >
      {processFamilies.map((family) => (
        <div key={family} style={{ overflowX: 'auto', marginBottom: '1.5rem' }}>
          <table>
            <caption style={{ textAlign: 'left', fontWeight: 600 }}>
              {t(`family.${family}`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('opsSettings.processes.process')}</th>
                {processFields[family].map((f) => (
                  <th scope="col" key={f.name}>
                    {t(f.label)}
                    {'required' in f && f.required ? ' *' : ''}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {processes
                .filter((p) => p.family === family)
                .map((p) => {
                  const cells = fields[p.code]!.getFieldset()
                  const name = processName(p.code, locale)
                  return (
                    <tr key={p.code}>
                      <th
                        scope="row"
                        style={{ color: 'inherit', fontSize: 'inherit', minWidth: '9rem' }}
                      >
                        {name}
                        <br />
                        <code>{p.code}</code>
                      </th>
                      {processFields[family].map((f) => (
                        <td key={f.name}>
                          <CellInput
                            label={`${t(f.label)} (${name})`}
                            field={cells[f.name]!}
                            kind={
                              f.kind === 'speeds'
                                ? 'text'
                                : f.kind === 'yuan'
                                  ? 'decimalText'
                                  : f.integer
                                    ? 'integer'
                                    : 'decimal'
                            }
                            wide={f.kind === 'speeds'}
                          />
                        </td>
                      ))}
                    </tr>
                  )
                })}
            </tbody>
          </table>
        </div>
      ))}
      <SaveButton />
    </SettingsCard>
  )
}

function BankForm({ account }: { account: PlatformSettings['bankAccount'] }) {
  const t = useT()
  const [form, fields] = useSettingsForm<z.input<typeof BankSchema>, z.output<typeof BankSchema>>(
    'bank',
    BankSchema,
    account ?? {},
  )
  const bankField = (name: keyof typeof fields, label: string, hint?: string) => (
    <Field
      label={label}
      hint={hint}
      inputProps={{ ...getInputProps(fields[name], { type: 'text' }), autoComplete: 'off' }}
      errors={fields[name].errors}
    />
  )
  return (
    <SettingsCard
      intent="bank"
      form={form}
      title={t('opsSettings.bank.title')}
      lead={t('opsSettings.bank.lead')}
      notice={account ? null : <p className="notice">{t('opsSettings.bank.notSet')}</p>}
    >
      {bankField('accountName', t('orders.payment.accountName'))}
      {bankField('bankName', t('orders.payment.bank'))}
      {bankField(
        'accountNumber',
        t('orders.payment.accountNumber'),
        t('opsSettings.bank.accountNumberHint'),
      )}
      <SaveButton />
    </SettingsCard>
  )
}

const settingLabels: Record<string, MessageKey> = {
  pricing_tables: 'opsSettings.setting.pricing_tables',
  match_weights: 'opsSettings.setting.match_weights',
  quote_validity_days: 'opsSettings.setting.quote_validity_days',
  bank_account: 'opsSettings.setting.bank_account',
}

function History({
  changes,
}: {
  changes: ReturnType<typeof useLoaderData<typeof loader>>['changes']
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <section className="card" id="history" aria-labelledby="history-heading">
      <h2 id="history-heading">{t('opsSettings.history.title')}</h2>
      {changes.length === 0 ? (
        <p className="muted">{t('opsSettings.history.empty')}</p>
      ) : (
        <table>
          <TableHead
            columns={[
              t('opsSettings.history.when'),
              t('opsSettings.history.who'),
              t('opsSettings.history.what'),
            ]}
          />
          <tbody>
            {changes.map((c) => (
              <tr key={c.id}>
                <td>{formatDateTime(locale, c.created_at)}</td>
                <td>
                  {c.actor_name === null
                    ? t('opsSettings.history.deletedUser')
                    : `${c.actor_name} <${c.actor_email}>`}
                </td>
                <td>{settingLabels[c.subject] ? t(settingLabels[c.subject]!) : c.subject}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
