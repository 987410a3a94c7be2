import { Form } from '@remix-run/react'
import { processName } from '../models/processes.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { CsrfInput } from './forms.tsx'

// A workshop's own quote on an open job (issue 6): a unit price per part, one-off charges,
// the sample, lead times and the machine hours it will book. Prices in yuan, platform fee
// included (the designer pays what is written here).

interface Props {
  parts: { fileId: string; quantity: number; label: string }[]
  machines: { id: string; name: string; process: string }[]
  needsSample: boolean
  values?: Record<string, string>
  errors?: Record<string, string>
}

export function ManualQuoteForm({ parts, machines, needsSample, values, errors }: Props) {
  const t = useT()
  const locale = useLocale()
  const field = (name: string, label: string, input: React.ReactNode, hint?: string) => (
    <div className="field" key={name}>
      <label htmlFor={`mq-${name}`}>{label}</label>
      {input}
      {hint ? <span className="hint">{hint}</span> : null}
      {errors?.[name] ? (
        <span id={`mq-${name}-error`} className="field-errors" role="alert">
          {errors[name]}
        </span>
      ) : null}
    </div>
  )
  const text = (name: string, mode: 'decimal' | 'numeric', fallback = '') => (
    <input
      id={`mq-${name}`}
      name={name}
      inputMode={mode}
      defaultValue={values?.[name] ?? fallback}
      aria-invalid={errors?.[name] ? true : undefined}
      aria-describedby={errors?.[name] ? `mq-${name}-error` : undefined}
    />
  )
  return (
    <Form method="post" className="stack" aria-labelledby="manual-quote-title">
      <h3 id="manual-quote-title">{t('quotes.manualTitle')}</h3>
      <p className="hint">{t('quotes.manualLead')}</p>
      <CsrfInput />
      {field(
        'resourceId',
        t('quotes.machine'),
        <select
          id="mq-resourceId"
          name="resourceId"
          required
          defaultValue={values?.resourceId ?? machines[0]?.id}
        >
          {machines.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} · {processName(m.process, locale)}
            </option>
          ))}
        </select>,
      )}
      {parts.map((p) =>
        field(
          `unitPrice.${p.fileId}`,
          t('quotes.unitPriceFor', { part: p.label, n: p.quantity }),
          text(`unitPrice.${p.fileId}`, 'decimal'),
        ),
      )}
      {errors?.parts ? (
        <p className="field-errors" role="alert">
          {errors.parts}
        </p>
      ) : null}
      {field('setup', t('quotes.setupYuan'), text('setup', 'decimal', '0'), t('quotes.setupHint'))}
      {field(
        'samplePrice',
        t('quotes.samplePriceYuan'),
        text('samplePrice', 'decimal', needsSample ? '' : '0'),
      )}
      {field('sampleLeadDays', t('quotes.sampleLeadDays'), text('sampleLeadDays', 'numeric'))}
      {field('batchLeadDays', t('quotes.batchLeadDays'), text('batchLeadDays', 'numeric'))}
      {field(
        'machineHours',
        t('quotes.machineHours'),
        text('machineHours', 'decimal'),
        t('quotes.machineHoursHint'),
      )}
      <div className="field">
        <label htmlFor="mq-comment">{t('quotes.comment')}</label>
        <textarea
          id="mq-comment"
          name="comment"
          rows={2}
          maxLength={2000}
          defaultValue={values?.comment ?? ''}
        />
      </div>
      <button type="submit" name="intent" value="manual-quote" className="primary">
        {t('quotes.send')}
      </button>
    </Form>
  )
}
