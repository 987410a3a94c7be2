import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import type { z } from 'zod'
import { aqlLabel, DEFAULT_JOB_AQL, JobFormSchema } from '../models/job.schema.ts'
import { aqlValues } from '../models/aql.ts'
import { processes } from '../models/processes.ts'
import { towns } from '../models/towns.ts'
import { fenToYuanString } from '../models/money.ts'
import { CsrfInput, decimalInput, ErrorList, Field, SelectField } from './forms.tsx'
import { TextAreaField } from './resource-form.tsx'
import { useLocale, useT } from '../utils/i18n.ts'

export interface JobValues {
  title: string
  description: string
  process: string | null
  material: string | null
  tolerance_mm: number
  thickness_mm: number | null
  finish: string
  needs_sample: boolean
  deadline: string
  budget_fen: number | null
  delivery_town: string
  delivery_address: string
  visibility: 'public' | 'invited'
  nda_required: boolean
  aql: number
}

export interface MaterialOption {
  code: string
  name_zh: string
  name_en: string
}

function defaultsFrom(job: JobValues | undefined, defaultTown: string, defaultDeadline: string) {
  if (!job) {
    return {
      toleranceMm: '0.1',
      needsSample: 'on',
      deadline: defaultDeadline,
      deliveryTown: defaultTown,
      visibility: 'public',
      aql: String(DEFAULT_JOB_AQL),
    }
  }
  return {
    title: job.title,
    description: job.description,
    process: job.process ?? '',
    material: job.material ?? '',
    toleranceMm: String(job.tolerance_mm),
    thicknessMm: job.thickness_mm === null ? '' : String(job.thickness_mm),
    finish: job.finish,
    needsSample: job.needs_sample ? 'on' : undefined,
    deadline: job.deadline,
    budget: job.budget_fen === null ? '' : fenToYuanString(job.budget_fen),
    deliveryTown: job.delivery_town,
    deliveryAddress: job.delivery_address,
    visibility: job.visibility,
    ndaRequired: job.nda_required ? 'on' : undefined,
    aql: String(job.aql),
  }
}

/** The standard AQLs; a refused value sent back stays selected beside its error. */
function aqlOptions(submitted: unknown) {
  const options = aqlValues.map((a) => ({ value: String(a), label: aqlLabel(a) }))
  if (typeof submitted === 'string' && !options.some((o) => o.value === submitted)) {
    options.push({ value: submitted, label: submitted })
  }
  return options
}

/** The job's fields (a draft): create and edit. */
export function JobForm(props: {
  job?: JobValues
  materials: MaterialOption[]
  lastResult?: SubmissionResult<string[]> | null
  submitLabel: string
  defaultTown: string
  defaultDeadline: string
}) {
  const t = useT()
  const locale = useLocale()
  const [form, fields] = useForm<z.output<typeof JobFormSchema>>({
    id: 'job',
    lastResult: props.lastResult,
    defaultValue: defaultsFrom(props.job, props.defaultTown, props.defaultDeadline),
    constraint: getZodConstraint(JobFormSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: JobFormSchema }),
  })
  const { key: _p, ...processSelect } = getSelectProps(fields.process)
  const { key: _m, ...materialSelect } = getSelectProps(fields.material)
  const { key: _t, ...townSelect } = getSelectProps(fields.deliveryTown)
  const { key: _a, ...aqlSelect } = getSelectProps(fields.aql)
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="intent" value="save" />
      <ErrorList id={form.errorId} errors={form.errors} />
      <Field
        label={t('jobs.field.title')}
        hint={t('jobs.field.titleHint')}
        inputProps={getInputProps(fields.title, { type: 'text' })}
        errors={fields.title.errors}
      />
      <TextAreaField
        label={t('jobs.field.description')}
        hint={t('jobs.field.descriptionHint')}
        textareaProps={getTextareaProps(fields.description)}
        errors={fields.description.errors}
      />
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <SelectField
          label={t('jobs.field.process')}
          selectProps={processSelect}
          options={[
            { value: '', label: t('jobs.field.processSuggest') },
            ...processes.map((p) => ({ value: p.code, label: locale === 'en' ? p.en : p.zh })),
          ]}
          errors={fields.process.errors}
        />
        <SelectField
          label={t('jobs.field.material')}
          selectProps={materialSelect}
          options={[
            { value: '', label: t('jobs.field.materialSuggest') },
            ...props.materials.map((m) => ({
              value: m.code,
              label: locale === 'en' ? m.name_en : m.name_zh,
            })),
          ]}
          errors={fields.material.errors}
        />
      </div>
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <Field
          label={t('jobs.field.tolerance')}
          inputProps={decimalInput(getInputProps(fields.toleranceMm, { type: 'number' }))}
          errors={fields.toleranceMm.errors}
        />
        <Field
          label={t('jobs.field.thickness')}
          hint={t('jobs.field.thicknessHint')}
          inputProps={decimalInput(getInputProps(fields.thicknessMm, { type: 'number' }))}
          errors={fields.thicknessMm.errors}
        />
      </div>
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <Field
          label={t('jobs.field.finish')}
          hint={t('jobs.field.finishHint')}
          inputProps={getInputProps(fields.finish, { type: 'text' })}
          errors={fields.finish.errors}
        />
        <SelectField
          label={t('jobs.field.aql')}
          hint={t('jobs.field.aqlHint')}
          selectProps={aqlSelect}
          options={aqlOptions(fields.aql.initialValue)}
          errors={fields.aql.errors}
        />
      </div>
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <Field
          label={t('jobs.field.deadline')}
          inputProps={getInputProps(fields.deadline, { type: 'date' })}
          errors={fields.deadline.errors}
        />
        <Field
          label={t('jobs.field.budget')}
          hint={t('jobs.field.budgetHint')}
          inputProps={{ ...getInputProps(fields.budget, { type: 'text' }), inputMode: 'decimal' }}
          errors={fields.budget.errors}
        />
      </div>
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <SelectField
          label={t('jobs.field.deliveryTown')}
          selectProps={townSelect}
          options={towns.map((town) => ({
            value: town.code,
            label: locale === 'en' ? town.en : town.zh,
          }))}
          errors={fields.deliveryTown.errors}
        />
        <Field
          label={t('jobs.field.deliveryAddress')}
          inputProps={getInputProps(fields.deliveryAddress, { type: 'text' })}
          errors={fields.deliveryAddress.errors}
        />
      </div>
      <fieldset className="field" style={{ border: 0, padding: 0 }}>
        <legend style={{ fontWeight: 600 }}>{t('jobs.field.visibility')}</legend>
        {(['public', 'invited'] as const).map((v) => (
          <label key={v} style={{ display: 'flex', gap: '0.5rem', alignItems: 'baseline' }}>
            <input
              type="radio"
              name={fields.visibility.name}
              value={v}
              defaultChecked={fields.visibility.initialValue === v}
            />
            <span>{t(`jobs.visibility.${v}`)}</span>
          </label>
        ))}
        <ErrorList errors={fields.visibility.errors} />
      </fieldset>
      <div className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.5rem' }}>
        <input {...getInputProps(fields.needsSample, { type: 'checkbox' })} />
        <label htmlFor={fields.needsSample.id}>{t('jobs.field.needsSample')}</label>
      </div>
      <div className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.5rem' }}>
        <input {...getInputProps(fields.ndaRequired, { type: 'checkbox' })} />
        <label htmlFor={fields.ndaRequired.id}>{t('jobs.field.ndaRequired')}</label>
      </div>
      <button type="submit" className="primary">
        {props.submitLabel}
      </button>
    </Form>
  )
}
