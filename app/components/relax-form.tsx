import { Form } from '@remix-run/react'
import { useT } from '../utils/i18n.ts'
import { CsrfInput } from './forms.tsx'

/**
 * Loosen a job that matched nothing and match again: a looser tolerance (the best one the
 * platform saw is suggested), a later deadline, any material, any process.
 */
export function RelaxForm({
  job,
  bestTolerance,
  errors,
}: {
  job: { tolerance_mm: number; deadline: string; material: string | null; process: string | null }
  bestTolerance?: string
  errors?: string | null
}) {
  const t = useT()
  const suggested = bestTolerance ? Number.parseFloat(bestTolerance) : NaN
  return (
    <Form method="post" className="stack" aria-labelledby="relax-title">
      <h3 id="relax-title">{t('jobs.relax.title')}</h3>
      <p className="hint">{t('jobs.relax.lead')}</p>
      <CsrfInput />
      {errors ? (
        <p className="field-errors" role="alert">
          {errors}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="relax-tolerance">{t('jobs.relax.tolerance')}</label>
        <input
          id="relax-tolerance"
          name="toleranceMm"
          inputMode="decimal"
          defaultValue={String(Number.isFinite(suggested) ? suggested : job.tolerance_mm)}
        />
      </div>
      <div className="field">
        <label htmlFor="relax-deadline">{t('jobs.relax.deadline')}</label>
        <input id="relax-deadline" name="deadline" type="date" defaultValue={job.deadline} />
      </div>
      {job.material ? (
        <label>
          <input type="checkbox" name="anyMaterial" /> {t('jobs.relax.anyMaterial')}
        </label>
      ) : null}
      {job.process ? (
        <label>
          <input type="checkbox" name="anyProcess" /> {t('jobs.relax.anyProcess')}
        </label>
      ) : null}
      <button type="submit" name="intent" value="relax" className="primary">
        {t('jobs.relax.submit')}
      </button>
    </Form>
  )
}
