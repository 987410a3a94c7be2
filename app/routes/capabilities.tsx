import { data, redirect, type LoaderFunctionArgs } from '@remix-run/node'
import {
  Form,
  Link,
  useLoaderData,
  useNavigation,
  useSearchParams,
  useSubmit,
} from '@remix-run/react'
import { useEffect, useRef } from 'react'
import {
  CapabilityParamsSchema,
  capabilityResponse,
  paramsFromSearch,
  toCapabilityQuery,
  type CapabilityResponse,
} from '../models/capability.server.ts'
import { DomainError } from '../models/errors.ts'
import { listMaterials } from '../models/material.server.ts'
import { processes } from '../models/processes.ts'
import { certifications, clusters } from '../models/taxonomy.ts'
import { towns } from '../models/towns.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { translate, type MessageKey } from '../locales/index.ts'
import { makeAndModel } from '../utils/machine.ts'

const emptyFacets = {
  process: {},
  material: {},
  town: {},
  cluster: {},
  certification: {},
  verified: {},
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const raw = paramsFromSearch(new URL(request.url).searchParams)
  const materials = (await listMaterials(context.db)).map((m) => ({
    code: m.code,
    zh: m.name_zh,
    en: m.name_en,
  }))
  const parsed = CapabilityParamsSchema.safeParse(raw)
  let result: CapabilityResponse = {
    hits: [],
    facets: emptyFacets,
    total: 0,
    page: 1,
    per_page: 20,
  }
  let error: string | null = null
  let status = 200
  // The API names parameters in English for developers; people get their language.
  const locale = requestLocale(request)
  const problem = (params: string[]) =>
    [...new Set(params)]
      .map((param) => {
        const key = `search.invalid.${param}` as MessageKey
        const text = translate(locale, key)
        return text === key ? translate(locale, 'search.invalid.other', { param }) : text
      })
      .join(locale === 'en' ? '; ' : '；')
  if (!parsed.success) {
    error = problem(parsed.error.issues.map((i) => String(i.path[0] ?? '')))
    status = 400
  } else {
    try {
      result = capabilityResponse(
        await context.search.search(await toCapabilityQuery(context.db, parsed.data)),
      )
    } catch (e) {
      if (!(e instanceof DomainError)) throw e
      error = problem([e.field ?? ''])
      status = 400
    }
    // Past the last page (a stale link, an edited URL): the last page that has results.
    const pages = Math.ceil(result.total / result.per_page)
    if (!error && pages > 0 && result.page > pages) {
      const url = new URL(request.url)
      url.searchParams.set('page', String(pages))
      throw redirect(`${url.pathname}${url.search}`)
    }
  }
  return data({ result, error, materials }, { status })
}

type Option = { code: string; zh: string; en: string }

function FacetGroup(props: {
  name: string
  legend: string
  options: readonly Option[]
  counts: Record<string, number>
  selected: string[]
}) {
  const locale = useLocale()
  // Values with hits, plus whatever is selected (so it can be unticked).
  const shown = props.options.filter(
    (o) => (props.counts[o.code] ?? 0) > 0 || props.selected.includes(o.code),
  )
  if (shown.length === 0) return null
  return (
    <fieldset className="facet">
      <legend>{props.legend}</legend>
      {shown.map((o) => (
        <label key={o.code}>
          <input
            type="checkbox"
            name={props.name}
            value={o.code}
            defaultChecked={props.selected.includes(o.code)}
          />{' '}
          {locale === 'en' ? o.en : o.zh}{' '}
          <span className="muted">({props.counts[o.code] ?? 0})</span>
        </label>
      ))}
    </fieldset>
  )
}

