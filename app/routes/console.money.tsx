import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import type { Db } from '../../db/client.ts'
import { DomainError, NotFoundError, statusForKind } from '../models/errors.ts'
import {
  BankReferenceSchema,
  markBankPayoutPaid,
  markBankRefundSent,
  moneyQueues,
  moneyReport,
  retryStripeRefund,
} from '../models/money-ops.server.ts'
import { formatFen } from '../models/money.ts'
import { orderQueues } from '../models/order-queue.server.ts'
import { requireKind } from '../utils/auth.server.ts'
import { rowIntent } from '../utils/row-form.server.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput } from '../components/forms.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDateTime, translate, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { WorkQueue } from '../components/work-queue.tsx'

// The operators' money console (issue 8): the escrow report and what is owed, then the work:
// transfers to confirm (counted here, confirmed in the order queues), payouts to pay by bank
// transfer, refunds to send or retry, and Stripe payouts waiting on a workshop's account.
// Each line's form posts its intent and id; the model acts once and audits, so a second submit
// or a stale page gets a clear "already done" and changes nothing.

const intents = ['mark_paid', 'mark_sent', 'retry'] as const
type Intent = (typeof intents)[number]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const url = new URL(request.url)
  const [report, queues, orders] = await Promise.all([
    moneyReport(context.db),
    moneyQueues(context.db, { stripe: context.stripe !== null }),
    orderQueues(context.db),
  ])
  return {
    report,
    queues,
    transfersToConfirm: orders.transfers.length,
    done: await doneNotice(context.db, url.searchParams),
  }
}

/** What the last successful action did (the redirect after it names it), to say so. */
async function doneNotice(
  db: Db,
  params: URLSearchParams,
): Promise<{ key: MessageKey; vars: Record<string, string> } | null> {
  const done = params.get('done')
  const id = z.uuid().safeParse(params.get('id'))
  if (!id.success) return null
  if (done === 'paid') {
    const payout = await db
      .selectFrom('payouts')
      .innerJoin('orders', 'orders.id', 'payouts.order_id')
      .select(['orders.number', 'payouts.milestone', 'payouts.bank_reference'])
      .where('payouts.id', '=', id.data)
      .executeTakeFirst()
    return payout
      ? {
          key: 'payouts.money.done.paid',
          vars: {
            order: payout.number,
            milestone: payout.milestone,
            reference: payout.bank_reference ?? '',
          },
        }
      : null
  }
  if (done === 'sent' || done === 'retry') {
    const refund = await db
      .selectFrom('refunds')
      .innerJoin('orders', 'orders.id', 'refunds.order_id')
      .select(['orders.number', 'refunds.bank_reference'])
      .where('refunds.id', '=', id.data)
      .executeTakeFirst()
    if (!refund) return null
    return {
      key: done === 'sent' ? 'payouts.money.done.sent' : 'payouts.money.done.retry',
      vars: { order: refund.number, reference: refund.bank_reference ?? '' },
    }
  }
  return null
}

interface Failure {
  intent: Intent
  id: string
  message: string
  field?: string
  value?: string
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const locale = requestLocale(request, operator.user.locale)
  const form = await request.formData()
  const { intent, id } = rowIntent(form, intents, 'id')
  const rawReference = String(form.get('bankReference') ?? '')
  const fail = (status: number, failure: Omit<Failure, 'intent' | 'id'>) =>
    data({ intent, id, ...failure } satisfies Failure, { status })

