import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

// Someone wrote in a thread (issue 7): who, about which order or job, the start of what they
// wrote, and the link to answer. Later messages in a burst are covered by this one email.

export interface MessageReceivedProps {
  name: string
  /** The writing organisation's name. */
  sender: string
  kind: 'order' | 'job'
  /** The order's number, or the job's title. */
  subject: string
  excerpt: string
  url: string
}

export function messageReceivedSubject(locale: Locale, props: MessageReceivedProps) {
  return translate(
    locale,
    props.kind === 'order' ? 'email.message.subjectOrder' : 'email.message.subjectJob',
    { sender: props.sender, subject: props.subject },
  )
}

export function MessageReceivedEmail(props: MessageReceivedProps & { locale: Locale }) {
  const { locale } = props
  return (
    <EmailLayout locale={locale} preview={messageReceivedSubject(locale, props)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: props.name })}</Text>
      <Text>{translate(locale, 'email.message.wrote', { sender: props.sender })}</Text>
      <Text style={{ whiteSpace: 'pre-wrap', borderLeft: '3px solid #ccc', paddingLeft: '12px' }}>
        {props.excerpt}
      </Text>
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.message.button')}
      </Button>
      <Text>{translate(locale, 'email.message.quiet')}</Text>
    </EmailLayout>
  )
}
