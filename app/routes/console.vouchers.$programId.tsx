import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import type { ReactNode } from 'react'
import { z } from 'zod'
import { shanghaiToday } from '../models/capacity.server.ts'
import { DomainError, NotFoundError, RuleViolationError } from '../models/errors.ts'
import { formatFen } from '../models/money.ts'
import { processName } from '../models/processes.ts'
import { clusters, labelOf } from '../models/taxonomy.ts'
import {
  decideGrant,
  getProgram,
  grantDirectly,
  listGrants,
  listProgramChanges,
  listRedemptions,
  searchDesignFirms,
  updateProgram,
} from '../models/voucher-admin.server.ts'
import {
  DecisionFormSchema,
  DirectGrantFormSchema,
  ProgramFormSchema,
  programInputFromForm,
} from '../models/voucher.schema.ts'
import { domainErrorMessage } from '../utils/api.server.ts'
import { requireKind } from '../utils/auth.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList } from '../components/forms.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { TableHead } from '../components/table.tsx'
import { VoucherProgramForm, programDefaults } from '../components/voucher-program-form.tsx'
import { formatDate, formatDateTime, type MessageKey } from '../locales/index.ts'
import { translateMessage, useLocale, useT } from '../utils/i18n.ts'

// One 服务券 programme for operators (issue 8): its budget used and left, the edit form, the
// applications to decide, direct grants to a design firm, its redemptions, the reimbursement
// file for a period, and its change history. Every form works without JavaScript.

function programIdFrom(params: { programId?: string }) {
  const parsed = z.uuid().safeParse(params.programId)
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  const programId = programIdFrom(params)
  const program = await getProgram(context.db, programId)
  if (!program) throw new Response('Not found', { status: 404 })
  const query = new URL(request.url).searchParams.get('q')?.slice(0, 100) ?? ''
  const [grants, redemptions, firms, changes] = await Promise.all([
    listGrants(context.db, programId),
    listRedemptions(context.db, programId),
    searchDesignFirms(context.db, query),
    listProgramChanges(context.db, programId),
  ])
  const today = shanghaiToday()
  return {
    program,
    grants,
    redemptions,
    firms,
    query,
    changes,
    today,
    monthStart: `${today.slice(0, 8)}01`,
  }
}

const intents = ['update', 'decide', 'grant'] as const
type Intent = (typeof intents)[number]

export async function action({ request, context, params }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const programId = programIdFrom(params)
  const locale = requestLocale(request, operator.user.locale)
  const formData = await request.formData()
  const intent = formData.get('intent') as Intent
  if (!intents.includes(intent)) throw new Response('Unknown intent', { status: 400 })
  const here = `/console/vouchers/${programId}`
  const publicUrl = context.settings.publicUrl
  /** A refusal shown beside the form that was sent (`grantId`: that application's row). */
  const refuse = (status: number, message: string, grantId?: string) =>
    data({ intent, result: undefined, message, grantId }, { status })
  const refuseDomain = (error: unknown, grantId?: string) => {
    if (error instanceof NotFoundError) throw new Response('Not found', { status: 404 })
    if (!(error instanceof DomainError)) throw error
    const status = error.kind === 'forbidden' ? 403 : error.kind === 'conflict' ? 409 : 422
    return refuse(status, domainErrorMessage(locale, error), grantId)
  }

  switch (intent) {
    case 'update': {
      const submission = parseWithZod(formData, { schema: ProgramFormSchema })
      if (submission.status !== 'success') {
        return data({ intent, result: submission.reply(), message: undefined }, { status: 400 })
      }
      const input = programInputFromForm(submission.value)
      try {
        await context.db
          .transaction()
          .execute((tx) => updateProgram(tx, operator, programId, input))
      } catch (error) {
        // The model names the API's field; on this form it is the budget.
        if (error instanceof RuleViolationError && error.field === 'budget_fen') {
          const message = domainErrorMessage(locale, error)
          const result = submission.reply({ fieldErrors: { budget: [message] } })
          return data({ intent, result, message: undefined }, { status: 422 })
        }
        return refuseDomain(error)
      }
      return redirect(`${here}?saved=1#edit`)
    }
    case 'decide': {
      const submission = parseWithZod(formData, { schema: DecisionFormSchema })
      const grantId = String(formData.get('grantId') ?? '')
      if (submission.status !== 'success') {
        const first = Object.values(submission.error ?? {}).flat()[0] ?? 'error.invalid'
        return refuse(400, first, grantId)
      }
      const { decision, note } = submission.value
      try {
        await context.db
          .transaction()
          .execute((tx) =>
            decideGrant(tx, operator, submission.value.grantId, { decision, note }, { publicUrl }),
          )
      } catch (error) {
        return refuseDomain(error, grantId)
      }
      return redirect(`${here}?decided=${decision}#applications`)
    }
    case 'grant': {
      const submission = parseWithZod(formData, { schema: DirectGrantFormSchema })
      if (submission.status !== 'success') {
        const first = Object.values(submission.error ?? {}).flat()[0] ?? 'error.invalid'
        return refuse(400, first)
      }
      const { organizationId, note } = submission.value
      try {
        await context.db
          .transaction()
          .execute((tx) =>
            grantDirectly(tx, operator, programId, { organizationId, note }, { publicUrl }),
          )
      } catch (error) {
        return refuseDomain(error)
      }
      return redirect(`${here}?granted=1#grants`)
    }
  }
}

