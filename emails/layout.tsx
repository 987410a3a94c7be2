import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components'
import type { ReactNode } from 'react'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'

export function EmailLayout(props: { locale: Locale; preview: string; children: ReactNode }) {
  return (
    <Html lang={props.locale}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={{ backgroundColor: '#f4f5f7', fontFamily: 'system-ui, sans-serif' }}>
        <Container style={{ backgroundColor: '#ffffff', padding: '24px', maxWidth: '560px' }}>
          <Text style={{ fontSize: '18px', fontWeight: 700, color: '#0b5c4d' }}>
            {translate(props.locale, 'app.name')}
          </Text>
          <Section>{props.children}</Section>
          <Hr />
          <Text style={{ fontSize: '12px', color: '#6b7280' }}>
            {translate(props.locale, 'email.footer')}
          </Text>
        </Container>
      </Body>
    </Html>
  )
}

export const buttonStyle = {
  backgroundColor: '#0b5c4d',
  color: '#ffffff',
  padding: '10px 18px',
  borderRadius: '6px',
  textDecoration: 'none',
  display: 'inline-block',
}
