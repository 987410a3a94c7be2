import { Form } from '@remix-run/react'
import { aqlValues, inspectionLevels } from '../models/aql.ts'
import { fenToYuanString } from '../models/money.ts'
import { MEASUREMENT_ROWS, type OrderAction } from '../models/order-lifecycle.ts'
import type { MessageKey } from '../locales/index.ts'
import { useT } from '../utils/i18n.ts'
import { CsrfInput } from './forms.tsx'
import { TableHead } from './table.tsx'

// One form per lifecycle action the viewer may take now (issue 7). Each posts the order's
// version, so a stale page is refused (409) instead of acting on an order that moved on.

export interface ActionFormContext {
  version: number
  quantity: number
  shippedQuantity: number
  totalFen: number
  sampleRound: number
  maxSampleRounds: number
  aql: number
  today: string
  attachments: { id: string; name: string }[]
  staff: { id: string; name: string; email: string }[]
  /** The refused submit of this action: what was typed and what was wrong. */
  failed?: { values: Record<string, string>; fieldErrors: Record<string, string>; message: string }
}

function Field({
  name,
  id = `oa-${name}`,
  label,
  ctx,
  children,
  hint,
}: {
  name: string
  /** Unique on the page: set it when another form shown at the same time has this name. */
  id?: string
  label: string
  ctx: ActionFormContext
  children: React.ReactNode
  hint?: string
}) {
  const error = ctx.failed?.fieldErrors[name]
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
      {error ? (
        <span id={`${id}-error`} className="field-errors" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  )
}

interface ControlProps {
  name: string
  /** Unique on the page: set it when another form shown at the same time has this name. */
  id?: string
  ctx: ActionFormContext
  /** The value shown when nothing was typed yet (a refused submit shows what was). */
  fallback?: string
}

/** A control's attributes: its id and name, what was typed before a refusal, its error. */
function controlAttributes<Rest>({
  name,
  id = `oa-${name}`,
  ctx,
  fallback = '',
  ...rest
}: ControlProps & Rest) {
  const error = ctx.failed?.fieldErrors[name]
  return {
    id,
    name,
    defaultValue: ctx.failed?.values[name] ?? fallback,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    ...rest,
  }
}

function Input(props: ControlProps & React.InputHTMLAttributes<HTMLInputElement>) {
  return <input {...controlAttributes(props)} />
}

function TextArea(props: ControlProps & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea rows={3} {...controlAttributes(props)} />
}

function Attachments({ ctx }: { ctx: ActionFormContext }) {
  const t = useT()
  if (!ctx.attachments.length) return <p className="hint">{t('orders.form.noAttachments')}</p>
  return (
    <fieldset className="field">
      <legend>{t('orders.form.attach')}</legend>
      {ctx.attachments.map((a) => (
        <label key={a.id}>
          <input type="checkbox" name="attachment" value={a.id} /> {a.name}
        </label>
      ))}
    </fieldset>
  )
}

export function OrderActionForm({ action, ctx }: { action: OrderAction; ctx: ActionFormContext }) {
  const t = useT()
  const submit = (label: string, danger = false) => (
    <button
      type="submit"
      name="intent"
      value={action}
      className={danger ? 'secondary danger' : 'primary'}
    >
      {label}
    </button>
  )
  const body = (() => {
    switch (action) {
      case 'report_transfer':
        return (
          <>
            <Field name="payerName" label={t('orders.form.payerName')} ctx={ctx}>
              <Input name="payerName" ctx={ctx} required maxLength={120} />
            </Field>
            <Field name="transferredOn" label={t('orders.form.transferredOn')} ctx={ctx}>
              <Input name="transferredOn" ctx={ctx} type="date" fallback={ctx.today} required />
            </Field>
            <Field name="note" label={t('orders.form.note')} ctx={ctx}>
              <Input name="note" ctx={ctx} maxLength={500} />
            </Field>
            {submit(t('orders.action.report_transfer'))}
          </>
        )
      case 'confirm_payment':
        return (
          <>
            <Field name="bankReference" label={t('orders.form.bankReference')} ctx={ctx}>
              <Input name="bankReference" ctx={ctx} required maxLength={120} />
            </Field>
            <Field
              name="amount"
              label={t('orders.form.amountReceived')}
              ctx={ctx}
              hint={t('orders.form.amountHint')}
            >
              <Input
                name="amount"
                ctx={ctx}
                inputMode="decimal"
                fallback={fenToYuanString(ctx.totalFen)}
                required
              />
            </Field>
            {submit(t('orders.action.confirm_payment'))}
          </>
        )
      case 'cancel':
      case 'request_cancellation':
        return (
          <>
            <Field name="reason" label={t('orders.form.reason')} ctx={ctx}>
              <Input name="reason" ctx={ctx} required maxLength={500} />
            </Field>
            {submit(t(`orders.action.${action}`), true)}
          </>
        )
      case 'ship_sample':
      case 'ship_batch':
        return (
          <>
            <Field name="carrier" label={t('orders.form.carrier')} ctx={ctx}>
              <Input name="carrier" ctx={ctx} required maxLength={60} list="carriers" />
            </Field>
            <datalist id="carriers">
              {['顺丰速运', '京东物流', '德邦快递', '中通快递', '自送'].map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <Field name="trackingNumber" label={t('orders.form.trackingNumber')} ctx={ctx}>
              <Input name="trackingNumber" ctx={ctx} required maxLength={60} />
            </Field>
            <Field
              name="quantity"
              label={t('orders.form.quantity')}
              ctx={ctx}
              hint={
                action === 'ship_batch'
                  ? t('orders.form.quantityLeft', { n: ctx.quantity - ctx.shippedQuantity })
                  : undefined
              }
            >
              <Input
                name="quantity"
                ctx={ctx}
                inputMode="numeric"
                fallback={
                  action === 'ship_batch' ? String(ctx.quantity - ctx.shippedQuantity) : '1'
                }
                required
              />
            </Field>
            <Field name="note" label={t('orders.form.note')} ctx={ctx}>
              <Input name="note" ctx={ctx} maxLength={1000} />
            </Field>
            <Attachments ctx={ctx} />
            {submit(t(`orders.action.${action}`))}
          </>
        )
      case 'approve_sample':
        return (
          <>
            {/* Shown beside the rejection's `feedback`: its own id keeps each label on its field. */}
            <Field
              name="feedback"
              id="oa-approve-feedback"
              label={t('orders.form.feedbackOptional')}
              ctx={ctx}
            >
              <Input name="feedback" id="oa-approve-feedback" ctx={ctx} maxLength={2000} />
            </Field>
            {submit(t('orders.action.approve_sample'))}
          </>
        )
      case 'reject_sample':
        return (
          <>
            <p className="hint">
              {ctx.sampleRound >= ctx.maxSampleRounds
                ? t('orders.form.lastRound', { max: ctx.maxSampleRounds })
                : t('orders.form.roundOf', { round: ctx.sampleRound, max: ctx.maxSampleRounds })}
            </p>
            <Field name="feedback" label={t('orders.form.feedback')} ctx={ctx}>
              <TextArea name="feedback" ctx={ctx} required maxLength={2000} />
            </Field>
            <Attachments ctx={ctx} />
            {submit(t('orders.action.reject_sample'), true)}
          </>
        )
      case 'record_inspection':
        return <InspectionFields ctx={ctx} submit={submit(t('orders.action.record_inspection'))} />
      case 'assign_inspector':
        return (
          <>
            <Field name="userId" label={t('orders.form.inspector')} ctx={ctx}>
              <select id="oa-userId" name="userId" defaultValue={ctx.failed?.values.userId}>
                {ctx.staff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} · {s.email}
                  </option>
                ))}
              </select>
            </Field>
            {submit(t('orders.action.assign_inspector'))}
          </>
        )
      case 'add_evidence':
        return (
          <>
            <Field name="note" label={t('orders.form.evidence')} ctx={ctx}>
              <TextArea name="note" ctx={ctx} required maxLength={5000} />
            </Field>
            <Attachments ctx={ctx} />
            {submit(t('orders.action.add_evidence'))}
          </>
        )
      case 'resolve_dispute':
        return (
          <>
            <fieldset className="field">
              <legend>{t('orders.form.resolution')}</legend>
              {(['rework', 'partial_refund', 'full_refund'] as const).map((r) => (
                <label key={r}>
                  <input
                    type="radio"
                    name="resolution"
                    value={r}
                    required
                    defaultChecked={ctx.failed?.values.resolution === r}
                  />{' '}
                  {t(`orders.resolution.${r}`)}
                </label>
              ))}
            </fieldset>
            <Field
              name="refund"
              label={t('orders.form.refund')}
              ctx={ctx}
              hint={t('orders.form.refundHint')}
            >
              <Input name="refund" ctx={ctx} inputMode="decimal" />
            </Field>
            <Field name="note" label={t('orders.form.decision')} ctx={ctx}>
              <TextArea name="note" ctx={ctx} required maxLength={5000} />
            </Field>
            {submit(t('orders.action.resolve_dispute'))}
          </>
        )
      case 'confirm_delivery':
      case 'start_inspection':
        return submit(t(`orders.action.${action}`))
      case 'auto_confirm_delivery':
      case 'auto_accept':
        return null
    }
  })()
  if (!body) return null
  return (
    <Form method="post" className="stack order-action" aria-label={t(`orders.action.${action}`)}>
      <h3>{t(`orders.action.${action}` as MessageKey)}</h3>
      <CsrfInput />
      <input type="hidden" name="version" value={ctx.version} />
      {ctx.failed ? (
        <p className="field-errors" role="alert">
          {ctx.failed.message}
        </p>
      ) : null}
      {body}
    </Form>
  )
}