function Card(props: { id: string; title: string; lead?: string; children: ReactNode }) {
  return (
    <section className="card" id={props.id} aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      {props.lead ? <p className="muted">{props.lead}</p> : null}
      {props.children}
    </section>
  )
}

const auditLabels: Record<string, MessageKey> = {
  'voucher_program.create': 'vouchers.audit.create',
  'voucher_program.update': 'vouchers.audit.update',
  'voucher_grant.approve': 'vouchers.audit.approve',
  'voucher_grant.reject': 'vouchers.audit.reject',
  'voucher_grant.grant': 'vouchers.audit.grant',
}

const notices: Record<string, MessageKey> = {
  created: 'vouchers.console.created',
  saved: 'vouchers.console.saved',
  decided: 'vouchers.console.decided',
  granted: 'vouchers.console.granted',
}

export default function VoucherProgramPage() {
  const t = useT()
  const locale = useLocale()
  const loaderData = useLoaderData<typeof loader>()
  const { program, grants, redemptions, changes, today } = loaderData
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const notice = Object.keys(notices).find((k) => searchParams.get(k))
  const failure = (intent: Intent, grantId?: string) =>
    actionData?.intent === intent && actionData.message && actionData.grantId === grantId
      ? translateMessage(t, actionData.message)
      : null
  const applications = grants.filter((g) => g.status === 'applied')
  const decided = grants.filter((g) => g.status !== 'applied')
  const state =
    program.valid_until < today ? 'ended' : program.valid_from > today ? 'upcoming' : 'open'
  return (
    <>
      <p>
        <Link to="/console/vouchers">← {t('vouchers.console.title')}</Link>
      </p>
      <h1>{program.name}</h1>
      <p>
        <span className={`badge${state === 'open' ? ' ok' : ''}`}>
          {t(`vouchers.state.${state}`)}
        </span>{' '}
        {t('vouchers.program.summary', {
          share: program.share_bps / 100,
          cap: formatFen(program.annual_cap_fen, locale),
          from: formatDate(locale, program.valid_from),
          until: formatDate(locale, program.valid_until),
        })}
      </p>
      <p className="muted">
        {t('vouchers.field.processes')}:{' '}
        {program.processes.length
          ? program.processes.map((p) => processName(p, locale)).join('、')
          : t('vouchers.all')}
        {' · '}
        {t('vouchers.field.clusters')}:{' '}
        {program.clusters.length
          ? program.clusters.map((c) => labelOf(clusters, c, locale)).join('、')
          : t('vouchers.all')}
      </p>
      {notice ? (
        <p className="notice" role="status">
          {t(notices[notice]!)}
        </p>
      ) : null}

      <Card id="budget" title={t('vouchers.program.budget')}>
        <p>
          {t('vouchers.program.budgetUse', {
            used: formatFen(program.used_fen, locale),
            left: formatFen(program.left_fen, locale),
            budget: formatFen(program.budget_fen, locale),
          })}
        </p>
        <meter
          min={0}
          max={program.budget_fen}
          value={program.used_fen}
          aria-label={t('vouchers.program.budget')}
          style={{ width: '100%' }}
        />
      </Card>

      <Card
        id="applications"
        title={t('vouchers.applications.title')}
        lead={t('vouchers.applications.lead')}
      >
        {applications.length === 0 ? (
          <p className="empty">{t('vouchers.applications.none')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="applications-heading">
              <TableHead
                columns={[
                  t('vouchers.col.firm'),
                  t('vouchers.col.uscc'),
                  t('vouchers.col.year'),
                  t('vouchers.col.note'),
                  t('vouchers.col.appliedAt'),
                  t('vouchers.col.decision'),
                ]}
              />
              <tbody>
                {applications.map((g) => (
                  <tr key={g.id}>
                    <td>{g.organization_name}</td>
                    <td>
                      <code>{g.uscc ?? '—'}</code>
                    </td>
                    <td>{g.year}</td>
                    <td style={{ whiteSpace: 'pre-wrap' }}>{g.note || '—'}</td>
                    <td>{formatDateTime(locale, g.created_at)}</td>
                    <td>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="decide" />
                        <input type="hidden" name="grantId" value={g.id} />
                        <div className="field">
                          <label htmlFor={`note-${g.id}`}>{t('vouchers.decision.note')}</label>
                          <input id={`note-${g.id}`} name="note" type="text" maxLength={1000} />
                        </div>
                        <ErrorList
                          errors={failure('decide', g.id) ? [failure('decide', g.id)!] : null}
                        />
                        <div style={{ display: 'flex', gap: '0.5rem' }}>
                          <button type="submit" name="decision" value="approve" className="primary">
                            {t('vouchers.decision.approve')}
                          </button>
                          <button
                            type="submit"
                            name="decision"
                            value="reject"
                            className="secondary danger"
                          >
                            {t('vouchers.decision.reject')}
                          </button>
                        </div>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card id="grants" title={t('vouchers.grants.title')}>
        {decided.length === 0 ? (
          <p className="empty">{t('vouchers.grants.none')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="grants-heading">
              <TableHead
                columns={[
                  t('vouchers.col.firm'),
                  t('vouchers.col.uscc'),
                  t('vouchers.col.year'),
                  t('vouchers.col.status'),
                  t('vouchers.col.used'),
                  t('vouchers.col.remainingCap'),
                  t('vouchers.col.decisionNote'),
                ]}
              />
              <tbody>
                {decided.map((g) => (
                  <tr key={g.id}>
                    <td>{g.organization_name}</td>
                    <td>
                      <code>{g.uscc ?? '—'}</code>
                    </td>
                    <td>{g.year}</td>
                    <td>
                      <span className={`badge${g.status === 'approved' ? ' ok' : ''}`}>
                        {t(`vouchers.status.${g.status}`)}
                      </span>
                    </td>
                    <td>{formatFen(g.used_fen, locale)}</td>
                    <td>
                      {g.status === 'approved' ? formatFen(g.remaining_cap_fen, locale) : '—'}
                    </td>
                    <td style={{ whiteSpace: 'pre-wrap' }}>{g.decision_note || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card id="direct" title={t('vouchers.direct.title')} lead={t('vouchers.direct.lead')}>
        <Form method="get" preventScrollReset>
          <div className="field">
            <label htmlFor="firm-search">{t('vouchers.direct.search')}</label>
            <input id="firm-search" name="q" type="search" defaultValue={loaderData.query} />
          </div>
          <p>
            <button type="submit" className="secondary">
              {t('vouchers.direct.searchButton')}
            </button>
          </p>
        </Form>
        {loaderData.firms.length === 0 ? (
          <p className="empty">{t('vouchers.direct.noFirms')}</p>
        ) : (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="grant" />
            <div className="field">
              <label htmlFor="grant-firm">{t('vouchers.direct.firm')}</label>
              <select id="grant-firm" name="organizationId" required defaultValue="">
                <option value="" disabled>
                  {t('vouchers.direct.choose')}
                </option>
                {loaderData.firms.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                    {f.uscc ? ` · ${f.uscc}` : ''}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="grant-note">{t('vouchers.direct.note')}</label>
              <input id="grant-note" name="note" type="text" maxLength={1000} />
            </div>
            <ErrorList errors={failure('grant') ? [failure('grant')!] : null} />
            <p>
              <button type="submit" className="primary">
                {t('vouchers.direct.submit')}
              </button>
            </p>
          </Form>
        )}
      </Card>

      <Card id="redemptions" title={t('vouchers.redemptions.title')}>
        {redemptions.length === 0 ? (
          <p className="empty">{t('vouchers.redemptions.none')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="redemptions-heading">
              <TableHead
                columns={[
                  t('vouchers.col.order'),
                  t('vouchers.col.firm'),
                  t('vouchers.col.orderStatus'),
                  t('vouchers.col.contract'),
                  t('vouchers.col.amount'),
                  t('vouchers.col.reversed'),
                  t('vouchers.col.redeemedAt'),
                ]}
              />
              <tbody>
                {redemptions.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/orders/${r.order_id}`}>
                        <code>{r.order_number}</code>
                      </Link>
                    </td>
                    <td>{r.organization_name}</td>
                    <td>{t(`orders.status.${r.order_status}` as MessageKey)}</td>
                    <td>{formatFen(r.subtotal_fen, locale)}</td>
                    <td>{formatFen(r.amount_fen, locale)}</td>
                    <td>{r.reversed_fen ? formatFen(r.reversed_fen, locale) : '—'}</td>
                    <td>{formatDateTime(locale, r.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <Card id="export" title={t('vouchers.export.title')} lead={t('vouchers.export.lead')}>
        {/* A plain GET form: the file downloads, with or without JavaScript. */}
        <form method="get" action={`/console/vouchers/${program.id}/reimbursement`}>
          <div className="grid" style={{ gap: '0 1.25rem' }}>
            <div className="field">
              <label htmlFor="export-from">{t('vouchers.export.from')}</label>
              <input
                id="export-from"
                name="from"
                type="date"
                required
                defaultValue={loaderData.monthStart}
              />
            </div>
            <div className="field">
              <label htmlFor="export-to">{t('vouchers.export.to')}</label>
              <input id="export-to" name="to" type="date" required defaultValue={today} />
            </div>
          </div>
          <div style={{ display: 'flex', gap: '0.75rem' }}>
            <button type="submit" name="format" value="csv" className="secondary">
              {t('vouchers.export.csv')}
            </button>
            <button type="submit" name="format" value="xlsx" className="primary">
              {t('vouchers.export.xlsx')}
            </button>
          </div>
        </form>
      </Card>

      <Card id="edit" title={t('vouchers.program.edit')}>
        <VoucherProgramForm
          key={String(program.updated_at)}
          id="voucher-program-edit"
          intent="update"
          submitLabel={t('vouchers.save')}
          lastResult={actionData?.intent === 'update' ? actionData.result : undefined}
          defaultValue={programDefaults(program)}
        />
        {failure('update') ? <ErrorList errors={[failure('update')!]} /> : null}
      </Card>

      <Card id="history" title={t('vouchers.history.title')}>
        {changes.length === 0 ? (
          <p className="empty">{t('vouchers.history.none')}</p>
        ) : (
          <ul>
            {changes.map((c) => (
              <li key={c.id}>
                {formatDateTime(locale, c.created_at)} · {c.actor_name ?? '—'} ·{' '}
                {auditLabels[c.action] ? t(auditLabels[c.action]!) : c.action}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