  let reference = ''
  if (intent !== 'retry') {
    const parsed = BankReferenceSchema.safeParse(rawReference)
    if (!parsed.success) {
      return fail(400, {
        message: translate(locale, 'payouts.money.error.reference'),
        field: 'bankReference',
        value: rawReference,
      })
    }
    reference = parsed.data
  }
  try {
    await context.db.transaction().execute(async (tx) => {
      if (intent === 'mark_paid')
        await markBankPayoutPaid(tx, operator, id, reference, {
          publicUrl: context.settings.publicUrl,
        })
      else if (intent === 'mark_sent')
        await markBankRefundSent(tx, operator, id, reference, {
          publicUrl: context.settings.publicUrl,
        })
      else await retryStripeRefund(tx, operator, id)
    })
  } catch (error) {
    if (error instanceof NotFoundError) {
      return fail(404, { message: translate(locale, 'payouts.money.error.notFound') })
    }
    if (!(error instanceof DomainError)) throw error
    return fail(statusForKind[error.kind], {
      message: domainErrorMessage(locale, error),
      value: rawReference,
    })
  }
  const done = intent === 'mark_paid' ? 'paid' : intent === 'mark_sent' ? 'sent' : 'retry'
  return redirect(`/console/money?done=${done}&id=${id}`)
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

export default function MoneyConsolePage() {
  const t = useT()
  const { report, queues, transfersToConfirm, done } = useLoaderData<typeof loader>()
  const failure = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('payouts.money.title')}</h1>
      <p className="muted">{t('payouts.money.lead')}</p>
      {done ? (
        <p className="notice" role="status">
          {t(done.key, {
            ...done.vars,
            milestone: done.vars.milestone
              ? t(`payouts.milestone.${done.vars.milestone as 'sample' | 'final'}`)
              : '',
          })}
        </p>
      ) : null}
      {failure ? (
        <p className="alert" role="alert">
          {failure.message}
        </p>
      ) : null}
      <EscrowReport report={report} />
      <section className="card" id="transfers" aria-labelledby="transfers-heading">
        <h2 id="transfers-heading">{t('payouts.money.transfers')}</h2>
        <p>
          {transfersToConfirm
            ? t('payouts.money.transfersCount', { n: transfersToConfirm })
            : t('payouts.money.transfersNone')}
        </p>
        <Link to="/console/orders#transfers">{t('payouts.money.transfersLink')}</Link>
      </section>
      <BankPayouts rows={queues.bankPayouts} failure={failure} />
      <Refunds rows={queues.refunds} failure={failure} />
      <StripePayouts rows={queues.stripePayouts} />
    </>
  )
}

function Figure({ label, fen, id }: { label: string; fen: number; id: string }) {
  const locale = useLocale()
  return (
    <p id={id}>
      {label}
      <br />
      <span className="stat">{formatFen(fen, locale)}</span>
    </p>
  )
}

function EscrowReport({ report }: { report: Data['report'] }) {
  const t = useT()
  const locale = useLocale()
  const f = report.figures
  return (
    <>
      <section className="card" id="escrow" aria-labelledby="escrow-heading">
        <h2 id="escrow-heading">{t('payouts.money.escrow')}</h2>
        <div className="grid">
          <Figure id="escrow-paid" label={t('payouts.money.paid')} fen={f.paid_fen} />
          <Figure id="escrow-released" label={t('payouts.money.released')} fen={f.released_fen} />
          <Figure id="escrow-refunded" label={t('payouts.money.refunded')} fen={f.refunded_fen} />
          <Figure id="escrow-balance" label={t('payouts.money.balance')} fen={f.escrow_fen} />
        </div>
        {report.reconciles ? (
          <p className="notice">{t('payouts.money.reconciles')}</p>
        ) : (
          <p className="alert" role="alert">
            {t('payouts.money.notReconciled', {
              expected: formatFen(f.escrow_fen, locale),
              actual: formatFen(report.escrowAccountFen, locale),
            })}
          </p>
        )}
      </section>
      <section className="card" id="owed" aria-labelledby="owed-heading">
        <h2 id="owed-heading">{t('payouts.money.owed')}</h2>
        <div className="grid">
          <Figure
            id="owed-workshops"
            label={t('payouts.money.workshopPayable')}
            fen={report.owed.workshop_payable_fen}
          />
          <Figure
            id="owed-refunds"
            label={t('payouts.money.refundPayable')}
            fen={report.owed.refund_payable_fen}
          />
          <Figure
            id="owed-fees"
            label={t('payouts.money.platformFees')}
            fen={report.owed.platform_fee_fen}
          />
          <Figure
            id="owed-vouchers"
            label={t('payouts.money.voucherReceivable')}
            fen={report.owed.voucher_receivable_fen}
          />
        </div>
      </section>
    </>
  )
}

