import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { listOwnResources } from '../models/resource.server.ts'
import { listMaterials } from '../models/material.server.ts'
import { processName } from '../models/processes.ts'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useLocale, useT } from '../utils/i18n.ts'
import { makeAndModel } from '../utils/machine.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const [resources, materials] = await Promise.all([
    listOwnResources(context.db, account.organization.id),
    listMaterials(context.db, { includeInactive: true }),
  ])
  return { resources, materials }
}

const mm = (n: number) => String(Number(n))

export default function ResourcesPage() {
  const t = useT()
  const locale = useLocale()
  const { resources, materials } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const materialName = (code: string) => {
    const m = materials.find((x) => x.code === code)
    return m ? (locale === 'en' ? m.name_en : m.name_zh) : code
  }
  return (
    <>
      <p>
        <Link to="/workshop">← {t('workshop.title')}</Link>
      </p>
      <h1>{t('resources.title')}</h1>
      {searchParams.get('deleted') ? (
        <p className="notice" role="status">
          {t('resources.deleted')}
        </p>
      ) : null}
      <p>
        <Link to="/workshop/resources/new" className="button">
          {t('resources.add')}
        </Link>
      </p>
      <section className="card">
        {resources.length === 0 ? (
          <p className="empty">{t('resources.empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('resources.name')}</th>
                <th scope="col">{t('resources.process')}</th>
                <th scope="col">{t('resources.materials')}</th>
                <th scope="col">{t('resources.envelope')}</th>
                <th scope="col">{t('resources.tolerance')}</th>
                <th scope="col">{t('resources.idle4w')}</th>
                <th scope="col">{t('resources.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => (
                <tr key={r.id}>
                  <td>
                    <strong>{r.name}</strong>
                    {r.make || r.model ? <div className="muted">{makeAndModel(r)}</div> : null}
                  </td>
                  <td>{processName(r.process, locale)}</td>
                  <td>{r.materials.map(materialName).join(locale === 'en' ? ', ' : '、')}</td>
                  <td>
                    {mm(r.envelope_x_mm)} × {mm(r.envelope_y_mm)} × {mm(r.envelope_z_mm)}
                  </td>
                  <td>±{mm(r.tolerance_mm)}</td>
                  <td>{t('resources.hours', { hours: r.idle_hours_4w })}</td>
                  <td>
                    <strong className={r.active ? 'badge ok' : 'badge'}>
                      {r.active ? t('resources.activeBadge') : t('resources.inactive')}
                    </strong>
                  </td>
                  <td>
                    <Link
                      to={`/workshop/resources/${r.id}`}
                      aria-label={`${t('resources.edit')} ${r.name}`}
                    >
                      {t('resources.edit')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
