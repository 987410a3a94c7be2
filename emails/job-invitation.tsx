import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

export interface JobInvitationProps {
  name: string
  firm: string
  job: string
  ndaRequired: boolean
  url: string
}

export function jobInvitationSubject(locale: Locale, props: JobInvitationProps) {
  return translate(locale, 'email.jobInvite.subject', { firm: props.firm, job: props.job })
}

export function JobInvitationEmail(props: JobInvitationProps & { locale: Locale }) {
  const { locale } = props
  return (
    <EmailLayout locale={locale} preview={jobInvitationSubject(locale, props)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: props.name })}</Text>
      <Text>{translate(locale, 'email.jobInvite.body', { firm: props.firm, job: props.job })}</Text>
      {props.ndaRequired ? <Text>{translate(locale, 'email.jobInvite.nda')}</Text> : null}
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.jobInvite.button')}
      </Button>
    </EmailLayout>
  )
}
