import { Form, Link } from '@remix-run/react'
import type { PartView } from '../utils/part-view.server.ts'
import type { MessageKey } from '../locales/index.ts'
import { CsrfInput } from './forms.tsx'
import { formatBytes } from './resource-form.tsx'
import { useLocale, useT } from '../utils/i18n.ts'

function useNumber() {
  const locale = useLocale()
  return (n: number, digits = 2) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(n)
}

/** One CAD part: thumbnail, figures as soon as they are ready, and the owner's controls. */
export function PartAnalysis(props: {
  jobId: string
  part: PartView
  quantity: number
  editable: boolean
}) {
  const t = useT()
  const locale = useLocale()
  const num = useNumber()
  const { part } = props
  const a = part.analysis
  const errorKey = `cad.error.${part.errorCode ?? 'internal'}` as MessageKey
  const errorText = t(errorKey) === errorKey ? (part.error ?? '') : t(errorKey)
  return (
    <article className="part-card" aria-label={part.name}>
      <div className="part-thumb">
        {part.hasThumbnail ? (
          <img src={`/cad/${part.id}/thumbnail.png`} alt="" width={128} height={128} />
        ) : (
          <div className="thumb-placeholder" aria-hidden="true" />
        )}
      </div>
      <div className="part-body">
        <h3>
          {part.status === 'done' ? (
            <Link to={`/jobs/${props.jobId}/parts/${part.id}`}>{part.name}</Link>
          ) : (
            part.name
          )}{' '}
          <span className="muted">
            {part.format.toUpperCase()} · {formatBytes(part.sizeBytes, locale)}
          </span>
        </h3>
        {part.status === 'pending' ? (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> {t('cad.analysing')}{' '}
            <noscript>
              <Link to={`/jobs/${props.jobId}#parts`}>{t('cad.refresh')}</Link>
            </noscript>
          </p>
        ) : null}
        {part.status === 'failed' ? (
          <p className="field-errors" role="alert">
            {t('cad.failed')} {errorText}
          </p>
        ) : null}
        {a?.kind === 'mesh' ? (
          <dl className="facts compact">
            <dt>{t('cad.bbox')}</dt>
            <dd>{a.bboxMm.map((v) => num(v)).join(' × ')} mm</dd>
            <dt>{t('cad.volume')}</dt>
            <dd>
              {num(a.volumeMm3, 1)} mm³ ({num(a.volumeMm3 / 1000)} cm³)
              {a.watertight ? '' : ` · ${t('cad.volumeUnreliable')}`}
            </dd>
            <dt>{t('cad.area')}</dt>
            <dd>{num(a.surfaceAreaMm2, 1)} mm²</dd>
            <dt>{t('cad.triangles')}</dt>
            <dd>{num(a.triangles, 0)}</dd>
            <dt>{t('cad.watertight')}</dt>
            <dd>{a.watertight ? t('jobs.yes') : t('cad.notWatertight')}</dd>
          </dl>
        ) : null}
        {a?.kind === 'sheet' ? (
          <dl className="facts compact">
            <dt>{t('cad.extents')}</dt>
            <dd>{a.extentsMm.map((v) => num(v)).join(' × ')} mm</dd>
            <dt>{t('cad.cutLength')}</dt>
            <dd>{num(a.cutLengthMm, 1)} mm</dd>
            <dt>{t('cad.pierces')}</dt>
            <dd>{num(a.pierces, 0)}</dd>
          </dl>
        ) : null}
        {a?.warnings.length ? (
          <ul className="warnings">
            {a.warnings.map((w) => {
              const key = `cad.warning.${w.code}` as MessageKey
              return <li key={w.code}>{t(key) === key ? w.message : t(key)}</li>
            })}
          </ul>
        ) : null}
        <div className="actions">
          {props.editable ? (
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="fileId" value={part.id} />
              <label htmlFor={`qty-${part.id}`}>{t('jobs.part.quantity')}</label>
              <input
                id={`qty-${part.id}`}
                type="number"
                name="quantity"
                min={1}
                defaultValue={props.quantity}
                style={{ width: '6rem' }}
              />
              <button type="submit" name="intent" value="quantity">
                {t('jobs.part.setQuantity')}
              </button>
            </Form>
          ) : (
            <span>{t('jobs.part.quantityN', { n: props.quantity })}</span>
          )}
          {props.editable &&
          part.status === 'done' &&
          (part.maybeInches || part.units === 'inch') ? (
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="fileId" value={part.id} />
              <label htmlFor={`units-${part.id}`}>{t('cad.units')}</label>
              <select id={`units-${part.id}`} name="units" defaultValue={part.units}>
                <option value="mm">{t('cad.units.mm')}</option>
                <option value="inch">{t('cad.units.inch')}</option>
              </select>
              <button type="submit" name="intent" value="units">
                {t('cad.units.apply')}
              </button>
            </Form>
          ) : null}
          <a href={`/api/v1/files/${part.id}/download`}>{t('jobs.part.download')}</a>
          {props.editable ? (
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="fileId" value={part.id} />
              <button type="submit" name="intent" value="remove-part" className="link danger">
                {t('jobs.part.remove')}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
    </article>
  )
}
