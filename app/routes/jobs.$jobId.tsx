import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useRevalidator,
  useSearchParams,
} from '@remix-run/react'
import { useEffect } from 'react'
import { z } from 'zod'
import type { Tx } from '../../db/client.ts'
import { DomainError, NotFoundError, statusForKind } from '../models/errors.ts'
import {
  acceptNda,
  cancelJob,
  getJobForViewer,
  inviteWorkshop,
  listDownloads,
  listInvitableWorkshops,
  listInvitations,
  openJob,
  relaxJob,
  removePart,
  setPartQuantity,
  uninviteWorkshop,
} from '../models/job.server.ts'
import { aqlLabel, PartQuantitySchema } from '../models/job.schema.ts'
import { listMatches } from '../models/matching.server.ts'
import { listJobQuotes } from '../models/quote.server.ts'
import { estimateVouchers } from '../models/voucher-admin.server.ts'
import {
  isQuoteIntent,
  runQuoteAction,
  type QuoteActionResult,
} from '../utils/quote-actions.server.ts'
import { comparedQuote, quoteViewData } from '../utils/quote-view.server.ts'
import {
  ConfirmQuoteForm,
  DeclineQuoteForm,
  QuoteComparison,
  QuoteFigures,
  QuoteStatus,
  Breakdown,
  declineReasonText,
} from '../components/quote-view.tsx'
import { ManualQuoteForm } from '../components/manual-quote-form.tsx'
import { RelaxForm } from '../components/relax-form.tsx'
import { JobQuestions, messageErrorText } from '../components/message-thread.tsx'
import { jobQuestionsView } from '../utils/message-view.server.ts'
import { setCadFileUnits } from '../models/cad-file.server.ts'
import { processName } from '../models/processes.ts'
import { townName } from '../models/towns.ts'
import { formatFen } from '../models/money.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { CsrfInput } from '../components/forms.tsx'
import { PartUploader } from '../components/part-uploader.tsx'
import { PartAnalysis } from '../components/part-analysis.tsx'
import { partView } from '../utils/part-view.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import {
  formatDate,
  formatDateTime,
  translate,
  type Locale,
  type MessageKey,
} from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

const notFound = () => new Response('Not found', { status: 404 })

