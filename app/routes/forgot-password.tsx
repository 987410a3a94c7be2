import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs, type HeadersFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { ForgotPasswordSchema } from '../models/account.schema.ts'
import { normalizeEmail, requestPasswordReset } from '../models/user.server.ts'
import { enforceRateLimits } from '../models/rate-limit.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { useT } from '../utils/i18n.ts'

// Remix puts action headers (Retry-After on 429) on a document response only through this.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ForgotPasswordSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), sent: false }, { status: 400 })
  }
  try {
    // Per address too, so nobody floods one mailbox; refused alike whether it has an account.
    await enforceRateLimits(context.db, context.settings.rateLimits, [
      ['passwordResetIp', context.clientIp],
      ['passwordResetEmail', normalizeEmail(submission.value.email)],
    ])
  } catch (error) {
    const { result, status, headers } = replyWithError(submission, error, requestLocale(request))
    return data({ result, sent: false }, { status, headers })
  }
  await context.db.transaction().execute((tx) =>
    requestPasswordReset(tx, {
      email: submission.value.email,
      publicUrl: context.settings.publicUrl,
    }),
  )
  return { result: submission.reply({ resetForm: true }), sent: true }
}

export default function ForgotPasswordPage() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'forgot-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
  })
  return (
    <div className="narrow">
      <section className="card">
        <h1>{t('forgot.title')}</h1>
        {actionData?.sent ? (
          <p className="notice" role="status">
            {t('forgot.sent')}
          </p>
        ) : (
          <p className="muted">{t('forgot.lead')}</p>
        )}
        <Form method="post" {...getFormProps(form)}>
          <CsrfInput />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label={t('field.email')}
            inputProps={{
              ...getInputProps(fields.email, { type: 'email' }),
              autoComplete: 'email',
            }}
            errors={fields.email.errors}
          />
          <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
            {t('forgot.submit')}
          </button>
        </Form>
        <p>
          <Link to="/login">{t('nav.login')}</Link>
        </p>
      </section>
    </div>
  )
}