function OrderLink({ id, number }: { id: string; number: string }) {
  return (
    <Link to={`/orders/${id}`}>
      <code>{number}</code>
    </Link>
  )
}

/** A line's form: the intent, the line's id and (unless a retry) the bank reference. */
function LineForm(props: {
  intent: Intent
  id: string
  label: string
  failure: Failure | undefined
  withReference: boolean
}) {
  const t = useT()
  const mine = props.failure?.intent === props.intent && props.failure.id === props.id
  const inputId = `${props.intent}-${props.id}`
  const errorId = `${inputId}-error`
  return (
    <Form method="post" className="inline-form" style={{ flexWrap: 'wrap' }}>
      <CsrfInput />
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="id" value={props.id} />
      {props.withReference ? (
        <>
          <label htmlFor={inputId}>{t('payouts.money.bankReference')}</label>
          <input
            id={inputId}
            name="bankReference"
            required
            maxLength={120}
            autoComplete="off"
            defaultValue={mine ? props.failure?.value : undefined}
            aria-invalid={mine && props.failure?.field ? true : undefined}
            aria-describedby={mine ? errorId : undefined}
          />
        </>
      ) : null}
      <button type="submit" className={props.withReference ? 'primary' : undefined}>
        {props.label}
      </button>
      {mine ? (
        <span id={errorId} className="field-errors" role="alert">
          {props.failure?.message}
        </span>
      ) : null}
    </Form>
  )
}

function BankPayouts({
  rows,
  failure,
}: {
  rows: Data['queues']['bankPayouts']
  failure: Failure | undefined
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <WorkQueue
      id="payouts"
      title={t('payouts.money.payouts')}
      lead={t('payouts.money.payoutsLead')}
      empty={t('payouts.money.payoutsEmpty')}
      columns={[
        t('payouts.money.col.order'),
        t('payouts.money.col.workshop'),
        t('payouts.money.col.milestone'),
        t('payouts.money.col.amount'),
        t('payouts.money.col.bank'),
        t('payouts.money.col.action'),
      ]}
      rows={rows.map((p) => (
        <tr key={p.id} id={`payout-${p.id}`}>
          <td>
            <OrderLink id={p.order_id} number={p.order_number} />
            <br />
            <span className="muted">{formatDateTime(locale, p.created_at)}</span>
          </td>
          <td>{p.workshop_name}</td>
          <td>{t(`payouts.milestone.${p.milestone}`)}</td>
          <td>{formatFen(p.amount_fen, locale)}</td>
          <td>
            {p.workshop_legal_name || p.workshop_uscc ? (
              <>
                {t('payouts.money.bankDetails', {
                  name: p.workshop_legal_name ?? p.workshop_name,
                  uscc: p.workshop_uscc ?? '—',
                })}
                <br />
              </>
            ) : null}
            <span className="muted">{t('payouts.money.noBankDetails')}</span>
          </td>
          <td>
            <LineForm
              intent="mark_paid"
              id={p.id}
              label={t('payouts.money.markPaid')}
              failure={failure}
              withReference
            />
          </td>
        </tr>
      ))}
    />
  )
}

function refundState(t: ReturnType<typeof useT>, r: Data['queues']['refunds'][number]) {
  if (r.status === 'failed') {
    return t('payouts.money.refundState.failed', { reason: r.failure_message ?? '' })
  }
  if (r.provider === 'stripe' && r.provider_ref) {
    return t('payouts.money.refundState.atStripe', { reference: r.provider_ref })
  }
  if (r.provider === 'stripe' && r.failure_message) {
    return t('payouts.money.refundState.notSent', { reason: r.failure_message })
  }
  return t('payouts.money.refundState.pending')
}

