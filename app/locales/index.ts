import type { Locale } from '../../db/schema.ts'
import { en as coreEn } from './en.ts'
import { zhCN as coreZh } from './zh-CN.ts'
import { workshopsEn } from './workshops.en.ts'
import { workshopsZh } from './workshops.zh-CN.ts'
import { capabilitiesEn } from './capabilities.en.ts'
import { capabilitiesZh } from './capabilities.zh-CN.ts'
import { jobsEn } from './jobs.en.ts'
import { jobsZh } from './jobs.zh-CN.ts'
import { quotesEn } from './quotes.en.ts'
import { quotesZh } from './quotes.zh-CN.ts'
import { ordersEn } from './orders.en.ts'
import { ordersZh } from './orders.zh-CN.ts'
import { reviewsEn } from './reviews.en.ts'
import { reviewsZh } from './reviews.zh-CN.ts'
import { messagesEn } from './messages.en.ts'
import { messagesZh } from './messages.zh-CN.ts'
import { paymentsEn } from './payments.en.ts'
import { paymentsZh } from './payments.zh-CN.ts'
import { payoutsEn } from './payouts.en.ts'
import { payoutsZh } from './payouts.zh-CN.ts'
import { vouchersEn } from './vouchers.en.ts'
import { vouchersZh } from './vouchers.zh-CN.ts'
import { insightsEn } from './insights.en.ts'
import { insightsZh } from './insights.zh-CN.ts'
import { operationsEn } from './operations.en.ts'
import { operationsZh } from './operations.zh-CN.ts'
import { metricsEn } from './metrics.en.ts'
import { metricsZh } from './metrics.zh-CN.ts'

// One dictionary per area, merged; each English file must match its zh-CN file's keys.
const zhCN = {
  ...coreZh,
  ...workshopsZh,
  ...capabilitiesZh,
  ...jobsZh,
  ...quotesZh,
  ...ordersZh,
  ...reviewsZh,
  ...messagesZh,
  ...paymentsZh,
  ...payoutsZh,
  ...vouchersZh,
  ...insightsZh,
  ...operationsZh,
  ...metricsZh,
}
const en = {
  ...coreEn,
  ...workshopsEn,
  ...capabilitiesEn,
  ...jobsEn,
  ...quotesEn,
  ...ordersEn,
  ...reviewsEn,
  ...messagesEn,
  ...paymentsEn,
  ...payoutsEn,
  ...vouchersEn,
  ...insightsEn,
  ...operationsEn,
  ...metricsEn,
}
export const dictionaries = { 'zh-CN': zhCN, en }

export type { Locale }
export type MessageKey = keyof typeof zhCN
export type Vars = Record<string, string | number>

export const locales = ['zh-CN', 'en'] as const satisfies readonly Locale[]
export const defaultLocale: Locale = 'zh-CN'
export const LOCALE_COOKIE = 'lang'

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en'
}

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const template =
    (dictionaries[locale] as Record<MessageKey, string>)[key] ??
    dictionaries[defaultLocale][key] ??
    key
  if (!vars) return template
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  )
}

/** Picks the first of `Accept-Language`'s languages (by q) that we speak. */
export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.find((p) => p.trim().startsWith('q='))
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1, index }
    })
    .filter((l) => l.tag && !Number.isNaN(l.q) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return undefined
}

/** The cookie wins, then the user's saved choice, then the browser, then zh-CN. */
export function negotiateLocale(input: {
  cookie?: string | null
  user?: Locale | null
  acceptLanguage?: string | null
}): Locale {
  if (isLocale(input.cookie)) return input.cookie
  if (input.user) return input.user
  return localeFromAcceptLanguage(input.acceptLanguage ?? null) ?? defaultLocale
}

export function formatDateTime(locale: Locale, date: Date | string, timeZone = 'Asia/Shanghai') {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(date))
}

/** A calendar date in Asia/Shanghai (or `timeZone`), without the time. */
export function formatDate(locale: Locale, date: Date | string, timeZone = 'Asia/Shanghai') {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(date))
}
