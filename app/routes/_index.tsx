import { Link, useRouteLoaderData } from '@remix-run/react'
import { useT } from '../utils/i18n.ts'
import type { RootData } from '../root.tsx'

export default function HomePage() {
  const t = useT()
  const root = useRouteLoaderData<RootData>('root')
  return (
    <>
      <section className="hero">
        <h1>{t('home.heading')}</h1>
        <p>{t('home.lead')}</p>
        <h2>{t('home.steps')}</h2>
        <ol className="steps">
          <li>{t('home.step.quote')}</li>
          <li>{t('home.step.sample')}</li>
          <li>{t('home.step.deliver')}</li>
          <li>{t('home.step.inspect')}</li>
        </ol>
        {root?.account ? (
          <Link className="button" to={root.account.dashboard}>
            {t('nav.dashboard')}
          </Link>
        ) : (
          <Link className="button" to="/signup">
            {t('home.cta')}
          </Link>
        )}
      </section>
      <div className="grid">
        <section className="card">
          <h2>{t('home.forDesigners')}</h2>
          <p>{t('home.forDesignersText')}</p>
        </section>
        <section className="card">
          <h2>{t('home.forWorkshops')}</h2>
          <p>{t('home.forWorkshopsText')}</p>
        </section>
      </div>
    </>
  )
}
