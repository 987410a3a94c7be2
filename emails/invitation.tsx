import { Button, Link, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

export interface InvitationProps {
  inviter: string
  organization: string
  role: 'owner' | 'member'
  url: string
  validDays: number
}

export function invitationSubject(locale: Locale, props: InvitationProps) {
  return translate(locale, 'email.invite.subject', {
    inviter: props.inviter,
    organization: props.organization,
  })
}

export function InvitationEmail(props: InvitationProps & { locale: Locale }) {
  const { locale } = props
  const role = translate(locale, props.role === 'owner' ? 'role.owner' : 'role.member')
  return (
    <EmailLayout locale={locale} preview={invitationSubject(locale, props)}>
      <Text>
        {translate(locale, 'email.invite.body', {
          inviter: props.inviter,
          organization: props.organization,
          role,
          days: props.validDays,
        })}
      </Text>
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.invite.button')}
      </Button>
      <Text>
        <Link href={props.url}>{props.url}</Link>
      </Text>
    </EmailLayout>
  )
}