function Refunds({
  rows,
  failure,
}: {
  rows: Data['queues']['refunds']
  failure: Failure | undefined
}) {
  const t = useT()
  const locale = useLocale()
  return (
    <WorkQueue
      id="refunds"
      title={t('payouts.money.refunds')}
      lead={t('payouts.money.refundsLead')}
      empty={t('payouts.money.refundsEmpty')}
      columns={[
        t('payouts.money.col.order'),
        t('payouts.money.col.buyer'),
        t('payouts.money.col.reason'),
        t('payouts.money.col.refundAmount'),
        t('payouts.money.col.voucherPart'),
        t('payouts.money.col.method'),
        t('payouts.money.col.state'),
        t('payouts.money.col.action'),
      ]}
      rows={rows.map((r) => (
        <tr key={r.id} id={`refund-${r.id}`}>
          <td>
            <OrderLink id={r.order_id} number={r.order_number} />
            <br />
            <span className="muted">{formatDateTime(locale, r.created_at)}</span>
          </td>
          <td>
            {r.buyer_name}
            {r.payer_name && r.payer_name !== r.buyer_name ? (
              <>
                <br />
                <span className="muted">{r.payer_name}</span>
              </>
            ) : null}
          </td>
          <td>{t(`payouts.money.reason.${r.reason}`)}</td>
          <td>{formatFen(r.amount_fen, locale)}</td>
          <td>{formatFen(r.voucher_fen, locale)}</td>
          <td>{t(`payouts.money.method.${r.provider ?? 'bank_transfer'}`)}</td>
          <td>{refundState(t, r)}</td>
          <td>
            {r.sendableByBank ? (
              <LineForm
                intent="mark_sent"
                id={r.id}
                label={t('payouts.money.markSent')}
                failure={failure}
                withReference
              />
            ) : null}
            {r.retryable ? (
              <LineForm
                intent="retry"
                id={r.id}
                label={t('payouts.money.retry')}
                failure={failure}
                withReference={false}
              />
            ) : null}
          </td>
        </tr>
      ))}
    />
  )
}

function StripePayouts({ rows }: { rows: Data['queues']['stripePayouts'] }) {
  const t = useT()
  const locale = useLocale()
  return (
    <WorkQueue
      id="stripe-payouts"
      title={t('payouts.money.stripePayouts')}
      lead={t('payouts.money.stripePayoutsLead')}
      empty={t('payouts.money.stripePayoutsEmpty')}
      columns={[
        t('payouts.money.col.order'),
        t('payouts.money.col.workshop'),
        t('payouts.money.col.milestone'),
        t('payouts.money.col.amount'),
        t('payouts.money.col.account'),
        t('payouts.money.col.state'),
      ]}
      rows={rows.map((p) => (
        <tr key={p.id}>
          <td>
            <OrderLink id={p.order_id} number={p.order_number} />
            <br />
            <span className="muted">{formatDateTime(locale, p.created_at)}</span>
          </td>
          <td>{p.workshop_name}</td>
          <td>{t(`payouts.milestone.${p.milestone}`)}</td>
          <td>{formatFen(p.amount_fen, locale)}</td>
          <td>
            {!p.account_id
              ? t('payouts.money.account.none')
              : p.payouts_enabled
                ? t('payouts.money.account.ready')
                : t('payouts.money.account.pending')}
          </td>
          <td>
            {p.failure_message === 'connected_account_not_ready'
              ? t('payouts.money.stripe.waiting')
              : p.status === 'failed' || p.failure_message
                ? `${t('payouts.status.failed')} (${p.failure_message ?? ''})`
                : t('payouts.money.stripe.sending')}
          </td>
        </tr>
      ))}
    />
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
