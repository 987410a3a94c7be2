import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { formatFen } from '../models/money.ts'
import { createProgram, listPrograms } from '../models/voucher-admin.server.ts'
import { ProgramFormSchema, programInputFromForm } from '../models/voucher.schema.ts'
import { requireKind } from '../utils/auth.server.ts'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { TableHead } from '../components/table.tsx'
import { VoucherProgramForm } from '../components/voucher-program-form.tsx'
import { formatDate } from '../locales/index.ts'
import { useLocale, useT } from '../utils/i18n.ts'

// The operators' 服务券 programmes (issue 8): each with its share, cap, budget used and left,
// open applications; and the form that creates one.

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireKind(request, context, ['platform'])
  return { programs: await listPrograms(context.db) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const operator = await requireKind(request, context, ['platform'])
  const formData = await request.formData()
  if (formData.get('intent') !== 'create') throw new Response('Unknown intent', { status: 400 })
  const submission = parseWithZod(formData, { schema: ProgramFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const input = programInputFromForm(submission.value)
  const id = await context.db.transaction().execute((tx) => createProgram(tx, operator, input))
  return redirect(`/console/vouchers/${id}?created=1`)
}

export default function VoucherProgramsPage() {
  const t = useT()
  const locale = useLocale()
  const { programs } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/console">← {t('console.title')}</Link>
      </p>
      <h1>{t('vouchers.console.title')}</h1>
      <p className="muted">{t('vouchers.console.lead')}</p>

      <section className="card" aria-labelledby="programs-heading">
        <h2 id="programs-heading">{t('vouchers.console.programs')}</h2>
        {programs.length === 0 ? (
          <p className="empty">{t('vouchers.console.none')}</p>
        ) : (
          <div className="table-scroll">
            <table aria-labelledby="programs-heading">
              <TableHead
                columns={[
                  t('vouchers.col.name'),
                  t('vouchers.col.share'),
                  t('vouchers.col.cap'),
                  t('vouchers.col.budget'),
                  t('vouchers.col.used'),
                  t('vouchers.col.left'),
                  t('vouchers.col.validity'),
                  t('vouchers.col.applications'),
                  t('vouchers.col.grants'),
                ]}
              />
              <tbody>
                {programs.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link to={`/console/vouchers/${p.id}`}>{p.name}</Link>
                    </td>
                    <td>{p.share_bps / 100} %</td>
                    <td>{formatFen(p.annual_cap_fen, locale)}</td>
                    <td>{formatFen(p.budget_fen, locale)}</td>
                    <td>{formatFen(p.used_fen, locale)}</td>
                    <td>{formatFen(p.left_fen, locale)}</td>
                    <td>
                      {formatDate(locale, p.valid_from)} – {formatDate(locale, p.valid_until)}
                    </td>
                    <td>{p.applications}</td>
                    <td>{p.grants}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" id="create" aria-labelledby="create-heading">
        <h2 id="create-heading">{t('vouchers.console.create')}</h2>
        <VoucherProgramForm
          id="voucher-program-create"
          intent="create"
          submitLabel={t('vouchers.console.createSubmit')}
          lastResult={actionData?.result}
        />
      </section>
    </>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
