import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react'
import { LoginSchema } from '../models/account.schema.ts'
import { verifyLogin } from '../models/user.server.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { dashboardPath, getAuth, startSession } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { useT } from '../utils/i18n.ts'
import { DEMO_PASSWORD, demoAccounts } from '../../db/seed.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context)
  if (auth) throw redirect(dashboardPath(auth.account.organization.kind))
  return {
    demo: context.settings.demoMode
      ? {
          password: DEMO_PASSWORD,
          accounts: demoAccounts.map((a) => ({ email: a.email, kind: a.kind })),
        }
      : null,
  }
}

// Remix puts action headers on a document response only through this export.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: LoginSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const { email, password, redirectTo } = submission.value
  let account
  try {
    // Every attempt from one IP counts; failures per account are counted by verifyLogin.
    await enforceRateLimits(context.db, context.settings.rateLimits, [
      ['loginIp', context.clientIp],
    ])
    account = await verifyLogin(context.db, { email, password, ip: context.clientIp })
  } catch (error) {
    const { result, status, headers } = replyWithError(submission, error, requestLocale(request), {
      hideFields: ['password'],
    })
    return data({ result }, { status, headers })
  }
  const { headers } = await startSession(request, context, account.user.id)
  return redirect(redirectTo ?? dashboardPath(account.organization.kind), { headers })
}

export default function LoginPage() {
  const t = useT()
  const { demo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [searchParams] = useSearchParams()
  const [form, fields] = useForm({
    id: `login-${searchParams.get('email') ?? ''}`,
    lastResult: actionData?.result,
    defaultValue: { email: searchParams.get('email') ?? '' },
    constraint: getZodConstraint(LoginSchema),
    // Not onBlur: the email field has focus on load, and a blur error would shift the
    // "forgot password" link away from under the pointer.
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  })
  const notice = searchParams.get('notice')
  return (
    <div className="narrow">
      <section className="card">
        <h1>{t('login.title')}</h1>
        {notice === 'logged-out' ? <p className="notice">{t('login.loggedOut')}</p> : null}
        {notice === 'password-reset' ? <p className="notice">{t('login.passwordReset')}</p> : null}
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label={t('field.email')}
            inputProps={{
              ...getInputProps(fields.email, { type: 'email' }),
              autoComplete: 'email',
              autoFocus: true,
            }}
            errors={fields.email.errors}
          />
          <Field
            label={t('field.password')}
            inputProps={{
              ...getInputProps(fields.password, { type: 'password' }),
              autoComplete: 'current-password',
            }}
            errors={fields.password.errors}
          />
          <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
            {t('login.submit')}
          </button>
        </Form>
        <p>
          <Link to="/forgot-password">{t('login.forgot')}</Link>
        </p>
        <p>
          {t('login.noAccount')} <Link to="/signup">{t('nav.signup')}</Link>
        </p>
      </section>
      {demo ? (
        <section className="card demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">{t('login.demoTitle')}</h2>
          <p className="muted">{t('login.demoHint', { password: demo.password })}</p>
          <ul>
            {demo.accounts.map((a) => (
              <li key={a.email}>
                <code>{a.email}</code> — {t(`kind.${a.kind}`)} ·{' '}
                <Link
                  to={`?${new URLSearchParams({ email: a.email })}`}
                  aria-label={`${t('login.demoUse')} ${a.email}`}
                >
                  {t('login.demoUse')}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
