import { useRouteLoaderData } from '@remix-run/react'
import { useCallback } from 'react'
import { translate, type Locale, type MessageKey, type Vars } from '../locales/index.ts'
import type { RootData } from '../root.tsx'

export function useRootData(): RootData {
  const data = useRouteLoaderData<RootData>('root')
  if (!data) throw new Error('root loader data missing')
  return data
}

/** The current locale, or zh-CN when the root loader did not run (error pages). */
export function useLocale(): Locale {
  const data = useRouteLoaderData<RootData>('root')
  return data?.locale ?? 'zh-CN'
}

export type T = (key: MessageKey, vars?: Vars) => string

export function useT(): T {
  const locale = useLocale()
  return useCallback((key: MessageKey, vars?: Vars) => translate(locale, key, vars), [locale])
}

/** Translates a validation message that may be an i18n key (`error.*`). */
export function translateMessage(t: T, message: string): string {
  return message.startsWith('error.') ? t(message as MessageKey) : message
}
