import { describe, expect, test } from 'vitest'
import {
  dictionaries,
  localeFromAcceptLanguage,
  negotiateLocale,
  translate,
} from '../../app/locales/index.ts'

const { 'zh-CN': zhCN, en } = dictionaries

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('dictionaries', () => {
  test('every zh-CN string has an English string with the same placeholders', () => {
    for (const [key, zh] of Object.entries(zhCN)) {
      const english = (en as Record<string, string>)[key]
      expect(english, key).toBeTruthy()
      expect(placeholders(english!), key).toEqual(placeholders(zh))
    }
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
  })

  test('English strings contain no Chinese except the language names', () => {
    for (const [key, value] of Object.entries(en)) {
      expect(/[\u4e00-\u9fff]/.test(value), key).toBe(false)
    }
  })

  test('translate fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'dashboard.welcome', { name: '陈工' })).toBe('你好，陈工')
    expect(translate('en', 'dashboard.welcome', { name: 'Chen' })).toBe('Hello, Chen')
    expect(translate('en', 'dashboard.welcome')).toBe('Hello, {name}')
  })
})

describe('choosing the language', () => {
  test('the cookie wins over the saved choice and the browser', () => {
    expect(negotiateLocale({ cookie: 'en', user: 'zh-CN', acceptLanguage: 'zh-CN' })).toBe('en')
  })
  test('an unknown cookie value falls through to the user, then the browser', () => {
    expect(negotiateLocale({ cookie: 'fr', user: 'en', acceptLanguage: 'zh' })).toBe('en')
    expect(negotiateLocale({ cookie: 'fr', acceptLanguage: 'en-GB,en;q=0.8' })).toBe('en')
  })
  test('zh-CN is the default', () => {
    expect(negotiateLocale({})).toBe('zh-CN')
    expect(negotiateLocale({ acceptLanguage: 'fr-FR,de;q=0.5' })).toBe('zh-CN')
  })
  test('Accept-Language is read by quality, not by position', () => {
    expect(localeFromAcceptLanguage('fr;q=1, en;q=0.5, zh-TW;q=0.9')).toBe('zh-CN')
    expect(localeFromAcceptLanguage('zh;q=0.1, en-US')).toBe('en')
    expect(localeFromAcceptLanguage('zh;q=0, en;q=0')).toBeUndefined()
  })
})
