import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { getPublicWorkshop } from '../models/workshop.server.ts'
import { workshopReviews } from '../models/review.server.ts'
import { listMaterials } from '../models/material.server.ts'
import { processName } from '../models/processes.ts'
import { certifications, clusters, labelOf } from '../models/taxonomy.ts'
import { townName } from '../models/towns.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { WorkshopReviewList } from '../components/order-review.tsx'
import { formatDate } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { makeAndModel } from '../utils/machine.ts'

// The public page of a workshop: who they are, where, what they can make and how much
// idle capacity they offer. Anyone may see it; certificate files stay private (only the
// certification names show), photos are public.
export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = z.uuid().safeParse(params.workshopId)
  if (!id.success) throw new Response('Not found', { status: 404 })
  const found = await getPublicWorkshop(context.db, id.data)
  if (!found) throw new Response('Not found', { status: 404 })
  const materials = (await listMaterials(context.db, { includeInactive: true })).map((m) => ({
    code: m.code,
    zh: m.name_zh,
    en: m.name_en,
  }))
  const reviews = await workshopReviews(context.db, id.data, 5)
  return { ...found, materials, reviews }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.workshop.name} · 共享工厂` : '共享工厂' },
]

export default function WorkshopPage() {
  const t = useT()
  const locale = useLocale()
  const { workshop, resources, photos, materials, reviews } = useLoaderData<typeof loader>()
  return (
    <>
      <p>
        <Link to="/capabilities">← {t('nav.capabilities')}</Link>
      </p>
      <h1>
        {workshop.name}{' '}
        <span className={workshop.verified ? 'badge ok' : 'badge'}>
          {workshop.verified ? t('search.verified') : t('search.unverified')}
        </span>
      </h1>
      <p className="muted">
        {townName(workshop.town, locale)}
        {workshop.address ? ` · ${workshop.address}` : ''}
        {workshop.rating !== null
          ? ` · ${t('search.rating', { r: workshop.rating.toFixed(1) })}`
          : ''}
      </p>
      {workshop.verified && workshop.verified_at ? (
        <p className="muted">
          {t('workshopPage.verifiedSince', {
            date: formatDate(locale, workshop.verified_at),
          })}
        </p>
      ) : null}
      {workshop.description ? (
        <p style={{ whiteSpace: 'pre-wrap' }}>{workshop.description}</p>
      ) : null}

      {workshop.clusters.length > 0 ? (
        <section aria-labelledby="clusters">
          <h2 id="clusters">{t('workshopPage.clusters')}</h2>
          <p>{workshop.clusters.map((c) => labelOf(clusters, c, locale)).join('、')}</p>
        </section>
      ) : null}
      {workshop.certifications.length > 0 ? (
        <section aria-labelledby="certifications">
          <h2 id="certifications">{t('workshopPage.certifications')}</h2>
          <ul>
            {workshop.certifications.map((c) => (
              <li key={c}>{labelOf(certifications, c, locale)}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="resources">
        <h2 id="resources">{t('workshopPage.resources')}</h2>
        {resources.length === 0 ? (
          <p className="empty">{t('workshopPage.noResources')}</p>
        ) : (
          <ol className="hits">
            {resources.map((r) => (
              <li key={r.id} className="card hit">
                <h3>
                  {r.name} <span className="muted">{makeAndModel(r)}</span>
                </h3>
                <p>
                  <strong>{processName(r.process, locale)}</strong> ·{' '}
                  {r.materials.map((m) => labelOf(materials, m, locale)).join('、')}
                </p>
                <p className="muted">
                  {t('search.envelope', {
                    x: r.envelope_x_mm,
                    y: r.envelope_y_mm,
                    z: r.envelope_z_mm,
                  })}{' '}
                  · {t('search.tolerance', { t: r.tolerance_mm })} ·{' '}
                  {t('search.idle', { h: r.idle_hours_4w })}
                  {r.finishes.length > 0 ? ` · ${r.finishes.join('、')}` : ''}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      {photos.length > 0 ? (
        <section aria-labelledby="photos">
          <h2 id="photos">{t('workshopPage.photos')}</h2>
          <ul className="photo-grid">
            {photos.map((p) => (
              <li key={p.id}>
                <img src={`/files/${p.id}`} alt={p.original_name} loading="lazy" />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <WorkshopReviewList {...reviews} />
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
