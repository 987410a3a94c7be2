import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { getOrderForViewer, orderRecord, platformStaff } from '../models/order.server.ts'
import { actionsFor, transitionOrder } from '../models/order-transition.server.ts'
import { shanghaiToday } from '../models/capacity.server.ts'
import { getPlatformSettings } from '../models/settings.server.ts'
import { DomainError, NotFoundError, statusForKind } from '../models/errors.ts'
import { listOrderAttachments } from '../models/order-attachment.server.ts'
import {
  orderActions,
  terminalStatuses,
  type OrderAction as OrderActionName,
} from '../models/order-lifecycle.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import {
  formFieldOf,
  isOrderAction,
  payloadFromForm,
  VersionSchema,
} from '../utils/order-forms.server.ts'
import { OrderActionForm, type ActionFormContext } from '../components/order-actions.tsx'
import { OrderRecord } from '../components/order-record.tsx'
import { translate, type Locale } from '../locales/index.ts'
import { jobAccess } from '../models/job.server.ts'
import { processName } from '../models/processes.ts'
import { townName } from '../models/towns.ts'
import { formatFen } from '../models/money.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { Breakdown } from '../components/quote-view.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { OrderReviews } from '../components/order-review.tsx'
import { reviewsForViewer } from '../models/review.server.ts'
import { OrderMessages, messageErrorText } from '../components/message-thread.tsx'
import { orderMessagesView } from '../utils/message-view.server.ts'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { useLocale, useRootData, useT } from '../utils/i18n.ts'
import { TableHead } from '../components/table.tsx'
import { OrderMoneySection } from '../components/order-money.tsx'
import { CardPaymentForm, CardPaymentNotice } from '../components/card-payment.tsx'
import { orderMoney } from '../models/order-money.server.ts'

// The order page (issue 6 creates orders in awaiting_payment; issue 7 adds the lifecycle's
// actions): status, parties, amounts stored at acceptance, parts and the event timeline.

const orderIdOf = (params: { orderId?: string }) => {
  const id = z.uuid().safeParse(params.orderId)
  if (!id.success) throw new Response('Not found', { status: 404 })
  return id.data
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = orderIdOf(params)
  const viewed = await getOrderForViewer(context.db, id, account)
  if (!viewed) throw new Response('Not found', { status: 404 })
  const { order, role, parts, events } = viewed
  const [access, { facts, actions }, record, attachments, settings, staff, money] =
    await Promise.all([
      jobAccess(context.db, order.job_id, account),
      actionsFor(context.db, order, account),
      orderRecord(context.db, id),
      listOrderAttachments(context.db, id),
      getPlatformSettings(context.db),
      role === 'operator' ? platformStaff(context.db) : [],
      orderMoney(context.db, id),
    ])
  // A workshop sees the drawings under the job's own rule (invited, past the NDA).
  const filesAllowed = access?.filesAllowed ?? false
  return {
    role,
    order: {
      ...order,
      delivery_address:
        role === 'workshop' && order.status === 'awaiting_payment' ? '' : order.delivery_address,
    },
    filesAllowed,
    parts: parts.map((p, i) => ({
      id: p.id,
      format: p.format,
      quantity: p.quantity,
      thumbnail: filesAllowed && p.thumbnail_key !== null,
      name: filesAllowed ? p.original_name : `#${i + 1}`,
    })),
    events,
    // The way forward first; cancelling and staffing last.
    actions: actions
      .map((a) => a.action)
      .sort((a, b) => Number(secondary.includes(a)) - Number(secondary.includes(b))),
    record,
    attachments: attachments.map((a) => ({ id: a.id, name: a.original_name })),
    bankAccount: settings.bankAccount,
    // Card payments only when Stripe is configured (the embedded default takes transfers).
    cardPayments: context.stripe !== null,
    money,
    staff,
    shippedQuantity: facts.shipped_quantity,
    today: shanghaiToday(),
    // Reviews (issue 7): once the order is completed.
    reviews:
      order.status === 'completed' ? await reviewsForViewer(context.db, order, account) : null,
    // Messages (issue 7): the thread, marked read as it is shown, and the files to attach.
    messages: await orderMessagesView(context.db, account, order.id),
  }
}

const secondary: OrderActionName[] = ['cancel', 'request_cancellation', 'assign_inspector']

interface Failure {
  action: string
  message: string
  fieldErrors: Record<string, string>
  values: Record<string, string>
}

