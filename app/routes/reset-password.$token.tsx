import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ResetPasswordSchema } from '../models/account.schema.ts'
import { isResetTokenUsable, resetPassword } from '../models/user.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { GeneralErrorBoundary } from '../components/error-boundary.tsx'
import { useT } from '../utils/i18n.ts'

export async function loader({ params, context }: LoaderFunctionArgs) {
  return { usable: await isResetTokenUsable(context.db, params.token ?? '') }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ResetPasswordSchema })
  if (submission.status !== 'success') {
    return data(
      { result: submission.reply({ hideFields: ['password', 'confirmPassword'] }) },
      { status: 400 },
    )
  }
  try {
    await context.db
      .transaction()
      .execute((tx) =>
        resetPassword(tx, { token: params.token ?? '', password: submission.value.password }),
      )
  } catch (error) {
    const { result, status } = replyWithError(submission, error, requestLocale(request), {
      hideFields: ['password', 'confirmPassword'],
    })
    return data({ result }, { status })
  }
  return redirect('/login?notice=password-reset')
}

export default function ResetPasswordPage() {
  const t = useT()
  const { usable } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'reset-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordSchema }),
  })
  return (
    <div className="narrow">
      <section className="card">
        <h1>{t('reset.title')}</h1>
        {usable ? (
          <Form method="post" {...getFormProps(form)}>
            <CsrfInput />
            <ErrorList id={form.errorId} errors={form.errors} />
            <Field
              label={t('field.newPassword')}
              hint={t('signup.passwordHint')}
              inputProps={{
                ...getInputProps(fields.password, { type: 'password' }),
                autoComplete: 'new-password',
              }}
              errors={fields.password.errors}
            />
            <Field
              label={t('field.confirmPassword')}
              inputProps={{
                ...getInputProps(fields.confirmPassword, { type: 'password' }),
                autoComplete: 'new-password',
              }}
              errors={fields.confirmPassword.errors}
            />
            <button type="submit" className="primary" disabled={navigation.state === 'submitting'}>
              {t('reset.submit')}
            </button>
          </Form>
        ) : (
          <>
            <p className="alert" role="alert">
              {t('reset.invalid')}
            </p>
            <Link to="/forgot-password">{t('reset.requestNew')}</Link>
          </>
        )}
      </section>
    </div>
  )
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
