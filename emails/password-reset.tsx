import { Button, Link, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

export interface PasswordResetProps {
  name: string
  url: string
  validMinutes: number
}

export function passwordResetSubject(locale: Locale) {
  return translate(locale, 'email.reset.subject')
}

export function PasswordResetEmail({
  locale,
  name,
  url,
  validMinutes,
}: PasswordResetProps & { locale: Locale }) {
  const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(locale, key, vars)
  return (
    <EmailLayout locale={locale} preview={t('email.reset.subject')}>
      <Text>{t('email.reset.greeting', { name })}</Text>
      <Text>{t('email.reset.body', { minutes: validMinutes })}</Text>
      <Button href={url} style={buttonStyle}>
        {t('email.reset.button')}
      </Button>
      <Text>
        <Link href={url}>{url}</Link>
      </Text>
      <Text>{t('email.reset.ignore')}</Text>
    </EmailLayout>
  )
}
