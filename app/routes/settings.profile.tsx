import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { ProfileSchema } from '../models/account.schema.ts'
import { updateProfile } from '../models/user.server.ts'
import { requireAccount } from '../utils/auth.server.ts'
import { CsrfInput, Field, SelectField } from '../components/forms.tsx'
import { localeCookie } from '../utils/cookies.server.ts'
import { useT } from '../utils/i18n.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const account = await requireAccount(request, context)
  return { name: account.user.name, email: account.user.email, locale: account.user.locale }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const account = await requireAccount(request, context)
  const submission = parseWithZod(await request.formData(), { schema: ProfileSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  await updateProfile(context.db, account.user.id, submission.value)
  const cookie = localeCookie(submission.value.locale, context.settings.secureCookies)
  return redirect('/settings/profile?saved=1', { headers: { 'Set-Cookie': cookie } })
}

export default function ProfileSettings() {
  const t = useT()
  const profile = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const [form, fields] = useForm({
    id: 'profile',
    lastResult: actionData?.result,
    defaultValue: { name: profile.name, locale: profile.locale },
    constraint: getZodConstraint(ProfileSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
  })
  return (
    <section className="card">
      <h2>{t('settings.profile')}</h2>
      {searchParams.get('saved') ? <p className="notice">{t('settings.saved')}</p> : null}
      <Form method="post" {...getFormProps(form)}>
        <CsrfInput />
        <Field
          label={t('field.email')}
          inputProps={{ type: 'email', value: profile.email, readOnly: true }}
        />
        <Field
          label={t('field.name')}
          inputProps={getInputProps(fields.name, { type: 'text' })}
          errors={fields.name.errors}
        />
        <SelectField
          label={t('field.locale')}
          selectProps={getSelectProps(fields.locale)}
          options={[
            { value: 'zh-CN', label: '中文（简体）' },
            { value: 'en', label: 'English' },
          ]}
          errors={fields.locale.errors}
        />
        <button type="submit" className="primary">
          {t('settings.save')}
        </button>
      </Form>
    </section>
  )
}
