import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from '@remix-run/react'
import type { z } from 'zod'
import { fenToYuanString } from '../models/money.ts'
import { processes } from '../models/processes.ts'
import { clusters, labelOf } from '../models/taxonomy.ts'
import { ProgramFormSchema } from '../models/voucher.schema.ts'
import { CsrfInput, ErrorList, Field } from './forms.tsx'
import { CheckboxGroup } from './resource-form.tsx'
import { useLocale, useT } from '../utils/i18n.ts'

// The 服务券 programme form (console: create and edit): a percentage and yuan as people type
// them; ProgramFormSchema turns them into basis points and fen.

export interface ProgramFormValues {
  name: string
  share_bps: number
  annual_cap_fen: number
  budget_fen: number
  processes: string[]
  clusters: string[]
  valid_from: string
  valid_until: string
}

/** The form's text for a stored programme. */
export function programDefaults(p: ProgramFormValues) {
  return {
    name: p.name,
    share: String(p.share_bps / 100),
    annualCap: fenToYuanString(p.annual_cap_fen),
    budget: fenToYuanString(p.budget_fen),
    processes: p.processes,
    clusters: p.clusters,
    validFrom: p.valid_from,
    validUntil: p.valid_until,
  }
}

export function VoucherProgramForm(props: {
  id: string
  intent: string
  submitLabel: string
  lastResult?: SubmissionResult<string[]>
  defaultValue?: ReturnType<typeof programDefaults>
}) {
  const t = useT()
  const locale = useLocale()
  const [form, fields] = useForm<
    ReturnType<typeof programDefaults>,
    z.output<typeof ProgramFormSchema>
  >({
    id: props.id,
    lastResult: props.lastResult,
    defaultValue: props.defaultValue,
    constraint: getZodConstraint(ProgramFormSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProgramFormSchema }),
  })
  return (
    <Form method="post" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="intent" value={props.intent} />
      <ErrorList id={form.errorId} errors={form.errors} />
      <Field
        label={t('vouchers.field.name')}
        inputProps={getInputProps(fields.name, { type: 'text' })}
        errors={fields.name.errors}
      />
      <div className="grid" style={{ gap: '0 1.25rem' }}>
        <Field
          label={t('vouchers.field.share')}
          hint={t('vouchers.field.shareHint')}
          inputProps={{ ...getInputProps(fields.share, { type: 'text' }), inputMode: 'decimal' }}
          errors={fields.share.errors}
        />
        <Field
          label={t('vouchers.field.annualCap')}
          hint={t('vouchers.field.annualCapHint')}
          inputProps={{
            ...getInputProps(fields.annualCap, { type: 'text' }),
            inputMode: 'decimal',
          }}
          errors={fields.annualCap.errors}
        />
        <Field
          label={t('vouchers.field.budget')}
          hint={t('vouchers.field.budgetHint')}
          inputProps={{ ...getInputProps(fields.budget, { type: 'text' }), inputMode: 'decimal' }}
          errors={fields.budget.errors}
        />
        <Field
          label={t('vouchers.field.validFrom')}
          inputProps={getInputProps(fields.validFrom, { type: 'date' })}
          errors={fields.validFrom.errors}
        />
        <Field
          label={t('vouchers.field.validUntil')}
          inputProps={getInputProps(fields.validUntil, { type: 'date' })}
          errors={fields.validUntil.errors}
        />
      </div>
      <CheckboxGroup
        legend={`${t('vouchers.field.processes')} · ${t('vouchers.field.allIfNone')}`}
        field={fields.processes}
        options={processes.map((p) => ({ value: p.code, label: locale === 'en' ? p.en : p.zh }))}
        compact
      />
      <CheckboxGroup
        legend={`${t('vouchers.field.clusters')} · ${t('vouchers.field.allIfNone')}`}
        field={fields.clusters}
        options={clusters.map((c) => ({ value: c.code, label: labelOf(clusters, c.code, locale) }))}
        compact
      />
      <p>
        <button type="submit" className="primary">
          {props.submitLabel}
        </button>
      </p>
    </Form>
  )
}
