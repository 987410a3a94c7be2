import { Button, Text } from '@react-email/components'
import type { Locale } from '../db/schema.ts'
import { translate, type MessageKey } from '../app/locales/index.ts'
import { EmailLayout, buttonStyle } from './layout.tsx'

// An order moved (issue 7): what happened, where the order stands, and the link to act on it.

export interface OrderUpdateProps {
  name: string
  order: string
  job: string
  /** The lifecycle action taken (order-lifecycle.ts). */
  action: string
  /** The order's status after it. */
  status: string
  url: string
  /** Reminders: days left before the order moves on by itself. */
  days?: number
  /** Money sent (payouts, refunds), formatted in the recipient's locale. */
  amount?: string
}

export function orderUpdateSubject(locale: Locale, props: OrderUpdateProps) {
  return translate(locale, 'email.order.subject', {
    order: props.order,
    status: translate(locale, `orders.status.${props.status}` as MessageKey),
  })
}

export function OrderUpdateEmail(props: OrderUpdateProps & { locale: Locale }) {
  const { locale } = props
  return (
    <EmailLayout locale={locale} preview={orderUpdateSubject(locale, props)}>
      <Text>{translate(locale, 'email.reset.greeting', { name: props.name })}</Text>
      <Text>
        {translate(locale, `email.order.${props.action}` as MessageKey, {
          order: props.order,
          job: props.job,
          days: props.days ?? '',
          amount: props.amount ?? '',
        })}
      </Text>
      <Text>
        {translate(locale, 'email.order.status', {
          status: translate(locale, `orders.status.${props.status}` as MessageKey),
        })}
      </Text>
      <Button href={props.url} style={buttonStyle}>
        {translate(locale, 'email.order.button')}
      </Button>
    </EmailLayout>
  )
}