export default function CapabilitiesPage() {
  const t = useT()
  const locale = useLocale()
  const { result, error, materials } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const submit = useSubmit()
  const formRef = useRef<HTMLFormElement>(null)
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])

  // With JS the results follow the form as you type (debounced); without it, the buttons submit.
  const onChange = (event: React.FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      const params = new URLSearchParams()
      for (const [key, value] of new FormData(form))
        if (key !== 'page' && value !== '') params.append(key, String(value))
      submit(params, { method: 'get', replace: true, preventScrollReset: true })
    }, 250)
  }

  const selected = (key: string) => searchParams.getAll(key).flatMap((v) => v.split(','))
  const value = (key: string) => searchParams.get(key) ?? ''
  const pages = Math.max(1, Math.ceil(result.total / result.per_page))
  const label = (list: readonly Option[], code: string) => {
    const item = list.find((o) => o.code === code)
    return item ? (locale === 'en' ? item.en : item.zh) : code
  }
  const townOptions = towns.map((town) => ({ code: town.code, zh: town.zh, en: town.en }))
  const pageLink = (page: number) => {
    const next = new URLSearchParams(searchParams)
    next.set('page', String(page))
    return `?${next}`
  }

  return (
    <>
      <h1>{t('search.title')}</h1>
      <p className="muted">{t('search.lead')}</p>
      <Form method="get" ref={formRef} onChange={onChange} className="search-layout" role="search">
        <div className="search-bar">
          <label htmlFor="q" className="visually-hidden">
            {t('search.q')}
          </label>
          <input
            id="q"
            type="search"
            name="q"
            defaultValue={value('q')}
            placeholder={t('search.qPlaceholder')}
            maxLength={200}
          />
          <button type="submit" className="primary">
            {t('search.submit')}
          </button>
        </div>
        <aside className="search-filters" aria-label={t('search.filters')}>
          <FacetGroup
            name="process"
            legend={t('search.facet.process')}
            options={processes}
            counts={result.facets.process}
            selected={selected('process')}
          />
          <FacetGroup
            name="material"
            legend={t('search.facet.material')}
            options={materials}
            counts={result.facets.material}
            selected={selected('material')}
          />
          <FacetGroup
            name="town"
            legend={t('search.facet.town')}
            options={townOptions}
            counts={result.facets.town}
            selected={selected('town')}
          />
          <FacetGroup
            name="cluster"
            legend={t('search.facet.cluster')}
            options={clusters}
            counts={result.facets.cluster}
            selected={selected('cluster')}
          />
          <FacetGroup
            name="certification"
            legend={t('search.facet.certification')}
            options={certifications}
            counts={result.facets.certification}
            selected={selected('certification')}
          />
          <div className="field">
            <label htmlFor="verified">{t('search.facet.verified')}</label>
            <select id="verified" name="verified" defaultValue={value('verified')}>
              <option value="">
                {t('search.any')} (
                {(result.facets.verified.true ?? 0) + (result.facets.verified.false ?? 0)})
              </option>
              <option value="true">
                {t('search.verifiedOnly')} ({result.facets.verified.true ?? 0})
              </option>
              <option value="false">
                {t('search.unverifiedOnly')} ({result.facets.verified.false ?? 0})
              </option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="min_envelope_mm">{t('search.minEnvelope')}</label>
            <input
              id="min_envelope_mm"
              name="min_envelope_mm"
              defaultValue={value('min_envelope_mm')}
              inputMode="decimal"
              aria-describedby="min_envelope_hint"
            />
            <p id="min_envelope_hint" className="hint">
              {t('search.minEnvelopeHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="max_tolerance_mm">{t('search.maxTolerance')}</label>
            <input
              id="max_tolerance_mm"
              name="max_tolerance_mm"
              type="number"
              step="any"
              min="0"
              defaultValue={value('max_tolerance_mm')}
            />
          </div>
          <div className="field">
            <label htmlFor="min_idle_hours">{t('search.minIdle')}</label>
            <input
              id="min_idle_hours"
              name="min_idle_hours"
              type="number"
              step="any"
              min="0"
              defaultValue={value('min_idle_hours')}
            />
          </div>
          <div className="field">
            <label htmlFor="sort">{t('search.sort')}</label>
            <select id="sort" name="sort" defaultValue={value('sort') || 'relevance'}>
              {(['relevance', 'rating', 'idle', 'distance'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`search.sort.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="near_town">{t('search.nearTown')}</label>
            <select id="near_town" name="near_town" defaultValue={value('near_town')}>
              <option value="">—</option>
              {towns.map((town) => (
                <option key={town.code} value={town.code}>
                  {locale === 'en' ? town.en : town.zh}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="radius_km">{t('search.radius')}</label>
            <input
              id="radius_km"
              name="radius_km"
              type="number"
              step="any"
              min="0"
              defaultValue={value('radius_km')}
            />
          </div>
          <button type="submit" className="secondary">
            {t('search.apply')}
          </button>{' '}
          <Link to="/capabilities">{t('search.reset')}</Link>
        </aside>
        <section
          className="search-results"
          aria-live="polite"
          aria-busy={navigation.state === 'loading'}
        >
          {error ? (
            <p className="alert" role="alert">
              {t('search.error', { message: error })}
            </p>
          ) : null}
          <p className="muted">{t('search.total', { total: result.total })}</p>
          {result.hits.length === 0 && !error ? <p className="empty">{t('search.none')}</p> : null}
          <ol className="hits">
            {result.hits.map((hit) => (
              <li key={hit.resource_id} className="card hit">
                <h2>
                  {hit.name} <span className="muted">{makeAndModel(hit)}</span>
                </h2>
                <p>
                  <Link to={`/workshops/${hit.workshop.id}`}>{hit.workshop.name}</Link> ·{' '}
                  {label(townOptions, hit.workshop.town)} ·{' '}
                  <span className={hit.workshop.verified ? 'badge ok' : 'badge'}>
                    {hit.workshop.verified ? t('search.verified') : t('search.unverified')}
                  </span>
                  {hit.workshop.rating !== null ? (
                    <> · {t('search.rating', { r: hit.workshop.rating.toFixed(1) })}</>
                  ) : null}
                  {hit.distance_km !== undefined ? (
                    <> · {t('search.distance', { km: hit.distance_km })}</>
                  ) : null}
                </p>
                <p>
                  <strong>{label(processes, hit.process)}</strong> ·{' '}
                  {hit.materials.map((m) => label(materials, m)).join('、')}
                </p>
                <p className="muted">
                  {t('search.envelope', {
                    x: hit.envelope_mm[0],
                    y: hit.envelope_mm[1],
                    z: hit.envelope_mm[2],
                  })}{' '}
                  · {t('search.tolerance', { t: hit.tolerance_mm })} ·{' '}
                  {t('search.idle', { h: hit.idle_hours_4w })}
                </p>
              </li>
            ))}
          </ol>
          {pages > 1 ? (
            <nav className="pager" aria-label={t('search.page', { page: result.page, pages })}>
              {result.page > 1 ? (
                <Link to={pageLink(result.page - 1)}>{t('search.prev')}</Link>
              ) : null}
              <span>{t('search.page', { page: result.page, pages })}</span>
              {result.page < pages ? (
                <Link to={pageLink(result.page + 1)}>{t('search.next')}</Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      </Form>
    </>
  )
}