function InspectionFields({ ctx, submit }: { ctx: ActionFormContext; submit: React.ReactNode }) {
  const t = useT()
  const v = ctx.failed?.values ?? {}
  const cell = (name: string, label: string, mode: 'decimal' | 'text' = 'decimal') => (
    <td>
      <input
        name={name}
        aria-label={label}
        inputMode={mode === 'decimal' ? 'decimal' : undefined}
        defaultValue={v[name] ?? ''}
        aria-invalid={ctx.failed?.fieldErrors[name] ? true : undefined}
        size={mode === 'text' ? 14 : 6}
      />
      {ctx.failed?.fieldErrors[name] ? (
        <span className="field-errors" role="alert">
          {ctx.failed.fieldErrors[name]}
        </span>
      ) : null}
    </td>
  )
  return (
    <>
      <p className="hint">{t('orders.inspection.lead', { lot: ctx.quantity })}</p>
      <div className="grid">
        <Field name="aql" label={t('orders.form.aql')} ctx={ctx}>
          <select id="oa-aql" name="aql" defaultValue={v.aql ?? String(ctx.aql)}>
            {aqlValues.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <Field name="level" label={t('orders.form.level')} ctx={ctx}>
          <select id="oa-level" name="level" defaultValue={v.level ?? 'II'}>
            {inspectionLevels.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="table-scroll">
        <table className="measurements">
          <caption>{t('orders.inspection.measurements')}</caption>
          <TableHead
            columns={[
              t('orders.inspection.feature'),
              t('orders.inspection.nominal'),
              t('orders.inspection.tolMinus'),
              t('orders.inspection.tolPlus'),
              t('orders.inspection.measured'),
            ]}
          />
          <tbody>
            {Array.from({ length: MEASUREMENT_ROWS }, (_, i) => (
              <tr key={i}>
                {cell(`m${i}.feature`, `${t('orders.inspection.feature')} ${i + 1}`, 'text')}
                {cell(`m${i}.nominal`, `${t('orders.inspection.nominal')} ${i + 1}`)}
                {cell(`m${i}.tolMinus`, `${t('orders.inspection.tolMinus')} ${i + 1}`)}
                {cell(`m${i}.tolPlus`, `${t('orders.inspection.tolPlus')} ${i + 1}`)}
                {cell(`m${i}.measured`, `${t('orders.inspection.measured')} ${i + 1}`, 'text')}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t('orders.inspection.measuredHint')}</p>
      <Field
        name="defectsFound"
        label={t('orders.form.defectsFound')}
        ctx={ctx}
        hint={t('orders.form.defectsHint')}
      >
        <Input name="defectsFound" ctx={ctx} inputMode="numeric" required fallback="0" />
      </Field>
      <Field name="notes" label={t('orders.form.notes')} ctx={ctx}>
        <TextArea name="notes" ctx={ctx} maxLength={5000} />
      </Field>
      <Attachments ctx={ctx} />
      {submit}
    </>
  )
}
