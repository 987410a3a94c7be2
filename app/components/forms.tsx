import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'
import { CSRF_FIELD_NAME } from '../utils/csrf.ts'
import { translateMessage, useRootData, useT } from '../utils/i18n.ts'

/** A number input for decimals (mm, tolerances): any step, the decimal keypad on phones. */
export function decimalInput(props: InputHTMLAttributes<HTMLInputElement>) {
  return { ...props, step: 'any', inputMode: 'decimal' as const }
}

/** The hidden CSRF field every POST form carries. */
export function CsrfInput() {
  const { csrfToken } = useRootData()
  return <input type="hidden" name={CSRF_FIELD_NAME} value={csrfToken} />
}

export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const t = useT()
  if (!errors?.length) return null
  return (
    <ul id={id} className="field-errors" role="alert">
      {errors.map((e) => (
        <li key={e}>{translateMessage(t, e)}</li>
      ))}
    </ul>
  )
}

export function Field(props: {
  label: ReactNode
  hint?: ReactNode
  inputProps: InputHTMLAttributes<HTMLInputElement>
  errors?: string[] | null
}) {
  const fallbackId = useId()
  const id = props.inputProps.id ?? fallbackId
  const errorId = props.errors?.length ? `${id}-error` : undefined
  const hintId = props.hint ? `${id}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        {...props.inputProps}
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

export function SelectField(props: {
  label: ReactNode
  hint?: ReactNode
  selectProps: SelectHTMLAttributes<HTMLSelectElement>
  options: { value: string; label: string }[]
  errors?: string[] | null
}) {
  const fallbackId = useId()
  const id = props.selectProps.id ?? fallbackId
  const errorId = props.errors?.length ? `${id}-error` : undefined
  const hintId = props.hint ? `${id}-hint` : undefined
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        {...props.selectProps}
        id={id}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <p id={hintId} className="hint">
          {props.hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={props.errors} />
    </div>
  )
}