function jobIdFrom(params: { jobId?: string }) {
  const id = z.uuid().safeParse(params.jobId)
  if (!id.success) throw notFound()
  return id.data
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  const id = jobIdFrom(params)
  const viewed = await getJobForViewer(context.db, id, account)
  if (!viewed) throw notFound()
  const owner = viewed.role === 'owner'
  const seesLog = owner || viewed.role === 'operator'
  const [invitations, workshops, downloads, material, matches] = await Promise.all([
    seesLog ? listInvitations(context.db, id) : [],
    owner && (viewed.job.status === 'draft' || viewed.job.status === 'open')
      ? listInvitableWorkshops(context.db)
      : [],
    seesLog ? listDownloads(context.db, id, account) : [],
    viewed.job.material
      ? context.db
          .selectFrom('materials')
          .select(['name_zh', 'name_en'])
          .where('code', '=', viewed.job.material)
          .executeTakeFirst()
      : undefined,
    seesLog ? listMatches(context.db, id) : [],
  ])
  const { job } = viewed
  const [quoted, order, machines] = await Promise.all([
    listJobQuotes(context.db, id, account),
    context.db
      .selectFrom('orders')
      .select(['id', 'number', 'workshop_organization_id'])
      .where('job_id', '=', id)
      .executeTakeFirst(),
    viewed.role === 'workshop' && job.status === 'open'
      ? context.db
          .selectFrom('resources')
          .select(['id', 'name', 'process'])
          .where('organization_id', '=', account.organization.id)
          .where('active', '=', true)
          .$if(job.process !== null, (q) => q.where('process', '=', job.process!))
          .orderBy('name')
          .execute()
      : [],
  ])
  const quotes = quoted?.quotes ?? []
  // 服务券: what the designer's approved grants would take off each acceptable quote.
  const vouchers =
    owner && job.status === 'open'
      ? await estimateVouchers(
          context.db,
          account.organization.id,
          job,
          quotes
            .filter((q) => q.status === 'pending')
            .map((q) => ({
              id: q.id,
              workshopId: q.organization_id,
              contractFen: q.total_fen + (job.needs_sample ? q.sample_price_fen : 0),
            })),
        )
      : {}
  const seesOrder = order && (seesLog || order.workshop_organization_id === account.organization.id)
  return {
    job: { ...job, budget_fen: viewed.role === 'workshop' ? null : job.budget_fen },
    material: material ?? null,
    role: viewed.role,
    invited: viewed.invited,
    ndaAcceptedAt: viewed.ndaAcceptedAt,
    filesAllowed: viewed.filesAllowed,
    parts: viewed.parts.map((p) => ({
      quantity: p.quantity,
      format: p.format,
      ...(viewed.filesAllowed ? { file: partView(p) } : {}),
    })),
    invitations,
    matches: matches.map((m) => ({
      id: m.id,
      rank: m.rank,
      score: m.score,
      workshopId: m.workshop_id,
      workshopName: m.workshop_name,
      town: m.town,
      resourceName: m.resource_name,
      process: m.process,
      reasons: m.reasons,
      totalFen: Number((m.estimate as { total_fen?: number }).total_fen ?? 0),
      leadDays: Number((m.estimate as { batch_lead_days?: number }).batch_lead_days ?? 0),
    })),
    comparison: seesLog ? quotes.map((q) => comparedQuote(q, job.delivery_town)) : [],
    vouchers,
    ownQuotes: viewed.role === 'workshop' ? quotes.map(quoteViewData) : [],
    machines,
    quoteParts: viewed.parts.map((p, i) => ({
      fileId: p.id,
      quantity: p.quantity,
      label: viewed.filesAllowed ? p.original_name : `#${i + 1}`,
    })),
    order: seesOrder ? { id: order.id, number: order.number } : null,
    matchSummary: seesLog ? job.match_summary : null,
    matching: seesLog && job.status === 'open' && !job.matched_at,
    workshops: workshops.filter((w) => !invitations.some((i) => i.id === w.id)),
    downloads,
    maxUploadMb: Math.floor(context.settings.maxUploadBytes / 1024 / 1024),
    // Questions before an order (issue 7); workshops never see drafts, so drafts have none.
    questions:
      job.status === 'draft'
        ? null
        : await jobQuestionsView(
            context.db,
            account,
            viewed,
            new URL(request.url).searchParams.get('thread'),
          ),
  }
}

const FileIdSchema = z.object({ fileId: z.uuid() })
const RelaxFormSchema = z.object({
  toleranceMm: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().positive().max(10).optional(),
  ),
  deadline: z.preprocess((v) => (v === '' ? undefined : v), z.iso.date().optional()),
  anyMaterial: z.preprocess((v) => v === 'on', z.boolean()),
  anyProcess: z.preprocess((v) => v === 'on', z.boolean()),
})
const WorkshopIdSchema = z.object({ workshopId: z.uuid() })

