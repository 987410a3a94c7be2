import { LOCALE_COOKIE, negotiateLocale, type Locale } from '../locales/index.ts'
import { readCookies } from './cookies.server.ts'

/** The request's display language, without looking up the user (cookie → browser → zh-CN). */
export function requestLocale(request: Request, userLocale?: Locale | null): Locale {
  return negotiateLocale({
    cookie: readCookies(request.headers.get('cookie'))[LOCALE_COOKIE],
    user: userLocale,
    acceptLanguage: request.headers.get('accept-language'),
  })
}
