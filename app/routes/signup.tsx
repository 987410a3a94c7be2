import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { SignupSchema } from '../models/account.schema.ts'
import { signUp } from '../models/user.server.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { towns } from '../models/towns.ts'
import { dashboardPath, getAuth, startSession } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field, SelectField } from '../components/forms.tsx'
import { useLocale, useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context)
  if (auth) throw redirect(dashboardPath(auth.account.organization.kind))
  return null
}

// Remix puts action headers (Retry-After on 429) on a document response only through this.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: SignupSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const locale = requestLocale(request)
  let account
  try {
    await enforceRateLimits(context.db, context.settings.rateLimits, [
      ['signupIp', context.clientIp],
    ])
    account = await context.db
      .transaction()
      .execute((tx) => signUp(tx, { ...submission.value, locale }))
  } catch (error) {
    const { result, status, headers } = replyWithError(submission, error, locale, {
      hideFields: ['password'],
    })
    return data({ result }, { status, headers })
  }
  const { headers } = await startSession(request, context, account.user.id)
  return redirect(dashboardPath(account.organization.kind), { headers })
}

export default function SignupPage() {
  const t = useT()
  const locale = useLocale()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'signup',
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignupSchema),
    defaultValue: { kind: 'design_firm' },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
  })
  const kindValue = fields.kind.value ?? 'design_firm'
  return (
    <div className="narrow">
      <section className="card">
        <h1>{t('signup.title')}</h1>
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <ErrorList id={form.errorId} errors={form.errors} />
          <fieldset className="radio-cards">
            <legend>{t('field.kind')}</legend>
            {(['design_firm', 'workshop'] as const).map((kind) => (
              <label key={kind}>
                <input
                  type="radio"
                  name={fields.kind.name}
                  value={kind}
                  defaultChecked={kindValue === kind}
                  required
                />
                <span>
                  <strong>{t(`kind.${kind}`)}</strong>
                  <br />
                  <span className="muted">
                    {t(
                      kind === 'design_firm' ? 'signup.kindDesignHint' : 'signup.kindWorkshopHint',
                    )}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <ErrorList errors={fields.kind.errors} />
          <Field
            label={t('field.organizationName')}
            inputProps={{
              ...getInputProps(fields.organizationName, { type: 'text' }),
              autoComplete: 'organization',
            }}
            errors={fields.organizationName.errors}
          />
          <SelectField
            label={t('field.town')}
            selectProps={getSelectProps(fields.town)}
            options={[
              { value: '', label: '—' },
              ...towns.map((town) => ({
                value: town.code,
                label: locale === 'en' ? `${town.en} ${town.zh}` : town.zh,
              })),
            ]}
            errors={fields.town.errors}
          />
          <Field
            label={t('field.name')}
            inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }}
            errors={fields.name.errors}
          />
          <Field
            label={t('field.email')}
            inputProps={{
              ...getInputProps(fields.email, { type: 'email' }),
              autoComplete: 'email',
            }}
            errors={fields.email.errors}
          />
          <Field
            label={t('field.password')}
            hint={t('signup.passwordHint')}
            inputProps={{
              ...getInputProps(fields.password, { type: 'password' }),
              autoComplete: 'new-password',
            }}
            errors={fields.password.errors}
          />
          <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
            {t('signup.submit')}
          </button>
        </Form>
        <p>
          {t('signup.haveAccount')} <Link to="/login">{t('nav.login')}</Link>
        </p>
      </section>
    </div>
  )
}
