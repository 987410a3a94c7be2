import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

export interface JobMatchedProps {
  name: string
  firm: string
  job: string
  ndaRequired: boolean
  url: string
}

export function jobMatchedSubject(locale: Locale, props: JobMatchedProps) {
  return translate(locale, 'email.jobMatched.subject', { firm: props.firm, job: props.job })
}

export function JobMatchedEmail(props: JobMatchedProps & { locale: Locale }) {
  const { locale } = props
  return (
    <EmailLayout locale={locale} preview={jobMatchedSubject(locale, props)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: props.name })}</Text>
      <Text>
        {translate(locale, 'email.jobMatched.body', { firm: props.firm, job: props.job })}
      </Text>
      {props.ndaRequired ? <Text>{translate(locale, 'email.jobInvite.nda')}</Text> : null}
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.jobMatched.button')}
      </Button>
    </EmailLayout>
  )
}
