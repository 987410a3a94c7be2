import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useSearchParams } from '@remix-run/react'
import { ChangePasswordSchema } from '../models/account.schema.ts'
import { changePassword } from '../models/user.server.ts'
import { getAuth, requireAccount } from '../utils/auth.server.ts'
import { replyWithError } from '../utils/forms.server.ts'
import { requestLocale } from '../utils/locale.server.ts'
import { CsrfInput, ErrorList, Field } from '../components/forms.tsx'
import { useT } from '../utils/i18n.ts'

const hidden = ['currentPassword', 'newPassword', 'confirmPassword']

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAccount(request, context)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const auth = await getAuth(request, context)
  const submission = parseWithZod(await request.formData(), { schema: ChangePasswordSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: hidden }) }, { status: 400 })
  }
  try {
    await context.db.transaction().execute((tx) =>
      changePassword(tx, {
        userId: account.user.id,
        currentPassword: submission.value.currentPassword,
        newPassword: submission.value.newPassword,
        keepSessionId: auth?.sessionId,
      }),
    )
  } catch (error) {
    const { result, status } = replyWithError(
      submission,
      error,
      requestLocale(request, account.user.locale),
      {
        hideFields: hidden,
      },
    )
    return data({ result }, { status })
  }
  return redirect('/settings/password?changed=1')
}

export default function PasswordSettings() {
  const t = useT()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const [form, fields] = useForm({
    id: 'change-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ChangePasswordSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordSchema }),
  })
  return (
    <section className="card">
      <h2>{t('settings.password')}</h2>
      {searchParams.get('changed') ? (
        <p className="notice">{t('settings.passwordChanged')}</p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label={t('field.currentPassword')}
          inputProps={{
            ...getInputProps(fields.currentPassword, { type: 'password' }),
            autoComplete: 'current-password',
          }}
          errors={fields.currentPassword.errors}
        />
        <Field
          label={t('field.newPassword')}
          hint={t('signup.passwordHint')}
          inputProps={{
            ...getInputProps(fields.newPassword, { type: 'password' }),
            autoComplete: 'new-password',
          }}
          errors={fields.newPassword.errors}
        />
        <Field
          label={t('field.confirmPassword')}
          inputProps={{
            ...getInputProps(fields.confirmPassword, { type: 'password' }),
            autoComplete: 'new-password',
          }}
          errors={fields.confirmPassword.errors}
        />
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
      </Form>
    </section>
  )
}
