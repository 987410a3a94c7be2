import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

export interface VerificationResultProps {
  name: string
  workshop: string
  approved: boolean
  reason: string
  url: string
}

export function verificationResultSubject(locale: Locale, props: VerificationResultProps) {
  return translate(
    locale,
    props.approved ? 'email.verify.approvedSubject' : 'email.verify.rejectedSubject',
    {
      workshop: props.workshop,
    },
  )
}

export function VerificationResultEmail(props: VerificationResultProps & { locale: Locale }) {
  const { locale } = props
  return (
    <EmailLayout locale={locale} preview={verificationResultSubject(locale, props)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: props.name })}</Text>
      <Text>
        {translate(
          locale,
          props.approved ? 'email.verify.approvedBody' : 'email.verify.rejectedBody',
          {
            workshop: props.workshop,
          },
        )}
      </Text>
      {props.reason ? (
        <Text>
          {translate(locale, 'email.verify.reason')}
          {props.reason}
        </Text>
      ) : null}
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.verify.button')}
      </Button>
    </EmailLayout>
  )
}
