import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate, type MessageKey } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

// The quote and order notices of issue 6: one layout, the words per kind.

export interface QuoteReceivedProps {
  name: string
  workshop: string
  job: string
  total: string
  url: string
}
export interface QuoteAcceptedProps {
  name: string
  firm: string
  job: string
  order: string
  url: string
}
export interface QuoteDeclinedProps {
  name: string
  firm: string
  job: string
  url: string
}

export const quoteEmailKinds = {
  'quote-received': 'quoteReceived',
  'quote-accepted': 'quoteAccepted',
  'quote-declined': 'quoteDeclined',
} as const
export type QuoteEmailTemplate = keyof typeof quoteEmailKinds

type Props = QuoteReceivedProps | QuoteAcceptedProps | QuoteDeclinedProps

function key(template: QuoteEmailTemplate, part: 'subject' | 'body' | 'button') {
  return `email.${quoteEmailKinds[template]}.${part}` as MessageKey
}

export function quoteEmailSubject(template: QuoteEmailTemplate, locale: Locale, props: Props) {
  return translate(locale, key(template, 'subject'), { ...props })
}

export function QuoteEmail(props: Props & { template: QuoteEmailTemplate; locale: Locale }) {
  const { locale, template, ...values } = props
  return (
    <EmailLayout locale={locale} preview={quoteEmailSubject(template, locale, values)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: values.name })}</Text>
      <Text>{translate(locale, key(template, 'body'), { ...values })}</Text>
      <Button href={values.url} style={buttonStyle}>
        {translate(locale, key(template, 'button'))}
      </Button>
    </EmailLayout>
  )
}
