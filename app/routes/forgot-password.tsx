import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { ForgotPasswordSchema } from '../models/account.schema.ts'
import { requestPasswordReset } from '../models/user.server.ts'
import { CsrfInput, Field } from '../components/forms.tsx'
import { useT } from '../utils/i18n.ts'

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: ForgotPasswordSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), sent: false }, { status: 400 })
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
