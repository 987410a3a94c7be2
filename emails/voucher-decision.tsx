import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

// To a design firm's owners: its 服务券 application was approved or rejected, or an operator
// granted the programme directly (approved).

export interface VoucherDecisionProps {
  name: string
  firm: string
  program: string
  approved: boolean
  note: string
  url: string
}

export function voucherDecisionSubject(locale: Locale, props: VoucherDecisionProps) {
  return translate(
    locale,
    props.approved ? 'email.voucher.approvedSubject' : 'email.voucher.rejectedSubject',
    { program: props.program },
  )
}

export function VoucherDecisionEmail(props: VoucherDecisionProps & { locale: Locale }) {
  const { locale } = props
  const vars = { program: props.program, firm: props.firm }
  return (
    <EmailLayout locale={locale} preview={voucherDecisionSubject(locale, props)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: props.name })}</Text>
      <Text>
        {translate(
          locale,
          props.approved ? 'email.voucher.approvedBody' : 'email.voucher.rejectedBody',
          vars,
        )}
      </Text>
      {props.note ? (
        <Text>
          {translate(locale, 'email.voucher.note')}
          {props.note}
        </Text>
      ) : null}
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.voucher.button')}
      </Button>
    </EmailLayout>
  )
}
