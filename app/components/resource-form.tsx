import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import type { z } from 'zod'
import {
  useEffect,
  useId,
  useState,
  type CSSProperties,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react'
import { ResourceFormSchema } from '../models/resource.schema.ts'
import { processByCode, processes } from '../models/processes.ts'
import { fenToYuanString } from '../models/money.ts'
import { CsrfInput, decimalInput, ErrorList, Field, SelectField } from './forms.tsx'
import { useLocale, useT } from '../utils/i18n.ts'

// Until app.css grows a rule for textareas, they look like the inputs beside them.
const textareaStyle: CSSProperties = {
  padding: '0.55rem 0.7rem',
  border: '1px solid #c4ccd6',
  borderRadius: 6,
  font: 'inherit',
  minHeight: '6rem',
  resize: 'vertical',
}

/** A labelled textarea with hint and errors, like Field. */
export function TextAreaField(props: {
  label: ReactNode
  hint?: ReactNode
  textareaProps: TextareaHTMLAttributes<HTMLTextAreaElement>
  errors?: string[] | null
}) {
  const fallbackId = useId()
  const id = props.textareaProps.id ?? fallbackId
  const errorId = props.errors?.length ? `${id}-error` : undefined
  const hintId = props.hint ? `${id}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        style={textareaStyle}
        {...props.textareaProps}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      />
      {props.hint ? (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={props.errors} />
    </div>
  )
}

/** Checkboxes for a list field (each one labelled), in the radio-cards layout. */
export function CheckboxGroup(props: {
  legend: ReactNode
  field: FieldMetadata<unknown, Record<string, unknown>, string[]>
  options: { value: string; label: string; hidden?: boolean }[]
  compact?: boolean
}) {
  const inputs = getCollectionProps(props.field, {
    type: 'checkbox',
    options: props.options.map((o) => o.value),
  })
  const errorId = props.field.errors?.length ? `${props.field.id}-error` : undefined
  return (
    <>
      <fieldset
        className="radio-cards"
        aria-describedby={errorId}
        style={
          props.compact
            ? { gridTemplateColumns: 'repeat(auto-fill, minmax(11rem, 1fr))', gap: '0.4rem' }
            : undefined
        }
      >
        <legend>{props.legend}</legend>
        {inputs.map(({ key, required: _required, ...input }, i) => {
          const option = props.options[i]!
          // A hidden option is also disabled, so a box the user can no longer see is not sent.
          return (
            <label
              key={key ?? input.value}
              style={{
                ...(props.compact ? { padding: '0.35rem 0.5rem' } : {}),
                ...(option.hidden ? { display: 'none' } : {}),
              }}
            >
              <input {...input} disabled={option.hidden} />
              <span>{option.label}</span>
            </label>
          )
        })}
      </fieldset>
      <ErrorList id={errorId} errors={props.field.errors} />
    </>
  )
}

/** "1.2 MB" in the reader's language. */
export function formatBytes(bytes: number, locale: string): string {
  const [value, unit] =
    bytes < 1024
      ? [bytes, 'byte']
      : bytes < 1024 * 1024
        ? [bytes / 1024, 'kilobyte']
        : [bytes / 1024 / 1024, 'megabyte']
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(value)
}

export interface MaterialOption {
  code: string
  name_zh: string
  name_en: string
  families: string[]
}

/** What the edit page knows of a saved resource (numbers as stored, money in fen). */
export interface ResourceValues {
  process: string
  name: string
  make: string
  model: string
  materials: string[]
  envelope_x_mm: number
  envelope_y_mm: number
  envelope_z_mm: number
  tolerance_mm: number
  finishes: string[]
  hourly_rate_fen: number
  setup_fee_fen: number
  min_quantity: number
  max_quantity: number | null
  description: string
  active: boolean
}

function defaultsFrom(resource: ResourceValues | undefined) {
  if (!resource) return { process: processes[0].code as string, active: true, minQuantity: '1' }
  return {
    process: resource.process,
    name: resource.name,
    make: resource.make,
    model: resource.model,
    materials: resource.materials,
    envelopeX: String(resource.envelope_x_mm),
    envelopeY: String(resource.envelope_y_mm),
    envelopeZ: String(resource.envelope_z_mm),
    toleranceMm: String(resource.tolerance_mm),
    // The schema turns this comma text into a list; the input shows the text.
    finishes: resource.finishes.join(', ') as unknown as string[],
    hourlyRate: fenToYuanString(resource.hourly_rate_fen),
    setupFee: fenToYuanString(resource.setup_fee_fen),
    minQuantity: String(resource.min_quantity),
    maxQuantity: resource.max_quantity === null ? '' : String(resource.max_quantity),
    description: resource.description,
    active: resource.active,
  }
}

/**
 * The machine form of the "new" and edit pages. Without JS every material is listed;
 * with it, materials that do not suit the chosen process's family are hidden.
 */
export function ResourceForm(props: {
  id: string
  resource?: ResourceValues
  materials: MaterialOption[]
  lastResult?: SubmissionResult<string[]> | null
  submitLabel: string
}) {
  const t = useT()
  const locale = useLocale()
  const defaultValue = defaultsFrom(props.resource)
  const [form, fields] = useForm<z.output<typeof ResourceFormSchema>>({
    id: props.id,
    lastResult: props.lastResult,
    defaultValue,
    constraint: getZodConstraint(ResourceFormSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResourceFormSchema }),
  })
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  const [process, setProcess] = useState<string>(defaultValue.process)
  const family = processByCode(process)?.family
  const suits = (m: MaterialOption) => !family || m.families.includes(family)
  const { key: _selectKey, ...processSelect } = getSelectProps(fields.process)

  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      <ErrorList id={form.errorId} errors={form.errors} />
      <SelectField
        label={t('resources.process')}
        selectProps={{ ...processSelect, onChange: (e) => setProcess(e.currentTarget.value) }}
        options={processes.map((p) => ({ value: p.code, label: locale === 'en' ? p.en : p.zh }))}
        errors={fields.process.errors}
      />
      <Field
        label={t('resources.name')}
        inputProps={getInputProps(fields.name, { type: 'text' })}
        errors={fields.name.errors}
      />
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <Field
          label={t('resources.make')}
          inputProps={getInputProps(fields.make, { type: 'text' })}
          errors={fields.make.errors}
        />
        <Field
          label={t('resources.model')}
          inputProps={getInputProps(fields.model, { type: 'text' })}
          errors={fields.model.errors}
        />
      </div>
      <CheckboxGroup
        legend={t('resources.materials')}
        field={fields.materials}
        compact
        options={props.materials.map((m) => ({
          value: m.code,
          label: locale === 'en' ? m.name_en : m.name_zh,
          hidden: hydrated && !suits(m),
        }))}
      />
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 600, marginBottom: '0.3rem' }}>
          {t('resources.envelope')}
        </legend>
        <div className="grid" style={{ gap: '0 1.25rem', gridTemplateColumns: 'repeat(3, 1fr)' }}>
          {(['envelopeX', 'envelopeY', 'envelopeZ'] as const).map((axis) => (
            <Field
              key={axis}
              label={t(`resources.${axis}`)}
              inputProps={decimalInput(getInputProps(fields[axis], { type: 'number' }))}
              errors={fields[axis].errors}
            />
          ))}
        </div>
      </fieldset>
      <Field
        label={t('resources.tolerance')}
        inputProps={decimalInput(getInputProps(fields.toleranceMm, { type: 'number' }))}
        errors={fields.toleranceMm.errors}
      />
      <Field
        label={t('resources.finishes')}
        hint={t('resources.finishesHint')}
        inputProps={getInputProps(fields.finishes, { type: 'text' })}
        errors={fields.finishes.errors}
      />
      <div
        className="grid"
        style={{ gap: '0 1.25rem', gridTemplateColumns: 'repeat(auto-fit, minmax(11rem, 1fr))' }}
      >
        <Field
          label={t('resources.hourlyRate')}
          inputProps={{
            ...getInputProps(fields.hourlyRate, { type: 'text' }),
            inputMode: 'decimal',
          }}
          errors={fields.hourlyRate.errors}
        />
        <Field
          label={t('resources.setupFee')}
          inputProps={{ ...getInputProps(fields.setupFee, { type: 'text' }), inputMode: 'decimal' }}
          errors={fields.setupFee.errors}
        />
        <Field
          label={t('resources.minQuantity')}
          inputProps={getInputProps(fields.minQuantity, { type: 'number' })}
          errors={fields.minQuantity.errors}
        />
        <Field
          label={t('resources.maxQuantity')}
          inputProps={getInputProps(fields.maxQuantity, { type: 'number' })}
          errors={fields.maxQuantity.errors}
        />
      </div>
      <TextAreaField
        label={t('resources.description')}
        textareaProps={getTextareaProps(fields.description)}
        errors={fields.description.errors}
      />
      <div className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.5rem' }}>
        <input {...getInputProps(fields.active, { type: 'checkbox' })} />
        <label htmlFor={fields.active.id}>{t('resources.active')}</label>
      </div>
      <ErrorList errors={fields.active.errors} />
      <button type="submit" className="primary">
        {props.submitLabel}
      </button>
    </Form>
  )
}