/** A message for a refused action: the domain error's translation, else a generic one. */
function messageOf(error: unknown, locale: Locale): string {
  if (error instanceof DomainError) return domainErrorMessage(locale, error)
  throw error
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const locale = requestLocale(request, account.user.locale)
  const id = jobIdFrom(params)
  const here = `/jobs/${id}`

  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  if (isQuoteIntent(intent)) {
    const result = await runQuoteAction(context, account, locale, intent, formData, id)
    if (!result.ok) return data(result, { status: result.status })
    if (result.orderId) return redirect(`/orders/${result.orderId}?accepted=1`)
    return redirect(`${here}?${intent === 'decline-quote' ? 'declined' : 'quoted'}=1#quotes`)
  }
  const fields = Object.fromEntries(formData)
  const run = async <T,>(
    fn: (tx: Tx) => Promise<T>,
  ): Promise<{ result?: T; message?: string; status?: number }> => {
    try {
      return { result: await context.db.transaction().execute(fn) }
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound()
      const status = error instanceof DomainError ? statusForKind[error.kind] : 409
      return { message: messageOf(error, locale), status }
    }
  }
  const fail = (message: string, status = 409) => data({ intent, message }, { status })
  switch (intent) {
    case 'quantity': {
      const parsed = FileIdSchema.safeParse(fields)
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      const quantity = PartQuantitySchema.safeParse(fields.quantity)
      if (!quantity.success) {
        return data({ intent, message: translate(locale, 'error.quantity') }, { status: 400 })
      }
      const outcome = await run((tx) =>
        setPartQuantity(tx, account, id, parsed.data.fileId, quantity.data),
      )
      return outcome.message
        ? fail(outcome.message, outcome.status)
        : redirect(`${here}?saved=1#parts`)
    }
    case 'units': {
      const parsed = FileIdSchema.extend({ units: z.enum(['mm', 'inch']) }).safeParse(fields)
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      const outcome = await run((tx) =>
        setCadFileUnits(tx, account, parsed.data.fileId, parsed.data.units),
      )
      return outcome.message
        ? fail(outcome.message, outcome.status)
        : redirect(`${here}?saved=1#parts`)
    }
    case 'remove-part': {
      const parsed = FileIdSchema.safeParse(fields)
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      const outcome = await run((tx) => removePart(tx, account, id, parsed.data.fileId))
      if (outcome.message) return fail(outcome.message, outcome.status)
      await Promise.all((outcome.result ?? []).map((k) => context.storage.delete(k)))
      return redirect(`${here}?removed=1#parts`)
    }
    case 'open': {
      const outcome = await run((tx) => openJob(tx, account, id, context.settings.publicUrl))
      return outcome.message
        ? data({ intent, message: outcome.message }, { status: 422 })
        : redirect(`${here}?opened=1`)
    }
    case 'relax': {
      const parsed = RelaxFormSchema.safeParse(fields)
      if (!parsed.success) {
        return data({ intent, message: translate(locale, 'error.relax_input') }, { status: 400 })
      }
      const outcome = await run((tx) =>
        relaxJob(tx, account, id, {
          toleranceMm: parsed.data.toleranceMm,
          deadline: parsed.data.deadline,
          anyMaterial: parsed.data.anyMaterial,
          anyProcess: parsed.data.anyProcess,
        }),
      )
      return outcome.message
        ? data({ intent, message: outcome.message }, { status: 422 })
        : redirect(`${here}?relaxed=1#matches`)
    }
    case 'cancel': {
      const outcome = await run((tx) => cancelJob(tx, account, id))
      return outcome.message
        ? fail(outcome.message, outcome.status)
        : redirect(`${here}?cancelled=1`)
    }
    case 'accept-nda': {
      const outcome = await run((tx) => acceptNda(tx, account, id))
      return outcome.message
        ? fail(outcome.message, outcome.status)
        : redirect(`${here}?nda=1#parts`)
    }
    case 'invite': {
      const parsed = WorkshopIdSchema.safeParse(fields)
      if (!parsed.success) {
        return data({ intent, message: translate(locale, 'error.invalidChoice') }, { status: 400 })
      }
      const outcome = await run((tx) =>
        inviteWorkshop(tx, account, id, parsed.data.workshopId, context.settings.publicUrl),
      )
      return outcome.message
        ? fail(outcome.message, outcome.status)
        : redirect(`${here}?invited=1#invitations`)
    }
    case 'uninvite': {
      const parsed = WorkshopIdSchema.safeParse(fields)
      if (!parsed.success) throw new Response('Bad request', { status: 400 })
      const outcome = await run((tx) => uninviteWorkshop(tx, account, id, parsed.data.workshopId))
      return outcome.message
        ? fail(outcome.message, outcome.status)
        : redirect(`${here}#invitations`)
    }
    default:
      throw new Response('Unknown intent', { status: 400 })
  }
}

/** The message for an upload refused without JavaScript (jobs.$jobId_.upload redirects here). */
function uploadErrorKey(code: string): MessageKey {
  const known = ['file_too_large', 'file_empty', 'cad_format', 'quantity', 'job_not_draft']
  return (known.includes(code) ? `error.${code}` : 'jobs.upload.failed') as MessageKey
}

const notices: Record<string, MessageKey> = {
  created: 'jobs.notice.created',
  saved: 'jobs.notice.saved',
  uploaded: 'jobs.notice.uploaded',
  removed: 'jobs.notice.removed',
  opened: 'jobs.notice.opened',
  cancelled: 'jobs.notice.cancelled',
  nda: 'jobs.notice.nda',
  invited: 'jobs.notice.invited',
  locked: 'jobs.notice.locked',
  quoted: 'quotes.notice.sent',
  relaxed: 'jobs.notice.relaxed',
  declined: 'quotes.notice.declined',
}