/** A zod issue in the viewer's words. */
function issueMessage(issue: z.core.$ZodIssue, locale: Locale): string {
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return translate(locale, 'error.required')
  }
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    return translate(locale, 'error.number')
  }
  if (issue.code === 'invalid_format' && issue.format === 'date') {
    return translate(locale, 'error.date')
  }
  return translate(locale, 'error.invalid')
}

/** One lifecycle action from its form (intent = the action), checked against the version. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const locale = requestLocale(request, account.user.locale)
  const id = orderIdOf(params)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  if (!isOrderAction(intent)) throw new Response('Unknown intent', { status: 400 })
  const values = Object.fromEntries(
    [...form].filter(([k, v]) => typeof v === 'string' && k !== 'csrf'),
  ) as Record<string, string>
  const fail = (status: number, message: string, fieldErrors: Record<string, string> = {}) =>
    data({ action: intent, message, fieldErrors, values } satisfies Failure, { status })
  const version = VersionSchema.safeParse(form.get('version'))
  if (!version.success) throw new Response('Bad request', { status: 400 })
  try {
    await context.db
      .transaction()
      .execute((tx) =>
        transitionOrder(
          tx,
          { kind: 'person', account },
          id,
          { action: intent, version: version.data, payload: payloadFromForm(intent, form) },
          { publicUrl: context.settings.publicUrl },
        ),
      )
  } catch (error) {
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    if (error instanceof z.ZodError) {
      const fieldErrors: Record<string, string> = {}
      for (const issue of error.issues) {
        fieldErrors[formFieldOf(issue.path)] ??= issueMessage(issue, locale)
      }
      return fail(400, translate(locale, 'orders.error.form'), fieldErrors)
    }
    if (!(error instanceof DomainError)) throw error
    const message = domainErrorMessage(locale, error)
    return fail(
      statusForKind[error.kind],
      message,
      error.field ? { [formFieldOf([error.field])]: message } : {},
    )
  }
  return redirect(`/orders/${id}?done=${intent}`)
}

export default function OrderPage() {
  const t = useT()
  const locale = useLocale()
  const loaderData = useLoaderData<typeof loader>()
  const { order, role, parts, events, filesAllowed, actions, record, reviews } = loaderData
  const { csrfToken } = useRootData()
  const failed = useActionData<typeof action>() as Failure | undefined
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done')
  const ctx = (forAction: string): ActionFormContext => ({
    version: order.version,
    quantity: order.quantity,
    shippedQuantity: loaderData.shippedQuantity,
    totalFen: order.total_fen,
    sampleRound: order.sample_round,
    maxSampleRounds: order.max_sample_rounds,
    aql: order.aql,
    today: loaderData.today,
    attachments: loaderData.attachments,
    staff: loaderData.staff,
    failed: failed?.action === forAction ? failed : undefined,
  })
  return (
    <>
      <p>
        <Link to="/orders">← {t('orders.back')}</Link>
      </p>
      <h1>
        {t('orders.number', { number: order.number })}{' '}
        <span className={`badge status-order-${order.status}`} data-status={order.status}>
          {t(`orders.status.${order.status}` as MessageKey)}
        </span>
      </h1>
      {searchParams.has('accepted') ? (
        <p className="notice" role="status">
          {t('orders.notice.accepted')}
        </p>
      ) : null}
      {done && isKnownAction(done) ? (
        <p className="notice" role="status">
          {t('orders.notice.done', { action: t(`orders.action.${done}`) })}
        </p>
      ) : null}
      <CardPaymentNotice />
      <p className="notice">{t(nextStepKey(order.status, role))}</p>
      {failed && !actions.includes(failed.action as OrderActionName) ? (
        <p className="field-errors" role="alert">
          {failed.message}
        </p>
      ) : null}

      {order.status === 'awaiting_payment' && role !== 'workshop' ? (
        <section className="card" aria-labelledby="order-payment">
          <h2 id="order-payment">{t('orders.payment.title')}</h2>
          {loaderData.bankAccount ? (
            <dl className="facts">
              <dt>{t('orders.payment.accountName')}</dt>
              <dd>{loaderData.bankAccount.accountName}</dd>
              <dt>{t('orders.payment.bank')}</dt>
              <dd>{loaderData.bankAccount.bankName}</dd>
              <dt>{t('orders.payment.accountNumber')}</dt>
              <dd>
                <code>{loaderData.bankAccount.accountNumber}</code>
              </dd>
              <dt>{t('orders.payment.amount')}</dt>
              <dd>
                <strong>{formatFen(order.total_fen, locale)}</strong>
              </dd>
              <dt>{t('orders.payment.reference')}</dt>
              <dd>
                <code data-testid="payment-reference">{order.number}</code>
              </dd>
            </dl>
          ) : (
            <p className="field-errors">{t('orders.payment.noAccount')}</p>
          )}
          <p className="hint">{t('orders.payment.escrow')}</p>
          {loaderData.cardPayments && role === 'buyer' ? (
            <CardPaymentForm orderId={order.id} csrfToken={csrfToken} amountFen={order.total_fen} />
          ) : null}
          {record.payments.map((p) => (
            <p key={p.id}>
              {p.provider === 'stripe'
                ? p.status === 'failed'
                  ? t('orders.payment.card.failed', { reason: p.failure_message ?? '—' })
                  : t(`orders.payment.card.${p.status === 'reported' ? 'pending' : p.status}`, {
                      attempt: p.attempt,
                    })
                : t(`orders.payment.status.${p.status}`, {
                    payer: p.payer_name ?? '—',
                    date: p.transferred_on ? formatDate(locale, p.transferred_on) : '—',
                  })}
            </p>
          ))}
        </section>
      ) : null}

      {actions.length ? (
        <section className="card" id="order-actions" aria-labelledby="order-actions-title">
          <h2 id="order-actions-title">{t('orders.actions')}</h2>
          <div className="grid">
            {/* Keyed by version: after an action the forms start afresh from the new state
                (a partial shipment's typed quantity and tracking number must not linger). */}
            {actions.map((a) => (
              <OrderActionForm key={`${a}-${order.version}`} action={a} ctx={ctx(a)} />
            ))}
          </div>
        </section>
      ) : null}

      <OrderRecord record={record} attachments={loaderData.attachments} />

      <section className="card" id="attachments" aria-labelledby="attachments-title">
        <h2 id="attachments-title">{t('orders.attachments')}</h2>
        {loaderData.attachments.length ? (
          <ul>
            {loaderData.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/files/${a.id}`}>{a.name}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t('orders.noAttachments')}</p>
        )}
        {searchParams.get('attachError') ? (
          <p className="field-errors" role="alert">
            {t('orders.attachFailed')}
          </p>
        ) : null}
        {!isTerminalStatus(order.status) ? (
          // The CSRF gate does not read multipart bodies: the token travels in the URL.
          <form
            method="post"
            action={`/orders/${order.id}/attachments?csrf=${encodeURIComponent(csrfToken)}`}
            encType="multipart/form-data"
            className="actions"
          >
            <label htmlFor="attachment-file">{t('orders.attachLabel')}</label>
            <input id="attachment-file" type="file" name="file" required />
            <button type="submit">{t('orders.attachSubmit')}</button>
          </form>
        ) : null}
      </section>

      <section className="card" aria-labelledby="order-facts">
        <h2 id="order-facts">{t('orders.facts')}</h2>
        <dl className="facts">
          <dt>{t('orders.job')}</dt>
          <dd>
            <Link to={`/jobs/${order.job_id}`}>{order.job_title}</Link>
            {order.job_process ? ` · ${processName(order.job_process, locale)}` : ''}
          </dd>
          <dt>{t('orders.buyer')}</dt>
          <dd>{order.buyer_name}</dd>
          <dt>{t('orders.workshop')}</dt>
          <dd>
            <Link to={`/workshops/${order.workshop_organization_id}`}>{order.workshop_name}</Link>
            {order.workshop_town ? ` · ${townName(order.workshop_town, locale)}` : ''}
            {order.resource_name ? ` · ${order.resource_name}` : ''}
          </dd>
          <dt>{t('orders.delivery')}</dt>
          <dd>
            {townName(order.delivery_town, locale)}
            {order.delivery_address ? ` · ${order.delivery_address}` : ''}
          </dd>
          <dt>{t('jobs.field.deadline')}</dt>
          <dd>{formatDate(locale, order.deadline)}</dd>
          <dt>{t('quotes.leadTimes')}</dt>
          <dd>
            {t('quotes.leadDays', { sample: order.sample_lead_days, batch: order.batch_lead_days })}
          </dd>
          <dt>{t('orders.placed')}</dt>
          <dd>{formatDateTime(locale, order.created_at)}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="order-amounts">
        <h2 id="order-amounts">{t('orders.amounts')}</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">{t('orders.batch')}</th>
              <td className="num">{formatFen(order.batch_fen, locale)}</td>
            </tr>
            {order.needs_sample ? (
              <tr>
                <th scope="row">{t('orders.sample')}</th>
                <td className="num">{formatFen(order.sample_fen, locale)}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">{t('orders.subtotal')}</th>
              <td className="num">{formatFen(order.subtotal_fen, locale)}</td>
            </tr>
            <tr>
              <th scope="row">{t('orders.platformFee')}</th>
              <td className="num muted">{formatFen(order.platform_fee_fen, locale)}</td>
            </tr>
            {order.voucher_fen ? (
              <tr>
                <th scope="row">{t('orders.voucher')}</th>
                <td className="num">−{formatFen(order.voucher_fen, locale)}</td>
              </tr>
            ) : null}
            <tr>
              <th scope="row">{t('orders.total')}</th>
              <td className="num">
                <strong data-testid="order-total">{formatFen(order.total_fen, locale)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
        <details>
          <summary>{t('quotes.breakdown')}</summary>
          <Breakdown lines={order.breakdown} totalFen={order.batch_fen} />
        </details>
        {order.quote_comment ? (
          <p className="muted">
            {t('orders.workshopComment')}: {order.quote_comment}
          </p>
        ) : null}
      </section>

      <OrderMoneySection money={loaderData.money} />

      <section className="card" aria-labelledby="order-parts">
        <h2 id="order-parts">{t('jobs.parts')}</h2>
        <table>
          <TableHead
            columns={[
              t('orders.part'),
              t('quotes.quantity'),
              t('quotes.unitPrice'),
              t('quotes.total'),
            ]}
          />
          <tbody>
            {parts.map((p) => {
              const line = order.lines.find((l) => l.file_id === p.id)
              return (
                <tr key={p.id}>
                  <td>
                    {p.thumbnail ? (
                      <img
                        src={`/cad/${p.id}/thumbnail.png`}
                        alt=""
                        width={48}
                        height={48}
                        className="thumb"
                      />
                    ) : null}{' '}
                    {filesAllowed ? (
                      <Link to={`/jobs/${order.job_id}/parts/${p.id}`}>{p.name}</Link>
                    ) : (
                      p.name
                    )}
                  </td>
                  <td>{p.quantity}</td>
                  <td>{line ? formatFen(line.unit_price_fen, locale) : '—'}</td>
                  <td>{line ? formatFen(line.total_fen, locale) : '—'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="order-timeline">
        <h2 id="order-timeline">{t('orders.timeline')}</h2>
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={new Date(e.created_at).toISOString()}>
                {formatDateTime(locale, e.created_at)}
              </time>{' '}
              {eventText(e, t)}
              {e.actor_name ? <span className="muted"> · {e.actor_name}</span> : null}
            </li>
          ))}
        </ol>
      </section>

      <Messages />

      {reviews ? <OrderReviews orderId={order.id} {...reviews} /> : null}
    </>
  )
}

/** The order's messages (posted through orders.$orderId_.messages, which redirects back). */
function Messages() {
  const t = useT()
  const { order, messages } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <OrderMessages
      orderId={order.id}
      {...messages}
      error={messageErrorText(t, searchParams.get('messageError'))}
    />
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}

function isKnownAction(value: string): value is OrderActionName {
  return (orderActions as readonly string[]).includes(value)
}

function isTerminalStatus(status: string) {
  return (terminalStatuses as readonly string[]).includes(status)
}

/** What the viewer should do (or wait for) now. */
function nextStepKey(status: string, role: string): MessageKey {
  const who = role === 'workshop' ? 'workshop' : role === 'buyer' ? 'buyer' : 'operator'
  return `orders.next.${status}.${who}` as MessageKey
}

function eventText(
  e: { from_status: string | null; to_status: string; payload: Record<string, unknown> },
  t: ReturnType<typeof useT>,
): string {
  if (!e.from_status) return t('orders.event.created')
  const action = typeof e.payload.action === 'string' ? e.payload.action : null
  const moved =
    e.from_status === e.to_status
      ? t(`orders.status.${e.to_status}` as MessageKey)
      : t('orders.event.moved', {
          from: t(`orders.status.${e.from_status}` as MessageKey),
          to: t(`orders.status.${e.to_status}` as MessageKey),
        })
  const label = action && isKnownAction(action) ? t(`orders.action.${action}`) : ''
  const auto = e.payload.automatic ? ` (${t('orders.event.automatic')})` : ''
  return label ? `${label}${auto}: ${moved}` : moved
}
