import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { jobBoard } from '../models/quote.server.ts'
import { processName } from '../models/processes.ts'
import { townName } from '../models/towns.ts'
import { requireKind } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import {
  isQuoteIntent,
  runQuoteAction,
  type QuoteActionResult,
} from '../utils/quote-actions.server.ts'
import { quoteViewData } from '../utils/quote-view.server.ts'
import {
  Breakdown,
  ConfirmQuoteForm,
  DeclineQuoteForm,
  MatchReasons,
  QuoteFigures,
  QuoteStatus,
  declineReasonText,
} from '../components/quote-view.tsx'
import { formatFen } from '../models/money.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { formatDate, type MessageKey } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'
import { TableHead } from '../components/table.tsx'

// 接单大厅 (issue 6): the jobs matched to this workshop's machines with the platform's
// estimate to confirm, adjust or decline, and the open public jobs in its processes.

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const board = await jobBoard(context.db, account)
  return {
    quoted: board.quoted.map((q) => ({
      ...quoteViewData(q),
      job: {
        id: q.job_id,
        title: q.job_title,
        status: q.job_status,
        process: q.job_process,
        deadline: q.deadline,
        needsSample: q.needs_sample,
        ndaRequired: q.nda_required,
        deliveryTown: q.delivery_town,
        firm: q.firm_name,
      },
      resourceName: q.resource_name,
    })),
    open: board.open,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireKind(request, context, ['workshop'])
  const locale = requestLocale(request, account.user.locale)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  if (!isQuoteIntent(intent) || (intent !== 'confirm-quote' && intent !== 'decline-quote')) {
    throw new Response('Unknown intent', { status: 400 })
  }
  const result = await runQuoteAction(context, account, locale, intent, formData)
  if (result.ok) {
    const notice = intent === 'confirm-quote' ? 'confirmed' : 'declined'
    return redirect(`/workshop/job-board?${notice}=1#quote-${result.quoteId}`)
  }
  return data(result, { status: result.status })
}

const notices: Record<string, MessageKey> = {
  confirmed: 'quotes.notice.confirmed',
  declined: 'quotes.notice.declined',
}

export default function JobBoard() {
  const t = useT()
  const locale = useLocale()
  const { quoted, open } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as
    Extract<QuoteActionResult, { ok: false }> | undefined
  const [searchParams] = useSearchParams()
  const notice = [...searchParams.keys()].map((k) => notices[k]).find(Boolean)
  const active = quoted.filter((q) => q.status === 'pending' && q.job.status === 'open')
  const other = quoted.filter((q) => !(q.status === 'pending' && q.job.status === 'open'))

  return (
    <>
      <h1>{t('board.title')}</h1>
      <p className="muted">{t('board.lead')}</p>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {failed && !active.some((q) => q.id === failed.quoteId) ? (
        // A refused answer to a quote that is no longer open (withdrawn, expired, job closed).
        <p className="field-errors" role="alert">
          {failed.message}
        </p>
      ) : null}

      <section aria-labelledby="quoted-title">
        <h2 id="quoted-title">{t('board.quoted', { n: active.length })}</h2>
        {active.length === 0 ? <p className="empty">{t('board.quotedEmpty')}</p> : null}
        {active.map((q) => {
          const errors = failed?.quoteId === q.id ? failed : undefined
          return (
            <article key={q.id} id={`quote-${q.id}`} className="card quote-card">
              <h3>
                <Link to={`/jobs/${q.job.id}`}>{q.job.title}</Link> <QuoteStatus quote={q} />
              </h3>
              <p className="muted">
                {q.job.firm}
                {q.job.process ? ` · ${processName(q.job.process, locale)}` : ''} ·{' '}
                {townName(q.job.deliveryTown, locale)} ·{' '}
                {t('board.deadline', { date: formatDate(locale, q.job.deadline) })}
                {q.resourceName ? ` · ${t('board.onMachine', { machine: q.resourceName })}` : ''}
                {q.job.ndaRequired ? ` · ${t('board.nda')}` : ''}
              </p>
              {errors ? (
                <p className="field-errors" role="alert">
                  {errors.message}
                </p>
              ) : null}
              <div className="grid">
                <div>
                  <h4>{q.confirmed ? t('board.yourQuote') : t('board.estimate')}</h4>
                  <QuoteFigures quote={q} needsSample={q.job.needsSample} />
                  <details>
                    <summary>{t('quotes.breakdown')}</summary>
                    <Breakdown lines={q.breakdown} totalFen={q.totalFen} />
                  </details>
                  {q.reasons ? (
                    <details>
                      <summary>{t('board.whyMatched')}</summary>
                      <MatchReasons reasons={q.reasons} />
                    </details>
                  ) : null}
                </div>
                <div>
                  <h4>{q.confirmed ? t('quotes.reviseTitle') : t('quotes.confirmTitle')}</h4>
                  <p className="hint">{t('quotes.confirmHint')}</p>
                  <ConfirmQuoteForm
                    quote={q}
                    values={errors?.intent === 'confirm-quote' ? errors.values : undefined}
                    errors={errors?.intent === 'confirm-quote' ? errors.fieldErrors : undefined}
                  />
                  <DeclineQuoteForm
                    quote={q}
                    errors={errors?.intent === 'decline-quote' ? errors.fieldErrors : undefined}
                  />
                </div>
              </div>
            </article>
          )
        })}
      </section>

      <section aria-labelledby="open-title">
        <h2 id="open-title">{t('board.open', { n: open.length })}</h2>
        <p className="muted">{t('board.openLead')}</p>
        {open.length === 0 ? (
          <p className="empty">{t('board.openEmpty')}</p>
        ) : (
          <table>
            <TableHead
              columns={[
                t('board.job'),
                t('jobs.field.process'),
                t('quotes.quantity'),
                t('jobs.field.deadline'),
                t('jobs.field.deliveryTown'),
              ]}
            />
            <tbody>
              {open.map((j) => (
                <tr key={j.id}>
                  <td>
                    <Link to={`/jobs/${j.id}#quote`}>{j.title}</Link>
                    <br />
                    <span className="muted">{j.firm_name}</span>
                  </td>
                  <td>{j.process ? processName(j.process, locale) : t('jobs.processSuggested')}</td>
                  <td>{j.quantity}</td>
                  <td>{formatDate(locale, j.deadline)}</td>
                  <td>{townName(j.delivery_town, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {other.length ? (
        <section aria-labelledby="history-title">
          <h2 id="history-title">{t('board.history')}</h2>
          <table>
            <TableHead columns={[t('board.job'), t('quotes.total'), t('board.status')]} />
            <tbody>
              {other.map((q) => (
                <tr key={q.id}>
                  <td>
                    <Link to={`/jobs/${q.job.id}`}>{q.job.title}</Link>
                  </td>
                  <td>{formatFen(q.totalFen, locale)}</td>
                  <td>
                    <QuoteStatus quote={q} />
                    {q.declineReason ? (
                      <span className="muted"> {declineReasonText(t, q.declineReason)}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