export default function JobPage() {
  const t = useT()
  const locale = useLocale()
  const loaderData = useLoaderData<typeof loader>()
  const { job, role, parts, filesAllowed } = loaderData
  const actionData = useActionData<typeof action>() as
    { intent?: string; message?: string } | Extract<QuoteActionResult, { ok: false }> | undefined
  const quoteFailure =
    actionData && 'ok' in actionData && actionData.ok === false ? actionData : undefined
  const [searchParams] = useSearchParams()
  const revalidator = useRevalidator()
  const owner = role === 'owner'
  const draft = job.status === 'draft'
  const pending = parts.some((p) => p.file?.status === 'pending') || loaderData.matching

  // While parts are being analysed, look again every 1.5 s (without JS: the refresh below).
  useEffect(() => {
    if (!pending) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, 1500)
    return () => clearInterval(timer)
  }, [pending, revalidator])

  const notice = [...searchParams.keys()].map((k) => notices[k]).find(Boolean)
  const uploadError = searchParams.get('uploadError')
  const error = (intent: string) => (actionData?.intent === intent ? actionData.message : null)
  const ready = parts.length > 0 && parts.every((p) => p.file?.status === 'done')

  return (
    <>
      {pending ? (
        <noscript>
          <meta httpEquiv="refresh" content="5" />
        </noscript>
      ) : null}
      <p>{owner ? <Link to="/jobs">← {t('jobs.back')}</Link> : null}</p>
      <h1>
        {job.title}{' '}
        <span className={`badge status-${job.status}`}>{t(`jobs.status.${job.status}`)}</span>
      </h1>
      {notice ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {error('open') || error('cancel') ? (
        <p className="field-errors" role="alert">
          {error('open') ?? error('cancel')}
        </p>
      ) : null}

      <section className="card" aria-labelledby="facts">
        <h2 id="facts" className="visually-hidden">
          {t('jobs.facts')}
        </h2>
        {job.description ? <p style={{ whiteSpace: 'pre-wrap' }}>{job.description}</p> : null}
        <dl className="facts">
          <dt>{t('jobs.field.process')}</dt>
          <dd>{job.process ? processName(job.process, locale) : t('jobs.processSuggested')}</dd>
          <dt>{t('jobs.field.material')}</dt>
          <dd>
            {loaderData.material
              ? locale === 'en'
                ? loaderData.material.name_en
                : loaderData.material.name_zh
              : t('jobs.materialSuggested')}
          </dd>
          <dt>{t('jobs.field.tolerance')}</dt>
          <dd>± {job.tolerance_mm} mm</dd>
          {job.finish ? (
            <>
              <dt>{t('jobs.field.finish')}</dt>
              <dd>{job.finish}</dd>
            </>
          ) : null}
          <dt>{t('jobs.field.needsSample')}</dt>
          <dd>{job.needs_sample ? t('jobs.yes') : t('jobs.no')}</dd>
          <dt>{t('jobs.field.aql')}</dt>
          <dd>{aqlLabel(job.aql)}</dd>
          <dt>{t('jobs.field.deadline')}</dt>
          <dd>{formatDate(locale, job.deadline)}</dd>
          {job.budget_fen !== null ? (
            <>
              <dt>{t('jobs.field.budget')}</dt>
              <dd>{formatFen(job.budget_fen, locale)}</dd>
            </>
          ) : null}
          <dt>{t('jobs.field.deliveryTown')}</dt>
          <dd>
            {townName(job.delivery_town, locale)}
            {job.delivery_address && role !== 'workshop' ? ` · ${job.delivery_address}` : ''}
          </dd>
          <dt>{t('jobs.field.visibility')}</dt>
          <dd>{t(`jobs.visibility.${job.visibility}`)}</dd>
          <dt>{t('jobs.field.ndaRequired')}</dt>
          <dd>{job.nda_required ? t('jobs.yes') : t('jobs.no')}</dd>
        </dl>
        {owner && draft ? (
          <div className="actions">
            <Link to={`/jobs/${job.id}/edit`} className="button">
              {t('jobs.edit')}
            </Link>
            <Form method="post">
              <CsrfInput />
              <button
                type="submit"
                name="intent"
                value="open"
                className="primary"
                disabled={!ready}
                aria-describedby="open-hint"
              >
                {t('jobs.open')}
              </button>
            </Form>
            <Form method="post">
              <CsrfInput />
              <button type="submit" name="intent" value="cancel" className="secondary danger">
                {t('jobs.discard')}
              </button>
            </Form>
          </div>
        ) : null}
        {owner && draft ? (
          <p id="open-hint" className="hint">
            {ready ? t('jobs.openHint') : t('jobs.openNotReady')}
          </p>
        ) : null}
        {owner && job.status === 'open' ? (
          <Form method="post" className="actions">
            <CsrfInput />
            <span className="muted">{t('jobs.openSince')}</span>
            <button type="submit" name="intent" value="cancel" className="secondary danger">
              {t('jobs.cancel')}
            </button>
          </Form>
        ) : null}
      </section>

      {role === 'workshop' &&
      job.nda_required &&
      loaderData.invited &&
      !loaderData.ndaAcceptedAt ? (
        <section className="card" aria-labelledby="nda">
          <h2 id="nda">{t('jobs.nda.title')}</h2>
          <p>{t('jobs.nda.text')}</p>
          <Form method="post">
            <CsrfInput />
            <button type="submit" name="intent" value="accept-nda" className="primary">
              {t('jobs.nda.accept')}
            </button>
          </Form>
          {error('accept-nda') ? (
            <p className="field-errors" role="alert">
              {error('accept-nda')}
            </p>
          ) : null}
        </section>
      ) : null}
      {role === 'workshop' && loaderData.ndaAcceptedAt ? (
        <p className="muted">
          {t('jobs.nda.acceptedAt', { at: formatDateTime(locale, loaderData.ndaAcceptedAt) })}
        </p>
      ) : null}

      <section className="card" id="parts" aria-labelledby="parts-title">
        <h2 id="parts-title">{t('jobs.parts')}</h2>
        {!filesAllowed ? (
          <p className="notice">
            {loaderData.invited ? t('jobs.files.ndaFirst') : t('jobs.files.invitedOnly')}
          </p>
        ) : null}
        {parts.length === 0 ? <p className="empty">{t('jobs.noParts')}</p> : null}
        {error('quantity') || error('units') || error('remove-part') ? (
          <p className="field-errors" role="alert">
            {error('quantity') ?? error('units') ?? error('remove-part')}
          </p>
        ) : null}
        <ul className="part-list">
          {parts.map((part, i) => (
            <li key={part.file?.id ?? i} className="part">
              {part.file ? (
                <PartAnalysis
                  jobId={job.id}
                  part={part.file}
                  quantity={part.quantity}
                  editable={owner && draft}
                />
              ) : (
                <p>
                  {t('jobs.part.hidden', { format: part.format.toUpperCase(), n: part.quantity })}
                </p>
              )}
            </li>
          ))}
        </ul>
        {owner && draft ? (
          <PartUploader
            action={`/jobs/${job.id}/upload`}
            maxUploadMb={loaderData.maxUploadMb}
            error={uploadError ? t(uploadErrorKey(uploadError)) : null}
          />
        ) : null}
      </section>

      {(owner || role === 'operator') && job.status !== 'draft' ? (
        <section className="card" id="matches" aria-labelledby="matches-title">
          <h2 id="matches-title">{t('match.title')}</h2>
          {loaderData.matching ? (
            <p className="muted" role="status">
              <span className="spinner" aria-hidden="true" /> {t('match.running')}
            </p>
          ) : loaderData.matchSummary ? (
            <p>
              <strong>{t('match.count', { n: loaderData.matchSummary.matched })}</strong>
            </p>
          ) : null}
          {loaderData.matches.length ? (
            <ol className="match-list">
              {loaderData.matches.map((m) => (
                <li key={m.id} className="card">
                  <h3>
                    <Link to={`/workshops/${m.workshopId}`}>{m.workshopName}</Link>{' '}
                    <span className="muted">
                      {m.resourceName} · {processName(m.process, locale)}
                      {m.town ? ` · ${townName(m.town, locale)}` : ''}
                    </span>
                  </h3>
                  <p>
                    {t('match.estimate', {
                      total: formatFen(m.totalFen, locale),
                      days: m.leadDays,
                    })}{' '}
                    <span className="muted">
                      {t('match.score', { score: Math.round(m.score * 100) })}
                    </span>
                  </p>
                  <p className="muted">
                    {m.reasons
                      .map(
                        (r) =>
                          `${t(`match.term.${r.term}` as MessageKey)} ${Math.round(r.contribution * 100)}`,
                      )
                      .join(' · ')}
                  </p>
                </li>
              ))}
            </ol>
          ) : null}
          {loaderData.matchSummary && loaderData.matchSummary.matched === 0 ? (
            <>
              <p>{t('match.none')}</p>
              <ul>
                {loaderData.matchSummary.misses.map((miss) => (
                  <li key={miss.code}>
                    {t(`match.miss.${miss.code}` as MessageKey, {
                      n: miss.count,
                      best: miss.best ?? '',
                    })}
                  </li>
                ))}
              </ul>
              {owner && job.status === 'open' ? (
                <RelaxForm
                  job={job}
                  bestTolerance={
                    loaderData.matchSummary.misses.find((m) => m.code === 'tolerance')?.best
                  }
                  errors={actionData && 'fieldErrors' in actionData ? undefined : error('relax')}
                />
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      {loaderData.order ? (
        <p className="notice">
          {t('quotes.orderMade', { number: loaderData.order.number })}{' '}
          <Link to={`/orders/${loaderData.order.id}`}>{t('quotes.seeOrder')}</Link>
        </p>
      ) : null}

      {(owner || role === 'operator') && job.status !== 'draft' ? (
        <section className="card" id="quotes" aria-labelledby="quotes-title">
          <h2 id="quotes-title">{t('quotes.compareTitle')}</h2>
          {quoteFailure ? (
            <p className="field-errors" role="alert">
              {quoteFailure.message}
            </p>
          ) : null}
          {loaderData.comparison.length === 0 ? (
            <p className="empty">{t('quotes.none')}</p>
          ) : (
            <>
              <p className="muted">{t('quotes.compareLead')}</p>
              {Object.keys(loaderData.vouchers).length ? (
                <p className="muted">{t('vouchers.quote.hint')}</p>
              ) : null}
              <QuoteComparison
                quotes={loaderData.comparison}
                needsSample={job.needs_sample}
                canAccept={owner && job.status === 'open'}
                vouchers={loaderData.vouchers}
              />
            </>
          )}
        </section>
      ) : null}

      {role === 'workshop' ? (
        <section className="card" id="quotes" aria-labelledby="quotes-title">
          <h2 id="quotes-title">{t('quotes.yourQuote')}</h2>
          <span id="quote" />
          {quoteFailure ? (
            <p className="field-errors" role="alert">
              {quoteFailure.message}
            </p>
          ) : null}
          {loaderData.ownQuotes.map((q) => (
            <div key={q.id} className="stack">
              <p>
                <QuoteStatus quote={q} />
                {q.declineReason ? (
                  <span className="muted"> {declineReasonText(t, q.declineReason)}</span>
                ) : null}
              </p>
              <QuoteFigures quote={q} needsSample={job.needs_sample} />
              <details>
                <summary>{t('quotes.breakdown')}</summary>
                <Breakdown lines={q.breakdown} totalFen={q.totalFen} />
              </details>
              {q.status === 'pending' && job.status === 'open' ? (
                <div className="grid">
                  <ConfirmQuoteForm
                    quote={q}
                    values={
                      quoteFailure?.intent === 'confirm-quote' ? quoteFailure.values : undefined
                    }
                    errors={
                      quoteFailure?.intent === 'confirm-quote'
                        ? quoteFailure.fieldErrors
                        : undefined
                    }
                  />
                  <DeclineQuoteForm
                    quote={q}
                    errors={
                      quoteFailure?.intent === 'decline-quote'
                        ? quoteFailure.fieldErrors
                        : undefined
                    }
                  />
                </div>
              ) : null}
            </div>
          ))}
          {job.status === 'open' &&
          !loaderData.ownQuotes.some((q) => q.status === 'pending' || q.status === 'accepted') ? (
            loaderData.machines.length ? (
              <ManualQuoteForm
                parts={loaderData.quoteParts}
                machines={loaderData.machines}
                needsSample={job.needs_sample}
                values={quoteFailure?.intent === 'manual-quote' ? quoteFailure.values : undefined}
                errors={
                  quoteFailure?.intent === 'manual-quote' ? quoteFailure.fieldErrors : undefined
                }
              />
            ) : (
              <p className="empty">{t('quotes.noMachineForProcess')}</p>
            )
          ) : null}
          {job.status !== 'open' && loaderData.ownQuotes.length === 0 ? (
            <p className="empty">{t('quotes.jobClosed')}</p>
          ) : null}
        </section>
      ) : null}

      <Questions />

      {owner || role === 'operator' ? (
        <section className="card" id="invitations" aria-labelledby="invitations-title">
          <h2 id="invitations-title">{t('jobs.invitations')}</h2>
          <p className="muted">{t('jobs.invitationsLead')}</p>
          {loaderData.invitations.length === 0 ? (
            <p className="empty">{t('jobs.noInvitations')}</p>
          ) : (
            <ul>
              {loaderData.invitations.map((inv) => (
                <li key={inv.id}>
                  <Link to={`/workshops/${inv.id}`}>{inv.name}</Link>
                  {inv.town ? ` · ${townName(inv.town, locale)}` : ''}
                  {job.nda_required
                    ? ` · ${
                        inv.nda_accepted_at
                          ? t('jobs.nda.acceptedAt', {
                              at: formatDateTime(locale, inv.nda_accepted_at),
                            })
                          : t('jobs.nda.notYet')
                      }`
                    : ''}
                  {owner && (draft || job.status === 'open') ? (
                    <Form method="post" style={{ display: 'inline', marginLeft: '0.5rem' }}>
                      <CsrfInput />
                      <input type="hidden" name="workshopId" value={inv.id} />
                      <button type="submit" name="intent" value="uninvite" className="link">
                        {t('jobs.uninvite')}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {owner && loaderData.workshops.length ? (
            <Form method="post" className="actions">
              <CsrfInput />
              <label htmlFor="invite-workshop">{t('jobs.inviteWorkshop')}</label>
              <select id="invite-workshop" name="workshopId" required defaultValue="">
                <option value="" disabled>
                  {t('jobs.chooseWorkshop')}
                </option>
                {loaderData.workshops.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                    {w.town ? ` · ${townName(w.town, locale)}` : ''}
                    {w.verification_status === 'verified' ? ` · ${t('search.verified')}` : ''}
                  </option>
                ))}
              </select>
              <button type="submit" name="intent" value="invite">
                {t('jobs.invite')}
              </button>
              {error('invite') ? (
                <span className="field-errors" role="alert">
                  {error('invite')}
                </span>
              ) : null}
            </Form>
          ) : null}
        </section>
      ) : null}

      {owner || role === 'operator' ? (
        <section className="card" id="downloads" aria-labelledby="downloads-title">
          <h2 id="downloads-title">{t('jobs.downloads')}</h2>
          {loaderData.downloads.length === 0 ? (
            <p className="empty">{t('jobs.noDownloads')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('jobs.download.at')}</th>
                  <th scope="col">{t('jobs.download.who')}</th>
                  <th scope="col">{t('jobs.download.file')}</th>
                </tr>
              </thead>
              <tbody>
                {loaderData.downloads.map((d) => (
                  <tr key={d.id}>
                    <td>{formatDateTime(locale, d.created_at)}</td>
                    <td>
                      {d.user_name ?? '—'}
                      {d.organization_name ? ` · ${d.organization_name}` : ''}
                    </td>
                    <td>{d.original_name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </>
  )
}

/** The job's questions (posted through jobs.$jobId_.messages, which redirects back). */
function Questions() {
  const t = useT()
  const { job, role, questions } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  if (!questions) return null
  return (
    <JobQuestions
      jobId={job.id}
      role={role}
      {...questions}
      error={messageErrorText(t, searchParams.get('messageError'))}
    />
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
