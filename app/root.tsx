import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import styles from './styles/app.css?url'
import { getAuth, dashboardPath } from './utils/auth.server.ts'
import { readCookies } from './utils/cookies.server.ts'
import { LOCALE_COOKIE, negotiateLocale, translate } from './locales/index.ts'
import { CsrfInput } from './components/forms.tsx'
import { unreadCounts } from './models/message.server.ts'
import { GeneralErrorBoundary } from './components/error-boundary.tsx'
import { useT } from './utils/i18n.ts'
import { useNonce } from './utils/nonce.ts'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const locale = data?.locale ?? 'zh-CN'
  return [
    {
      title: `${translate(locale, 'app.name')} · ${locale === 'en' ? '共享工厂' : 'Shared Factory'}`,
    },
    { name: 'description', content: translate(locale, 'app.tagline') },
  ]
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context)
  const locale = negotiateLocale({
    cookie: readCookies(request.headers.get('cookie'))[LOCALE_COOKIE],
    user: auth?.account.user.locale,
    acceptLanguage: request.headers.get('accept-language'),
  })
  const account = auth
    ? {
        name: auth.account.user.name,
        email: auth.account.user.email,
        kind: auth.account.organization.kind,
        organizationName: auth.account.organization.name,
        role: auth.account.role,
        dashboard: dashboardPath(auth.account.organization.kind),
        // Unread messages in the account's order and job threads, for the badge on 订单.
        unread: (await unreadCounts(context.db, auth.account)).total,
      }
    : null
  return { locale, csrfToken: context.csrfToken, account, demoMode: context.settings.demoMode }
}

export type RootData = Awaited<ReturnType<typeof loader>>

function LanguageSwitch() {
  const t = useT()
  const location = useLocation()
  const data = useRouteLoaderData<RootData>('root')
  const current = data?.locale ?? 'zh-CN'
  return (
    <Form
      method="post"
      action="/language"
      className="language-switch"
      aria-label={t('nav.switchLanguage')}
    >
      <CsrfInput />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        name="locale"
        value="zh-CN"
        aria-pressed={current === 'zh-CN'}
        lang="zh-CN"
      >
        中文
      </button>
      <button type="submit" name="locale" value="en" aria-pressed={current === 'en'} lang="en">
        English
      </button>
    </Form>
  )
}

function Header() {
  const t = useT()
  const data = useRouteLoaderData<RootData>('root')
  const account = data?.account
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          厂
        </span>
        {t('app.name')}
      </Link>
      <nav aria-label={t('nav.main')}>
        <NavLink to="/capabilities">{t('nav.capabilities')}</NavLink>
        {account ? (
          <>
            <NavLink to={account.dashboard}>{t('nav.dashboard')}</NavLink>
            {account.kind === 'design_firm' ? <NavLink to="/jobs">{t('nav.jobs')}</NavLink> : null}
            {account.kind === 'workshop' ? (
              <NavLink to="/workshop/job-board">{t('nav.jobBoard')}</NavLink>
            ) : null}
            {account.kind === 'design_firm' ? (
              <NavLink to="/vouchers">{t('vouchers.nav')}</NavLink>
            ) : null}
            {account.kind === 'workshop' ? (
              <NavLink to="/workshop/payouts">{t('payouts.title')}</NavLink>
            ) : null}
            <NavLink to="/orders">
              {t('nav.orders')}
              {account.unread ? (
                <>
                  {' '}
                  <span className="badge unread" aria-hidden="true">
                    {account.unread}
                  </span>
                  <span className="visually-hidden">
                    {' '}
                    ({t('messages.unreadNav', { n: account.unread })})
                  </span>
                </>
              ) : null}
            </NavLink>
            <NavLink to="/settings">{t('nav.settings')}</NavLink>
            <span className="who">
              {account.name} · {account.organizationName || t(`kind.${account.kind}`)}
            </span>
            <Form method="post" action="/logout">
              <CsrfInput />
              <button type="submit" className="link-button">
                {t('nav.logout')}
              </button>
            </Form>
          </>
        ) : (
          <>
            <NavLink to="/login">{t('nav.login')}</NavLink>
            <NavLink to="/signup">{t('nav.signup')}</NavLink>
          </>
        )}
      </nav>
      {data ? <LanguageSwitch /> : null}
    </header>
  )
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<RootData>('root')
  const locale = data?.locale ?? 'zh-CN'
  const nonce = useNonce()
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {translate(locale, 'nav.skip')}
        </a>
        <Header />
        <main id="main">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
